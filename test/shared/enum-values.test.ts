// src/enum-values.ts: values of open (response) enums that the contract does not list, found by
// pointer and classified. A new value is `unknown` (Spirii's versioning policy: non-breaking); a
// known value in another casing, or an OCPP status where the OCPI one belongs, is a provider bug.
import { describe, expect, it } from "vitest";
import contract from "../../generated/openapi.json" with { type: "json" };
import { CONNECTOR_STANDARDS, EVSE_STATUSES, OCPP_ERROR_CODES } from "../../src/index.js";
import { openEnumValues } from "../../src/enum-schema.js";
import { enumViolationIssue, isEnumViolation, judgeEnumValues, openEnumFields, unlistedEnumValues } from "../../src/enum-values.js";
import { OCPP_TO_OCPI_STATUS, OPEN_ENUMS } from "../../generated/values.js";
import { PAGE_RESPONSE } from "../fixtures/reference-page.js";

const healthy = contract.components.examples.EvseHealthyAc.value;
const evse = (changes: Record<string, unknown> = {}, connector: Record<string, unknown> = {}) => ({
  ...structuredClone(healthy),
  ...changes,
  connectors: [{ ...structuredClone(healthy.connectors[0]), ...connector }],
});

describe("unlistedEnumValues", () => {
  it("finds nothing in the page's own response and the contract's examples", () => {
    expect(unlistedEnumValues(PAGE_RESPONSE, "Evse")).toEqual([]);
    expect(unlistedEnumValues(healthy, "Evse")).toEqual([]);
    for (const status of EVSE_STATUSES) expect(unlistedEnumValues(evse({ status }), "Evse")).toEqual([]);
  });

  it("calls a new status unknown (forward-compatible), with its pointer and the known values", () => {
    const found = unlistedEnumValues(evse({ status: "PARKED" }), "Evse");
    expect(found).toEqual([{ path: "/status", value: "PARKED", enum: "EvseStatus", known: EVSE_STATUSES, kind: "unknown" }]);
    expect(found.map(isEnumViolation)).toEqual([false]);
  });

  it("calls an OCPP status where the OCPI one belongs ocpp-status, naming the OCPI status", () => {
    expect(unlistedEnumValues(evse({ status: "Charging" }), "Evse")).toMatchObject([{ path: "/status", kind: "ocpp-status", meant: "CHARGING" }]);
    expect(unlistedEnumValues(evse({ status: "SuspendedEV" }), "Evse")).toMatchObject([{ kind: "ocpp-status", meant: "BLOCKED" }]);
    expect(unlistedEnumValues(evse({ status: "FAULTED" }), "Evse")).toMatchObject([{ kind: "ocpp-status", meant: "OUTOFORDER" }]);
    for (const [ocpp, ocpi] of Object.entries(OCPP_TO_OCPI_STATUS)) {
      expect(unlistedEnumValues(evse({ status: ocpp }), "Evse")).toMatchObject([{ kind: "ocpp-status", meant: ocpi }]);
    }
  });

  it("calls a known value in another casing other-casing, naming the known value", () => {
    expect(unlistedEnumValues(evse({ status: "charging" }), "Evse")).toMatchObject([{ path: "/status", kind: "other-casing", meant: "CHARGING" }]);
    expect(unlistedEnumValues(evse({ status: "Planned" }), "Evse")).toMatchObject([{ kind: "other-casing", meant: "PLANNED" }]);
    const standard = unlistedEnumValues(evse({}, { standard: "iec_62196_t2" }), "Evse");
    expect(standard).toMatchObject([{ path: "/connectors/0/standard", enum: "ConnectorStandard", kind: "other-casing", meant: "IEC_62196_T2" }]);
    expect(standard.map(isEnumViolation)).toEqual([true]);
  });

  it("walks every connector and the error inside one, in the contract's field order", () => {
    const body = evse({ status: "PARKED" });
    body.connectors.push({ ...structuredClone(healthy.connectors[0]), id: 2, standard: "CCS3", format: "Socket", powerType: "AC_4_PHASE", error: { errorCode: "OverheatedCable" } } as never);
    expect(unlistedEnumValues(body, "Evse").map(({ path, value, kind }) => ({ path, value, kind }))).toEqual([
      { path: "/status", value: "PARKED", kind: "unknown" },
      { path: "/connectors/1/standard", value: "CCS3", kind: "unknown" },
      { path: "/connectors/1/format", value: "Socket", kind: "other-casing" },
      { path: "/connectors/1/powerType", value: "AC_4_PHASE", kind: "unknown" },
      { path: "/connectors/1/error/errorCode", value: "OverheatedCable", kind: "unknown" },
    ]);
    expect(unlistedEnumValues(evse({}, { error: { errorCode: OCPP_ERROR_CODES[0] } }), "Evse")).toEqual([]);
  });

  it("leaves wrong types, missing fields and odd shapes to the validators", () => {
    for (const body of [null, 42, "PARKED", [], {}, { status: 5 }, { status: null, connectors: "none" }, { connectors: [null, 3, { standard: 7 }] }, { connectors: [{ error: "x" }] }]) {
      expect(unlistedEnumValues(body, "Evse")).toEqual([]);
    }
    // An inherited name is not a field of the body.
    expect(unlistedEnumValues(Object.create({ status: "PARKED" }), "Evse")).toEqual([]);
  });

  it("takes an operation's response as the place, by exact status, then its range", () => {
    const body = evse({ status: "PARKED" });
    expect(unlistedEnumValues(body, { operationId: "updateConnector", status: 200 })).toEqual(unlistedEnumValues(body, "Evse"));
    expect(unlistedEnumValues(body, { operationId: "updateConnector", status: "200" })).toHaveLength(1);
    // The read returns the same EVSE (the operations registry says which schema each response is).
    expect(unlistedEnumValues(body, { operationId: "getEvse", status: 200 })).toEqual(unlistedEnumValues(body, "Evse"));
    // Error bodies (ApiError, also for 503 through 5XX) carry no open enum.
    expect(unlistedEnumValues(body, { operationId: "updateConnector", status: 404 })).toEqual([]);
    expect(unlistedEnumValues(body, { operationId: "updateConnector", status: 503 })).toEqual([]);
    expect(() => unlistedEnumValues(body, { operationId: "deleteEverything", status: 200 })).toThrow(/no operation "deleteEverything"/);
    // A schema with its own open enum, and one with none.
    expect(unlistedEnumValues("PARKED", "EvseStatus")).toMatchObject([{ path: "", kind: "unknown" }]);
    expect(unlistedEnumValues({ standard: "TESLA_X" }, "ConnectorUpdate")).toEqual([]);
  });
});

