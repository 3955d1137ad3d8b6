// The one judge (judge.ts judgeExchange), for the PATCH and for every operation beside it: the same
// findings from the registry's facts. Until both used it, the family's judge (family.ts) lumped every
// schema issue into one finding without a pointer, let a look-alike enum value through (an OCPP
// status in a page of EVSEs), and the PATCH's messages did not say which operation's documented list
// they quote, in a report that now holds six operations.
import { describe, expect, it } from "vitest";
import type { HttpOutcome } from "../../src/testing/http-exchange.js";
import { judgeFamilyAnswer, listCase } from "../../src/testing/verify/family.js";
import { judgeExchange } from "../../src/testing/verify/judge.js";
import type { VerifyCase } from "../../src/testing/verify/types.js";
import { createRedactor } from "../../src/redact.js";
import { FAKE_CONNECTOR_ID, FAKE_UID, initialEvse } from "../fakes/provider.js";

const KEY = "judge-test-key-1234";
const redact = createRedactor(KEY);
const address = { uid: FAKE_UID, connectorId: FAKE_CONNECTOR_ID };
const answered = (status: number, body: unknown, contentType = "application/json"): HttpOutcome => ({
  kind: "answered",
  status,
  headers: { "content-type": contentType },
  body: Buffer.from(typeof body === "string" ? body : JSON.stringify(body)),
  durationMs: 3,
});
const noEcho = () => false;
const listing = listCase("listEvses:limit-1#1", "valid", "listEvses, first page of 1", { limit: "1" });
const patch: VerifyCase = { id: "valid#1", kind: "valid", title: "a valid patch", body: { maxAmperage: 16 } };
const strip = (findings: ReadonlyArray<{ check: string; severity: string; rule: string; pointer: string }>) => findings.map(({ check, severity, rule, pointer }) => ({ check, severity, rule, pointer }));

describe("one judge for every operation", () => {
  it("a page of EVSEs with a schema issue: one finding per issue, at its pointer, with its keyword (listEvses is documented nearby: a warning)", () => {
    const evse = initialEvse() as Record<string, unknown>;
    delete evse["evseId"];
    const judged = judgeFamilyAnswer(listing, answered(200, { data: [{ ...evse, connectors: [{ ...(evse["connectors"] as object[])[0], id: "one" }] }] }), address, redact, noEcho);
    const schema = judged.findings.filter((f) => f.check === "schema");
    expect(schema.length).toBeGreaterThan(0);
    expect(schema.map((f) => f.pointer)).toContain("/data/0/connectors/0/id");
    expect(schema.every((f) => f.severity === "warning" && f.rule !== "schema" && f.source === "contract")).toBe(true);
  });

  it("an OCPP 1.6 status in a page of EVSEs is an enum finding, as it is in the PATCH's answer; a new value is a notice", () => {
    const page = { data: [{ ...initialEvse("Available") }, { ...initialEvse("PARKED"), uid: FAKE_UID + 1 }] };
    const judged = judgeFamilyAnswer(listing, answered(200, page), address, redact, noEcho);
    expect(strip(judged.findings)).toEqual([
      { check: "enum-value", severity: "warning", rule: "enum", pointer: "/data/0/status" },
      { check: "enum-value", severity: "notice", rule: "unknown-value", pointer: "/data/1/status" },
    ]);
    // The PATCH's answer, judged by the same code: its own page publishes it, so a violation.
    const patched = judgeExchange({ kase: patch, outcome: answered(200, initialEvse("Available")), path: address, redact, echoesKey: noEcho });
    expect(strip(patched.findings)).toEqual([{ check: "enum-value", severity: "violation", rule: "enum", pointer: "/status" }]);
  });

  it("names the operation whose documented statuses and content types it quotes, for the PATCH as for the others", () => {
    const patched = judgeExchange({ kase: patch, outcome: answered(201, initialEvse()), path: address, redact, echoesKey: noEcho });
    expect(patched.findings.map((f) => f.message)).toEqual(["201 is not a documented status of updateConnector; the contract documents 200, 400, 401, 403, 404, 409, 422, 429, 5XX"]);
    const typed = judgeExchange({ kase: patch, outcome: answered(200, initialEvse(), "text/plain"), path: address, redact, echoesKey: noEcho });
    expect(typed.findings).toEqual([
      { check: "content-type", severity: "violation", rule: "content-type", pointer: "", message: 'content type is "text/plain"; the contract documents application/json for updateConnector 200', source: "contract" },
    ]);
    const listed = judgeFamilyAnswer(listing, answered(200, { data: [] }, "text/html"), address, redact, noEcho);
    expect(listed.findings).toEqual([
      { check: "content-type", severity: "warning", rule: "content-type", pointer: "", message: 'content type is "text/html"; the contract documents application/json for listEvses 200', source: "contract" },
    ]);
  });

  it("an error body off the envelope: a warning for the PATCH (the envelope is documented nearby) with the note saying why, as for the family", () => {
    const patched = judgeExchange({ kase: patch, outcome: answered(409, { message: "busy" }), path: address, redact, echoesKey: noEcho });
    expect(patched.findings.length).toBeGreaterThan(0);
    expect(patched.findings.every((f) => f.severity === "warning" && f.check === "schema")).toBe(true);
    expect(patched.notes).toEqual(["error bodies are judged as warnings: the error envelope is documented nearby, not certain"]);
    const listed = judgeFamilyAnswer(listing, answered(400, { message: "bad limit" }), address, redact, noEcho);
    expect(listed.findings.length).toBeGreaterThan(0);
    expect(listed.findings.every((f) => f.severity === "warning" && f.check === "schema")).toBe(true);
  });

  it("no answer and a broken connection are the same findings for every operation; a body that is not JSON is named, redacted", () => {
    const timeout: HttpOutcome = { kind: "timeout", timeoutMs: 50, durationMs: 50 };
    const failed: HttpOutcome = { kind: "failed", error: `reset while sending ${KEY}`, code: "ECONNRESET", durationMs: 1 };
    for (const outcome of [timeout, failed]) {
      const a = judgeExchange({ kase: patch, outcome, path: address, redact, echoesKey: noEcho }).findings;
      const b = judgeFamilyAnswer(listing, outcome, address, redact, noEcho).findings;
      expect(a).toEqual(b);
      expect(a[0]?.check).toBe("responds");
    }
    expect(judgeFamilyAnswer(listing, failed, address, redact, noEcho).findings[0]?.message).toBe("the exchange failed: reset while sending [redacted]");
    const html = judgeFamilyAnswer(listing, answered(200, `<html>${KEY}</html>`), address, redact, noEcho);
    expect(html.findings.find((f) => f.rule === "json")?.message).toBe('the body is not JSON: "<html>[redacted]</html>"');
  });
});
