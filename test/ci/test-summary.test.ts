// The closing tally CI reads: both suites' reports added up, and a file that failed outside its
// tests (a beforeAll that threw, so its tests were skipped) counted as a failure, never as 0 failed.
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const SCRIPT = new URL("../../scripts/test-summary.mjs", import.meta.url).pathname;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "test-summary-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function tally(...reports: object[]) {
  const files = await Promise.all(reports.map(async (report, i) => {
    const file = join(dir, `report-${i}-${Math.random()}.json`);
    await writeFile(file, JSON.stringify(report));
    return file;
  }));
  return promisify(execFile)(process.execPath, [SCRIPT, ...files]).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

const passing = { numTotalTests: 3, numPassedTests: 3, numFailedTests: 0, testResults: [{ name: "a.test.ts", status: "passed", assertionResults: [{ status: "passed" }] }] };

describe("scripts/test-summary.mjs", () => {
  it("adds up the suites' reports", async () => {
    expect(await tally(passing, { ...passing, numTotalTests: 4, numPassedTests: 4 })).toMatchObject({ code: 0, stdout: "7 passed, 0 failed\n" });
  });

  it("counts a file whose hook failed (its tests skipped) as a failure, and exits 1", async () => {
    const hookFailed = {
      numTotalTests: 2,
      numPassedTests: 0,
      numFailedTests: 0,
      numPendingTests: 2,
      testResults: [{ name: "docs.test.ts", status: "failed", message: "", assertionResults: [{ status: "skipped" }, { status: "skipped" }] }],
    };
    const run = await tally(passing, hookFailed);
    expect(run).toMatchObject({ code: 1, stdout: "3 passed, 1 failed, 2 skipped\n" });
    expect(run.stderr).toContain("docs.test.ts failed outside its tests");
  });

  it("exits 1 when one suite's report counts no test, even if the other passed", async () => {
    const run = await tally(passing, { numTotalTests: 0, numPassedTests: 0, numFailedTests: 0, testResults: [] });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("counts no test at all");
  });

  it("exits 1 on a missing report, naming it", async () => {
    const run = await promisify(execFile)(process.execPath, [SCRIPT, join(dir, "missing.json")]).catch((error: { code: number; stderr: string }) => error);
    expect(run).toMatchObject({ code: 1 });
    expect((run as { stderr: string }).stderr).toContain("missing.json");
  });
});