describe("the open enums come from the contract, not from a hand list", () => {
  it("OPEN_ENUMS has every open component schema of the bundled contract, with its known values", () => {
    const open = Object.entries(contract.components.schemas).flatMap(([name, schema]) => {
      const known = openEnumValues(schema);
      return known ? [[name, known]] : [];
    });
    expect(Object.entries(OPEN_ENUMS).map(([name, spec]) => [name, spec.known])).toEqual(open);
    expect(open.map(([name]) => name)).toEqual(expect.arrayContaining(["EvseStatus", "ConnectorStandard", "ConnectorFormat", "PowerType", "OcppErrorCode"]));
  });

  it("a new value at every open-enum field of the EVSE is found at its pointer", () => {
    const fields = openEnumFields("Evse");
    expect(fields.map((f) => f.path.join("."))).toEqual(["status", "connectors..standard", "connectors..format", "connectors..powerType", "connectors..error.errorCode"]);
    for (const field of fields) {
      const body = evse({}, { error: { errorCode: "NoError" } }) as Record<string, unknown>;
      let holder: Record<string, unknown> = body;
      const pointer: string[] = [];
      for (const segment of field.path.slice(0, -1)) {
        holder = (segment === null ? (holder as unknown as unknown[])[0] : holder[segment]) as Record<string, unknown>;
        pointer.push(segment === null ? "0" : segment);
      }
      const last = field.path.at(-1) as string;
      holder[last] = "BRAND_NEW_VALUE";
      expect(unlistedEnumValues(body, "Evse")).toEqual([{ path: `/${[...pointer, last].join("/")}`, value: "BRAND_NEW_VALUE", enum: field.enum, known: field.known, kind: "unknown" }]);
    }
  });
});

describe("enumViolationIssue", () => {
  it("words a violation like the validators' enum issues, with what was meant", () => {
    const [ocpp] = unlistedEnumValues(evse({ status: "Charging" }), "Evse");
    expect(enumViolationIssue(ocpp!)).toEqual({
      path: "/status",
      keyword: "enum",
      message:
        `must be one of ${EVSE_STATUSES.map((s) => JSON.stringify(s)).join(", ")}, got "Charging". "Charging" is an OCPP 1.6 connector status, not the OCPI status this API reports: ` +
        `the likeliest provider bug. Map it with ocppToOcpiStatus (spirii-connector-contract), from the table in the contract's EvseStatus: "Charging" -> "CHARGING"`,
    });
    const [cased] = unlistedEnumValues(evse({}, { standard: "chademo" }), "Evse");
    expect(enumViolationIssue(cased!).message).toBe(
      `must be one of "CHADEMO", "CHAOJI", "DOMESTIC_A", "DOMESTIC_B", "DOMESTIC_C", ... "TESLA_R", "TESLA_S" (${CONNECTOR_STANDARDS.length} values) ("CHADEMO" in another casing: the values are case-sensitive), got "chademo"`,
    );
  });
});

describe("judgeEnumValues", () => {
  it("splits a body's unlisted values into notices (new values) and issues (look-alikes)", () => {
    const body = evse({ status: "PARKED" }, { standard: "chademo", powerType: "AC_4_PHASE" });
    const { unknown, violations } = judgeEnumValues(body, { operationId: "updateConnector", status: 200 });
    expect(unknown.map((u) => [u.path, u.value])).toEqual([["/status", "PARKED"], ["/connectors/0/powerType", "AC_4_PHASE"]]);
    expect(violations).toEqual([enumViolationIssue(unlistedEnumValues(body, "Evse").find((u) => u.kind === "other-casing")!)]);
    expect(judgeEnumValues(healthy, "Evse")).toEqual({ unknown: [], violations: [] });
  });
});
