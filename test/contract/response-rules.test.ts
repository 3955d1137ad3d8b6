// The response side is liberal where nothing was published (contract-facts.md's edge cases are
// accepted) and strict where the page is: each invalid row names the pointer and rule it breaks.
import { describe, expect, it } from "vitest";
import { CONNECTOR_STANDARDS, EVSE_STATUSES, POWER_TYPES, unlistedEnumValues, validateApiError, validateEvse } from "../../src/index.js";
import type { Evse } from "../../src/index.js";
import { PAGE_RESPONSE } from "../fixtures/reference-page.js";

const page = () => structuredClone(PAGE_RESPONSE) as Evse & Record<string, any>;
const withEvse = (change: (evse: any) => void) => {
  const evse = page();
  change(evse);
  return evse;
};
const withConnector = (change: (connector: any) => void) => withEvse((evse) => change(evse.connectors[0]));

type Row = [why: string, body: unknown, path: string, keyword: string];

const INVALID_RESPONSES: Row[] = [
  ["no uid", withEvse((e) => delete e.uid), "/uid", "required"],
  ["no evseId", withEvse((e) => delete e.evseId), "/evseId", "required"],
  ["no chargeboxId", withEvse((e) => delete e.chargeboxId), "/chargeboxId", "required"],
  ["no status", withEvse((e) => delete e.status), "/status", "required"],
  ["no connectors", withEvse((e) => delete e.connectors), "/connectors", "required"],
  ["a status that is not a string", withEvse((e) => (e.status = 3)), "/status", "type"],
  ["uid as a string", withEvse((e) => (e.uid = "123456")), "/uid", "type"],
  ["evseId null", withEvse((e) => (e.evseId = null)), "/evseId", "type"],
  ["connectors as an object", withEvse((e) => (e.connectors = {})), "/connectors", "type"],
  ["a connector without powerType", withConnector((c) => delete c.powerType), "/connectors/0/powerType", "required"],
  ["a connector standard as null", withConnector((c) => (c.standard = null)), "/connectors/0/standard", "type"],
  ["a connector format as a number", withConnector((c) => (c.format = 1)), "/connectors/0/format", "type"],
  ["a powerType as a list", withConnector((c) => (c.powerType = ["AC"])), "/connectors/0/powerType", "type"],
  ["an errorCode as a number", withConnector((c) => (c.error = { errorCode: 0 })), "/connectors/0/error/errorCode", "type"],
  ["maxVoltage as a string", withConnector((c) => (c.maxVoltage = "400")), "/connectors/0/maxVoltage", "type"],
  ["tariffIds as a string", withConnector((c) => (c.tariffIds = "58652fe8")), "/connectors/0/tariffIds", "type"],
  ["an error without errorCode", withConnector((c) => (c.error = { info: "x" })), "/connectors/0/error/errorCode", "required"],
  ["deletedAt as a number", withConnector((c) => (c.deletedAt = 1737970721)), "/connectors/0/deletedAt", "type"],
];

describe("invalid responses are rejected with the reason", () => {
  it("the table is large enough to mean something", () => expect(INVALID_RESPONSES.length).toBeGreaterThanOrEqual(10));

  it.each(INVALID_RESPONSES)("%s", (_why, body, path, keyword) => {
    const result = validateEvse(body);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues).toContainEqual(expect.objectContaining({ path, keyword }));
  });
});

describe("issue messages say what was there", () => {
  it("names the value received", () => {
    const result = validateEvse(withEvse((e) => (e.status = 3)));
    const messages = result.ok ? [] : result.issues.map((i) => `${i.path} ${i.message}`);
    expect(messages).toContain("/status must be of type string, got 3");
  });
});

