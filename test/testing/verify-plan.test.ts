// What every verify run sends whatever the seed (the examples, the auth probe, the fixed cases at
// the request schema's edges), and that a provider slipping at any of those edges fails every run.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONNECTOR_FORMATS, CONNECTOR_UPDATE_STANDARDS } from "../../generated/values.js";
import { VERIFY_DEFAULTS, verifyProvider, type VerifyOptions, type VerifyReport } from "../../src/testing/index.js";
import { patchRules } from "../../src/testing/patch-model.js";
import { planCases } from "../../src/testing/verify/plan.js";
import { FAKE_CONNECTOR_ID, FAKE_KEY, FAKE_UID, INITIAL_CONNECTOR, startFakeProvider, type Breakage, type FakeProvider } from "../fakes/provider.js";
import { loadPrism } from "../../src/testing/peers.js";

const fakes = new Map<string, FakeProvider>();
afterAll(() => Promise.all([...fakes.values()].map((f) => f.close())));
// Prism loads once per worker, slowly under load: in a hook, so no single test pays for it.
beforeAll(() => void loadPrism());
async function verifyFake(breakage: Breakage | undefined, options: Partial<VerifyOptions> = {}): Promise<VerifyReport> {
  const name = breakage ?? "keeps";
  if (!fakes.has(name)) fakes.set(name, await startFakeProvider(breakage ? { breakage } : {}));
  const fake = fakes.get(name)!;
  const report = await verifyProvider({ baseUrl: fake.url, uid: FAKE_UID, connectorId: FAKE_CONNECTOR_ID, apiKey: FAKE_KEY, runs: 0, seed: 1, timeoutMs: 2_000, maxWritesPerMinute: 10_000_000, ...options });
  expect(fake.connector()).toEqual(INITIAL_CONNECTOR); // every run leaves it as it found it
  return report;
}
const violations = (report: VerifyReport) => report.exchanges.flatMap((e) => e.findings.filter((f) => f.severity === "violation").map((f) => ({ ...f, case: e.case })));

