// Dynamic mode's generated bodies: still contract-valid, and plausible (whole positive ids, at least
// one connector, only the contract's fields), while requests are validated exactly as before.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import contract from "../../generated/openapi.json" with { type: "json" };
import { unlistedEnumValues, validateEvse } from "../../src/index.js";
import { startMockServer, type MockServer } from "../../src/testing/index.js";
import { withPlausibleResponses } from "../../src/testing/plausible-bodies.js";

const SEEDS = Array.from({ length: 12 }, (_, i) => `seed-${i}`);
const schemas = contract.components.schemas;
const evseFields = Object.keys(schemas.Evse.properties);
const connectorFields = Object.keys(schemas.Connector.properties);

const mocks: MockServer[] = [];
beforeAll(async () => {
  for (const seed of SEEDS) mocks.push(await startMockServer({ dynamic: true, seed }));
});
afterAll(() => Promise.all(mocks.map((mock) => mock.close())));

const patch = (mock: MockServer, body: unknown) =>
  fetch(`${mock.url}/v2/evses/123456/connectors/1`, { method: "PATCH", headers: { authorization: "Bearer k", "content-type": "application/json" }, body: JSON.stringify(body) });

const isWholePositive = (value: unknown) => Number.isInteger(value) && (value as number) > 0;

describe("startMockServer({ dynamic: true })", () => {
  it("answers with contract-valid, plausible EVSEs that differ by seed", async () => {
    const bodies: Record<string, unknown>[] = [];
    for (const mock of mocks) {
      const response = await patch(mock, { maxVoltage: 400 });
      expect(response.status).toBe(200);
      bodies.push((await response.json()) as Record<string, unknown>);
    }
    for (const body of bodies) {
      expect(validateEvse(body)).toMatchObject({ ok: true });
      // Open response enums accept any string; a plausible EVSE carries known values.
      expect(unlistedEnumValues(body, "Evse")).toEqual([]);
      expect({ uid: isWholePositive(body.uid), chargeboxId: isWholePositive(body.chargeboxId) }).toEqual({ uid: true, chargeboxId: true });
      const connectors = body.connectors as Record<string, unknown>[];
      expect(connectors.length).toBeGreaterThanOrEqual(1);
      for (const connector of connectors) {
        expect(isWholePositive(connector.id), JSON.stringify(connector)).toBe(true);
        for (const limit of ["maxVoltage", "maxAmperage"]) expect(isWholePositive(connector[limit]), `${limit} ${String(connector[limit])}`).toBe(true);
        expect(Object.keys(connector).filter((key) => !connectorFields.includes(key))).toEqual([]);
      }
      expect(Object.keys(body).filter((key) => !evseFields.includes(key))).toEqual([]);
    }
    expect(new Set(bodies.map((body) => JSON.stringify(body))).size).toBeGreaterThan(SEEDS.length / 2);
  });

  it("gives the same body for the same seed", async () => {
    const again = await startMockServer({ dynamic: true, seed: SEEDS[0]! });
    try {
      const [first, second] = await Promise.all([patch(mocks[0]!, { maxVoltage: 400 }), patch(again, { maxVoltage: 400 })]);
      expect(await second.json()).toEqual(await first.json());
    } finally {
      await again.close();
    }
  });

  it("still validates requests exactly as the contract says", async () => {
    const response = await patch(mocks[0]!, { maxVoltage: 0 });
    expect(response.status).toBe(422);
    expect((await patch(mocks[0]!, { maxVoltage: 0.5 })).status).toBe(200); // no narrowing of the request
  });

  it("narrows a copy: the operations it is given stay as the contract has them", () => {
    const operation = { responses: [{ contents: [{ schema: { type: "object", required: ["ids"], properties: { id: { type: "number", examples: [7] }, ids: { type: "array", items: { type: "number" } } } } }] }], request: { body: { contents: [{ schema: { type: "number" } }] } } };
    const before = structuredClone(operation);
    const [narrowed] = withPlausibleResponses([operation]) as (typeof operation)[];
    expect(operation).toEqual(before);
    expect(narrowed!.request).toEqual(before.request);
    expect(narrowed!.responses[0]!.contents[0]!.schema).toEqual({
      type: "object",
      required: ["ids"],
      additionalProperties: false,
      properties: { id: { type: "integer", minimum: 1, maximum: 70, examples: [7] }, ids: { type: "array", minItems: 1, maxItems: 3, items: { type: "integer", minimum: 1, maximum: 1_000_000 } } },
    });
  });
});
