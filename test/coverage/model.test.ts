// The coverage model is derived from the bundled contract: its items are the contract's statuses,
// request fields, values and rules, and the success body's values and shapes; recording a request
// or a response bumps exactly the items it exercised.
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
import { brokenRuleIds } from "../../src/coverage/recorder.js";
import { patchArbitraries } from "../../src/testing/arbitraries.js";

const fresh = () => createCoverageRecorder().coverage();
const idsOf = (c: ContractCoverage, kind: string) => c.items.filter((i) => i.kind === kind).map((i) => i.id);
const countOf = (c: ContractCoverage, id: string) => {
  const item = c.items.find((i) => i.id === id);
  if (!item) throw new Error(`no item ${id}`);
  return item.count;
};
const covered = (c: ContractCoverage) => c.items.filter((i) => i.covered).map((i) => i.id);

describe("the items, derived from the contract", () => {
  const c = fresh();

  it("are one per documented status, request field and value, request rule, and response value and shape", () => {
    expect(idsOf(c, "status")).toEqual(UPDATE_CONNECTOR.documentedStatuses.map((s) => `status:${s}`));
    const requestFields = Object.keys(contract.components.schemas.ConnectorUpdate.properties);
    expect(idsOf(c, "request-field")).toEqual(requestFields.map((f) => `request:${f}`));
    expect(idsOf(c, "request-value")).toEqual([
      ...CONNECTOR_UPDATE_STANDARDS.map((v) => `request:standard=${v}`),
      ...CONNECTOR_UPDATE_FORMATS.map((v) => `request:format=${v}`),
    ]);
    // The schema: an object, at least one field, closed; per field its type, enum or lower bound.
    expect(idsOf(c, "rule")).toEqual([
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
    ]);
    // The published seven standards, not the 42 OCPI values a response may carry.
    expect(idsOf(c, "response-value")).toEqual([
      ...EVSE_STATUSES.map((v) => `response:status=${v}`),
      ...CONNECTOR_UPDATE_STANDARDS.map((v) => `response:connectors/standard=${v}`),
      ...CONNECTOR_FORMATS.map((v) => `response:connectors/format=${v}`),
      ...POWER_TYPES.map((v) => `response:connectors/powerType=${v}`),
    ]);
    // The connector's optional fields; `null` only where the contract allows it (not tariffIds).
    expect(idsOf(c, "response-field")).toEqual([
      "response:connectors/maxElectricPower=present",
      "response:connectors/maxElectricPower=absent",
      "response:connectors/tariffIds=present",
      "response:connectors/tariffIds=absent",
      "response:connectors/error=null",
      "response:connectors/error=present",
      "response:connectors/error=absent",
      "response:connectors/deletedAt=null",
      "response:connectors/deletedAt=present",
      "response:connectors/deletedAt=absent",
    ]);
    expect(c.total).toBe(9 + 5 + 9 + 13 + 23 + 10);
    expect(c).toMatchObject({ covered: 0, percent: 0 });
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
    expect(countOf(c, "request:standard")).toBe(2);
    expect(countOf(c, "request:standard=CHADEMO")).toBe(2);
    expect(countOf(c, "request:format=CABLE")).toBe(1);
    expect(countOf(c, "request:maxVoltage")).toBe(1);
    expect(countOf(c, "rule:exclusiveMinimum /maxVoltage")).toBe(1);
    expect(countOf(c, "rule:additionalProperties /")).toBe(1);
    expect(countOf(c, "rule:minProperties /")).toBe(1);
    expect(countOf(c, "rule:type /")).toBe(1);
    expect(covered(c)).toHaveLength(9);
  });

  it("does not count a value off the published list, in a request or a response", () => {
    const recorder = createCoverageRecorder();
    recorder.request({ standard: "chademo" });
    const offList = CONNECTOR_STANDARDS.find((s) => !(CONNECTOR_UPDATE_STANDARDS as readonly string[]).includes(s))!;
    recorder.response(200, { uid: 1, evseId: "DK*1", chargeboxId: 2, status: "CHARGING", connectors: [{ id: 1, standard: offList }] });
    const c = recorder.coverage();
    expect(c.items.filter((i) => i.id.includes(offList) || i.id.includes("chademo"))).toEqual([]);
    expect(covered(c)).toEqual([
      "status:200",
      "request:standard",
      "rule:enum /standard",
      "response:status=CHARGING",
      "response:connectors/maxElectricPower=absent",
      "response:connectors/tariffIds=absent",
      "response:connectors/error=absent",
      "response:connectors/deletedAt=absent",
    ]);
  });

  it("files a status under its documented code, else its range: a 503 covers status:5XX", () => {
    const recorder = createCoverageRecorder();
    recorder.response(503, { error: { message: "down" } });
    recorder.response(500, undefined);
    recorder.response(429, {});
    recorder.response(418, {}); // not documented: no item to cover
    const c = recorder.coverage();
    expect(covered(c)).toEqual(["status:429", "status:5XX"]);
    expect(countOf(c, "status:5XX")).toBe(2);
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
    expect(countOf(c, "response:connectors/standard=CHADEMO")).toBe(1);
    // Both connectors carry an error (null or present); neither a null deletedAt.
    expect(uncoveredByKind(c)["response-field"]).toEqual(["response:connectors/error=absent", "response:connectors/deletedAt=null"]);
    expect(covered(c).filter((id) => id.startsWith("response:status"))).toEqual(["response:status=AVAILABLE"]);
    expect(covered(c).filter((id) => id.startsWith("status:"))).toEqual(["status:200", "status:400"]);
  });

  it("gives each caller a snapshot, and uncoveredByKind lists every kind", () => {
    const recorder = createCoverageRecorder();
    const before = recorder.coverage();
    recorder.response(200, {});
    expect(before.covered).toBe(0);
    const after = recorder.coverage();
    expect(after.covered).toBe(1);
    expect(after.percent).toBeCloseTo(100 / after.total, 10);
    const uncovered = uncoveredByKind(after);
    expect(Object.keys(uncovered)).toEqual(["status", "request-field", "request-value", "rule", "response-value", "response-field"]);
    expect(uncovered.status).not.toContain("status:200");
    expect(uncovered.status).toHaveLength(8);
  });
});