describe("the plan", () => {
  const FIXED_KINDS = new Set(["example", "auth"]);
  const isFixed = (id: string) => /^(example:|auth:|cover#|boundary#)/.test(id);

  it("sends the same fixed cases first whatever the seed, and --runs bounds only the random part", async () => {
    const plans = await Promise.all([0, 1, 7, 2024, 2 ** 31 - 1].flatMap((seed) => [0, 3].map((runs) => planCases({ runs, seed }))));
    const fixedOf = (plan: Awaited<ReturnType<typeof planCases>>) => plan.filter((c) => isFixed(c.id));
    for (const plan of plans) {
      expect(fixedOf(plan)).toEqual(fixedOf(plans[0]!));
      // Fixed first, then the random ones.
      const firstRandom = plan.findIndex((c) => !isFixed(c.id));
      if (firstRandom >= 0) expect(plan.slice(firstRandom).every((c) => !isFixed(c.id))).toBe(true);
    }
    expect(plans[0]!.every((c) => isFixed(c.id))).toBe(true); // --runs 0: nothing random
    expect(plans[1]!.filter((c) => !isFixed(c.id))).toHaveLength(6); // --runs 3: three valid, three invalid
    expect(plans[0]!.filter((c) => FIXED_KINDS.has(c.kind)).map((c) => c.id)).toEqual(["example:powerOnly", "example:referencePage", "auth:no-key", "auth:wrong-key"]);
  });

  it("sends the boundary cases a provider most often gets wrong, each on its own", async () => {
    const bodies = (await planCases({ runs: 0, seed: 1 })).filter((c) => c.kind === "invalid").map((c) => c.body);
    for (const expected of [
      { maxAmperage: 0 },
      { maxAmperage: -1 },
      { maxElectricPower: 0 },
      { maxVoltage: -1 },
      { standard: "Chademo" },
      { standard: "chademo" },
      { format: "socket" },
      { format: "Cable" },
      { standard: null },
      { maxVoltage: null },
      { maxAmperage: "32" },
      { max_electric_power: 22 },
      {},
    ]) {
      expect(bodies).toContainEqual(expected);
    }
  });

  it("uses every published request enum value and every field in its valid patches", async () => {
    const valid = (await planCases({ runs: 0, seed: 1 })).filter((c) => c.kind === "valid").map((c) => c.body as Record<string, unknown>);
    expect(new Set(valid.map((b) => b["standard"]).filter(Boolean))).toEqual(new Set(CONNECTOR_UPDATE_STANDARDS));
    expect(new Set(valid.map((b) => b["format"]).filter(Boolean))).toEqual(new Set(CONNECTOR_FORMATS));
    expect(new Set(valid.flatMap(Object.keys))).toEqual(new Set(patchRules().fields.map((f) => f.name)));
    expect(valid).toContainEqual({ maxElectricPower: Number.MIN_VALUE, maxAmperage: Number.MIN_VALUE, maxVoltage: Number.MIN_VALUE });
  });

  it("breaks every rule of the request schema at least once", async () => {
    const rules = patchRules();
    const expected = new Set([
      "type ",
      ...(rules.minProperties > 0 ? ["minProperties "] : []),
      ...(rules.closed ? ["additionalProperties"] : []),
      ...rules.fields.flatMap((f) => [`type /${f.name}`, ...(f.enum ? [`enum /${f.name}`] : []), ...[f.lower, f.upper].filter((b) => b !== undefined).map((b) => `${b.keyword} /${f.name}`)]),
    ]);
    const broken = new Set(
      (await planCases({ runs: 0, seed: 1 })).filter((c) => c.kind === "invalid").map((c) => (c.breaks!.keyword === "additionalProperties" ? "additionalProperties" : `${c.breaks!.keyword} ${c.breaks!.pointer}`)),
    );
    expect(broken).toEqual(expected);
  });

  it("leaves the auth probe out when asked", async () => {
    expect((await planCases({ runs: 0, seed: 1, authProbe: false })).some((c) => c.kind === "auth")).toBe(false);
  });
});

describe("a provider that slips at an edge fails every run", () => {
  it.each([
    [0, 1],
    [0, 2],
    [VERIFY_DEFAULTS.runs, 3],
    [VERIFY_DEFAULTS.runs, 4],
  ])("accepting maxAmperage 0 fails at --runs %i, seed %i", async (runs, seed) => {
    const report = await verifyFake("accepts-zero", { runs, seed });
    expect(report.verdict).toBe("violated");
    const accepted = violations(report).filter((f) => f.rule === "accepts-invalid").map((f) => f.case.body);
    expect(accepted).toEqual(expect.arrayContaining([{ maxAmperage: 0 }, { maxAmperage: -1 }]));
  });

  it("accepting \"Chademo\" fails at --runs 0, naming the case", async () => {
    const report = await verifyFake("case-insensitive-enums");
    expect(report.verdict).toBe("violated");
    const found = violations(report).find((f) => JSON.stringify(f.case.body) === '{"standard":"Chademo"}');
    expect(found).toMatchObject({ rule: "accepts-invalid", pointer: "/standard", message: expect.stringContaining('standard = "Chademo": "CHADEMO" in another casing') });
  });

  it("a status in OCPP casing is called the likeliest provider bug, pointing to ocppToOcpiStatus", async () => {
    const report = await verifyFake("ocpp-status");
    const found = violations(report).find((f) => f.pointer === "/status");
    expect(found?.message).toBe(
      'must be one of "AVAILABLE", "BLOCKED", "CHARGING", "INOPERATIVE", "OUTOFORDER", "PLANNED", "REMOVED", "RESERVED", "UNKNOWN", got "Charging". ' +
        '"Charging" is an OCPP 1.6 connector status, not the OCPI status this API reports: the likeliest provider bug. ' +
        'Map it with ocppToOcpiStatus (spirii-connector-contract), from the table in the contract\'s EvseStatus: "Charging" -> "CHARGING"',
    );
  });
});

describe("the auth probe", () => {
  it("fails a provider that applies a patch without a valid key, saying so", async () => {
    const report = await verifyFake("ignores-auth");
    expect(report.verdict).toBe("violated");
    const auth = violations(report).filter((f) => f.rule === "auth");
    expect(auth.map((f) => f.case.id)).toEqual(["auth:no-key", "auth:wrong-key"]);
    expect(auth[0]!.message).toMatch(/^answered 200 to a patch sent without Authorization: the provider ignores authentication/);
    expect(auth[1]!.message).toMatch(/^answered 200 to a patch sent with a wrong API key: the provider ignores authentication/);
    expect(report.restore.accepted).toBe(true); // and the probe's patch was put back with the rest
  });

  it("passes the same provider with authProbe: false, and a conforming one with it", async () => {
    expect((await verifyFake("ignores-auth", { authProbe: false })).verdict).toBe("holds");
    const report = await verifyFake(undefined);
    expect(report.verdict).toBe("holds");
    expect(report.exchanges.filter((e) => e.case.kind === "auth").map((e) => e.response?.status)).toEqual([401, 401]);
  });

  it("refuses an authProbe that is not a boolean", async () => {
    await expect(verifyFake(undefined, { authProbe: "no" as unknown as boolean })).rejects.toThrow('authProbe must be true or false, got "no"');
  });
});
