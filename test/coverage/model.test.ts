// The coverage model is derived per operation from the bundled contract: each operation's items
// are its statuses, request fields, values and rules, and its success bodies' values and shapes,
// each id naming the operation; recording an exchange bumps exactly the items it exercised.
import * as fc from "fast-check";
import { describe, expect, it } from "vitest";
import contract from "../../generated/openapi.json" with { type: "json" };
import {
  CONNECTOR_FORMATS,
  CONNECTOR_UPDATE_FORMATS,
  CONNECTOR_STANDARDS,
  CONNECTOR_UPDATE_STANDARDS,
  EVSE_STATUSES,
  POWER_TYPES,
  UPDATE_CONNECTOR,
} from "../../src/contract.js";
import { createCoverageRecorder, ruleIdOfBrokenRule, uncoveredByKind, type ContractCoverage } from "../../src/coverage/index.js";
import { CONTRACT_ITEMS } from "../../src/coverage/items.js";
import { brokenRuleIds } from "../../src/coverage/recorder.js";
import { patchArbitraries } from "../../src/testing/arbitraries.js";

const OP = UPDATE_CONNECTOR.operationId;
/** An item id of updateConnector: every item carries its operation's id. */
const U = (local: string) => `${OP} ${local}`;
const fresh = () => createCoverageRecorder().coverage();
const idsOf = (c: ContractCoverage, kind: string, operation: string = OP) => c.items.filter((i) => i.kind === kind && i.operation === operation).map((i) => i.id);
const countOf = (c: ContractCoverage, id: string) => {
  const item = c.items.find((i) => i.id === id);
  if (!item) throw new Error(`no item ${id}`);
  return item.count;
};
const covered = (c: ContractCoverage) => c.items.filter((i) => i.covered).map((i) => i.id);

/** Every operation of the bundled contract, read from the document itself. */
const documentOperations = Object.entries(contract.paths as Record<string, Record<string, { operationId?: string; responses?: object }>>).flatMap(([path, item]) =>
  Object.entries(item)
    .filter(([, node]) => typeof node === "object" && node !== null && "responses" in node)
    .map(([method, node]) => ({ operationId: node.operationId!, method: method.toUpperCase(), path, statuses: Object.keys(node.responses!) })),
);

describe("the items, derived from the contract per operation", () => {
  const c = fresh();

  it("cover every operation of the contract, in its order, and every id starts with its operation", () => {
    expect(c.operations.map((o) => ({ operationId: o.operation, method: o.method, path: o.path }))).toEqual(
      documentOperations.map(({ operationId, method, path }) => ({ operationId, method, path })),
    );
    for (const { operationId, statuses } of documentOperations) {
      expect(idsOf(c, "status", operationId)).toEqual(statuses.map((s) => `${operationId} status:${s}`));
    }
    for (const item of c.items) expect(item.id.startsWith(`${item.operation} `), item.id).toBe(true);
    expect(new Set(c.items.map((i) => i.id)).size).toBe(c.items.length);
    // Operation by operation, and within one, kind by kind.
    const order = c.items.map((i) => `${i.operation}`);
    expect(order).toEqual([...order].sort((a, b) => documentOperations.findIndex((o) => o.operationId === a) - documentOperations.findIndex((o) => o.operationId === b)));
    expect(c.operations.reduce((n, o) => n + o.total, 0)).toBe(c.total);
  });

  it("of updateConnector are one per documented status, request field and value, request rule, and response value and shape", () => {
    expect(idsOf(c, "status")).toEqual(UPDATE_CONNECTOR.documentedStatuses.map((s) => U(`status:${s}`)));
    const requestFields = Object.keys(contract.components.schemas.ConnectorUpdate.properties);
    expect(idsOf(c, "request-field")).toEqual(requestFields.map((f) => U(`request:${f}`)));
    expect(idsOf(c, "request-value")).toEqual([
      ...CONNECTOR_UPDATE_STANDARDS.map((v) => U(`request:standard=${v}`)),
      ...CONNECTOR_UPDATE_FORMATS.map((v) => U(`request:format=${v}`)),
    ]);
    // The schema: an object, at least one field, closed; per field its type, enum or lower bound.
    expect(idsOf(c, "rule")).toEqual(
      [
        "rule:type /",
        "rule:minProperties /",
        "rule:additionalProperties /",
        "rule:type /standard",
        "rule:enum /standard",
        "rule:type /format",
        "rule:enum /format",
        "rule:type /maxElectricPower",
        "rule:exclusiveMinimum /maxElectricPower",
        "rule:type /maxAmperage",
        "rule:exclusiveMinimum /maxAmperage",
        "rule:type /maxVoltage",
        "rule:exclusiveMinimum /maxVoltage",
      ].map(U),
    );
    // The published seven standards, not the 42 OCPI values a response may carry; per success status.
    expect(idsOf(c, "response-value")).toEqual([
      ...EVSE_STATUSES.map((v) => U(`response:200 status=${v}`)),
      ...CONNECTOR_UPDATE_STANDARDS.map((v) => U(`response:200 connectors/standard=${v}`)),
      ...CONNECTOR_FORMATS.map((v) => U(`response:200 connectors/format=${v}`)),
      ...POWER_TYPES.map((v) => U(`response:200 connectors/powerType=${v}`)),
    ]);
    // The connector's optional fields; `null` only where the contract allows it (not tariffIds).
    expect(idsOf(c, "response-field")).toEqual(
      [
        "maxElectricPower=present",
        "maxElectricPower=absent",
        "tariffIds=present",
        "tariffIds=absent",
        "error=null",
        "error=present",
        "error=absent",
        "deletedAt=null",
        "deletedAt=present",
        "deletedAt=absent",
      ].map((shape) => U(`response:200 connectors/${shape}`)),
    );
    const own = c.operations.find((o) => o.operation === OP)!;
    expect(own).toMatchObject({ method: UPDATE_CONNECTOR.method, path: UPDATE_CONNECTOR.path, total: 9 + 5 + 9 + 13 + 23 + 10, covered: 0, percent: 0 });
    expect(c).toMatchObject({ formatVersion: 2, covered: 0, percent: 0, outsideContract: { count: 0, requests: [] } });
    expect(c.items.every((i) => !i.covered && i.count === 0)).toBe(true);
  });

  it("include every rule an invalid arbitrary patch claims to break, and the validator agrees with the claim", async () => {
    const { invalid } = await patchArbitraries();
    const ruleIds = new Set(idsOf(c, "rule"));
    const claimed = new Set<string>();
    for (const patch of fc.sample(invalid, { seed: 41, numRuns: 400 })) {
      const id = ruleIdOfBrokenRule(patch.breaks);
      expect(ruleIds, `${patch.description} claims ${id}`).toContain(id);
      expect(brokenRuleIds(patch.body), patch.description).toContain(id);
      claimed.add(id);
    }
    // And the arbitraries probe every rule item: none is unreachable by construction.
    expect([...claimed].sort()).toEqual([...ruleIds].sort());
  });
});

