// Coverage from several runs merges like code coverage (counts add, covered if covered anywhere),
// and coverage files are refused with an error naming the file when they cannot be used.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { UPDATE_CONNECTOR } from "../../src/contract.js";
import { createCoverageRecorder, mergeCoverage, readCoverageFile, writeCoverageFile, type ContractCoverage } from "../../src/coverage/index.js";
import { loadCoverageFile } from "../../src/coverage/file.js";
import { CONTRACT_ITEMS, localId } from "../../src/coverage/items.js";

const dir = await mkdtemp(join(tmpdir(), "coverage-files-"));
afterAll(() => rm(dir, { recursive: true, force: true }));

const OP = UPDATE_CONNECTOR.operationId;
const U = (local: string) => `${OP} ${local}`;
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
    expect(countOf(merged, U("status:200"))).toBe(3);
    expect(countOf(merged, U("status:422"))).toBe(1);
    expect(countOf(merged, U("request:format=CABLE"))).toBe(1);
    expect(countOf(merged, U("status:429"))).toBe(0);
    expect(merged.covered).toBe(4);
    expect(merged.percent).toBeCloseTo((4 / merged.total) * 100, 10);
    expect(merged.items.map((i) => i.id)).toEqual(run([]).items.map((i) => i.id));
  });

  it("of nothing is the contract's items, none covered", () => {
    expect(mergeCoverage()).toEqual(run([]));
  });

  it("refuses a part whose items are not this contract's, saying which", () => {
    const foreign = run([200]);
    foreign.items = [...foreign.items.filter((i) => i.id !== U("status:429")), { id: U("status:418"), operation: OP, kind: "status", covered: true, count: 1 }];
    expect(() => mergeCoverage(run([]), foreign)).toThrow(
      `part 2 of 2 is not coverage of this contract (items this contract does not have: ${U("status:418")}; items missing: ${U("status:429")})`,
    );
    expect(() => mergeCoverage({} as ContractCoverage)).toThrow(/part 1 of 1 .*no `items` list/);
  });

  it("refuses a part of another coverage format, pointing at readCoverageFile", () => {
    const { formatVersion: _, ...format1 } = run([200]);
    expect(() => mergeCoverage(run([]), format1 as ContractCoverage)).toThrow(/part 2 of 2 .*coverage format 1 \(no formatVersion\), this version merges format 2; read files with readCoverageFile/);
  });

  it("adds the requests outside the contract, and keeps them out of the items", () => {
    const a = createCoverageRecorder();
    a.record({ method: "GET", path: "/v9/x" });
    a.record({ method: "GET", path: "/v9/y" });
    const b = createCoverageRecorder();
    b.record({ method: "GET", path: "/v9/x?page=2" });
    const merged = mergeCoverage(a.coverage(), b.coverage());
    expect(merged.outsideContract).toEqual({ count: 3, requests: [{ method: "GET", path: "/v9/x", count: 2 }, { method: "GET", path: "/v9/y", count: 1 }] });
    expect(merged.covered).toBe(0);
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
    await writeFile(notCoverage, JSON.stringify({ name: "x", formatVersion: 2, items: [{ id: U("status:200"), operation: OP, kind: "status", covered: "yes", count: 1 }] }));
    await expect(readCoverageFile(notCoverage)).rejects.toMatchObject({
      name: "CoverageFileError",
      file: notCoverage,
      message: expect.stringContaining(`coverage file ${notCoverage} is not a coverage file: expected {"formatVersion": 2, "items": [{"id", "operation", "kind", "covered", "count"}, ...], ...}`),
    });
    const older = join(dir, "older.json");
    const coverage = run([]);
    await writeFile(older, JSON.stringify({ ...coverage, items: coverage.items.slice(1) }));
    await expect(readCoverageFile(older)).rejects.toThrow(
      `coverage file ${older} was written for another version of the contract (items missing: ${U("status:200")}); record it again with this version of spirii-connector-contract.`,
    );
  });
});

