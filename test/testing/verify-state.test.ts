// verify's oracle and its safety against providers with bugs an answer alone does not show: each
// bug fails verify on every seed tried and with runs 0, and after every run the provider's whole
// state is as before, or verify names each field that differs with the value to set. Against the
// package's own fake (the certified model): nothing at all is reported, and its state is unchanged.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadPrism } from "../../src/testing/peers.js";
import { startFakeApi, verifyProvider, type VerifyReport } from "../../src/testing/index.js";
import { FAKE_CONNECTOR_ID, FAKE_KEY, FAKE_UID, initialEvse, startFakeProvider, type FakeOptions, type FakeProvider } from "../fakes/provider.js";

const FAST = { maxWritesPerMinute: 60_000, timeoutMs: 2_000 } as const;
const SEEDS: ReadonlyArray<{ seed: number; runs: number }> = [
  { seed: 1, runs: 2 },
  { seed: 977, runs: 2 },
  { seed: 5, runs: 0 },
];
// Prism loads once per worker, slowly under load: in a hook, so no single test pays for it.
beforeAll(() => void loadPrism());
const fakes: FakeProvider[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

const findings = (report: VerifyReport) => report.exchanges.flatMap((e) => e.findings.map((f) => ({ ...f, case: e.case.id })));

describe("verify against the package's own fake, the model it compares with", () => {
  it("reports nothing of any severity and leaves the fake's EVSE as it was", async () => {
    const evse = initialEvse();
    const fake = await startFakeApi({ evses: [evse as never], apiKeys: [FAKE_KEY] });
    try {
      const before = fake.evse(FAKE_UID);
      const report = await verifyProvider({ baseUrl: fake.url, uid: FAKE_UID, connectorId: FAKE_CONNECTOR_ID, apiKey: FAKE_KEY, runs: 3, seed: 42, ...FAST });
      expect(findings(report)).toEqual([]);
      expect(report.runFindings).toEqual([]);
      expect(report.verdict).toBe("holds");
      expect(report.restore).toMatchObject({ complete: true, differences: [] });
      expect(fake.evse(FAKE_UID)).toEqual(before);
    } finally {
      await fake.close();
    }
  });
});

// Each bug, and what verify must name.
const BUGS: Array<[string, FakeOptions, { check: string; message: RegExp }]> = [
  ["stale answer", { stateBug: "stale-answer" }, { check: "patch-applied", message: /^stale answer: the answer shows \w+ .*, its value before the patch/ }],
  ["wrong connector written", { stateBug: "wrong-connector" }, { check: "no-side-effect", message: /^wrong connector changed: connector 2 / }],
  ["refused patch partly applied", { stateBug: "refused-partly-applied" }, { check: "no-side-effect", message: /^refused patch partly applied: \w+ reads back as .* after the provider refused the patch with 400/ }],
  ["change not stored", { stateBug: "not-stored" }, { check: "state-persisted", message: /^change not stored: \w+ reads back as .* after a patch that set it to/ }],
  ["value rounded", { stateBug: "rounds" }, { check: "state-persisted", message: /^value stored as \d+ where [\d.e-]+ was sent/ }],
  ["EVSE status reset", { stateBug: "resets-status", status: "CHARGING" }, { check: "no-side-effect", message: /^EVSE status changed by a connector patch: "CHARGING" when read right before it, "AVAILABLE"/ }],
  ["unknown EVSE created", { stateBug: "creates-unknown-evse" }, { check: "unknown-resource-404", message: /^unknown EVSE \d+ answered 200: a patch of something that does not exist must be 404/ }],
  ["500 for an empty body", { serverError: "empty-body-500" }, { check: "not-a-server-error", message: /^answered 500 to an invalid patch/ }],
  ["500 for a valid patch", { serverError: "valid-patch-500" }, { check: "not-a-server-error", message: /^answered 500: the provider failed on a request it must accept or refuse/ }],
  ["the key echoed", { echoKey: true }, { check: "key-not-echoed", message: /the answer contains the API key it was sent/ }],
  ["unknown fields dropped, not refused", { ignoresUnknownFields: true }, { check: "negative-data-rejected", message: /answered 200 to a patch the contract rejects \(unknown field "\w+" among valid ones/ }],
];

describe.each(BUGS)("a provider with a bug: %s", (_, options, expected) => {
  it.each(SEEDS)("fails verify (seed $seed, runs $runs), names it, and leaves the state as it was or names what to set", async ({ seed, runs }) => {
    const fake = await startFakeProvider(options);
    fakes.push(fake);
    const before = fake.state();
    const report = await verifyProvider({ baseUrl: fake.url, uid: FAKE_UID, connectorId: FAKE_CONNECTOR_ID, apiKey: FAKE_KEY, runs, seed, ...FAST });
    expect(report.verdict).toBe("violated");
    const found = findings(report).filter((f) => f.severity === "violation");
    expect(found).toContainEqual(expect.objectContaining({ check: expected.check, message: expect.stringMatching(expected.message) }));
    // The whole state as before, or every difference named with the value it had.
    const after = fake.state();
    const named = [...report.restore.unrestorable.map((u) => u.field), ...report.restore.differences.map((d) => d.pointer)];
    if (JSON.stringify(after) !== JSON.stringify(before)) {
      expect(named.length).toBeGreaterThan(0);
      const evseBefore = before["evse"] as ReturnType<typeof initialEvse>;
      const evseAfter = after["evse"] as ReturnType<typeof initialEvse>;
      for (const [i, connector] of evseAfter.connectors.entries()) {
        for (const [field, value] of Object.entries(connector)) {
          const was = (evseBefore.connectors[i] as Record<string, unknown>)[field];
          if (JSON.stringify(was) === JSON.stringify(value)) continue;
          const pointer = `/connectors/${i}/${field}`;
          // A field any connector's restore could not put back (verify puts back every connector it saw changed), or one no patch can set.
          const asField = report.restore.unrestorable.find((u) => u.field === field && u.connectorId === connector.id);
          const asDifference = report.restore.differences.find((d) => d.pointer === pointer);
          expect(asField ?? asDifference, `${pointer} named`).toBeDefined();
          expect(asField ? asField.valueToSet : asDifference?.before, `${pointer} named with its earlier value`).toEqual(was);
        }
      }
      if (evseAfter.status !== evseBefore.status) expect(report.restore.differences).toContainEqual({ pointer: "/status", before: evseBefore.status, now: evseAfter.status });
      for (const uid of Object.keys(after["created"] as object)) expect(named).toContain(`EVSE ${uid}`);
    } else {
      expect(report.restore.complete).toBe(true);
    }
  });
});
