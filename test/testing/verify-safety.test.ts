// verify's two promises, on every path: the connector is put back however the run ends (its end,
// an abort, an error of ours, a hook's error, a provider that starts failing), and the key never
// leaves through a report, an event or an error, whatever its length and however a provider echoes it.
import { XMLParser } from "fast-xml-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeResult } from "../../src/cli/verify-output.js";
import { toJUnit, verifyProvider, type VerifyError, type VerifyEvents, type VerifyOptions } from "../../src/testing/index.js";
import { FAKE_CONNECTOR_ID, FAKE_KEY, FAKE_UID, INITIAL_CONNECTOR, startFakeProvider, type FakeOptions, type FakeProvider } from "../fakes/provider.js";
import { loadPrism } from "../../src/testing/peers.js";

/**
 * An error inside the run, without mocking a module (test files share modules here): a signal whose
 * `aborted` getter throws on its N-th read, which verify makes before each case. The message may
 * carry anything, to check it is scrubbed.
 */
function throwingSignal(atRead: number, message = "the signal broke"): AbortSignal {
  let reads = 0;
  return {
    get aborted() {
      if (++reads === atRead) throw new TypeError(message);
      return false;
    },
    // The pacer listens while it waits; at the pace these tests set, it never has to.
    addEventListener() {},
    removeEventListener() {},
  } as unknown as AbortSignal;
}

// One stateful fake per behaviour, reused by the tests of this file; each test checks its connector
// is back as it started, so a test that leaves it changed fails there, not in the next one.
const fakes = new Map<string, FakeProvider>();
afterAll(() => Promise.all([...fakes.values()].map((f) => f.close())));
// Prism loads once per worker, slowly under load: in a hook, so no single test pays for it.
beforeAll(() => void loadPrism());
async function fake(options: FakeOptions = {}): Promise<FakeProvider> {
  const key = JSON.stringify(options);
  if (!fakes.has(key)) fakes.set(key, await startFakeProvider(options));
  return fakes.get(key)!;
}

const optionsFor = (provider: FakeProvider, more: Partial<VerifyOptions> = {}): VerifyOptions => ({
  baseUrl: provider.url,
  uid: FAKE_UID,
  connectorId: FAKE_CONNECTOR_ID,
  apiKey: FAKE_KEY,
  runs: 1,
  seed: 11,
  timeoutMs: 2_000,
  // A pace no test waits for: the signal's reads are then the run's own, one before each case.
  maxWritesPerMinute: 10_000_000,
  ...more,
});
/** The error a run rejects with; a run that resolves fails the test. */
const failureOf = (run: Promise<unknown>): Promise<VerifyError> =>
  run.then(
    () => Promise.reject(new Error("verify should have failed")),
    (error: VerifyError) => error,
  );
const patches = (provider: FakeProvider) => provider.requests.filter((r) => r.method === "PATCH").length;

