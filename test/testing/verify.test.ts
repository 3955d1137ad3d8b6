// verifyProvider against fake providers: it passes the one that keeps the contract, fails each one
// that breaks it (naming the case, the request and the broken rule), stays bounded against a
// provider that hangs, and puts the connector back.
import { XMLParser } from "fast-xml-parser";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadPrism } from "../../src/testing/peers.js";
import { SetupError, toJUnit, verifyProvider, type VerifyOptions, type VerifyReport } from "../../src/testing/index.js";
import { boundaryCases } from "../../src/testing/verify/boundaries.js";
import { planCases } from "../../src/testing/verify/plan.js";
import { FAKE_CONNECTOR_ID, FAKE_KEY, FAKE_UID, INITIAL_CONNECTOR, startFakeProvider, type Breakage, type FakeProvider } from "../fakes/provider.js";

const RUNS = 4;
// Sent on every run whatever the seed: the examples, the auth probe, the fixed valid and invalid cases.
const FIXED = boundaryCases();
// ... and the patches of a connector and an EVSE that do not exist.
const UNKNOWN = 2;
const PLANNED = 2 + 2 + UNKNOWN + FIXED.valid.length + FIXED.invalid.length + 2 * RUNS;
/** Fast pacing for fakes without a limit; the rate-limit tests pace as a real run does. */
const FAST = { maxWritesPerMinute: 60_000 } as const;
// Prism loads once per worker, slowly under load: in a hook, so no single test pays for it.
beforeAll(() => void loadPrism());
const fakes: FakeProvider[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

async function verifyFake(breakage?: Breakage, options: Partial<VerifyOptions> & { readable?: boolean } = {}) {
  const { readable, ...rest } = options;
  const fake = await startFakeProvider({ ...(breakage ? { breakage } : {}), ...(readable === undefined ? {} : { readable }) });
  fakes.push(fake);
  const report = await verifyProvider({ baseUrl: fake.url, uid: FAKE_UID, connectorId: FAKE_CONNECTOR_ID, apiKey: FAKE_KEY, runs: RUNS, seed: 2024, timeoutMs: 2_000, ...FAST, ...rest });
  return { fake, report };
}

const violations = (report: VerifyReport) => report.exchanges.flatMap((e) => e.findings.filter((f) => f.severity === "violation").map((f) => ({ ...f, case: e.case.id })));
const netHandles = () => process.getActiveResourcesInfo().filter((r) => r.startsWith("TCP")).length;

describe("verify against a provider that keeps the contract", () => {
  it("holds: examples, the auth probe, the fixed cases, then valid, then invalid patches, then the restore, with no violation", async () => {
    const before = netHandles();
    const { fake, report } = await verifyFake();
    expect(report.verdict).toBe("holds");
    expect(violations(report)).toEqual([]);
    expect(report.exchanges.filter((e) => e.case.operation === undefined).map((e) => e.case.kind)).toEqual([
      "example",
      "example",
      "auth",
      "auth",
      "unknown",
      "unknown",
      ...Array<string>(FIXED.valid.length).fill("valid"),
      ...Array<string>(FIXED.invalid.length).fill("invalid"),
      ...Array<string>(RUNS).fill("valid"),
      ...Array<string>(RUNS).fill("invalid"),
      "restore",
    ]);
    // Extra response fields and an OCPI standard beyond the seven request values are accepted.
    const first = report.exchanges[0]!;
    expect(first.response?.status).toBe(200);
    expect(JSON.stringify(first.response?.body)).toContain("TESLA_S");
    expect(JSON.stringify(first.response?.body)).toContain("firmwareVersion");
    // Every invalid patch was rejected with a documented 4xx.
    for (const e of report.exchanges.filter((x) => x.case.kind === "invalid" && x.case.operation === undefined)) expect(e.response?.status).toBe(400);
    // The auth probe was refused with 401, and counted like any request.
    expect(report.exchanges.filter((x) => x.case.kind === "auth").map((x) => x.response?.status)).toEqual([401, 401]);
    // The operations beside the PATCH (listEvses, the harmless commands) are requests too, judged alike.
    const family = report.exchanges.filter((x) => x.case.operation !== undefined).length;
    expect(family).toBeGreaterThan(0);
    expect(report.counts).toMatchObject({ requests: PLANNED, exchanges: PLANNED + 1, operations: family, failed: 0, notRun: 0 });
    // The request went to the provider; the connector's fields were put back as they were.
    expect(fake.requests.filter((r) => r.method === "PATCH")).toHaveLength(report.counts.exchanges);
    expect(report.restore).toMatchObject({ source: "read-before-writing", accepted: true, complete: true, unrestorable: [], differences: [], mayHaveChanged: true });
    expect(report.exchanges.flatMap((e) => e.findings)).toEqual([]); // not a warning, not a notice
    expect(report.hookErrors).toEqual([]);
    expect(fake.connector()).toEqual(INITIAL_CONNECTOR);
    await fake.close();
    // Closed sockets are reaped a turn or more later, later on a busy machine: look again until they
    // are, up to 200 looks (5 s and more, 100x what an idle machine needs), not for a fixed time.
    for (let looks = 0; netHandles() > before && looks < 200; looks++) await new Promise((resolve) => setTimeout(resolve, 25));
    // At most as many as before: sockets an earlier file left closing may be reaped meanwhile.
    expect(netHandles()).toBeLessThanOrEqual(before);
  });

  it("sends bodies Prism cannot forward (null, false, 0, a string) around it, instead of hanging or garbling them", async () => {
    // Find a seed whose invalid cases include a falsy body, so the test does not depend on luck.
    let seed = 0;
    let cases: Awaited<ReturnType<typeof planCases>> = [];
    while (!cases.some((c) => c.kind === "invalid" && !c.body)) cases = await planCases({ runs: RUNS, seed: ++seed });
    const { report } = await verifyFake(undefined, { seed, timeoutMs: 1_000 });
    expect(report.verdict).toBe("holds");
    const falsy = report.exchanges.find((e) => e.case.kind === "invalid" && !e.case.body)!;
    expect(falsy.response?.status).toBe(400);
    expect(falsy.notes.join()).toMatch(/sent around Prism, which cannot forward a body of (null|false|0|"")/);
    // Whatever went around or through Prism, the provider received exactly the body reported.
    expect(report.exchanges.flatMap((e) => e.notes).filter((n) => n.includes("not the body sent"))).toEqual([]);
  });

  it("sends the same patches for the same seed", async () => {
    const bodies = async () => (await verifyFake()).report.exchanges.map((e) => e.request.body);
    expect(await bodies()).toEqual(await bodies());
  });

  it("writes nothing when the EVSE cannot be read first: a restore needs every field's earlier value", async () => {
    const fake = await startFakeProvider({ readable: false });
    fakes.push(fake);
    const attempt = verifyProvider({ baseUrl: fake.url, uid: FAKE_UID, connectorId: FAKE_CONNECTOR_ID, apiKey: FAKE_KEY, runs: 1, seed: 1, ...FAST });
    await expect(attempt).rejects.toThrow(SetupError);
    await expect(attempt).rejects.toThrow(/knows no such EVSE or connector \(404\).*when reading EVSE 123456; nothing was sent/);
    expect(fake.requests.filter((r) => r.method === "PATCH")).toEqual([]);
  });

  it.each([
    ["connectors", /EVSE 123456 as read has no connector 1: check --connector-id; nothing was sent/],
    ["maxVoltage", /connector 1 as read does not show maxVoltage; verify writes only when it can put back every field it may change; nothing was sent/],
  ] as const)("writes nothing when the EVSE read drops %s", async (readDrops, message) => {
    const fake = await startFakeProvider({ readDrops });
    fakes.push(fake);
    await expect(verifyProvider({ baseUrl: fake.url, uid: FAKE_UID, connectorId: FAKE_CONNECTOR_ID, apiKey: FAKE_KEY, runs: 1, seed: 1, ...FAST })).rejects.toThrow(message);
    expect(fake.requests.filter((r) => r.method === "PATCH")).toEqual([]);
    expect(fake.connector()).toEqual(INITIAL_CONNECTOR);
  });

  it("stops on request after the exchange in flight, still puts the connector back, and gives no verdict", async () => {
    const fake = await startFakeProvider();
    fakes.push(fake);
    const stop = new AbortController();
    const report = await verifyProvider(
      { baseUrl: fake.url, uid: FAKE_UID, connectorId: FAKE_CONNECTOR_ID, apiKey: FAKE_KEY, runs: RUNS, seed: 3, signal: stop.signal, ...FAST },
      { onExchange: (_, done) => done === 3 && stop.abort() },
    );
    expect(report.verdict).toBe("interrupted");
    expect(report.exchanges.map((e) => e.case.kind)).toEqual(["example", "example", "auth", "restore"]);
    expect(report.counts.notRun).toBe(PLANNED - 3);
    expect(fake.connector()).toEqual(INITIAL_CONNECTOR);
  });

  it("treats error bodies without the envelope as warnings, since the envelope is documented nearby", async () => {
    const { report } = await verifyFake("bare-error-bodies");
    expect(report.verdict).toBe("holds");
    expect(report.counts.warnings).toBeGreaterThan(0);
    const invalid = report.exchanges.find((e) => e.case.kind === "invalid")!;
    expect(invalid.findings.map((f) => [f.severity, f.rule])).toEqual(expect.arrayContaining([["warning", "content-type"], ["warning", "json"]]));
    expect(invalid.notes.join()).toMatch(/documented nearby, not certain/);
  });
});

// Each fake breaks the contract in one way; verify must fail it and name that way.
const BREAKAGES: Array<[Breakage, { rule: string; pointer: string; message: RegExp }]> = [
  ["wrong-enum", { rule: "enum", pointer: "/status", message: /must be one of "AVAILABLE"/ }],
  ["missing-required", { rule: "required", pointer: "/evseId", message: /is required/ }],
  ["wrong-type", { rule: "type", pointer: "/chargeboxId", message: /must be of type number/ }],
  ["null-not-allowed", { rule: "type", pointer: "/connectors/0/maxVoltage", message: /must be of type number/ }],
  ["undocumented-status", { rule: "status", pointer: "", message: /201 is not a documented status/ }],
  ["non-json-200", { rule: "json", pointer: "", message: /the body is not JSON: "<html>/ }],
  ["wrong-content-type", { rule: "content-type", pointer: "", message: /content type is "text\/plain"; the contract documents application\/json for updateConnector 200/ }],
  ["accepts-invalid", { rule: "accepts-invalid", pointer: "/standard", message: /answered 200 to a patch the contract rejects/ }],
];

describe("verify against a provider on a later minor release", () => {
  it("passes a status the contract does not list yet: response enums are open (Spirii's versioning policy)", async () => {
    const { report } = await verifyFake("new-enum-value");
    expect(report.verdict).toBe("holds");
    expect(violations(report)).toEqual([]);
    expect(report.exchanges.some((e) => e.response?.body !== undefined && JSON.stringify(e.response.body).includes("PARKED"))).toBe(true);
    const notices = report.exchanges.flatMap((e) => e.findings.filter((f) => f.rule === "unknown-value"));
    expect(notices.length).toBeGreaterThan(0);
    expect(notices[0]).toMatchObject({ check: "enum-value", severity: "notice", pointer: "/status", message: expect.stringMatching(/^"PARKED" is not a known EvseStatus value/) });
  });
});

describe("verify against providers that break the contract", () => {
  it.each(BREAKAGES)("fails %s, naming the case, the request and the broken rule", async (breakage, expected) => {
    const { report } = await verifyFake(breakage);
    expect(report.verdict).toBe("violated");
    const found = violations(report);
    expect(found).toContainEqual(expect.objectContaining({ rule: expected.rule, pointer: expected.pointer, message: expect.stringMatching(expected.message) }));
    const failing = report.exchanges.find((e) => e.findings.some((f) => f.rule === expected.rule))!;
    expect(failing.case.id).toMatch(/^(example:|auth:|cover#|boundary#|valid#|invalid#|restore)/);
    expect(failing.request).toEqual({
      method: "PATCH",
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/v2\/evses\/123456\/connectors\/1$/),
      body: JSON.stringify(failing.case.body),
    });
  });

  it("only fails invalid patches on a provider that accepts them, and says which rule each broke", async () => {
    const { report } = await verifyFake("accepts-invalid");
    const accepted = report.exchanges.filter((e) => e.findings.some((f) => f.rule === "accepts-invalid"));
    expect(accepted.length).toBe(FIXED.invalid.length + RUNS);
    for (const e of accepted) {
      expect(e.case.kind).toBe("invalid");
      expect(e.findings.find((f) => f.rule === "accepts-invalid")?.message).toContain(e.case.title);
    }
  });

  it("reports a provider that hangs as timeouts, stops after three in a row, and stays bounded", async () => {
    // Bounded by counts, not by a clock: it stops after three timeouts and sends none of the rest (a
    // wall-clock bound here failed on a loaded machine while every count held).
    const { report } = await verifyFake("hangs", { timeoutMs: 300 });
    expect(report.verdict).toBe("violated");
    expect(report.stoppedEarly).toMatch(/3 timeouts in a row/);
    // The auth probe's 401s come before any patch reaches the hang, and break the row of timeouts.
    expect(report.exchanges.map((e) => e.outcome)).toEqual(["timeout", "timeout", "answered", "answered", "timeout", "timeout", "timeout"]);
    expect(violations(report)[0]).toMatchObject({ rule: "timeout", message: "no answer within 300 ms" });
    expect(report.counts.notRun).toBe(PLANNED - 7);
    // The connector reads back as before (the hanging provider applied nothing): nothing to send back.
    expect(report.restore).toMatchObject({ complete: true, attempts: 0, mayHaveChanged: true });
  });
});

describe("a provider that never accepts a patch", () => {
  it("fails the run: with no 200 ever answered, the shape of a 200 was never checked", async () => {
    const { report } = await verifyFake("rejects-everything");
    expect(violations(report)).toEqual([]); // every single answer is a documented 409
    expect(report.verdict).toBe("violated");
    expect(report.runFindings).toEqual([
      expect.objectContaining({ rule: "no-success", message: expect.stringMatching(new RegExp(`none of the ${2 + FIXED.valid.length + RUNS} valid patches was accepted \\(answers: 409 ×${2 + FIXED.valid.length + RUNS}\\)`)) }),
    ]);
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(toJUnit(report));
    const [, run] = parsed.testsuites.testsuite;
    expect(run.testcase).toMatchObject({ name: "no-success", failure: { type: "no-success" } });
  });
});

describe("the JUnit report", () => {
  it("parses as XML with one test case per exchange, failures carrying the request and the rule", async () => {
    const { report } = await verifyFake("wrong-enum");
    const xml = toJUnit(report);
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(xml);
    const suite = parsed.testsuites.testsuite[0]; // then "run" and "operations"
    const cases = Array.isArray(suite.testcase) ? suite.testcase : [suite.testcase];
    expect(cases).toHaveLength(report.exchanges.length);
    expect(Number(suite.tests)).toBe(report.exchanges.length);
    const failed = cases.filter((c: { failure?: unknown }) => c.failure !== undefined);
    expect(failed).toHaveLength(report.counts.failed);
    expect(Number(suite.failures)).toBe(report.counts.failed);
    expect(failed[0].failure.type).toBe("enum-value"); // the check's id
    expect(failed[0].failure["#text"]).toContain("request: PATCH http://127.0.0.1:");
    expect(failed[0].failure["#text"]).toContain("/status must be one of");
  });

  it("names warnings in the test case's name, where CI summaries show them, and details them in system-err", async () => {
    const { report } = await verifyFake("bare-error-bodies");
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(toJUnit(report));
    const cases = parsed.testsuites.testsuite[0].testcase as Array<{ name: string; "system-err"?: string; failure?: unknown }>;
    const warned = cases.filter((c) => c.name.includes("[warning: "));
    expect(warned.length).toBeGreaterThan(0);
    expect(warned.every((c) => c.failure === undefined && /! \[(content-type|schema)\//.test(String(c["system-err"])))).toBe(true);
  });

  it("adds a failed test case 'restore' with the values to set when the restore did not complete", async () => {
    const { report } = await verifyFake();
    report.restore = { ...report.restore, complete: false, toSet: { maxAmperage: 16 }, unrestorable: [{ field: "maxAmperage", reason: "refused", valueToSet: 16 }] };
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(toJUnit(report));
    const [, run] = parsed.testsuites.testsuite;
    expect(run.testcase).toMatchObject({ name: "restore", failure: { type: "restore-incomplete", message: 'the connector was not put back: set {"maxAmperage":16}' } });
  });

  it("stays valid XML whatever the provider sends", async () => {
    const { report } = await verifyFake("non-json-200");
    report.exchanges[0]!.findings[0]!.message += ' <&> "quotes" \u0000\u0007 control characters';
    const xml = toJUnit(report);
    expect(() => new XMLParser().parse(xml, true)).not.toThrow();
    // The parser accepts raw control characters and '<' in attributes, so check the escaping itself.
    expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
    expect(xml).toContain("&lt;&amp;&gt; &quot;quotes&quot;");
  });
});

describe("verify refuses to run where it must not", () => {
  it("refuses the production host unless allowed", async () => {
    const attempt = verifyProvider({ baseUrl: "https://api.spirii.com", uid: 1, connectorId: 1, apiKey: "k" });
    await expect(attempt).rejects.toThrow(SetupError);
    await expect(attempt).rejects.toThrow(/production API.*--allow-production/);
  });

  it("stops with a set-up error, changing nothing, when the provider rejects the key", async () => {
    const fake = await startFakeProvider({ breakage: "rejects-key" });
    fakes.push(fake);
    await expect(verifyProvider({ baseUrl: fake.url, uid: FAKE_UID, connectorId: FAKE_CONNECTOR_ID, apiKey: FAKE_KEY, runs: 1, seed: 1 })).rejects.toThrow(
      /rejects the API key \(401\).*nothing was sent/,
    );
    expect(fake.requests.filter((r) => r.method === "PATCH")).toHaveLength(0);
  });

  it("stops with a set-up error when the provider cannot be reached", async () => {
    const fake = await startFakeProvider();
    await fake.close(); // its port is now closed
    await expect(verifyProvider({ baseUrl: fake.url, uid: FAKE_UID, connectorId: FAKE_CONNECTOR_ID, apiKey: FAKE_KEY, runs: 1, seed: 1 })).rejects.toThrow(/cannot reach/);
  });
});

// Last in the file: its sockets close while later tests would be counting handles.
describe("the key, for library callers", () => {
  it("is redacted from the report and every event, even when the provider echoes it", async () => {
    const fake = await startFakeProvider({ echoKey: true });
    fakes.push(fake);
    const seen: unknown[] = [];
    const report = await verifyProvider(
      { baseUrl: fake.url, uid: FAKE_UID, connectorId: FAKE_CONNECTOR_ID, apiKey: FAKE_KEY, runs: 2, seed: 7, timeoutMs: 2_000, ...FAST },
      { onPlan: (plan) => seen.push(plan), onBaseline: (baseline) => seen.push(baseline), onExchange: (result) => seen.push(result) },
    );
    const everything = JSON.stringify({ report, seen });
    expect(everything).toContain("request made with Bearer [redacted]"); // the echo happened, and was scrubbed
    expect(everything).not.toContain(FAKE_KEY);
    expect(toJUnit(report)).not.toContain(FAKE_KEY);
  });
});
