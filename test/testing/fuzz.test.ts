// Contract-driven fuzzing against the mock: patches generated from the contract's request schema.
// Valid ones must get a 200 with a contract-valid EVSE; invalid ones the documented 4xx with the
// documented error shape. Seeds are fixed and runs modest, so failures reproduce and the suite stays fast.
import * as fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UPDATE_CONNECTOR } from "../../generated/values.js";
import { validateApiError, validateEvse } from "../../src/index.js";
import { patchArbitraries, startMockServer, type MockServer } from "../../src/testing/index.js";

const { valid, invalid } = await patchArbitraries();
const DOCUMENTED_4XX = UPDATE_CONNECTOR.documentedStatuses.filter((s) => s.startsWith("4")).map(Number);
const address = fc.record({ uid: fc.integer({ min: 1, max: 2 ** 31 }), connectorId: fc.integer({ min: 1, max: 64 }) });

async function send(mock: MockServer, path: { uid: number; connectorId: number }, body: unknown) {
  const response = await fetch(`${mock.url}/v2/evses/${path.uid}/connectors/${path.connectorId}`, {
    method: UPDATE_CONNECTOR.method,
    headers: { authorization: "Bearer fuzz-key", "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, contentType: response.headers.get("content-type"), body: (await response.json()) as unknown };
}

describe.each([
  { name: "examples", options: {} },
  { name: "dynamic bodies", options: { dynamic: true, seed: "fuzz" } },
])("fuzzing the mock ($name)", ({ options }) => {
  let mock: MockServer;
  beforeAll(async () => {
    mock = await startMockServer(options);
  });
  afterAll(() => mock.close());

  it("answers every valid patch with 200 and a contract-valid EVSE", async () => {
    await fc.assert(
      fc.asyncProperty(address, valid, async (path, patch) => {
        const answer = await send(mock, path, patch);
        expect(answer.status).toBe(200);
        expect(answer.contentType).toMatch(/^application\/json/);
        expect(validateEvse(answer.body)).toMatchObject({ ok: true });
      }),
      { seed: 42, numRuns: 40 },
    );
  });

  it("answers every invalid patch with a documented 4xx and the documented error shape", async () => {
    await fc.assert(
      fc.asyncProperty(address, invalid, async (path, { body }) => {
        const answer = await send(mock, path, body);
        expect(DOCUMENTED_4XX).toContain(answer.status);
        expect(validateApiError(answer.body)).toMatchObject({ ok: true });
      }),
      { seed: 43, numRuns: 40 },
    );
  });
});
