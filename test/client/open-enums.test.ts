// Response enums are open (Spirii's versioning policy: new enum values are a non-breaking change and
// clients fall back on unknown values). The client returns a body with a new value in every mode and
// tells the hook with an `unknown-value` event; a known value in another casing or an OCPP status
// where the OCPI one belongs stays a contract violation (reported, or rejected in strict mode).
import { describe, expect, it } from "vitest";
import { EVSE_STATUSES, type ClientEvent, type UnknownValueEvent } from "../../src/index.js";
import { EXAMPLE_EVSE, json, ok, useFaultServer } from "./fault-server.js";
import { PATH, failure, fastClient } from "./helpers.js";

const server = useFaultServer();

const PATCH = { maxVoltage: 400 };
const connector = EXAMPLE_EVSE.connectors[0]!;
/** A new EVSE status and a second connector with a new standard: what a provider on a later minor release may send. */
const newer = { ...EXAMPLE_EVSE, status: "PARKED", connectors: [connector, { ...connector, id: 2, standard: "CCS3" }] };
const unknownValues = (events: ClientEvent[]) => events.filter((e): e is UnknownValueEvent => e.type === "unknown-value");

describe("a value a response enum does not list yet", () => {
  it("report (the default): resolves to the body, one unknown-value event per value, no violation", async () => {
    expect(EVSE_STATUSES).not.toContain("PARKED");
    const events: ClientEvent[] = [];
    server.script(ok(newer));
    const evse = await fastClient(server.url, { onEvent: (e) => events.push(e) }).updateConnector(PATH, PATCH);
    expect(evse).toEqual(newer);
    expect(events.map((e) => e.type)).toEqual(["request", "response", "unknown-value", "unknown-value"]);
    const url = `${server.url}/v2/evses/123456/connectors/1`;
    expect(unknownValues(events)).toEqual([
      { type: "unknown-value", method: "PATCH", url, status: 200, path: "/status", value: "PARKED", enum: "EvseStatus" },
      { type: "unknown-value", method: "PATCH", url, status: 200, path: "/connectors/1/standard", value: "CCS3", enum: "ConnectorStandard" },
    ]);
  });

  it("strict: does not throw; the hook still hears of it", async () => {
    const events: ClientEvent[] = [];
    server.script(ok(newer));
    const evse = await fastClient(server.url, { validateResponses: "strict", onEvent: (e) => events.push(e) }).updateConnector(PATH, PATCH);
    expect(evse).toEqual(newer);
    expect(unknownValues(events).map((e) => e.value)).toEqual(["PARKED", "CCS3"]);
    expect(events.some((e) => e.type === "contract-violation")).toBe(false);
  });

  it("without a hook, or with validation off, the body is simply returned", async () => {
    server.script(ok(newer), ok(newer));
    expect(await fastClient(server.url, { validateResponses: "strict" }).updateConnector(PATH, PATCH)).toEqual(newer);
    const events: ClientEvent[] = [];
    expect(await fastClient(server.url, { validateResponses: "off", onEvent: (e) => events.push(e) }).updateConnector(PATH, PATCH)).toEqual(newer);
    expect(events.map((e) => e.type)).toEqual(["request", "response"]);
  });

  it("alongside a real violation: both are told, and strict rejects for the violation only", async () => {
    const events: ClientEvent[] = [];
    server.script(ok({ ...newer, chargeboxId: "123" }));
    const error = await failure(fastClient(server.url, { validateResponses: "strict", onEvent: (e) => events.push(e) }).updateConnector(PATH, PATCH));
    expect(error).toMatchObject({ kind: "invalid-response", problem: "contract" });
    expect(error.kind === "invalid-response" && error.issues.map((i) => i.path)).toEqual(["/chargeboxId"]);
    expect(events.map((e) => e.type)).toEqual(["request", "response", "unknown-value", "unknown-value", "contract-violation"]);
  });
});

describe("look-alikes of a known value are provider bugs, in every mode but off", () => {
  it.each([
    ["Charging", /"Charging" is an OCPP 1\.6 connector status.*"Charging" -> "CHARGING"/],
    ["Preparing", /"Preparing" is an OCPP 1\.6 connector status.*"Preparing" -> "CHARGING"/],
    ["charging", /"CHARGING" in another casing/],
  ])("strict: status %j is an invalid-response naming what was meant", async (status, hint) => {
    const events: ClientEvent[] = [];
    server.script(ok({ ...EXAMPLE_EVSE, status }));
    const error = await failure(fastClient(server.url, { validateResponses: "strict", onEvent: (e) => events.push(e) }).updateConnector(PATH, PATCH));
    expect(error).toMatchObject({ kind: "invalid-response", problem: "contract" });
    if (error.kind !== "invalid-response") return;
    expect(error.issues).toEqual([{ path: "/status", keyword: "enum", message: expect.stringMatching(hint) }]);
    expect(error.message).toMatch(hint);
    expect(events.map((e) => e.type)).toEqual(["request", "response", "contract-violation"]);
  });

  it("strict: a 2xx the operation does not document (201) is judged as its 200, look-alikes included", async () => {
    server.script(json(201, { ...EXAMPLE_EVSE, status: "charging" }));
    const error = await failure(fastClient(server.url, { validateResponses: "strict" }).updateConnector(PATH, PATCH));
    expect(error).toMatchObject({ kind: "invalid-response", problem: "contract" });
    if (error.kind !== "invalid-response") return;
    expect(error.issues).toEqual([{ path: "/status", keyword: "enum", message: expect.stringMatching(/"CHARGING" in another casing/) }]);
  });

  it("report: resolves to the body and reports a contract violation, not an unknown value", async () => {
    const events: ClientEvent[] = [];
    const body = { ...EXAMPLE_EVSE, connectors: [{ ...connector, format: "socket" }] };
    server.script(ok(body));
    expect(await fastClient(server.url, { onEvent: (e) => events.push(e) }).updateConnector(PATH, PATCH)).toEqual(body);
    expect(events.map((e) => e.type)).toEqual(["request", "response", "contract-violation"]);
    const violation = events[2];
    expect(violation?.type === "contract-violation" && violation.issues).toEqual([
      { path: "/connectors/0/format", keyword: "enum", message: 'must be one of "SOCKET", "CABLE" ("SOCKET" in another casing: the values are case-sensitive), got "socket"' },
    ]);
  });
});
