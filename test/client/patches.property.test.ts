// Property-based: patches generated from the contract's ConnectorUpdate schema (read from the
// bundled contract, not listed here). Valid ones reach the server byte-for-byte as the caller
// wrote them; invalid ones never reach it and are rejected naming the offending JSON pointer.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import contract from "../../generated/openapi.json" with { type: "json" };
import { UPDATE_CONNECTOR } from "../../src/index.js";
import { startFaultServer, type FaultServer } from "./fault-server.js";
import { PATH, failure, fastClient } from "./helpers.js";

type Schema = { $ref?: string; enum?: readonly unknown[]; type?: string; exclusiveMinimum?: number; minimum?: number };
const schemas = contract.components.schemas as unknown as Record<string, Schema & { properties?: Record<string, Schema> }>;
const resolve = (node: Schema): Schema => (node.$ref ? (schemas[node.$ref.split("/").pop() ?? ""] ?? node) : node);

const updateSchema = contract.components.schemas.ConnectorUpdate;
const fields = Object.entries(updateSchema.properties as Record<string, Schema>).map(([name, node]) => ({ name, schema: resolve(node) }));
const minFields = updateSchema.minProperties;

/** Values the contract accepts for a field, and values it rejects. Unknown schema shapes fail loudly. */
function arbitrariesFor(name: string, schema: Schema): { valid: fc.Arbitrary<unknown>; invalid: fc.Arbitrary<unknown> } {
  if (schema.enum) {
    const allowed = schema.enum;
    return {
      valid: fc.constantFrom(...allowed),
      invalid: fc.oneof(fc.string().filter((s) => !allowed.includes(s)), fc.integer(), fc.constant(null)),
    };
  }
  if (schema.type === "number" && schema.exclusiveMinimum !== undefined) {
    const min = schema.exclusiveMinimum;
    return {
      valid: fc.double({ min, minExcluded: true, noNaN: true, noDefaultInfinity: true }),
      invalid: fc.oneof(
        fc.double({ max: min, noNaN: true, noDefaultInfinity: true }),
        fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY),
        fc.double({ min, minExcluded: true, noNaN: true, noDefaultInfinity: true }).map(String),
        fc.constant(null),
      ),
    };
  }
  throw new Error(`patches.property.test: teach the test to generate ConnectorUpdate.${name} (${JSON.stringify(schema)})`);
}

const byField = fields.map((f) => ({ ...f, ...arbitrariesFor(f.name, f.schema) }));
const validPatch = fc
  .record(Object.fromEntries(byField.map((f) => [f.name, f.valid])), { requiredKeys: [] })
  .filter((patch) => Object.keys(patch).length >= minFields);
const pointer = (key: string) => `/${key.replaceAll("~", "~0").replaceAll("/", "~1")}`;
const known = new Set(fields.map((f) => f.name));

/** A patch that breaks the contract, and the pointer the rejection must name. */
const invalidPatch: fc.Arbitrary<{ patch: Record<string, unknown>; expected: string }> = fc.oneof(
  // One field with a value the contract rejects.
  fc.tuple(validPatch, fc.constantFrom(...byField)).chain(([patch, field]) =>
    field.invalid.map((bad) => ({ patch: { ...patch, [field.name]: bad }, expected: `/${field.name}` })),
  ),
  // A field the contract does not have (a typo, say).
  fc.tuple(validPatch, fc.string().filter((key) => !known.has(key) && key !== "__proto__"), fc.jsonValue()).map(([patch, key, value]) => ({
    patch: { ...patch, [key]: value },
    expected: pointer(key),
  })),
  // Nothing to change.
  fc.constant({ patch: {}, expected: "" }),
);

let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer();
});
afterAll(async () => {
  await server.close();
});

describe("patches generated from the contract", () => {
  it("the generators cover every field of ConnectorUpdate", () => {
    expect(fields.map((f) => f.name).sort()).toEqual(Object.keys(updateSchema.properties).sort());
    expect(fields.length).toBeGreaterThan(0);
  });

  it("valid patches reach the server unchanged", async () => {
    const client = fastClient(server.url);
    await fc.assert(
      fc.asyncProperty(validPatch, async (patch) => {
        const before = server.received.length;
        await client.updateConnector(PATH, patch);
        expect(server.received).toHaveLength(before + 1);
        const received = server.received.at(-1);
        expect(received?.url).toBe(UPDATE_CONNECTOR.path.replace("{uid}", String(PATH.uid)).replace("{connectorId}", String(PATH.connectorId)));
        expect(JSON.parse(received?.body ?? "null")).toEqual(patch);
      }),
      { numRuns: 100 },
    );
  });

  it("invalid patches never reach the server and are rejected naming the offending path", async () => {
    const client = fastClient(server.url);
    const before = server.received.length;
    await fc.assert(
      fc.asyncProperty(invalidPatch, async ({ patch, expected }) => {
        const error = await failure(client.updateConnector(PATH, patch as never));
        expect(error.kind).toBe("invalid-request");
        if (error.kind !== "invalid-request") return;
        expect(error.attempts).toBe(0);
        expect(error.issues).toContainEqual(expect.objectContaining({ in: "body", path: expected }));
        expect(error.message).toContain(`body ${expected || "(the whole value)"}`);
      }),
      { numRuns: 300 },
    );
    expect(server.received).toHaveLength(before);
  });

  it("invalid path ids never reach the server either", async () => {
    const client = fastClient(server.url);
    const before = server.received.length;
    const badId = fc.oneof(fc.integer({ max: 0 }), fc.double({ noNaN: false }).filter((n) => !Number.isInteger(n)), fc.string().map((s) => s as unknown));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...UPDATE_CONNECTOR.pathParameters), badId, async (name, bad) => {
        const error = await failure(client.updateConnector({ ...PATH, [name]: bad } as never, { maxVoltage: 400 }));
        expect(error.kind === "invalid-request" && error.issues).toContainEqual(expect.objectContaining({ in: "path", path: `/${name}` }));
      }),
      { numRuns: 200 },
    );
    expect(server.received).toHaveLength(before);
  });
});
