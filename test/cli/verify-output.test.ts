// What a person reads: the plan and the result counting requests the same way, verdict first, each
// broken rule once, warnings apart, an honest restore line, also when a run ends in an error.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { runCli } from "../../src/cli/run.js";
import { describeFailedRun, describeLostRestore, describePlan, describeRestore, describeResult } from "../../src/cli/verify-output.js";
import { toJUnit, verifyProvider, type RestoreResult, type VerifyPlan, type VerifyReport } from "../../src/testing/index.js";
import { FAKE_CONNECTOR_ID, FAKE_KEY, FAKE_UID, INITIAL_CONNECTOR, startFakeProvider, type FakeOptions, type FakeProvider } from "../fakes/provider.js";
import { loadPrism } from "../../src/testing/peers.js";

const fakes = new Map<string, FakeProvider>();
/** A pace no test waits for (the fakes here enforce no limit). */
const FAST = { maxWritesPerMinute: 10_000_000 } as const;
afterAll(() => Promise.all([...fakes.values()].map((f) => f.close())));
// Prism loads once per worker, slowly under load: in a hook, so no single test pays for it.
beforeAll(() => void loadPrism());
async function fake(options: FakeOptions): Promise<FakeProvider> {
  const key = JSON.stringify(options);
  if (!fakes.has(key)) fakes.set(key, await startFakeProvider(options));
  return fakes.get(key)!;
}

async function run(options: FakeOptions, timeoutMs = 2_000) {
  let plan: VerifyPlan | undefined;
  const report = await verifyProvider(
    { baseUrl: (await fake(options)).url, uid: FAKE_UID, connectorId: FAKE_CONNECTOR_ID, apiKey: FAKE_KEY, runs: 3, seed: 5, timeoutMs, ...FAST },
    { onPlan: (p) => (plan = p) },
  );
  return { report, plan: plan!, text: describeResult(report) };
}

