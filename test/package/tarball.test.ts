// The package as other repos get it: packed with `npm pack`, installed from the tarball into fresh
// projects outside this repo, offline from npm's cache, and used there for real. Two projects are
// installed once and shared by the tests: "full" (the kit's peers, @types/node and
// @standard-schema/spec) and "lean" (nothing optional). They are compiled with skipLibCheck off, as
// strict teams compile, under every TypeScript the README supports: 5.4, 5.9 and 6.0 in this process
// (test/typescript.ts), and 7.0, the native compiler with no stable JavaScript API, by its own tsc.
import { existsSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compile, readProject, TYPESCRIPT } from "../typescript.js";
import { createConsumerProject, exec, lockedVersion, type Packed } from "./consumer-project.js";
import { emptyFile, listening, mockRecipe, processesIn, readGithubEnv, runStep } from "./mock-recipe.js";

const root = new URL("../../", import.meta.url).pathname;
const fixtures = new URL("./fixtures/", import.meta.url).pathname;
const pkg = createRequire(import.meta.url)("../../package.json") as {
  name: string;
  version: string;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  bin: Record<string, string>;
};

/** The supported TypeScripts with a JavaScript API: what the README promises (7.0 is below). */
const COMPILERS = [
  ["5.4", TYPESCRIPT.oldest],
  ["5.9", TYPESCRIPT.newest],
  ["6.0", createRequire(import.meta.url)("typescript-6.0") as typeof TYPESCRIPT.newest],
] as const;
/** TypeScript 7.0's tsc (the native compiler, run by its bin: its API is "unstable" in 7.0). */
const TSC_7 = join(dirname(createRequire(import.meta.url).resolve("typescript-7.0/package.json")), "bin/tsc");

// skipLibCheck off checks every declaration file in the program, the package's and its dependencies';
// skipDefaultLibCheck spares only TypeScript's own lib.*.d.ts, which each compiler ships for itself.
/** The package and the dependencies it brings (what the lean project installs). */
const PACKAGE_CLOSURE = /\/node_modules\/(spirii-connector-contract|openapi-fetch|openapi-typescript-helpers)\//;
const strict = { strict: true, noUncheckedIndexedAccess: true, exactOptionalPropertyTypes: true, skipLibCheck: false, skipDefaultLibCheck: true, resolveJsonModule: true, target: "ES2022", lib: ["ES2023", "DOM"] };
const resolutions = {
  nodenext: { module: "NodeNext", moduleResolution: "NodeNext", outDir: "out" },
  bundler: { module: "ESNext", moduleResolution: "Bundler", noEmit: true },
} as const;

