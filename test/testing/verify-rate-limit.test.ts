// verify against an honest provider that enforces its write limit (the documented 120 a minute,
// its window shortened so the test is quick): runs back to back all hold, each judges every case,
// every 429 is waited out and the case sent again, and the connector reads back as before.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadPrism } from "../../src/testing/peers.js";
import { verifyProvider, type VerifyReport } from "../../src/testing/index.js";
import { FAKE_CONNECTOR_ID, FAKE_KEY, FAKE_UID, startFakeProvider, type FakeProvider } from "../fakes/provider.js";

// 120 a minute is 2 a second; shortened 120-fold: 20 writes per 500 ms window.
const LIMIT = { limit: 20, windowMs: 500 };
/** The same limit as a per-minute pace: what a default run sends at against the documented limit. */
const AT_THE_LIMIT = (LIMIT.limit * 60_000) / LIMIT.windowMs;
// Prism loads once per worker, slowly under load: in a hook, so no single test pays for it.
beforeAll(() => void loadPrism());
const fakes: FakeProvider[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

function expectJudgedAndHeld(report: VerifyReport) {
  expect(report.verdict).toBe("holds");
  expect(report.counts.notJudged).toBe(0);
  expect(report.counts.notRun).toBe(0);
  // No answer of 429 is ever a result: each was waited out and the case sent again.
  expect(report.exchanges.filter((e) => e.response?.status === 429)).toEqual([]);
  expect(report.restore.complete).toBe(true);
}

describe("verify under a provider's write limit", () => {
  it("two default-paced runs back to back both hold, judge every case, and leave the connector as it was", async () => {
    const fake = await startFakeProvider({ rateLimit: LIMIT });
    fakes.push(fake);
    const before = fake.state();
    const options = { baseUrl: fake.url, uid: FAKE_UID, connectorId: FAKE_CONNECTOR_ID, apiKey: FAKE_KEY, runs: 2, timeoutMs: 2_000, maxWritesPerMinute: AT_THE_LIMIT };
    const first = await verifyProvider({ ...options, seed: 1 });
    const second = await verifyProvider({ ...options, seed: 2 });
    expectJudgedAndHeld(first);
    expectJudgedAndHeld(second);
    // Every 429 the provider gave was seen and waited out (the two runs' counts add up to the provider's).
    expect(first.counts.rateLimited + second.counts.rateLimited).toBe(fake.limits.rateLimited);
    expect(fake.limits.mostInAWindow).toBeLessThanOrEqual(LIMIT.limit);
    expect(fake.state()).toEqual(before);
  });

  it("two runs with no cap (the default on loopback) back to back hold too: the X-RateLimit headers and each 429's wait pace them", async () => {
    const fake = await startFakeProvider({ rateLimit: LIMIT });
    fakes.push(fake);
    const before = fake.state();
    const options = { baseUrl: fake.url, uid: FAKE_UID, connectorId: FAKE_CONNECTOR_ID, apiKey: FAKE_KEY, runs: 2, timeoutMs: 2_000 };
    const first = await verifyProvider({ ...options, seed: 3 });
    const second = await verifyProvider({ ...options, seed: 4 });
    for (const report of [first, second]) {
      expectJudgedAndHeld(report);
      expect(report.pace.maxWritesPerMinute).toBeNull();
      // More writes than one window allows were sent, so the windows paced the run.
      expect(report.pace.writes).toBeGreaterThan(LIMIT.limit);
    }
    expect(first.counts.rateLimited + second.counts.rateLimited).toBe(fake.limits.rateLimited);
    expect(fake.limits.mostInAWindow).toBeLessThanOrEqual(LIMIT.limit);
    expect(fake.state()).toEqual(before);
  });

  it("a case still rate-limited at its deadline is reported not judged, never as a pass or a failure", async () => {
    // One write per 10 s window: the first case gets through, the next waits past its 300 ms deadline.
    const fake = await startFakeProvider({ rateLimit: { limit: 1, windowMs: 10_000 } });
    fakes.push(fake);
    const report = await verifyProvider({
      baseUrl: fake.url,
      uid: FAKE_UID,
      connectorId: FAKE_CONNECTOR_ID,
      apiKey: FAKE_KEY,
      runs: 0,
      seed: 1,
      maxWritesPerMinute: 1_000_000,
      rateLimitWaitMs: 300,
      restoreDeadlineMs: 300,
    });
    expect(report.counts.notJudged).toBeGreaterThan(0);
    const notJudged = report.exchanges.filter((e) => e.outcome === "not-judged");
    expect(notJudged.every((e) => e.findings.length === 0 && /not judged/.test(e.notes.join()))).toBe(true);
    expect(report.verdict).toBe("incomplete");
    // The one case let through (powerOnly) set the value the connector had: nothing to put back.
    expect(report.restore).toMatchObject({ complete: true, attempts: 0 });
  });
});