describe("the result a person reads", () => {
  it("counts requests in the result as the plan does, the restore apart", async () => {
    const { report, plan, text } = await run({});
    const planned = /: (\d+) requests \(/.exec(describePlan(plan, { uid: FAKE_UID, connectorId: FAKE_CONNECTOR_ID }))?.[1];
    expect(Number(planned)).toBe(plan.cases.length);
    expect(text).toContain(`Result: the contract HOLDS. ${plan.cases.length + 1} exchanges (${planned} requests and the restore), no violations`);
    expect(report.counts).toMatchObject({ requests: plan.cases.length, exchanges: plan.cases.length + 1 });
  });

  it("groups a rule broken by many exchanges into one line, then shows the first failing exchanges", async () => {
    const { report, text } = await run({ breakage: "missing-required" });
    const failing = report.counts.failed;
    expect(text.trimStart().split("\n")[0]).toMatch(new RegExp(`^Result: the contract is VIOLATED\\. ${failing} of ${report.counts.exchanges} exchanges \\(${report.counts.requests} requests and the restore\\) break it`));
    expect(text.match(new RegExp(`✗ schema/required at /evseId: is required \\[contract\\] \\(${failing}×, first in example:powerOnly\\)`, "g"))).toHaveLength(1);
    expect(text).toContain(`Failing exchanges (first 5 of ${failing}; all in --report-json):`);
  });

  it("keeps warnings apart from violations and says why error bodies only warn", async () => {
    const { text } = await run({ breakage: "bare-error-bodies" });
    expect(text).toMatch(/Result: the contract HOLDS\. \d+ exchanges \(\d+ requests and the restore\), no violations, \d+ warnings/);
    expect(text).toContain("Warnings (reported, not failing):");
    expect(text).toContain("note: error bodies are judged as warnings: the error envelope is documented nearby, not certain");
  });

  it("prints the write budget before the first request and the wall time at the end", async () => {
    const { plan, text } = await run({});
    const planText = describePlan(plan, { uid: FAKE_UID, connectorId: FAKE_CONNECTOR_ID });
    // The PATCH's cases, its restore, and the harmless requests of the commands beside it.
    expect(plan.pace.writes).toBeGreaterThan(plan.cases.length + 1);
    expect(planText).toContain(`Budget: ${plan.pace.writes} writes; at 10000000 a minute this takes about 1 s`);
    expect(text).toMatch(/Wall time \d+\.\d s: \d+ writes at up to 10000000 a minute and \d+ reads; 0 answers of 429, each waited out and sent again\./);
  });

  it("says when it stopped early and how much it did not send", async () => {
    const { report, text } = await run({ breakage: "hangs" }, 200);
    expect(text).toContain(`Stopped early: stopped after 3 timeouts in a row: the provider is not answering; ${report.counts.notRun} requests were not sent.`);
    expect(report.counts.notRun).toBeGreaterThan(0);
    // The hanging provider applied nothing: the connector reads back as before, nothing to send.
    expect(text).toContain("Restore: nothing to put back; connector 1 of EVSE 123456 reads back as before the run.");
  });

  it("lists the event hooks that threw", async () => {
    const report = await verifyProvider(
      { baseUrl: (await fake({})).url, uid: FAKE_UID, connectorId: FAKE_CONNECTOR_ID, apiKey: FAKE_KEY, runs: 0, seed: 5, ...FAST },
      {
        onBaseline: () => {
          throw new Error("my logger is down");
        },
      },
    );
    expect(describeResult(report)).toContain("Event hooks that threw (the run went on without them):\n  ! onBaseline: my logger is down");
  });
});

describe("a second Ctrl-C, quitting without the restore", () => {
  it("names every field to set by hand with its connector: the one under test and every other the EVSE had", () => {
    const text = describeLostRestore(
      { values: { maxAmperage: 32 }, detail: "GET /v2/evses/123456 answered 200", otherConnectors: [{ connectorId: 2, values: { maxAmperage: 125, maxVoltage: 500 } }] },
      { uid: 123456, connectorId: 1 },
      "SIGINT again",
    );
    expect(text).toContain('Set connector 1 of EVSE 123456 back to: {"maxAmperage":32}');
    expect(text).toContain('connector 2 to {"maxAmperage":125,"maxVoltage":500}');
    expect(text).toContain("Exit 3");
  });
});

describe("the restore, in words", () => {
  const base: Omit<RestoreResult, "accepted" | "complete"> = { source: "read-before-writing", patch: { maxAmperage: 16 }, attempts: 1, unrestorable: [], toSet: {}, otherConnectors: [], differences: [], mayHaveChanged: true };
  const address = { uid: FAKE_UID, connectorId: FAKE_CONNECTOR_ID };
  it("a complete restore says what was put back and that it reads back as before", () => {
    expect(describeRestore({ ...base, accepted: true, complete: true }, address)).toEqual([
      "Restore: put back maxAmperage=16 (read before the first patch) in 1 attempt(s); connector 1 of EVSE 123456 reads back as before the run.",
    ]);
  });
  it("an incomplete one names every field, the value to set and the value now, and why", () => {
    const lines = describeRestore(
      {
        ...base,
        accepted: false,
        complete: false,
        error: "the restoring patch was still rate-limited (429) at the restore's deadline",
        unrestorable: [{ field: "maxAmperage", reason: "it does not read back as before the run", lastSeen: 5e-324, valueToSet: 16 }],
        toSet: { maxAmperage: 16 },
      },
      address,
    );
    expect(lines).toEqual([
      `Restore INCOMPLETE: the restoring patch was still rate-limited (429) at the restore's deadline. Set connector 1 of EVSE 123456 back to: {"maxAmperage":16}`,
      "  maxAmperage: set to 16; it reads 5e-324 now (it does not read back as before the run)",
    ]);
  });
  it("names what else differs from before the run, with its earlier value", () => {
    const lines = describeRestore({ ...base, accepted: true, complete: true, differences: [{ pointer: "/status", before: "CHARGING", now: "AVAILABLE" }] }, address);
    expect(lines.slice(1)).toEqual(["Also different from before the run (no connector patch can set these back):", '  /status: was "CHARGING", now "AVAILABLE"']);
  });

  it("names another connector's fields it could not put back: the value to set, or that the field was absent before", () => {
    const lines = describeRestore(
      {
        ...base,
        accepted: true,
        complete: false,
        error: "the provider refused the restoring patch of connector 2 with 409",
        otherConnectors: [{ connectorId: 2, patch: { maxAmperage: 125 }, accepted: false, complete: false, toSet: { maxAmperage: 125 } }],
        unrestorable: [
          { connectorId: 2, field: "maxAmperage", reason: "the provider refused the restoring patch of connector 2 with 409", lastSeen: 32, valueToSet: 125 },
          { connectorId: 2, field: "maxElectricPower", reason: "it was absent before the run, and no patch can remove a field: remove it another way", lastSeen: 11 },
        ],
      },
      address,
    );
    expect(lines).toEqual([
      "Restore INCOMPLETE: the provider refused the restoring patch of connector 2 with 409.",
      'Set connector 2 of EVSE 123456 back to: {"maxAmperage":125}',
      "  connector 2 maxAmperage: set to 125; it reads 32 now (the provider refused the restoring patch of connector 2 with 409)",
      "  connector 2 maxElectricPower: remove it (absent before the run); it reads 11 now (it was absent before the run, and no patch can remove a field: remove it another way)",
    ]);
  });
});

describe("a run that ends in an error", () => {
  it("is told with what was put back before it, and the connector is as it was", async () => {
    const provider = await fake({ readable: true });
    let reads = 0;
    // A signal whose getter throws on its 6th read: an error inside the run, after five cases.
    const signal = { get aborted() { if (++reads === 6) throw new TypeError("the signal broke"); return false; }, addEventListener() {}, removeEventListener() {} } as unknown as AbortSignal;
    const error = await verifyProvider({ baseUrl: provider.url, uid: FAKE_UID, connectorId: FAKE_CONNECTOR_ID, apiKey: FAKE_KEY, runs: 0, seed: 5, signal, ...FAST }).catch((e: unknown) => e);
    expect(describeFailedRun(error, { uid: FAKE_UID, connectorId: FAKE_CONNECTOR_ID })).toBe(
      '\nThe run stopped on an error (below).\nRestore: put back standard="IEC_62196_T2", maxElectricPower=11, maxAmperage=16 (read before the first patch) in 1 attempt(s); connector 1 of EVSE 123456 reads back as before the run.\n',
    );
    expect(provider.connector()).toEqual(INITIAL_CONNECTOR);
    expect(describeFailedRun(new Error("before any write"))).toBeUndefined();
  });
});

describe("contract coverage, from the command line", () => {
  let stdout = "";
  beforeEach(() => {
    stdout = "";
    vi.spyOn(process.stdout, "write").mockImplementation((chunk) => ((stdout += String(chunk)), true));
    vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    vi.stubEnv("SPIRII_API_KEY", FAKE_KEY);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });
  const verifyArgs = (url: string, ...more: string[]) =>
    ["verify", "--base-url", url, "--uid", String(FAKE_UID), "--connector-id", String(FAKE_CONNECTOR_ID), "--runs", "0", "--max-writes-per-minute", "100000", ...more];

  it("puts coverage in --report-json: against a conforming provider 200, 401 and 422 are covered, 429 is not", async () => {
    const dir = await mkdtemp(join(tmpdir(), "verify-coverage-"));
    try {
      const json = join(dir, "report.json");
      expect(await runCli(verifyArgs((await fake({})).url, "--report-json", json))).toBe(0);
      const report = JSON.parse(await readFile(json, "utf8")) as VerifyReport;
      const covered = (id: string) => report.coverage.items.find((item) => item.id === id)?.covered;
      expect([covered("updateConnector status:200"), covered("updateConnector status:401"), covered("updateConnector status:422"), covered("updateConnector status:429")]).toEqual([
        true,
        true,
        true,
        false,
      ]);
      expect(covered("updateConnector rule:exclusiveMinimum /maxAmperage")).toBe(true);
      expect(covered("updateConnector request:standard=GBT_DC")).toBe(true);
      // The reads around each write are getEvse exchanges, each with a 200 EVSE body.
      expect([covered("getEvse status:200"), covered("getEvse response:200 status=AVAILABLE")]).toEqual([true, true]);
      expect(report.coverage.percent).toBeGreaterThan(0);
      expect(report.coverage.percent).toBeLessThan(100);
      expect(stdout).toMatch(/Contract coverage: \d+\.\d% \(\d+ of \d+ items\)\.\nNot covered:\n {2}status: [^\n]*updateConnector status:429/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("--fail-under 100 exits 1 on a provider that keeps the contract, saying the coverage failed and naming what is missing", async () => {
    expect(await runCli(verifyArgs((await fake({})).url, "--fail-under", "100"))).toBe(1);
    expect(stdout).toMatch(/Result: FAILED: coverage under 100%\. \d+ exchanges/);
    expect(stdout).toMatch(/Contract coverage: \d+\.\d% \(\d+ of \d+ items\) — UNDER the required 100%\.\nNot covered:\n {2}status: [^\n]*updateConnector status:429/);
    expect(stdout).toContain("Exit 1: coverage under 100%.");
  });

  it("--fail-under with a contract violation names both", async () => {
    expect(await runCli(verifyArgs((await fake({ breakage: "wrong-enum" })).url, "--fail-under", "100"))).toBe(1);
    expect(stdout).toContain("Exit 1: contract violated and coverage under 100%.");
  });

  it("--fail-under 0 passes, and a bad percentage is a usage error", async () => {
    expect(await runCli(verifyArgs((await fake({})).url, "--fail-under", "0"))).toBe(0);
    expect(await runCli(verifyArgs((await fake({})).url, "--fail-under", "101"))).toBe(2);
  });
});

describe("the coverage gate in JUnit", () => {
  it("adds a failing run test case, so a CI that reads only JUnit sees it", async () => {
    const report = await verifyProvider({ baseUrl: (await fake({})).url, uid: FAKE_UID, connectorId: FAKE_CONNECTOR_ID, apiKey: FAKE_KEY, runs: 0, seed: 5, failUnder: 100, ...FAST });
    expect(report.verdict).toBe("violated");
    expect(report.reasons).toEqual(["coverage under 100%"]);
    const xml = toJUnit(report);
    expect(xml).toMatch(/<testcase classname="spirii-contract.run" name="coverage" time="0"><failure message="coverage under 100%: \d+ of \d+ items covered" type="coverage"\/><\/testcase>/);
  });

  it("refuses a failUnder that is not a percentage", async () => {
    await expect(verifyProvider({ baseUrl: (await fake({})).url, uid: FAKE_UID, connectorId: FAKE_CONNECTOR_ID, apiKey: FAKE_KEY, failUnder: 120 })).rejects.toThrow(
      "failUnder must be a percentage from 0 to 100, got 120",
    );
  });
});
