// The fake certified by the package's own verify: a run against it holds with no violation and no
// warning (the Prism mock cannot pass "the 200 is the EVSE asked for with the patch applied"), and
// the connector ends exactly as it started. If the fake drifts from the contract, this fails.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeApi, verifyProvider, type FakeApi } from "../../../src/testing/index.js";

const KEY = "fake-api-key-3e9b";
let fake: FakeApi;
beforeAll(async () => {
  fake = await startFakeApi({ apiKeys: [KEY] });
});
afterAll(() => fake.close());

describe("verify against the fake", () => {
  it.each([123456, 654321])("holds for EVSE %i: 0 violations, 0 warnings, connector back exactly as it started", async (uid) => {
    const before = fake.evse(uid);
    const report = await verifyProvider({ baseUrl: fake.url, uid, connectorId: 1, apiKey: KEY, runs: 10, seed: 7, timeoutMs: 5_000 });
    const findings = report.exchanges.flatMap((e) => e.findings.map((f) => ({ case: e.case.id, ...f })));
    expect(findings).toEqual([]);
    expect(report.runFindings).toEqual([]);
    expect(report.verdict).toBe("holds");
    expect(report.counts).toMatchObject({ failed: 0, warnings: 0, notRun: 0 });
    // Both kinds were sent, so the checks below judged something.
    expect(report.exchanges.some((e) => e.case.kind === "valid")).toBe(true);
    expect(report.exchanges.some((e) => e.case.kind === "invalid")).toBe(true);
    // It did change the connector (a 200 to every valid patch), and every invalid one got a 4xx.
    expect(report.exchanges.filter((e) => e.case.kind === "valid").every((e) => e.response?.status === 200)).toBe(true);
    for (const e of report.exchanges.filter((x) => x.case.kind === "invalid")) expect(e.case.address ? [404] : [400, 422]).toContain(e.response?.status); // a malformed command for an absent EVSE: 404
    expect(report.restore).toMatchObject({ source: "read-before-writing", accepted: true, unrestorable: [] });
    expect(fake.evse(uid)).toEqual(before);
    expect(JSON.stringify(fake.requests)).not.toContain(KEY);
  });
});
