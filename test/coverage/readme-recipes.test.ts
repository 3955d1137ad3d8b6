// The README's contract-coverage recipes, as written there: the consumer test is the recipe file
// next to this one (it runs with the suite), and the CI steps' commands are run as they stand.
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { runCli } from "../../src/cli/run.js";
import { createConnectorClient, UPDATE_CONNECTOR } from "../../src/index.js";
import { startMockServer } from "../../src/testing/index.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const readme = readFileSync(join(ROOT, "README.md"), "utf8");

/** The code block right after `<!-- recipe: NAME -->`. */
function recipe(name: string): string {
  const block = new RegExp(`<!-- recipe: ${name} -->\\n\`\`\`\\w+\\n([\\s\\S]*?)\`\`\``).exec(readme)?.[1];
  if (block === undefined) throw new Error(`README.md has no recipe ${name}`);
  return block;
}

/** The arguments of the `npx spirii-contract ...` command in a CI step (a folded `run: >` scalar). */
function commandArgs(block: string, command: string): string[] {
  const start = block.indexOf(`npx spirii-contract ${command}`);
  if (start < 0) throw new Error(`no "spirii-contract ${command}" in the recipe`);
  const lines = block.slice(start).split("\n");
  // The scalar goes on until the next step (`- ...`) or key (`with: ...`).
  const end = lines.findIndex((line, i) => i > 0 && /^\s*(- |[\w-]+:(\s|$))/.test(line));
  const folded = lines.slice(0, end < 0 ? lines.length : end);
  return shellWords(folded.join(" ")).slice(2);
}

/** Words as a shell splits them: on blanks, except inside double quotes (the quotes go). */
function shellWords(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "coverage-recipes-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

let stdout = "";
beforeEach(() => {
  stdout = "";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, "write").mockImplementation(() => true);
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** A consumer's test files against the mock, each writing its coverage file; `with429` says whether one tests a 429. */
async function consumerSuite(with429: boolean): Promise<string[]> {
  const files: string[] = [];
  for (const prefers of [["", "code=404"], with429 ? ["code=429", "code=503"] : ["code=503"]]) {
    const file = join(dir, `${with429 ? "with" : "without"}-429-${files.length}.json`);
    const mock = await startMockServer({ coverageFile: file });
    const client = createConnectorClient({ apiKey: "test-key", baseUrl: mock.url, retry: false });
    for (const prefer of prefers) {
      await client
        .updateConnector({ uid: 123456, connectorId: 1 }, { standard: "CHADEMO", maxElectricPower: 22 }, prefer ? { headers: { Prefer: prefer } } : {})
        .catch(() => undefined);
    }
    await mock.close();
    files.push(file);
  }
  return files;
}

describe("README: contract coverage recipes", () => {
  it("the consumer test is test/coverage/recipe/connector.test.ts, which runs with the suite", () => {
    const asTested = readFileSync(join(ROOT, "test/coverage/recipe/connector.test.ts"), "utf8")
      .replace('"../../../src/testing/index.js"', '"spirii-connector-contract/testing"')
      .replace('"../../../src/index.js"', '"spirii-connector-contract"')
      .replace("test-results/contract-coverage/", "coverage/contract/");
    expect(recipe("consumer-coverage")).toBe(asTested);
  });

  it("the consumer's CI gate passes a suite that handled a 429 and fails one that never did, naming updateConnector status:429", async () => {
    const args = commandArgs(recipe("consumer-coverage-ci"), "coverage");
    expect(args.slice(0, 2)).toEqual(["coverage", "coverage/contract/*.json"]);
    const asRun = (files: string[]) =>
      args.flatMap((arg) => (arg === "coverage/contract/*.json" ? files : [arg.replace(/^coverage\//, `${dir}/`)]));
    expect(args).toContain(`${UPDATE_CONNECTOR.operationId} status:429`);
    const code = await runCli(asRun(await consumerSuite(true)));
    expect(code, stdout.split("\n").filter((l) => l.includes("under --fail-under") || l.startsWith("All operations")).join("\n")).toBe(0);
    expect(stdout).toMatch(/✓ status:429 +1\n/);
    stdout = "";
    expect(await runCli(asRun(await consumerSuite(false)))).toBe(1);
    expect(stdout).toContain(`Required but not covered (--require): ${UPDATE_CONNECTOR.operationId} status:429\n`);
  });

  it("the provider's CI gates verify at 60% and reads its report's coverage", async () => {
    const block = recipe("provider-coverage-ci");
    const verifyArgs = commandArgs(block, "verify");
    expect(verifyArgs.join(" ")).toContain("--fail-under 60 --report-json reports/contract.json");
    const [mockFile] = await consumerSuite(true);
    const report = join(dir, "contract.json");
    await writeFile(report, JSON.stringify({ verdict: "holds", coverage: JSON.parse(readFileSync(mockFile!, "utf8")) }));
    const args = commandArgs(block, "coverage").map((arg) => arg.replace(/^reports\//, `${dir}/`));
    expect(await runCli(args)).toBe(0);
    expect(stdout).toContain(`HTML report written to ${dir}/coverage.html`);
  });
});