describe("verify puts the connector back on every path", () => {
  it("when a hook throws mid-run: the run goes on, reports the hook's error, and restores", async () => {
    const provider = await fake();
    const events: VerifyEvents = {
      onPlan: () => {
        throw new Error("onPlan broke");
      },
      onExchange: (_result, done) => {
        if (done === 3) throw new Error("onExchange broke at 3");
      },
      onBaseline: () => Promise.reject(new Error("onBaseline rejected")) as unknown as void,
    };
    const report = await verifyProvider(optionsFor(provider), events);
    expect(report.verdict).toBe("holds");
    expect(report.counts.notRun).toBe(0); // the throw did not stop the run
    expect(report.hookErrors).toEqual([
      { hook: "onPlan", message: "onPlan broke" },
      { hook: "onBaseline", message: "onBaseline rejected" },
      { hook: "onExchange", message: "onExchange broke at 3" },
    ]);
    expect(report.restore).toMatchObject({ accepted: true, complete: true, mayHaveChanged: true });
    expect(provider.connector()).toEqual(INITIAL_CONNECTOR);
  });

  it("when the run fails mid-way: the error carries what was put back, and the connector is as before", async () => {
    const provider = await fake();
    const before = patches(provider);
    // Read before the 6th case: two examples, the auth probe and a covering patch have changed the connector.
    const failure = await failureOf(verifyProvider(optionsFor(provider, { signal: throwingSignal(6) })));
    expect(failure).toBeInstanceOf(TypeError);
    expect(failure.message).toBe("the signal broke");
    // Only the fields that read back changed are sent back: those the two examples set.
    expect(failure.restore).toEqual({
      source: "read-before-writing",
      patch: { standard: "IEC_62196_T2", maxElectricPower: 11, maxAmperage: 16 },
      accepted: true,
      complete: true,
      attempts: 1,
      unrestorable: [],
      toSet: {},
      otherConnectors: [],
      differences: [],
      mayHaveChanged: true,
    });
    expect(patches(provider) - before).toBe(6); // five cases (the auth probe, an unknown connector) and the restore
    expect(provider.connector()).toEqual(INITIAL_CONNECTOR);
  });

  it("when the restore fails once (503): it is sent again and completes", async () => {
    // Its 3rd PATCH past the key check is the first restoring one.
    const provider = await fake({ failingPatches: [4] });
    const failure = await failureOf(verifyProvider(optionsFor(provider, { signal: throwingSignal(6) })));
    expect(failure.restore).toMatchObject({ accepted: true, complete: true, attempts: 2 });
    expect(provider.connector()).toEqual(INITIAL_CONNECTOR);
  });

  it("when the restore keeps failing past its deadline: the outcome names every field and the value to set", async () => {
    // Its own fake: this one is left changed.
    const provider = await fake({ failingPatches: Array.from({ length: 60 }, (_, i) => i + 4) });
    const failure = await failureOf(verifyProvider(optionsFor(provider, { signal: throwingSignal(6), restoreDeadlineMs: 1_200 })));
    expect(failure.restore).toMatchObject({
      complete: false,
      accepted: false,
      toSet: { standard: "IEC_62196_T2", maxElectricPower: 11, maxAmperage: 16 },
      error: "the restoring patch was answered 503",
    });
    expect(failure.restore?.unrestorable.map((u) => [u.field, u.valueToSet])).toEqual([
      ["standard", "IEC_62196_T2"],
      ["maxElectricPower", 11],
      ["maxAmperage", 16],
    ]);
    expect(provider.connector()).not.toEqual(INITIAL_CONNECTOR);
  });

  it("when the restore stays rate-limited: 429s are waited out until its deadline, then the values to set are named", async () => {
    const provider = await fake({ rateLimitsRestore: true });
    const report = await verifyProvider(optionsFor(provider, { runs: 0, restoreDeadlineMs: 1_500 }));
    expect(report.restore.complete).toBe(false);
    expect(report.restore.error).toMatch(/rate-limited \(429\) at the restore's deadline/);
    expect(Object.keys(report.restore.toSet).length).toBeGreaterThan(0);
    for (const [field, value] of Object.entries(report.restore.toSet)) expect(value).toEqual((INITIAL_CONNECTOR as Record<string, unknown>)[field]);
    expect(provider.limits.rateLimited).toBeGreaterThan(0);
  });

  it("when the run is aborted: it stops after the exchange in flight and restores", async () => {
    const provider = await fake();
    const stop = new AbortController();
    const report = await verifyProvider(optionsFor(provider, { signal: stop.signal }), { onExchange: (_r, done) => done === 5 && stop.abort() });
    expect(report.verdict).toBe("interrupted");
    expect(report.exchanges.at(-1)?.case.kind).toBe("restore");
    expect(report.restore.accepted).toBe(true);
    expect(provider.connector()).toEqual(INITIAL_CONNECTOR);
  });

  it("when the provider starts failing mid-run: the failures are violations and the restore still runs", async () => {
    const provider = await fake({ failingPatches: [4, 5, 6, 7] });
    const report = await verifyProvider(optionsFor(provider));
    const failing = report.exchanges.filter((e) => e.response?.status === 503);
    // The 4th to 7th patches past the key check (the two examples and the unknown connector come first).
    expect(failing.map((e) => e.case.id)).toEqual(["unknown:evse", "cover#1", "cover#2", "cover#3"]);
    expect(failing.every((e) => e.findings.some((f) => f.check === "not-a-server-error" && f.severity === "violation"))).toBe(true);
    expect(report.restore).toMatchObject({ accepted: true, complete: true });
    expect(provider.connector()).toEqual(INITIAL_CONNECTOR);
  });

  it("writes nothing, so has nothing to restore, when the key is rejected on the first read", async () => {
    const provider = await fake({ breakage: "rejects-key" });
    const failure = await failureOf(verifyProvider(optionsFor(provider)));
    expect(failure.message).toMatch(/rejects the API key \(401\).*nothing was sent/);
    expect(failure.restore).toBeUndefined();
    expect(patches(provider)).toBe(0);
  });
});

describe("the key never leaves through verify", () => {
  /** Everything a caller or a person can see of one run. */
  async function everything(key: string, fakeOptions: FakeOptions) {
    const provider = await fake({ ...fakeOptions, key });
    const seen: unknown[] = [];
    const report = await verifyProvider(optionsFor(provider, { apiKey: key, runs: 1 }), {
      onPlan: (plan) => seen.push(plan),
      onBaseline: (baseline) => seen.push(baseline),
      onExchange: (result) => seen.push(result),
    });
    expect(provider.connector()).toEqual(INITIAL_CONNECTOR);
    return { report, text: [JSON.stringify(report), JSON.stringify(seen), toJUnit(report), describeResult(report)].join("\n") };
  }

  it("redacts a provider that echoes the key as a property name, in a body and in messages", async () => {
    const { report, text } = await everything(FAKE_KEY, { echoKey: true, echoKeyAsProperty: true });
    // The echo is a violation of its own, and is reported without the key.
    expect(report.verdict).toBe("violated");
    expect(report.exchanges.flatMap((e) => e.findings).filter((f) => f.severity === "violation").map((f) => f.check)).toEqual(
      expect.arrayContaining(["key-not-echoed"]),
    );
    expect(text).toContain('"Bearer [redacted]":'); // the echoed property name, replaced
    expect(text).toContain("request made with Bearer [redacted]");
    expect(text).not.toContain(FAKE_KEY);
  });

  it("redacts the key from an error that is not verify's own and from a hook's error", async () => {
    const provider = await fake();
    const failure = await failureOf(verifyProvider(optionsFor(provider, { signal: throwingSignal(3, `something quoted ${FAKE_KEY}`) })));
    expect(failure.message).toBe("something quoted [redacted]");
    expect(failure.stack).not.toContain(FAKE_KEY);
    expect(provider.connector()).toEqual(INITIAL_CONNECTOR);
    const report = await verifyProvider(optionsFor(provider, { runs: 0 }), {
      onBaseline: () => {
        throw new Error(`logger got ${FAKE_KEY}`);
      },
    });
    expect(report.hookErrors).toEqual([{ hook: "onBaseline", message: "logger got [redacted]" }]);
  });

  it.each(["t", "1", "v2"])("with a %j key: verify's own words stay whole, and no echo of the key gets through", async (key) => {
    const { report, text } = await everything(key, { echoKey: true, echoKeyAsProperty: true });
    // Verify's own report is intact: the key is not replaced in words verify wrote itself.
    expect(report.tool).toBe("spirii-contract verify");
    expect(report.verdict).toBe("violated"); // the echo itself (key-not-echoed)
    expect(report.exchanges.at(-1)?.case.id).toBe("restore");
    expect(report.exchanges[0]?.request.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v2\/evses\/123456\/connectors\/1$/);
    const junit = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(toJUnit(report));
    expect(junit.testsuites.testsuite[0].testcase).toHaveLength(report.exchanges.length);
    // Every echo arrived redacted: as a message, and as a property name.
    expect(text).not.toContain(`Bearer ${key}`);
    expect(text).toContain('"Bearer [redacted]":');
  });
});
