// "Adding an operation to spec/ needs no generator change": a seventh-style operation (a POST with
// a body of its own, a query parameter and a 202 answer) added to a copy of spec/ comes out of
// generation with its types, its registry entry (facts included) and its validators, and nothing
// about it is spelt out in scripts/generate.mjs.
import { execFile } from "node:child_process";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = new URL("../../", import.meta.url).pathname;
const generate = (args: string[]) =>
  promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/generate.mjs", ...args], { cwd: root }).then(
    (r) => ({ code: 0, out: r.stdout + r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
  );

const LOCK = `parameters:
  - $ref: ../components/parameters/EvseUid.yaml
  - $ref: ../components/parameters/ConnectorId.yaml
post:
  operationId: lockConnector
  summary: Requests an EVSE to lock a connector.
  description: Physically engages the connector's lock (a test operation no page documents).
  x-provenance: documented-nearby
  x-idempotent: false
  x-effect: physical
  x-rate-limit-bucket: remote-control
  tags:
    - EVSEs
  parameters:
    - name: reason
      in: query
      required: false
      description: Why the lock is released.
      schema:
        type: string
        enum: [stuck-cable, service]
  requestBody:
    required: false
    description: Optional note for the charge point operator.
    content:
      application/json:
        schema:
          type: object
          additionalProperties: false
          properties:
            note:
              type: string
  responses:
    '202':
      description: The EVSE was asked to lock the connector.
      content:
        application/json:
          schema:
            type: object
            required: [status]
            properties:
              status:
                $ref: ../components/schemas/LockStatus.yaml
    '404':
      $ref: ../components/responses/NotFound.yaml
`;

// A response enum is open (the contract's enum policy, scripts/enum-tables.mjs): known values, any other string.
const LOCK_STATUS = `title: LockStatus
description: What the charge point answered (a test enum); open, like every response enum.
type: string
anyOf:
  - enum: [Locked, LockFailed, NotSupported]
  - type: string
`;

describe("an operation added to spec/", () => {
  let dir: string;
  let out: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "spirii-new-operation-"));
    await cp(join(root, "spec"), join(dir, "spec"), { recursive: true });
    await writeFile(join(dir, "spec/paths/v2_evses_{uid}_connectors_{connectorId}_lock.yaml"), LOCK);
    await writeFile(join(dir, "spec/components/schemas/LockStatus.yaml"), LOCK_STATUS);
    const entry = join(dir, "spec/openapi.yaml");
    const text = await readFile(entry, "utf8");
    await writeFile(
      entry,
      text.replace(/^paths:\n/m, "paths:\n  /v2/evses/{uid}/connectors/{connectorId}/lock:\n    $ref: paths/v2_evses_{uid}_connectors_{connectorId}_lock.yaml\n"),
    );
    out = join(dir, "generated");
    const { code, out: log } = await generate(["--spec", entry, "--dir", out]);
    expect(log).toContain("wrote");
    expect(code).toBe(0);
  }, 300_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("is generated with no change to the generator", async () => {
    const generator = await readFile(join(root, "scripts/generate.mjs"), "utf8");
    expect(generator).not.toMatch(/lockConnector|getEvse|"ConnectorUpdate"|"Evse"|"ApiError"/);
    // Named once, for the README's field tables of the patch (not for what is generated).
    expect(generator.match(/"updateConnector"/g)).toHaveLength(1);
    expect(generator).toMatch(/readmeFields[^\n]*\n[^\n]*"updateConnector"/);
  });

  it("has its types", async () => {
    const types = await readFile(join(out, "types.ts"), "utf8");
    expect(types).toContain('post: operations["lockConnector"];');
    expect(types).toMatch(/lockConnector: \{[\s\S]*?reason\?: "stuck-cable" \| "service";[\s\S]*?202: \{/);
  });

  it("is in the registry with its facts, beside the existing ones", async () => {
    const { OPERATIONS, LOCK_CONNECTOR, UPDATE_CONNECTOR } = await import(pathToFileURL(join(out, "operations.ts")).href);
    // First, as its path comes first in the copy; the contract's own operations follow in their order.
    const { OPERATIONS: CONTRACT_OPERATIONS } = await import("../../generated/operations.js");
    expect(Object.keys(OPERATIONS)).toEqual(["lockConnector", ...Object.keys(CONTRACT_OPERATIONS)]);
    expect(LOCK_CONNECTOR).toBe(OPERATIONS.lockConnector);
    expect(LOCK_CONNECTOR).toEqual({
      operationId: "lockConnector",
      method: "POST",
      path: "/v2/evses/{uid}/connectors/{connectorId}/lock",
      summary: "Requests an EVSE to lock a connector.",
      pathParameters: ["uid", "connectorId"],
      parameters: { path: [{ name: "uid", required: true }, { name: "connectorId", required: true }], query: [{ name: "reason", required: false }] },
      requestBody: { mediaType: "application/json", required: false },
      documentedStatuses: ["202", "404"],
      responses: { "202": { mediaType: "application/json", schema: null }, "404": { mediaType: "application/json", schema: "ApiError" } },
      idempotent: false,
      effect: "physical",
      rateLimitBucket: "remote-control",
      provenance: "documented-nearby",
    });
    // The alias of the first operation keeps its shape.
    expect(UPDATE_CONNECTOR).toMatchObject({ operationId: "updateConnector", method: "PATCH", pathParameters: ["uid", "connectorId"] });
    const values = await readFile(join(out, "values.ts"), "utf8");
    expect(values).toContain('export { OPERATIONS, LOCK_CONNECTOR, UPDATE_CONNECTOR, GET_EVSE, ');
    // Its response enum: the known values' constant and the open-enum table the client reads.
    expect(values).toContain('export const LOCK_STATUSES = ["Locked","LockFailed","NotSupported"] as const;');
    expect(values).toContain('"LockStatus": { known: LOCK_STATUSES },');
  });

  it("has validators for its path, query, body and each response", async () => {
    const { operationValidators: v, connectorPath } = await import(pathToFileURL(join(out, "validators.js")).href);
    const lock = v.lockConnector;
    expect(lock.path({ uid: 1, connectorId: 2 })).toBe(true);
    expect(lock.path({ uid: 0, connectorId: 2 })).toBe(false);
    expect(lock.query({ reason: "service" })).toBe(true);
    expect(lock.query({ reason: "bored" })).toBe(false);
    expect(lock.query({ reasons: "service" })).toBe(false);
    expect(lock.body({ note: "cable stuck" })).toBe(true);
    expect(lock.body({ notes: "x" })).toBe(false);
    expect(lock.responses["202"]({ status: "Locked" })).toBe(true);
    // The response enum is open: a status added later is valid; a number is not.
    expect(lock.responses["202"]({ status: "Open" })).toBe(true);
    expect(lock.responses["202"]({ status: 1 })).toBe(false);
    expect(lock.responses["404"]({ error: { message: "no" } })).toBe(true);
    // Its path has the PATCH's resource name: the short name stays the PATCH's.
    expect(connectorPath).toBe(v.updateConnector.path);
    const dts = await readFile(join(out, "validators.d.ts"), "utf8");
    expect(dts).toContain('readonly body: CompiledValidator<NonNullable<operations["lockConnector"]["requestBody"]>["content"]["application/json"]>,');
    expect(dts).toContain('readonly "202": CompiledValidator<operations["lockConnector"]["responses"]["202"]["content"]["application/json"]>,');
  });

  it("refuses an operation that does not state its facts, naming it", async () => {
    const file = join(dir, "spec/paths/v2_evses_{uid}_connectors_{connectorId}_lock.yaml");
    await writeFile(file, LOCK.replace("  x-idempotent: false\n", ""));
    const missing = await generate(["--spec", join(dir, "spec/openapi.yaml"), "--dir", join(dir, "other")]);
    expect(missing.code).not.toBe(0);
    expect(missing.out).toContain("lockConnector (POST /v2/evses/{uid}/connectors/{connectorId}/lock) must state x-idempotent");
    await writeFile(file, LOCK.replace("x-effect: physical", "x-effect: harmless"));
    const unknown = await generate(["--spec", join(dir, "spec/openapi.yaml"), "--dir", join(dir, "other")]);
    expect(unknown.code).not.toBe(0);
    expect(unknown.out).toContain('lockConnector (POST /v2/evses/{uid}/connectors/{connectorId}/lock) must state x-effect: one of read-only, restorable, physical, destructive (got "harmless")');
    await writeFile(file, LOCK.replace("x-rate-limit-bucket: remote-control", "x-rate-limit-bucket: commands"));
    const bucket = await generate(["--spec", join(dir, "spec/openapi.yaml"), "--dir", join(dir, "other")]);
    expect(bucket.code).not.toBe(0);
    expect(bucket.out).toContain(`lockConnector (POST /v2/evses/{uid}/connectors/{connectorId}/lock) must state x-rate-limit-bucket: one of spec/openapi.yaml's x-rate-limit-buckets (read, write, remote-control), got "commands"`);
  }, 300_000);
});
