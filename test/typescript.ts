// The one TypeScript compile harness of the tests: programs over real and in-memory files, with the
// repository's tsconfig.json or a consumer project's, under any installed compiler (the pinned
// typescript, or the "typescript-5.4" alias for the oldest supported one). Diagnostics come back per
// file as "line: message", so a test can say which file failed and why.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type ts from "typescript";

export type TypeScript = typeof ts;

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);

/** The pinned compiler, and the oldest one the published declarations support. */
export const TYPESCRIPT = {
  newest: require("typescript") as TypeScript,
  oldest: require("typescript-5.4") as TypeScript,
} as const;

export interface CompileOptions {
  /** Absolute path -> source text of files that exist only in memory. */
  virtual?: Record<string, string>;
  /** The compiler; the pinned one by default. */
  typescript?: TypeScript;
  /** Write the outputs (to the options' outDir) when there is no error. */
  emit?: boolean;
  /** Which files get the semantic check (all, by default); every file is still parsed and resolved. */
  check?: (fileName: string) => boolean;
}

// Parsed declaration files under node_modules (lib.dom.d.ts alone is 2 MB), shared by every program
// of a compiler in this process: they do not change during a run, and parsing is much of the cost.
const parsed = new WeakMap<TypeScript, Map<string, ts.SourceFile>>();

/** One program over `files` with `options`; its diagnostics by file name ("(global)" for none). */
export function compile(files: string[], options: ts.CompilerOptions, { virtual = {}, typescript = TYPESCRIPT.newest, emit = false, check }: CompileOptions = {}): Map<string, string[]> {
  const host = typescript.createCompilerHost(options);
  const { fileExists, readFile, getSourceFile } = host;
  const cache = parsed.get(typescript) ?? new Map<string, ts.SourceFile>();
  parsed.set(typescript, cache);
  host.fileExists = (name) => name in virtual || fileExists.call(host, name);
  host.readFile = (name) => virtual[name] ?? readFile.call(host, name);
  host.getSourceFile = (name, language, ...rest) => {
    const text = virtual[name];
    if (text !== undefined) return typescript.createSourceFile(name, text, language);
    if (!name.includes("/node_modules/")) return getSourceFile.call(host, name, language, ...rest);
    const key = `${name}\0${JSON.stringify(language)}`;
    let file = cache.get(key);
    if (!file) {
      file = getSourceFile.call(host, name, language, ...rest);
      if (file) cache.set(key, file);
    }
    return file;
  };
  const program = typescript.createProgram([...files, ...Object.keys(virtual)], { ...options, noEmit: !emit }, host);
  const byFile = new Map<string, string[]>();
  // getPreEmitDiagnostics, with the semantic part limited to the files `check` names.
  const diagnostics = check
    ? [
        ...program.getConfigFileParsingDiagnostics(),
        ...program.getOptionsDiagnostics(),
        ...program.getSyntacticDiagnostics(),
        ...program.getGlobalDiagnostics(),
        ...program.getSourceFiles().filter((file) => check(file.fileName)).flatMap((file) => program.getSemanticDiagnostics(file)),
      ]
    : typescript.getPreEmitDiagnostics(program);
  for (const d of diagnostics) {
    const name = d.file?.fileName ?? "(global)";
    const line = d.file ? d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1 : 0;
    byFile.set(name, [...(byFile.get(name) ?? []), `${line}: ${typescript.flattenDiagnosticMessageText(d.messageText, " ")}`]);
  }
  if (emit && byFile.size === 0) program.emit();
  return byFile;
}

/** A tsconfig.json's files and options, as `typescript` reads them. */
export function readProject(configPath: string, typescript: TypeScript = TYPESCRIPT.newest): { files: string[]; options: ts.CompilerOptions } {
  const config = typescript.readConfigFile(configPath, (path) => typescript.sys.readFile(path));
  if (config.error) throw new Error(typescript.flattenDiagnosticMessageText(config.error.messageText, " "));
  const project = typescript.parseJsonConfigFileContent(config.config, typescript.sys, dirname(configPath));
  if (project.errors.length > 0) throw new Error(project.errors.map((e) => typescript.flattenDiagnosticMessageText(e.messageText, " ")).join("\n"));
  return { files: project.fileNames, options: project.options };
}

/** The repository's own tsconfig.json (strict and all), with "spirii-connector-contract" resolving to src/. */
export function repoOptions(): ts.CompilerOptions {
  const { options } = readProject(join(ROOT, "tsconfig.json"));
  return { ...options, baseUrl: ROOT, paths: { "spirii-connector-contract": ["./src/index.ts"] } };
}