describe("response enums are open (Spirii's versioning policy: new values are non-breaking)", () => {
  const NEW_VALUES: [string, unknown, string][] = [
    ["a status added later", withEvse((e) => (e.status = "PARKED")), "/status"],
    ["a connector standard added later", withConnector((c) => (c.standard = "CCS3")), "/connectors/0/standard"],
    ["a connector format added later", withConnector((c) => (c.format = "PANTOGRAPH")), "/connectors/0/format"],
    ["a powerType added later", withConnector((c) => (c.powerType = "AC_4_PHASE")), "/connectors/0/powerType"],
    ["an errorCode OCPP 1.6 does not list", withConnector((c) => (c.error = { errorCode: "VendorSpecificFault" })), "/connectors/0/error/errorCode"],
  ];
  it.each(NEW_VALUES)("%s is valid, and found as an unknown value", (_why, body, path) => {
    expect(validateEvse(body)).toMatchObject({ ok: true });
    expect(unlistedEnumValues(body, "Evse")).toEqual([expect.objectContaining({ path, kind: "unknown" })]);
  });

  const LOOK_ALIKES: [string, unknown, string, string][] = [
    ["an OCPP status where the OCPI one belongs", withEvse((e) => (e.status = "Charging")), "/status", "ocpp-status"],
    ["a status in another casing", withEvse((e) => (e.status = "charging")), "/status", "other-casing"],
    ["a standard in another casing", withConnector((c) => (c.standard = "Chademo")), "/connectors/0/standard", "other-casing"],
  ];
  it.each(LOOK_ALIKES)("%s is a violation of the contract (the JSON Schema alone would accept it)", (_why, body, path, kind) => {
    expect(unlistedEnumValues(body, "Evse")).toEqual([expect.objectContaining({ path, kind })]);
    const result = validateEvse(body);
    expect(result.ok ? [] : result.issues).toEqual([expect.objectContaining({ path, keyword: "enum", message: expect.stringMatching(/must be one of .*, got "/) })]);
  });

  it.each(EVSE_STATUSES.map((s) => [s]))("status %s is known", (status) => {
    expect(unlistedEnumValues(withEvse((e) => (e.status = status)), "Evse")).toEqual([]);
  });
});

describe("edge cases from contract-facts.md are accepted", () => {
  const ACCEPTED: [string, unknown][] = [
    ["error: null on a healthy connector", withConnector((c) => (c.error = null))],
    ["no error at all", withConnector((c) => delete c.error)],
    ["deletedAt absent on a live connector", withConnector((c) => delete c.deletedAt)],
    ["deletedAt null", withConnector((c) => (c.deletedAt = null))],
    ["deletedAt in the page's format (not RFC 3339)", withConnector((c) => (c.deletedAt = "2025-01-27 09:38:41"))],
    ["no tariffIds", withConnector((c) => delete c.tariffIds)],
    ["no maxElectricPower", withConnector((c) => delete c.maxElectricPower)],
    ["error without info and vendorErrorCode", withConnector((c) => (c.error = { errorCode: "NoError" }))],
    ["error with null info and vendorErrorCode", withConnector((c) => (c.error = { errorCode: "NoError", info: null, vendorErrorCode: null }))],
    ["an added EVSE field", withEvse((e) => (e.floorLevel = "-1"))],
    ["an added connector field", withConnector((c) => (c.termsAndConditions = "https://example.com/t"))],
    ["an added error field", withConnector((c) => (c.error.timestamp = "2025-01-27 09:38:41"))],
    ["an EVSE id after eMI3", withEvse((e) => (e.evseId = "DK*SPI*E123*1"))],
    ["an EVSE id with dots", withEvse((e) => (e.evseId = "DK.SPI.Z203*2"))],
    ["no connectors in the list", withEvse((e) => (e.connectors = []))],
    ["zero limits (the response side is not the request side)", withConnector((c) => (c.maxAmperage = 0))],
  ];
  it.each(ACCEPTED)("%s", (_why, body) => {
    const result = validateEvse(body);
    expect(result.ok ? [] : result.issues).toEqual([]);
  });

  it.each(CONNECTOR_STANDARDS.map((s) => [s]))("OCPI standard %s in a response", (standard) => {
    expect(validateEvse(withConnector((c) => (c.standard = standard))).ok).toBe(true);
  });

  it.each(POWER_TYPES.map((p) => [p]))("powerType %s", (powerType) => {
    expect(validateEvse(withConnector((c) => (c.powerType = powerType))).ok).toBe(true);
  });
});

describe("the error envelope", () => {
  it("needs only error.message, and stays open", () => {
    expect(validateApiError({ error: { message: "nope", extra: 1 }, more: true }).ok).toBe(true);
  });
  it("rejects a body without error.message", () => {
    const result = validateApiError({ error: { code: "x" } });
    expect(result.ok ? [] : result.issues).toContainEqual(expect.objectContaining({ path: "/error/message", keyword: "required" }));
  });
  it("rejects a problem+json body (another shape)", () => {
    expect(validateApiError({ type: "about:blank", title: "Bad", status: 400 }).ok).toBe(false);
  });
});
