// The package as other repos get it: packed with `npm pack`, installed from the tarball into fresh
// projects outside this repo, offline from npm's cache, and used there for real.
import { existsSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConsumerProject, exec, lockedVersion, type Packed } from "./consumer-project.js";

const root = new URL("../../", import.meta.url).pathname;
const fixtures = new URL("./fixtures/", import.meta.url).pathname;
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const pkg = createRequire(import.meta.url)("../../package.json") as {
  name: string;
  version: string;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
};

describe("the packed package, installed in another project", () => {
  let work: string;
  let packed: Packed;

  beforeAll(async () => {
    if (!existsSync(join(root, "dist/src/index.js"))) throw new Error("dist/ is missing: run `npm run build` before `npm test`");
    work = await mkdtemp(join(tmpdir(), "spirii-consumer-"));
    const { stdout } = await exec("npm", ["pack", "--json", "--pack-destination", work], root);
    const [result] = JSON.parse(stdout) as { filename: string; integrity: string }[];
    packed = { tarball: join(work, result!.filename), integrity: result!.integrity, name: pkg.name, version: pkg.version, dependencies: pkg.dependencies };
  }, 60_000);

  /** A consumer project in its own folder, with the tarball copied beside its package.json. */
  async function consumer(name: string, extra: string[]) {
    const dir = join(work, name);
    await mkdir(dir, { recursive: true });
    await copyFile(packed.tarball, join(dir, basename(packed.tarball)));
    await createConsumerProject(dir, { ...packed, tarball: join(dir, basename(packed.tarball)) }, extra);
    return dir;
  }

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

  it("compiles a strict consumer under NodeNext and Bundler resolution and runs it against the mock", async () => {
    const dir = await consumer("full", [...Object.keys(pkg.peerDependencies), "@types/node"]);
    await mkdir(join(dir, "src"));
    await copyFile(join(fixtures, "consumer.ts"), join(dir, "src/consumer.ts"));
    const strict = { strict: true, noUncheckedIndexedAccess: true, exactOptionalPropertyTypes: true, skipLibCheck: false, resolveJsonModule: true, types: ["node"], target: "ES2022", lib: ["ES2023", "DOM"] };
    await writeFile(join(dir, "tsconfig.nodenext.json"), JSON.stringify({ compilerOptions: { ...strict, module: "NodeNext", moduleResolution: "NodeNext", outDir: "out" }, include: ["src"] }));
    await writeFile(join(dir, "tsconfig.bundler.json"), JSON.stringify({ compilerOptions: { ...strict, module: "ESNext", moduleResolution: "Bundler", noEmit: true }, include: ["src"] }));
    await exec(process.execPath, [tsc, "-p", "tsconfig.bundler.json"], dir);
    await exec(process.execPath, [tsc, "-p", "tsconfig.nodenext.json"], dir);
    const { stdout } = await exec(process.execPath, ["out/consumer.js"], dir);
    expect(JSON.parse(stdout)).toEqual({
      status: "CHARGING",
      evseValid: true,
      patchValid: true,
      emptyPatch: "invalid-request",
      standards: 42,
      statuses: 9,
      charging: "CHARGING",
      openapi: "3.1.0",
      yamlStartsWith: "openapi: 3.1.0",
    });
  }, 120_000);

  it("installs nothing heavy without the optional peers, and /testing names what to install", async () => {
    const dir = await consumer("lean", []);
    const installed = (await readdir(join(dir, "node_modules"))).filter((name) => !name.startsWith("."));
    expect(installed.sort()).toEqual(["openapi-fetch", "openapi-typescript-helpers", "spirii-connector-contract"]);
    await copyFile(join(fixtures, "lean-consumer.mjs"), join(dir, "lean-consumer.mjs"));
    const { stdout } = await exec(process.execPath, ["lean-consumer.mjs"], dir);
    const result = JSON.parse(stdout) as { client: string; validator: boolean; testing: string };
    expect(result.client).toBe("function");
    expect(result.validator).toBe(true);
    expect(result.testing).toContain("npm install --save-dev");
    expect(result.testing).toContain(`@stoplight/prism-http@${lockedVersion("@stoplight/prism-http")}`);
  }, 120_000);
});
