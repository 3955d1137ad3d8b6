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
      onRead: () => Promise.reject(new Error("onRead rejected")) as unknown as void,
    };
    const report = await verifyProvider(optionsFor(provider), events);
    expect(report.verdict).toBe("holds");
    expect(report.counts.notRun).toBe(0); // the throw did not stop the run
    expect(report.hookErrors).toEqual([
      { hook: "onPlan", message: "onPlan broke" },
      { hook: "onRead", message: "onRead rejected" },
      { hook: "onExchange", message: "onExchange broke at 3" },
    ]);
    expect(report.restore).toMatchObject({ accepted: true, mayHaveChanged: true });
    expect(provider.connector()).toEqual(INITIAL_CONNECTOR);
  });

  it("when the run fails mid-way: the error carries what was put back, and the connector is as before", async () => {
    const provider = await fake();
    const before = patches(provider);
    // Read before the 6th case: two examples, the auth probe and a covering patch have changed the connector.
    const failure = await failureOf(verifyProvider(optionsFor(provider, { signal: throwingSignal(6) })));
    expect(failure).toBeInstanceOf(TypeError);
    expect(failure.message).toBe("the signal broke");
    expect(failure.restore).toEqual({
      source: "read-before-writing",
      patch: { standard: "IEC_62196_T2", format: "SOCKET", maxElectricPower: 11, maxAmperage: 16, maxVoltage: 400 },
      accepted: true,
      unrestorable: [],
      mayHaveChanged: true,
    });
    expect(patches(provider) - before).toBe(6); // five cases (the auth probe included) and the restore
    expect(provider.connector()).toEqual(INITIAL_CONNECTOR);
  });

  it("when the restore is refused too: the error says the connector may not be back, and what to set", async () => {
    // Its own fake: this one is left changed. Its 4th PATCH past the key check is the restore.
    const provider = await fake({ failingPatches: [4] });
    const failure = await failureOf(verifyProvider(optionsFor(provider, { signal: throwingSignal(6) })));
    expect(failure.restore).toMatchObject({ accepted: false, mayHaveChanged: true, patch: { standard: "IEC_62196_T2", maxAmperage: 16 } });
    expect(provider.connector()).not.toEqual(INITIAL_CONNECTOR);
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
    expect(failing.map((e) => e.case.id)).toEqual(["cover#2", "cover#3", "cover#4", "cover#5"]); // the 3rd to 6th patches past the key check
    expect(report.restore).toMatchObject({ accepted: true });
    expect(provider.connector()).toEqual(INITIAL_CONNECTOR);
  });

  it("skips the restore only when nothing was written, and says so", async () => {
    const provider = await fake({ breakage: "rejects-key" });
    const failure = await failureOf(verifyProvider(optionsFor(provider)));
    expect(failure.message).toMatch(/rejects the API key \(401\).*nothing was changed/);
    // One patch was sent and refused; what it touched was never read, so no restoring patch exists.
    expect(failure.restore).toEqual({ source: "none", patch: {}, accepted: undefined, unrestorable: [], mayHaveChanged: false });
  });
});

describe("the key never leaves through verify", () => {
  /** Everything a caller or a person can see of one run. */
  async function everything(key: string, fakeOptions: FakeOptions) {
    const provider = await fake({ ...fakeOptions, key });
    const seen: unknown[] = [];
    const report = await verifyProvider(optionsFor(provider, { apiKey: key, runs: 1 }), {
      onPlan: (plan) => seen.push(plan),
      onRead: (learned, detail) => seen.push({ learned, detail }),
      onExchange: (result) => seen.push(result),
    });
    expect(provider.connector()).toEqual(INITIAL_CONNECTOR);
    return { report, text: [JSON.stringify(report), JSON.stringify(seen), toJUnit(report), describeResult(report)].join("\n") };
  }

  it("redacts a provider that echoes the key as a property name, in a body and in messages", async () => {
    const { report, text } = await everything(FAKE_KEY, { echoKey: true, echoKeyAsProperty: true });
    expect(report.verdict).toBe("holds");
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
      onRead: () => {
        throw new Error(`logger got ${FAKE_KEY}`);
      },
    });
    expect(report.hookErrors).toEqual([{ hook: "onRead", message: "logger got [redacted]" }]);
  });

  it.each(["t", "1", "v2"])("with a %j key: verify's own words stay whole, and no echo of the key gets through", async (key) => {
    const { report, text } = await everything(key, { echoKey: true, echoKeyAsProperty: true });
    // Verify's own report is intact: the key is not replaced in words verify wrote itself.
    expect(report.tool).toBe("spirii-contract verify");
    expect(report.verdict).toBe("holds");
    expect(report.exchanges.at(-1)?.case.id).toBe("restore");
    expect(report.exchanges[0]?.request.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v2\/evses\/123456\/connectors\/1$/);
    const junit = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(toJUnit(report));
    expect(junit.testsuites.testsuite.testcase).toHaveLength(report.exchanges.length);
    // Every echo arrived redacted: as a message, and as a property name.
    expect(text).not.toContain(`Bearer ${key}`);
    expect(text).toContain('"Bearer [redacted]":');
  });
});