describe("recording", () => {
  it("counts the fields and enum values a request sent, valid or not, and the rules an invalid one broke", () => {
    const recorder = createCoverageRecorder();
    recorder.request({ standard: "CHADEMO", format: "CABLE" });
    recorder.request({ standard: "CHADEMO", maxVoltage: -1, max_voltage: 400 });
    recorder.request({});
    recorder.request(null);
    const c = recorder.coverage();
    expect(countOf(c, U("request:standard"))).toBe(2);
    expect(countOf(c, U("request:standard=CHADEMO"))).toBe(2);
    expect(countOf(c, U("request:format=CABLE"))).toBe(1);
    expect(countOf(c, U("request:maxVoltage"))).toBe(1);
    expect(countOf(c, U("rule:exclusiveMinimum /maxVoltage"))).toBe(1);
    expect(countOf(c, U("rule:additionalProperties /"))).toBe(1);
    expect(countOf(c, U("rule:minProperties /"))).toBe(1);
    expect(countOf(c, U("rule:type /"))).toBe(1);
    expect(covered(c)).toHaveLength(9);
  });

  it("does not count a value off the published list, in a request or a response", () => {
    const recorder = createCoverageRecorder();
    recorder.request({ standard: "chademo" });
    const offList = CONNECTOR_STANDARDS.find((s) => !(CONNECTOR_UPDATE_STANDARDS as readonly string[]).includes(s))!;
    recorder.response(200, { uid: 1, evseId: "DK*1", chargeboxId: 2, status: "CHARGING", connectors: [{ id: 1, standard: offList }] });
    const c = recorder.coverage();
    expect(c.items.filter((i) => i.id.includes(offList) || i.id.includes("chademo"))).toEqual([]);
    expect(covered(c)).toEqual(
      [
        "status:200",
        "request:standard",
        "rule:enum /standard",
        "response:200 status=CHARGING",
        "response:200 connectors/maxElectricPower=absent",
        "response:200 connectors/tariffIds=absent",
        "response:200 connectors/error=absent",
        "response:200 connectors/deletedAt=absent",
      ].map(U),
    );
  });

  it("files a status under its documented code, else its range: a 503 covers status:5XX", () => {
    const recorder = createCoverageRecorder();
    recorder.response(503, { error: { message: "down" } });
    recorder.response(500, undefined);
    recorder.response(429, {});
    recorder.response(418, {}); // not documented: no item to cover
    const c = recorder.coverage();
    expect(covered(c)).toEqual([U("status:429"), U("status:5XX")]);
    expect(countOf(c, U("status:5XX"))).toBe(2);
  });

  it("reads a 200 body's values and optional-field shapes, once per response however many connectors show them", () => {
    const recorder = createCoverageRecorder();
    recorder.response(200, {
      uid: 1,
      evseId: "DK*1",
      chargeboxId: 2,
      status: "AVAILABLE",
      connectors: [
        { id: 1, standard: "CHADEMO", format: "CABLE", powerType: "DC", error: null, deletedAt: "2025-01-27 09:38:41", tariffIds: [] },
        { id: 2, standard: "CHADEMO", format: "CABLE", powerType: "DC", error: { errorCode: "NoError" }, maxElectricPower: 50 },
      ],
    });
    recorder.response(400, { uid: 1, status: "BLOCKED", connectors: [] }); // not a success: only its status
    const c = recorder.coverage();
    expect(countOf(c, U("response:200 connectors/standard=CHADEMO"))).toBe(1);
    // Both connectors carry an error (null or present); neither a null deletedAt.
    expect(uncoveredByKind(c)["response-field"].filter((id) => id.startsWith(`${OP} `))).toEqual([
      U("response:200 connectors/error=absent"),
      U("response:200 connectors/deletedAt=null"),
    ]);
    expect(covered(c).filter((id) => id.startsWith(U("response:200 status")))).toEqual([U("response:200 status=AVAILABLE")]);
    expect(covered(c).filter((id) => id.includes(" status:"))).toEqual([U("status:200"), U("status:400")]);
  });

  it("gives each caller a snapshot with per-operation totals, and uncoveredByKind lists every kind", () => {
    const recorder = createCoverageRecorder();
    const before = recorder.coverage();
    recorder.response(200, {});
    expect(before.covered).toBe(0);
    const after = recorder.coverage();
    expect(after.covered).toBe(1);
    expect(after.percent).toBeCloseTo(100 / after.total, 10);
    const own = after.operations.find((o) => o.operation === OP)!;
    expect(own.covered).toBe(1);
    expect(own.percent).toBeCloseTo(100 / own.total, 10);
    for (const other of after.operations.filter((o) => o.operation !== OP)) expect(other.covered).toBe(0);
    const uncovered = uncoveredByKind(after);
    expect(Object.keys(uncovered)).toEqual(["status", "request-field", "request-value", "rule", "response-value", "response-field"]);
    expect(uncovered.status).not.toContain(U("status:200"));
    expect(uncovered.status.filter((id) => id.startsWith(`${OP} `))).toHaveLength(8);
  });
});