describe("the packed package, installed in another project", () => {
  let work: string;
  let packed: Packed;
  let full: string;
  let lean: string;

  /** A consumer project in its own folder, with the tarball copied beside its package.json. */
  async function consumer(name: string, extra: string[]) {
    const dir = join(work, name);
    await mkdir(dir, { recursive: true });
    await copyFile(packed.tarball, join(dir, basename(packed.tarball)));
    await createConsumerProject(dir, { ...packed, tarball: join(dir, basename(packed.tarball)) }, extra);
    return dir;
  }

  /** Writes tsconfig.<resolution>.json files compiling `include` with `options`. */
  async function tsconfigs(dir: string, include: string[], options: object) {
    for (const [name, resolution] of Object.entries(resolutions)) {
      await writeFile(join(dir, `tsconfig.${name}.json`), JSON.stringify({ compilerOptions: { ...strict, ...options, ...resolution }, include }));
    }
  }

  beforeAll(async () => {
    if (!existsSync(join(root, "dist/src/index.js"))) throw new Error("dist/ is missing: run `npm run build` before `npm test`");
    work = await mkdtemp(join(tmpdir(), "spirii-consumer-"));
    const { stdout } = await exec("npm", ["pack", "--json", "--pack-destination", work], root);
    const [result] = JSON.parse(stdout) as { filename: string; integrity: string }[];
    packed = { tarball: join(work, result!.filename), integrity: result!.integrity, name: pkg.name, version: pkg.version, dependencies: pkg.dependencies, bin: pkg.bin };
    [full, lean] = await Promise.all([consumer("full", [...Object.keys(pkg.peerDependencies), "@types/node", "@standard-schema/spec"]), consumer("lean", [])]);
    await mkdir(join(full, "src"));
    await copyFile(join(fixtures, "consumer.ts"), join(full, "src/consumer.ts"));
    await tsconfigs(full, ["src"], { types: ["node"] });
    await mkdir(join(lean, "types"));
    await copyFile(join(fixtures, "testing-types-consumer.ts"), join(lean, "types/testing-types-consumer.ts"));
    await copyFile(join(fixtures, "standard-schema-consumer.ts"), join(lean, "types/standard-schema-consumer.ts"));
    await tsconfigs(lean, ["types"], { types: [] });
    await copyFile(join(fixtures, "lean-consumer.mjs"), join(lean, "lean-consumer.mjs"));
  }, 180_000);

  afterAll(() => (work ? rm(work, { recursive: true, force: true }) : undefined));

  it("ships the compiled entry points, the generated files and no sources or tests", async () => {
    const { stdout } = await exec("tar", ["-tzf", packed.tarball], work);
    const files = stdout.trim().split("\n");
    for (const file of [
      "package/dist/src/index.js",
      "package/dist/src/index.d.ts",
      "package/dist/src/testing/index.js",
      "package/dist/generated/validators.js",
      "package/dist/generated/validators.d.ts",
      "package/dist/generated/types.d.ts",
      "package/dist/generated/openapi.json",
      "package/dist/generated/openapi.yaml",
      "package/LICENSE",
      "package/README.md",
    ]) {
      expect(files, file).toContain(file);
    }
    expect(files.filter((f) => /\.test\.|\/test\/|\/spec\/|\/src\/.*\.ts$/.test(f.replace(/\.d\.ts$/, "")))).toEqual([]);
  });

  for (const [version, typescript] of COMPILERS) {
    it(`a strict consumer, and every declaration file the package ships, compile with skipLibCheck off under TypeScript ${version}${typescript !== TYPESCRIPT.oldest ? ", NodeNext and Bundler resolution" : ", NodeNext resolution"}`, async () => {
      const shipped = (await readdir(join(full, "node_modules", pkg.name, "dist"), { recursive: true })).filter((f) => f.endsWith(".d.ts"));
      expect(shipped).toContain("src/testing/index.d.ts");
      // Resolution is a question for the newer compilers; the oldest is held to NodeNext, what
      // strict Node consumers compile with (each full program costs several seconds of CPU).
      for (const name of typescript !== TYPESCRIPT.oldest ? Object.keys(resolutions) : ["nodenext"]) {
        const project = readProject(join(full, `tsconfig.${name}.json`), typescript);
        const { options } = project;
        const files = [...project.files, ...shipped.map((f) => join(full, "node_modules", pkg.name, "dist", f))];
        const emit = typescript === TYPESCRIPT.newest && name === "nodenext"; // the build run below
        // Under NodeNext every file is checked, @types/node and fast-check included, as the consumer's
        // own tsc would. Bundler resolution changes only how the package and its dependencies are
        // found, so that program checks the consumer and their declarations (the rest is the same
        // files again, and the slow part).
        const check = (file: string) => !file.includes("/node_modules/") || PACKAGE_CLOSURE.test(file);
        const diagnostics = compile(files, options, { typescript, emit, ...(name === "nodenext" ? {} : { check }) });
        expect({ name, errors: Object.fromEntries(diagnostics) }).toEqual({ name, errors: {} });
      }
    }, 120_000);

    it(`a consumer of /testing's types alone, and a Standard Schema consumer, compile under TypeScript ${version} without the optional peers`, () => {
      for (const name of Object.keys(resolutions)) {
        const { files, options } = readProject(join(lean, `tsconfig.${name}.json`), typescript);
        expect({ name, errors: Object.fromEntries(compile(files, options, { typescript })) }).toEqual({ name, errors: {} });
      }
    }, 60_000);
  }

  /** Runs TypeScript 7.0's tsc on a project of `dir` (with `files` added to it); its diagnostics, one per line. */
  async function tsc7(dir: string, resolution: string, files: string[] = []): Promise<string[]> {
    const config = join(dir, `tsconfig.ts7.${resolution}.json`);
    await writeFile(config, JSON.stringify({ extends: `./tsconfig.${resolution}.json`, include: [dir === full ? "src" : "types"], files }));
    const run = await exec(process.execPath, [TSC_7, "-p", config, "--noEmit", "--pretty", "false"], dir).then(
      ({ stdout }) => stdout,
      (error: Error) => error.message,
    );
    return run.split("\n").filter((line) => line.trim() !== "");
  }

  it("a strict consumer, and every declaration file the package ships, compile with skipLibCheck off under TypeScript 7.0 (its own tsc), NodeNext and Bundler resolution", async () => {
    const { stdout: version } = await exec(process.execPath, [TSC_7, "--version"], full);
    expect(version.trim()).toMatch(/^Version 7\.0\./);
    const shipped = (await readdir(join(full, "node_modules", pkg.name, "dist"), { recursive: true })).filter((f) => f.endsWith(".d.ts"));
    for (const name of Object.keys(resolutions)) {
      expect({ name, errors: await tsc7(full, name, shipped.map((f) => join(full, "node_modules", pkg.name, "dist", f))) }).toEqual({ name, errors: [] });
    }
  }, 120_000);

  it("the TypeScript 7.0 check can fail: a consumer's type error is reported", async () => {
    await writeFile(join(lean, "types/broken.ts"), 'import type { ConnectorUpdate } from "spirii-connector-contract";\nexport const patch: ConnectorUpdate = { maxPower: 22 };\n');
    try {
      const errors = await tsc7(lean, "nodenext");
      expect(errors.join("\n")).toMatch(/types\/broken\.ts\(2,.*maxPower/);
    } finally {
      await rm(join(lean, "types/broken.ts"));
    }
  }, 60_000);

  it("a consumer of /testing's types alone, and a Standard Schema consumer, compile under TypeScript 7.0 without the optional peers", async () => {
    for (const name of Object.keys(resolutions)) expect({ name, errors: await tsc7(lean, name) }).toEqual({ name, errors: [] });
  }, 60_000);

  it("the compiled strict consumer runs against the mock", async () => {
    expect(existsSync(join(full, "out/consumer.js")), "emitted by the TypeScript 5.9 NodeNext compile above").toBe(true);
    const { stdout } = await exec(process.execPath, ["out/consumer.js"], full);
    const { standardSchema, ...result } = JSON.parse(stdout) as { standardSchema: { parsed: unknown; vendor: string; issuePaths: unknown[] } };
    expect(standardSchema.parsed).toEqual({ maxVoltage: 400 });
    expect(standardSchema.vendor).toBe("spirii-connector-contract");
    expect(standardSchema.issuePaths).toContainEqual(["connectors", 0, "id"]);
    expect(result).toEqual({
      status: "CHARGING",
      evseValid: true,
      patchValid: true,
      emptyPatch: "invalid-request",
      invalidPatchesRejected: true,
      standards: 42,
      statuses: 9,
      charging: "CHARGING",
      openapi: "3.1.0",
      yamlStartsWith: "openapi: 3.1.0",
    });
  }, 60_000);

  it("the README's mock recipe, run as written, starts the mock and stops it, leaving no process and no port", async () => {
    const { start, stop } = await mockRecipe();
    const githubEnv = join(full, "github-env");
    await emptyFile(githubEnv);
    await rm(join(full, "mock.log"), { force: true });
    try {
      await runStep(start, full, githubEnv);
      const { SPIRII_BASE_URL: url = "", SPIRII_MOCK_PID: pid = "" } = await readGithubEnv(githubEnv);
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const answer = await fetch(`${url}/v2/evses/123456/connectors/1`, { method: "PATCH", headers: { authorization: "Bearer k", "content-type": "application/json" }, body: '{"maxVoltage":400}' });
      expect(answer.status).toBe(200);
      // While it runs, the checks below find it: the mock is the one process, and it listens.
      expect(await processesIn(full)).toEqual([Number(pid)]);
      expect(await listening(url)).toBe(true);
      await runStep(stop, full, githubEnv);
      await expect.poll(() => processesIn(full), { timeout: 5_000 }).toEqual([]);
      expect(await listening(url)).toBe(false);
    } finally {
      for (const pid of await processesIn(full)) process.kill(pid, "SIGKILL");
    }
  }, 60_000);

  it("installs nothing heavy without the optional peers, and /testing names what to install", async () => {
    const installed = (await readdir(join(lean, "node_modules"))).filter((name) => !name.startsWith("."));
    expect(installed.sort()).toEqual(["openapi-fetch", "openapi-typescript-helpers", "spirii-connector-contract"]);
    const { stdout } = await exec(process.execPath, ["lean-consumer.mjs"], lean);
    const result = JSON.parse(stdout) as { client: string; validator: boolean; testing: string };
    expect(result.client).toBe("function");
    expect(result.validator).toBe(true);
    expect(result.testing).toContain("npm install --save-dev");
    expect(result.testing).toContain(`@stoplight/prism-http@${lockedVersion("@stoplight/prism-http")}`);
  }, 60_000);
});
