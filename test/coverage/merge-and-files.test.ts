// Coverage from several runs merges like code coverage (counts add, covered if covered anywhere),
// and coverage files are refused with an error naming the file when they cannot be used.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createCoverageRecorder, mergeCoverage, readCoverageFile, writeCoverageFile, type ContractCoverage } from "../../src/coverage/index.js";

const dir = await mkdtemp(join(tmpdir(), "coverage-files-"));
afterAll(() => rm(dir, { recursive: true, force: true }));

const countOf = (c: ContractCoverage, id: string) => c.items.find((i) => i.id === id)?.count;

function run(statuses: number[], bodies: unknown[] = []): ContractCoverage {
  const recorder = createCoverageRecorder();
  for (const status of statuses) recorder.response(status, {});
  for (const body of bodies) recorder.request(body);
  return recorder.coverage();
}

describe("mergeCoverage", () => {
  it("adds counts and covers an item covered in any part", () => {
    const merged = mergeCoverage(run([200, 200]), run([200, 422], [{ format: "CABLE" }]), run([]));
    expect(countOf(merged, "status:200")).toBe(3);
    expect(countOf(merged, "status:422")).toBe(1);
    expect(countOf(merged, "request:format=CABLE")).toBe(1);
    expect(countOf(merged, "status:429")).toBe(0);
    expect(merged.covered).toBe(4);
    expect(merged.percent).toBeCloseTo((4 / merged.total) * 100, 10);
    expect(merged.items.map((i) => i.id)).toEqual(run([]).items.map((i) => i.id));
  });

  it("of nothing is the contract's items, none covered", () => {
    expect(mergeCoverage()).toEqual(run([]));
  });

  it("refuses a part whose items are not this contract's, saying which", () => {
    const foreign = run([200]);
    foreign.items = [...foreign.items.filter((i) => i.id !== "status:429"), { id: "status:418", kind: "status", covered: true, count: 1 }];
    expect(() => mergeCoverage(run([]), foreign)).toThrow(
      /part 2 of 2 is not coverage of this contract \(items this contract does not have: status:418; items missing: status:429\)/,
    );
    expect(() => mergeCoverage({} as ContractCoverage)).toThrow(/part 1 of 1 .*no `items` list/);
  });
});

describe("coverage files", () => {
  it("round-trip, with totals recomputed from the items", async () => {
    const file = join(dir, "nested", "worker-1.json");
    const coverage = run([200, 503], [{ standard: "GBT_DC" }]);
    await writeCoverageFile(file, coverage);
    expect(await readCoverageFile(file)).toEqual(coverage);
    await writeFile(file, JSON.stringify({ ...coverage, covered: 99, percent: 100 }));
    expect(await readCoverageFile(file)).toMatchObject({ covered: coverage.covered, percent: coverage.percent });
  });

  it("accept a verify report, taking its coverage", async () => {
    const file = join(dir, "report.json");
    const coverage = run([401]);
    await writeFile(file, JSON.stringify({ verdict: "passed", coverage }));
    expect(await readCoverageFile(file)).toEqual(coverage);
  });

  it("that are missing, not JSON, not coverage or of another contract are refused, naming the file", async () => {
    const missing = join(dir, "nope.json");
    await expect(readCoverageFile(missing)).rejects.toThrow(`coverage file ${missing}: cannot read it (no such file)`);
    await expect(readCoverageFile(dir)).rejects.toThrow(`coverage file ${dir}: cannot read it (it is a directory)`);
    const notJson = join(dir, "not.json");
    await writeFile(notJson, "<html>");
    await expect(readCoverageFile(notJson)).rejects.toThrow(`coverage file ${notJson} is not a coverage file: it is not JSON`);
    const notCoverage = join(dir, "package.json");
    await writeFile(notCoverage, JSON.stringify({ name: "x", items: [{ id: "status:200", kind: "status", covered: "yes", count: 1 }] }));
    await expect(readCoverageFile(notCoverage)).rejects.toMatchObject({
      name: "CoverageFileError",
      file: notCoverage,
      message: expect.stringContaining(`coverage file ${notCoverage} is not a coverage file: expected {"items"`),
    });
    const older = join(dir, "older.json");
    const coverage = run([]);
    await writeFile(older, JSON.stringify({ ...coverage, items: coverage.items.slice(1) }));
    await expect(readCoverageFile(older)).rejects.toThrow(`coverage file ${older} was written for another version of the contract (items missing: status:200)`);
  });
});