/** A file as coverage format 1 wrote it: no formatVersion, updateConnector's items alone, ids without the operation. */
function format1(c: ContractCoverage) {
  return {
    items: c.items
      .filter((i) => i.operation === OP)
      .map(({ id, kind, covered, count }) => ({ id: kind.startsWith("response") ? localId(id).replace(/^response:\S+ /, "response:") : localId(id), kind, covered, count })),
    covered: c.covered,
    total: c.total,
    percent: c.percent,
  };
}

describe("coverage file formats", () => {
  it("a file states its format version", async () => {
    const file = join(dir, "versioned.json");
    await writeCoverageFile(file, run([200]));
    expect(JSON.parse(await readFile(file, "utf8"))).toMatchObject({ formatVersion: 2 });
  });

  it("format 1 (ids without an operation) is read as updateConnector's, with a notice; other operations start uncovered", async () => {
    const coverage = run([200, 429, 503], [{ standard: "GBT_DC", maxVoltage: 0 }]);
    const recorder = createCoverageRecorder();
    recorder.response(200, { status: "AVAILABLE", connectors: [{ error: null }] });
    const withResponse = mergeCoverage(coverage, recorder.coverage());
    const old = format1(withResponse);
    expect(old.items.map((i) => i.id)).toContain("status:429");
    expect(old.items.map((i) => i.id)).toContain("response:status=AVAILABLE");
    const file = join(dir, "format-1.json");
    await writeFile(file, JSON.stringify(old));
    const { coverage: read, notice } = await loadCoverageFile(file);
    expect(read).toEqual(withResponse);
    expect(notice).toContain(`coverage file ${file} is of coverage format 1 (ids without an operation): read its items as ${OP}'s (status:200 is now ${U("status:200")})`);
    for (const other of CONTRACT_ITEMS.operations.filter((o) => o.operationId !== OP)) expect(notice).toContain(other.operationId);
    // And it merges with a file of today's format.
    expect(countOf(mergeCoverage(read, run([429])), U("status:429"))).toBe(2);
  });

  it("format 1 of another version of the contract is refused, never mis-merged", async () => {
    const old = format1(run([429]));
    const file = join(dir, "format-1-other.json");
    await writeFile(file, JSON.stringify({ ...old, items: [...old.items.filter((i) => i.id !== "status:404"), { id: "status:418", kind: "status", covered: true, count: 1 }] }));
    await expect(readCoverageFile(file)).rejects.toMatchObject({
      name: "CoverageFileError",
      file,
      message:
        `coverage file ${file} is of coverage format 1 (ids without an operation, written before coverage was per operation) and for another version of the contract ` +
        "(items this contract does not have: status:418); record it again with this version of spirii-connector-contract.",
    });
    await writeFile(file, JSON.stringify({ ...old, items: old.items.filter((i) => i.id !== "status:404") }));
    await expect(readCoverageFile(file)).rejects.toThrow(`for another version of the contract (items missing: ${U("status:404")})`);
  });

  it("a newer format, or a version no release writes, is refused with what to do", async () => {
    const file = join(dir, "format-3.json");
    await writeFile(file, JSON.stringify({ ...run([200]), formatVersion: 3, items: [{ id: "x", op: "y" }] }));
    await expect(readCoverageFile(file)).rejects.toThrow(
      `coverage file ${file} is of coverage format 3, newer than this version of spirii-connector-contract reads (2); merge it with the version that wrote it (upgrade this one), or record it again with this version of spirii-connector-contract.`,
    );
    await writeFile(file, JSON.stringify({ ...run([200]), formatVersion: "2" }));
    await expect(readCoverageFile(file)).rejects.toThrow(`coverage file ${file} has formatVersion "2", which no version of spirii-connector-contract writes`);
  });

  it("an item filed under another operation than its id names is refused", async () => {
    const c = run([200]);
    const file = join(dir, "misfiled.json");
    await writeFile(file, JSON.stringify({ ...c, items: c.items.map((i, n) => (n === 0 ? { ...i, operation: "elsewhere" } : i)) }));
    await expect(readCoverageFile(file)).rejects.toThrow(`items filed under another operation: ${U("status:200")}`);
  });
});
