// The EVSE v2 family (evse-v2-family.md) in the contract: what each operation takes and answers, as
// the generated validators (what consumers run) judge it, and the facts the registry states.
import { describe, expect, it } from "vitest";
import { OPERATIONS } from "../../generated/operations.js";
import { operationValidators } from "../../generated/validators.js";
import { CONTRACT, deref } from "./contract.js";

const v = operationValidators;
const FAMILY = ["listEvses", "getEvse", "updateConnector", "changeConnectorAvailability", "unlockConnector", "remoteStopTransaction"] as const;
const operationOf = (id: (typeof FAMILY)[number]) => CONTRACT.paths[OPERATIONS[id].path][OPERATIONS[id].method.toLowerCase()];

describe("the family's facts", () => {
  it("holds the six operations of the family sheet", () => {
    expect(Object.keys(OPERATIONS).sort()).toEqual([...FAMILY].sort());
  });

  it.each([
    ["listEvses", true, "read-only", "read"],
    ["getEvse", true, "read-only", "read"],
    ["updateConnector", true, "restorable", "write"],
    ["changeConnectorAvailability", true, "restorable", "remote-control"],
    ["unlockConnector", false, "physical", "remote-control"],
    ["remoteStopTransaction", false, "destructive", "remote-control"],
  ] as const)("%s: idempotent %s, effect %s, rate-limit bucket %s", (id, idempotent, effect, bucket) => {
    expect(OPERATIONS[id]).toMatchObject({ idempotent, effect });
    expect(operationOf(id)["x-rate-limit-bucket"]).toBe(bucket);
    expect(CONTRACT["x-rate-limit-buckets"][bucket].requestsPerMinute).toBeGreaterThan(0);
  });

  it("explains every disagreement it resolves, where a reader of the operation sees it", () => {
    const prose = (text: string) => text.replace(/\s+/g, " ");
    for (const id of ["listEvses", "changeConnectorAvailability", "unlockConnector", "remoteStopTransaction"] as const) {
      expect(prose(operationOf(id).description), id).toContain("developer.spirii.com states one limit of 120 a minute");
      expect(operationOf(id)["x-provenance"], id).toBe("documented-nearby");
    }
    expect(prose(operationOf("listEvses").description)).toContain("pagination.next_cursor");
    expect(prose(CONTRACT.components.schemas.EvsePage.description)).toContain("absent, `null` or the empty string");
    expect(prose(operationOf("unlockConnector").description)).toContain("pairs `Unlocked` with an error");
  });

  it("the 200 of every operation carries the rate-limit headers", () => {
    for (const id of FAMILY) {
      expect(Object.keys(deref(operationOf(id).responses["200"]).headers ?? {}), id).toEqual(["X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"]);
    }
  });
});

describe("listEvses", () => {
  it("takes limit 1..100, cursors and integer uid and charge-box filters", () => {
    expect(v.listEvses.query!({})).toBe(true);
    expect(v.listEvses.query!({ limit: 1, uids: [123, 456], chargeboxIds: [1], nextPageCursor: "My0xMDAw" })).toBe(true);
    expect(v.listEvses.query!({ limit: 100, previousPageCursor: "My0xMDAw" })).toBe(true);
  });

  it.each([
    [{ limit: 0 }, "/limit"],
    [{ limit: 101 }, "/limit"],
    [{ limit: 2.5 }, "/limit"],
    [{ uids: ["123"] }, "/uids/0"],
    [{ chargeboxIds: [0] }, "/chargeboxIds/0"],
    [{ cursor: "x" }, ""],
  ])("refuses %j at %s", (query, pointer) => {
    expect(v.listEvses.query!(query)).toBe(false);
    expect(v.listEvses.query!.errors!.map((e) => e.instancePath)).toContain(pointer);
  });

  it("states the default limit and the query serialisation it infers", () => {
    const params = (operationOf("listEvses").parameters as unknown[]).map((p) => deref<any>(p));
    expect(params.find((p) => p.name === "limit").schema).toMatchObject({ minimum: 1, maximum: 100, default: 25 });
    for (const name of ["uids", "chargeboxIds"]) {
      expect(params.find((p) => p.name === name)).toMatchObject({ style: "form", explode: true, "x-serialization-provenance": "inferred" });
    }
  });

  it("answers pages whose cursors may be absent, null or empty, and stay open to added fields", () => {
    const page = v.listEvses.responses["200"]!;
    expect(page({ data: [] })).toBe(true);
    expect(page({ data: [], nextPageCursor: null, previousPageCursor: "" })).toBe(true);
    expect(page({ data: [], nextPageCursor: "abc", total: 3 })).toBe(true);
    expect(page({ nextPageCursor: "abc" })).toBe(false);
  });
});

describe("the commands", () => {
  it("changeConnectorAvailability: the body is type Inoperative or Operative, closed", () => {
    expect(v.changeConnectorAvailability.body!({ type: "Inoperative" })).toBe(true);
    expect(v.changeConnectorAvailability.body!({ type: "Operative" })).toBe(true);
    expect(v.changeConnectorAvailability.body!({ type: "INOPERATIVE" })).toBe(false);
    expect(v.changeConnectorAvailability.body!({})).toBe(false);
    expect(v.changeConnectorAvailability.body!({ type: "Operative", when: "now" })).toBe(false);
  });

  it("changeConnectorAvailability: answers status (open) and description, both required", () => {
    const result = v.changeConnectorAvailability.responses["200"]!;
    for (const status of ["Accepted", "Rejected", "Scheduled", "Postponed"]) expect(result({ status, description: "x" }), status).toBe(true);
    expect(result({ status: "Accepted" })).toBe(false);
  });

  it("unlockConnector: takes no body; Unlocked with an error is allowed, as on the page", () => {
    expect(OPERATIONS.unlockConnector.requestBody).toBeNull();
    const result = v.unlockConnector.responses["200"]!;
    expect(result({ status: "Unlocked", error: { message: "Charge box is not connected" } })).toBe(true);
    expect(result({ status: "UnlockFailed", error: { message: "Charge box is not connected" } })).toBe(true);
    expect(result({ status: "NotSupported" })).toBe(true);
    expect(result({ status: "NotSupported", error: null })).toBe(true);
    expect(result({ status: "SomethingNew" })).toBe(true);
    expect(result({ status: "UnlockFailed", error: {} })).toBe(false);
    expect(result({ error: { message: "x" } })).toBe(false);
  });

  it("remoteStopTransaction: transactionId, a whole number, is required; the answer is Accepted or Rejected (open)", () => {
    const body = v.remoteStopTransaction.body!;
    expect(body({ transactionId: 1 })).toBe(true);
    expect(body({})).toBe(false);
    expect(body.errors!.map((e) => e.params)).toContainEqual({ missingProperty: "transactionId" });
    expect(body({ transactionId: "1" })).toBe(false);
    expect(body({ transactionId: 1.5 })).toBe(false);
    const result = v.remoteStopTransaction.responses["200"]!;
    expect(result({ status: "Rejected" })).toBe(true);
    expect(result({ status: "Later" })).toBe(true);
    expect(result({})).toBe(false);
  });
});
