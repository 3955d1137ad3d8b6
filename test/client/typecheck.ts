// Type-checks files, real or in memory, with the repository's own tsconfig.json (strict and all),
// and with "spirii-connector-contract" resolving to src/, the package's source.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

function packageOptions(): ts.CompilerOptions {
  const configPath = join(ROOT, "tsconfig.json");
  const config = ts.readConfigFile(configPath, (path) => ts.sys.readFile(path));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
  return { ...parsed.options, noEmit: true, baseUrl: ROOT, paths: { "spirii-connector-contract": ["./src/index.ts"] } };
}

/** Diagnostics per file, as "line: message"; `virtual` maps absolute paths to source text. */
export function typecheck(realFiles: string[], virtual: Record<string, string> = {}): Map<string, string[]> {
  const options = packageOptions();
  const host = ts.createCompilerHost(options);
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (name) => name in virtual || fileExists.call(host, name);
  host.readFile = (name) => virtual[name] ?? readFile.call(host, name);
  host.getSourceFile = (name, language, ...rest) => {
    const text = virtual[name];
    return text === undefined ? getSourceFile.call(host, name, language, ...rest) : ts.createSourceFile(name, text, language);
  };
  const program = ts.createProgram([...realFiles, ...Object.keys(virtual)], options, host);
  const byFile = new Map<string, string[]>();
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const name = d.file?.fileName ?? "(global)";
    const line = d.file ? d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1 : 0;
    byFile.set(name, [...(byFile.get(name) ?? []), `${line}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`]);
  }
  return byFile;
}