describe("attributing an exchange to its operation", () => {
  it("by method and concrete path, as the contract's path templates match; the query is ignored", () => {
    const recorder = createCoverageRecorder();
    expect(recorder.record({ method: "patch", path: "/v2/evses/7/connectors/2?dryRun=1", requestBody: { format: "CABLE" }, status: 429 })).toBe(OP);
    const c = recorder.coverage();
    expect(covered(c)).toEqual([U("status:429"), U("request:format"), U("request:format=CABLE")]);
    expect(c.outsideContract).toEqual({ count: 0, requests: [] });
  });

  it("counts a request for no operation as outside the contract, filed under none", () => {
    const recorder = createCoverageRecorder();
    expect(recorder.record({ method: "PATCH", path: "/v2/evses/7/connectors", requestBody: { format: "CABLE" }, status: 404 })).toBeUndefined();
    expect(recorder.record({ method: "DELETE", path: UPDATE_CONNECTOR.path.replace(/\{\w+\}/g, "1"), status: 405 })).toBeUndefined();
    recorder.request({ format: "CABLE" }, { method: "PATCH", path: "/v3/elsewhere?x=1" });
    recorder.response(404, {}, { method: "PATCH", path: "/v3/elsewhere?x=1" }); // the same exchange: counted once
    recorder.request({ format: "CABLE" }, { method: "PATCH", path: "/v3/elsewhere" });
    const c = recorder.coverage();
    expect(c.covered).toBe(0);
    expect(c.outsideContract).toEqual({
      count: 4,
      requests: [
        { method: "PATCH", path: "/v2/evses/7/connectors", count: 1 },
        { method: "DELETE", path: "/v2/evses/1/connectors/1", count: 1 },
        { method: "PATCH", path: "/v3/elsewhere", count: 2 },
      ],
    });
  });

  it("keeps the list of outside requests short, and their count exact", () => {
    const recorder = createCoverageRecorder();
    for (let i = 0; i < 50; i++) recorder.record({ method: "GET", path: `/nowhere/${i}` });
    const { outsideContract } = recorder.coverage();
    expect(outsideContract.count).toBe(50);
    expect(outsideContract.requests).toHaveLength(20);
  });

  it("refuses an operation the contract does not have, or an exchange that names none", () => {
    const recorder = createCoverageRecorder();
    expect(() => recorder.record({ operation: "deleteEverything", status: 200 })).toThrow(/no operation "deleteEverything"; its operations are updateConnector/);
    expect(() => recorder.record({ status: 200 })).toThrow(/names no operation/);
    expect(() => recorder.request({}, "updateconnector")).toThrow(TypeError);
  });

  it("files every operation's status under its own items", () => {
    const recorder = createCoverageRecorder();
    for (const operation of CONTRACT_ITEMS.operations) {
      const concrete = operation.path.replace(/\{\w+\}/g, "1");
      expect(recorder.record({ method: operation.method, path: concrete, status: 200 })).toBe(operation.operationId);
    }
    expect(covered(recorder.coverage())).toEqual(
      CONTRACT_ITEMS.operations.filter((o) => o.statusKeys.includes("200")).map((o) => `${o.operationId} status:200`),
    );
  });
});
