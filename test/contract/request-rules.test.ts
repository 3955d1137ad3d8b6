// The request side is strict: each row is a patch (or path) a client must not send, with the
// JSON pointer and rule the contract rejects it by.
import { describe, expect, it } from "vitest";
import { CONNECTOR_UPDATE_FORMATS, CONNECTOR_UPDATE_STANDARDS, validateConnectorPath, validateConnectorUpdate } from "../../src/index.js";

type Row = [why: string, patch: unknown, path: string, keyword: string];

const INVALID_PATCHES: Row[] = [
  ["an empty patch changes nothing", {}, "", "minProperties"],
  ["a misspelt field is rejected, not ignored", { maxPower: 22 }, "/maxPower", "additionalProperties"],
  ["a snake_case OCPI field name", { max_electric_power: 22 }, "/max_electric_power", "additionalProperties"],
  ["a response-only field", { powerType: "DC" }, "/powerType", "additionalProperties"],
  ["an OCPI standard the API does not accept in requests", { standard: "TESLA_S" }, "/standard", "enum"],
  ["a standard in lower case", { standard: "chademo" }, "/standard", "enum"],
  ["an unknown standard", { standard: "CCS" }, "/standard", "enum"],
  ["a null standard", { standard: null }, "/standard", "type"],
  ["an unknown format", { format: "PLUG" }, "/format", "enum"],
  ["a format in lower case", { format: "socket" }, "/format", "enum"],
  ["zero power", { maxElectricPower: 0 }, "/maxElectricPower", "exclusiveMinimum"],
  ["negative power", { maxElectricPower: -22 }, "/maxElectricPower", "exclusiveMinimum"],
  ["power as a string number", { maxElectricPower: "22" }, "/maxElectricPower", "type"],
  ["zero amperage", { maxAmperage: 0 }, "/maxAmperage", "exclusiveMinimum"],
  ["amperage as a boolean", { maxAmperage: true }, "/maxAmperage", "type"],
  ["negative voltage", { maxVoltage: -400 }, "/maxVoltage", "exclusiveMinimum"],
  ["voltage null", { maxVoltage: null }, "/maxVoltage", "type"],
  ["voltage as an object", { maxVoltage: { value: 400 } }, "/maxVoltage", "type"],
  ["the body is an array", [{ maxVoltage: 400 }], "", "type"],
  ["the body is a string", "maxVoltage=400", "", "type"],
  ["the body is null", null, "", "type"],
  ["a valid field next to an unknown one", { maxVoltage: 400, tariffIds: ["x"] }, "/tariffIds", "additionalProperties"],
];

const INVALID_PATHS: Row[] = [
  ["uid zero", { uid: 0, connectorId: 1 }, "/uid", "minimum"],
  ["a fractional connectorId", { uid: 1, connectorId: 1.5 }, "/connectorId", "type"],
  ["a string uid", { uid: "123456", connectorId: 1 }, "/uid", "type"],
  ["a missing connectorId", { uid: 1 }, "/connectorId", "required"],
  ["a negative connectorId", { uid: 1, connectorId: -1 }, "/connectorId", "minimum"],
];

describe("invalid requests are rejected with the reason", () => {
  it("the table is large enough to mean something", () => {
    expect(INVALID_PATCHES.length + INVALID_PATHS.length).toBeGreaterThanOrEqual(20);
  });

  it.each(INVALID_PATCHES)("patch: %s", (_why, patch, path, keyword) => {
    const result = validateConnectorUpdate(patch);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues).toContainEqual(expect.objectContaining({ path, keyword }));
  });

  it.each(INVALID_PATHS)("path: %s", (_why, ids, path, keyword) => {
    const result = validateConnectorPath(ids);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues).toContainEqual(expect.objectContaining({ path, keyword }));
  });

  it("lists every problem of a patch, not only the first", () => {
    const result = validateConnectorUpdate({ standard: "X", format: "Y", maxVoltage: 0, extra: 1 });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((i) => i.path).sort()).toEqual(["/extra", "/format", "/maxVoltage", "/standard"]);
  });

  it("names the allowed values in the message", () => {
    const result = validateConnectorUpdate({ standard: "TESLA_S" });
    expect(result.ok ? "" : result.issues[0]!.message).toContain(CONNECTOR_UPDATE_STANDARDS.map((s) => JSON.stringify(s)).join(", "));
  });
});

describe("valid requests are accepted", () => {
  it.each(CONNECTOR_UPDATE_STANDARDS.map((standard) => [standard]))("standard %s", (standard) => {
    expect(validateConnectorUpdate({ standard }).ok).toBe(true);
  });
  it.each(CONNECTOR_UPDATE_FORMATS.map((format) => [format]))("format %s", (format) => {
    expect(validateConnectorUpdate({ format }).ok).toBe(true);
  });
  it("fractional limits above zero", () => {
    expect(validateConnectorUpdate({ maxElectricPower: 7.4, maxAmperage: 0.5, maxVoltage: 230 }).ok).toBe(true);
  });
  it("large path ids", () => {
    expect(validateConnectorPath({ uid: Number.MAX_SAFE_INTEGER, connectorId: 1 }).ok).toBe(true);
  });
});
