// The fake records the contract coverage of what a consumer's tests sent it and made it answer, as
// the mock does: fake.coverage(), fake.writeCoverage(file), and the file written on close() with
// { coverageFile }. Only the contract's operation counts (a GET of the EVSE is not part of it).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readCoverageFile, startFakeApi, type ContractCoverage } from "../../../src/testing/index.js";
import { AUTH, patch, read } from "./checked-fetch.js";

const dir = await mkdtemp(join(tmpdir(), "fake-coverage-"));
afterAll(() => rm(dir, { recursive: true, force: true }));
const coveredIds = (c: ContractCoverage) => c.items.filter((i) => i.covered).map((i) => `${i.id} ${i.count}`);
/** An item of updateConnector: coverage ids name their operation. */
const U = (local: string) => `updateConnector ${local}`;

describe("fake coverage", () => {
  it("counts each PATCH and its answer, faults included; not the GETs; kept across reset()", async () => {
    const file = join(dir, "on-close.json");
    const fake = await startFakeApi({ coverageFile: file });
    expect(fake.coverage().covered).toBe(0);
    await patch(fake.url, 123456, 1, { standard: "IEC_62196_T2", format: "SOCKET" });
    await patch(fake.url, 123456, 1, { standard: "IEC_62196_T2", format: "SOCKET" }); // the same exchange twice counts twice
    await patch(fake.url, 123456, 1, { maxVoltage: 0 });
    fake.failNext({ status: 503 });
    await patch(fake.url, 123456, 1, { maxVoltage: 400 });
    await read(fake.url, 123456);
    await read(fake.url, 999);
    const ids = coveredIds(fake.coverage());
    expect(ids).toEqual(expect.arrayContaining(["status:200 2", "status:422 1", "status:5XX 1", "request:standard=IEC_62196_T2 2", "request:maxVoltage 2"].map(U)));
    expect(ids.filter((id) => id.startsWith(U("status:404")))).toEqual([]); // the GET of 999 is not the PATCH
    fake.reset();
    expect(coveredIds(fake.coverage())).toEqual(ids);
    const onDemand = join(dir, "on-demand.json");
    await fake.writeCoverage(onDemand);
    expect(await readCoverageFile(onDemand)).toEqual(fake.coverage());
    const last = fake.coverage();
    await fake.close();
    expect(await readCoverageFile(file)).toEqual(last);
  });

  it("refuses a coverageFile that is not a path", async () => {
    await expect(startFakeApi({ coverageFile: "" })).rejects.toThrow(/coverageFile must be a file path, got ""/);
    await expect(startFakeApi({ coverageFile: 1 as never })).rejects.toThrow(/coverageFile must be a file path, got 1/);
  });

  it("a dropped connection counts the request, with no answer", async () => {
    const fake = await startFakeApi();
    try {
      fake.failNext({ reset: true });
      await expect(fetch(`${fake.url}/v2/evses/123456/connectors/1`, { method: "PATCH", headers: AUTH, body: '{"maxAmperage":16}' })).rejects.toThrow();
      expect(coveredIds(fake.coverage())).toEqual([U("request:maxAmperage 1")]);
    } finally {
      await fake.close();
    }
  });
});
