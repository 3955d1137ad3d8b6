// The mock records what a consumer's tests made it answer and what they sent it: mock.coverage(),
// mock.writeCoverage(file), and the file written on close() when started with { coverageFile }.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { GET_EVSE } from "../../src/contract.js";
import { createConnectorClient, UPDATE_CONNECTOR } from "../../src/index.js";
import { readCoverageFile, startMockServer, type ContractCoverage, type MockServer } from "../../src/testing/index.js";

const dir = await mkdtemp(join(tmpdir(), "mock-coverage-"));
const open: MockServer[] = [];
afterAll(async () => {
  await Promise.all(open.map((m) => m.close()));
  await rm(dir, { recursive: true, force: true });
});

const PATH = { uid: 123456, connectorId: 1 };
const OP = UPDATE_CONNECTOR.operationId;
const coveredIds = (c: ContractCoverage) => c.items.filter((i) => i.covered).map((i) => `${i.id} ${i.count}`);

async function exercise(mock: MockServer): Promise<void> {
  const client = createConnectorClient({ apiKey: "test-key", baseUrl: mock.url, retry: false });
  await client.updateConnector(PATH, { standard: "IEC_62196_T2", format: "SOCKET" });
  await expect(client.updateConnector(PATH, { maxVoltage: 400 }, { headers: { Prefer: "code=429" } })).rejects.toMatchObject({ status: 429 });
  await expect(client.updateConnector(PATH, { maxVoltage: 400 }, { headers: { Prefer: "code=503" } })).rejects.toMatchObject({ status: 503 });
  // The client refuses an invalid patch before sending it; a consumer's own HTTP code may not.
  const invalid = await fetch(`${mock.url}/v2/evses/123456/connectors/1`, {
    method: "PATCH",
    headers: { authorization: "Bearer test-key", "content-type": "application/json" },
    body: JSON.stringify({ maxVoltage: 0, max_voltage: 400 }),
  });
  expect(invalid.status).toBe(422);
}

describe("mock coverage", () => {
  it("starts with nothing covered, then counts each exchange the mock answered", async () => {
    const mock = await startMockServer();
    open.push(mock);
    expect(mock.coverage().covered).toBe(0);
    await exercise(mock);
    const c = mock.coverage();
    expect(coveredIds(c)).toEqual(
      [
        "status:200 1",
        "status:422 1",
        "status:429 1",
        "status:5XX 1",
        "request:standard 1",
        "request:format 1",
        "request:maxVoltage 3",
        "request:standard=IEC_62196_T2 1",
        "request:format=SOCKET 1",
        "rule:additionalProperties / 1",
        "rule:exclusiveMinimum /maxVoltage 1",
        // The contract's 200 example, whatever was patched: the mock answers with examples.
        "response:200 status=CHARGING 1",
        "response:200 connectors/standard=CHADEMO 1",
        "response:200 connectors/format=SOCKET 1",
        "response:200 connectors/powerType=DC 1",
        "response:200 connectors/maxElectricPower=present 1",
        "response:200 connectors/tariffIds=present 1",
        "response:200 connectors/error=present 1",
        "response:200 connectors/deletedAt=present 1",
      ].map((item) => `${OP} ${item}`),
    );
    expect(c.operations.find((o) => o.operation === OP)?.covered).toBe(19);
    expect(c.items.find((i) => i.id === `${OP} status:401`)?.covered).toBe(false);
    // A request the mock refuses for want of a key is an exchange too: it covers status:401.
    const noKey = await fetch(`${mock.url}/v2/evses/123456/connectors/1`, { method: "PATCH", headers: { "content-type": "application/json" }, body: "{}" });
    expect(noKey.status).toBe(401);
    expect(mock.coverage().items.find((i) => i.id === `${OP} status:401`)).toEqual({ id: `${OP} status:401`, operation: OP, kind: "status", covered: true, count: 1 });
    // A request for no operation of the contract moves no item, and is counted as outside it.
    const before = mock.coverage();
    expect(before.outsideContract.count).toBe(0);
    expect((await fetch(`${mock.url}/v2/elsewhere?page=2`, { method: "PATCH", body: "{}" })).status).toBe(404);
    expect((await fetch(`${mock.url}/v2/evses/123456/connectors/1`, { method: "DELETE" })).status).toBe(405);
    const after = mock.coverage();
    expect(after.items).toEqual(before.items);
    expect(after.outsideContract).toEqual({
      count: 2,
      requests: [
        { method: "PATCH", path: "/v2/elsewhere", count: 1 },
        { method: "DELETE", path: "/v2/evses/123456/connectors/1", count: 1 },
      ],
    });
  });

  it("files a read of the EVSE (client.getEvse) under getEvse, by its method and path", async () => {
    const mock = await startMockServer();
    open.push(mock);
    const client = createConnectorClient({ apiKey: "test-key", baseUrl: mock.url, retry: false });
    await client.getEvse({ uid: 123456 });
    await expect(client.getEvse({ uid: 123456 }, { headers: { Prefer: "code=404" } })).rejects.toMatchObject({ status: 404 });
    const c = mock.coverage();
    const own = (operation: string) => c.items.filter((i) => i.covered && i.operation === operation).map((i) => `${i.id} ${i.count}`);
    expect(own(OP)).toEqual([]);
    const read200 = own(GET_EVSE.operationId);
    expect(read200.slice(0, 2)).toEqual([`${GET_EVSE.operationId} status:200 1`, `${GET_EVSE.operationId} status:404 1`]);
    // The read's 200 body gives its own value and shape items, nothing of the update's.
    expect(read200.some((id) => id.startsWith(`${GET_EVSE.operationId} response:200 status=`))).toBe(true);
    expect(c.operations.find((o) => o.operation === GET_EVSE.operationId)?.covered).toBe(read200.length);
    expect(c.outsideContract.count).toBe(0);
  });

  it("writes the coverage on demand and on close() with { coverageFile }, one file per mock", async () => {
    const onClose = join(dir, "worker", "on-close.json");
    const mock = await startMockServer({ coverageFile: onClose });
    await exercise(mock);
    const onDemand = join(dir, "on-demand.json");
    await mock.writeCoverage(onDemand);
    expect(await readCoverageFile(onDemand)).toEqual(mock.coverage());
    await expect(readCoverageFile(onClose)).rejects.toThrow(/no such file/);
    const before = mock.coverage();
    await mock.close();
    await mock.close(); // safe twice, writes once
    expect(await readCoverageFile(onClose)).toEqual(before);
  });

  it("refuses a coverageFile that is not a path", async () => {
    await expect(startMockServer({ coverageFile: "" })).rejects.toThrow(/coverageFile must be a file path, got ""/);
  });
});
