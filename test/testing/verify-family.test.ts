// verify and the operations beside the PATCH: consent first (what acts on a charger is sent only
// when named), read-only listEvses verified by default, and each paging check able to fail.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { remoteStop } from "../../generated/validators.js";
import { startFakeApi, verifyProvider, type VerifyPlan, type VerifyReport } from "../../src/testing/index.js";
import { LIST_REQUESTS, verifyListEvses, type FamilyCase, type FamilyJudge, type SentFamilyCase } from "../../src/testing/verify/family.js";
import { loadPrism } from "../../src/testing/peers.js";
import { createRedactor } from "../../src/redact.js";
import { FAKE_CONNECTOR_ID, FAKE_KEY, FAKE_UID, initialEvse, startFakeProvider, type FakeProvider } from "../fakes/provider.js";

/** The run's redactor, as verify builds it from the key. */
const redact = createRedactor(FAKE_KEY);

const FAST = { maxWritesPerMinute: 60_000, timeoutMs: 2_000, runs: 1, seed: 7 } as const;
const findings = (report: VerifyReport) => report.exchanges.flatMap((e) => e.findings.map((f) => ({ ...f, case: e.case.id })));
const familyOf = (report: VerifyReport, operation: string) => report.exchanges.filter((e) => e.case.operation === operation);

beforeAll(() => void loadPrism());

describe("verify without consent, against a provider that counts what it receives", () => {
  let provider: FakeProvider;
  let report: VerifyReport;
  let plan: VerifyPlan | undefined;
  beforeAll(async () => {
    provider = await startFakeProvider();
    report = await verifyProvider({ baseUrl: provider.url, uid: FAKE_UID, connectorId: FAKE_CONNECTOR_ID, apiKey: FAKE_KEY, ...FAST }, { onPlan: (p) => (plan = p) });
  });
  afterAll(() => provider.close());
  const ownConnector = (suffix: string) => `/v2/evses/${FAKE_UID}/connectors/${FAKE_CONNECTOR_ID}/${suffix}`;

  it("sends no unlock and no remote stop to the connector under test, not even a malformed one", () => {
    expect(provider.requests.filter((r) => r.method === "POST" && r.path === ownConnector("unlock"))).toEqual([]);
    expect(provider.requests.filter((r) => r.method === "POST" && r.path === ownConnector("remote-stop-transaction"))).toEqual([]);
    // Malformed stops were sent, and judged, but only to the EVSE read as absent.
    const stops = provider.requests.filter((r) => r.method === "POST" && r.path.endsWith("/remote-stop-transaction"));
    expect(stops.filter((stop) => !remoteStop(JSON.parse(stop.body))).length).toBeGreaterThan(0);
    // Anything valid went only to an EVSE read as absent just before.
    const elsewhere = provider.requests.filter((r) => r.method === "POST" && /\/(unlock|remote-stop-transaction|change-availability)$/.test(r.path) && !r.path.startsWith(`/v2/evses/${FAKE_UID}/`));
    expect(elsewhere.length).toBeGreaterThan(0);
    for (const r of elsewhere) {
      const uid = r.path.split("/")[3];
      const before = provider.requests.slice(0, provider.requests.indexOf(r));
      expect(before.some((read) => read.method === "GET" && read.path === `/v2/evses/${uid}`), `a read of EVSE ${uid} before ${r.method} ${r.path}`).toBe(true);
    }
    // No availability change of the connector under test at all (not asked for, and nothing would put back what a lax provider applied).
    expect(provider.requests.filter((r) => r.path === ownConnector("change-availability"))).toEqual([]);
  });

  it("says what it skipped and why, in the plan and the report", () => {
    const scopes = Object.fromEntries(report.operations.map((o) => [o.operationId, o]));
    expect(scopes["unlockConnector"]).toMatchObject({ mode: "harmless-only", reason: "physical: pass --allow-physical" });
    expect(scopes["remoteStopTransaction"]).toMatchObject({ mode: "harmless-only", reason: "destructive: pass --allow-destructive" });
    expect(scopes["changeConnectorAvailability"]).toMatchObject({ mode: "harmless-only", reason: "restorable: pass --allow-availability" });
    expect(scopes["listEvses"]).toMatchObject({ mode: "verified" });
    expect(plan?.operations).toEqual(report.operations);
  });

  it("still judges everything else: listEvses paged, out-of-range limits refused, the filter, and the harmless commands", () => {
    expect(report.verdict).toBe("holds");
    expect(findings(report).filter((f) => f.severity === "violation")).toEqual([]);
    const lists = familyOf(report, "listEvses").map((e) => `${e.case.id} ${e.response?.status}`);
    expect(lists).toEqual(expect.arrayContaining(["listEvses:limit-1#1 200", "listEvses:limit-2#1 200", "listEvses:limit-0 400", "listEvses:limit-101 400", "listEvses:uids 200"]));
    expect(familyOf(report, "remoteStopTransaction").map((e) => e.response?.status)).toEqual([404, 404, 404]);
    expect(familyOf(report, "unlockConnector").map((e) => `${e.case.kind} ${e.response?.status}`)).toEqual(["unknown 404"]);
  });
});

describe("an EVSE read as absent that a buggy provider creates on a patch", () => {
  it("gets no command: it is read again before the commands, and skipped when it no longer reads as 404", async () => {
    const provider = await startFakeProvider({ stateBug: "creates-unknown-evse" });
    try {
      const report = await verifyProvider({ baseUrl: provider.url, uid: FAKE_UID, connectorId: FAKE_CONNECTOR_ID, apiKey: FAKE_KEY, ...FAST, runs: 0 });
      expect(report.verdict).toBe("violated"); // the creation itself, found by unknown-resource-404
      const created = report.exchanges.find((e) => e.case.id === "unknown:evse")?.case.address?.uid;
      expect(created).toBeDefined();
      expect(provider.requests.filter((r) => r.method === "POST" && r.path.startsWith(`/v2/evses/${created}/`))).toEqual([]);
      // Without an absent EVSE not even a malformed remote stop goes anywhere: skipped, and said so.
      expect(familyOf(report, "remoteStopTransaction")).toEqual([]);
      expect(report.operations.find((o) => o.operationId === "remoteStopTransaction")).toMatchObject({ mode: "skipped" });
      // Nothing at all could go to unlock: said so.
      expect(report.operations.find((o) => o.operationId === "unlockConnector")).toMatchObject({ mode: "skipped", reason: "physical: pass --allow-physical; nothing could be sent that cannot act (no EVSE reads as absent)" });
    } finally {
      await provider.close();
    }
  });
});

describe("a run stopped before the operations beside the PATCH", () => {
  it("reports them skipped, saying why, not verified", async () => {
    const provider = await startFakeProvider();
    try {
      const stop = new AbortController();
      stop.abort();
      const report = await verifyProvider({ baseUrl: provider.url, uid: FAKE_UID, connectorId: FAKE_CONNECTOR_ID, apiKey: FAKE_KEY, ...FAST, signal: stop.signal });
      expect(report.verdict).toBe("interrupted");
      expect(report.operations.find((o) => o.operationId === "listEvses")).toMatchObject({ mode: "skipped", reason: "the run stopped before it" });
      expect(report.operations.find((o) => o.operationId === "unlockConnector")).toMatchObject({ mode: "skipped", reason: "physical: pass --allow-physical; the run stopped before it" });
      expect(provider.requests.filter((r) => r.method === "POST" || r.path === "/v2/evses")).toEqual([]);
    } finally {
      await provider.close();
    }
  });
});

describe("pacing of the commands, in their own rate-limit bucket", () => {
  it("remote-control requests go at the write cap scaled to the bucket's documented share (30 of 120): at most 2 in any window of the bucket's interval", async () => {
    const provider = await startFakeProvider();
    try {
      // 6 000 writes a minute: writes 10 ms apart, remote-control commands sent 40 ms apart (the
      // pacer's Date.now() steps in whole ms: more than 39). Counted, not timed: each command is sent
      // only after the previous one was answered, so it arrives after that one did, however late the
      // machine runs it, and the one after it was sent more than 39 ms after that one was. Any two
      // commands two apart thus arrive more than 39 ms apart: in any 38 ms window, at most 2 arrive.
      // Paced as writes (the defect this guards against), about 4 arrived in such a window.
      await verifyProvider({ baseUrl: provider.url, uid: FAKE_UID, connectorId: FAKE_CONNECTOR_ID, apiKey: FAKE_KEY, ...FAST, runs: 0, maxWritesPerMinute: 6_000 });
      const arrivals = provider.requests.filter((r) => r.method === "POST").map((r) => r.at);
      expect(arrivals.length).toBeGreaterThan(3);
      const mostInAWindow = Math.max(...arrivals.map((start) => arrivals.filter((at) => at >= start && at < start + 38).length));
      expect(mostInAWindow).toBeLessThanOrEqual(2);
    } finally {
      await provider.close();
    }
  });
});

describe("verify with consent, against the package's fake (all six operations)", () => {
  it("runs everything, reports nothing, and leaves the EVSE as it was", async () => {
    const fake = await startFakeApi({ evses: [initialEvse() as never], apiKeys: [FAKE_KEY] });
    try {
      const before = fake.evse(FAKE_UID);
      const report = await verifyProvider({
        baseUrl: fake.url, uid: FAKE_UID, connectorId: FAKE_CONNECTOR_ID, apiKey: FAKE_KEY, ...FAST,
        allowPhysical: true, allowDestructive: true, transactionId: 1, allowAvailability: true,
      });
      expect(findings(report)).toEqual([]);
      expect(report.runFindings).toEqual([]);
      expect(report.verdict).toBe("holds");
      expect(report.operations.every((o) => o.mode === "verified")).toBe(true);
      expect(familyOf(report, "unlockConnector").find((e) => e.case.kind === "valid")?.response).toMatchObject({ status: 200, body: { status: "Unlocked" } });
      expect(familyOf(report, "remoteStopTransaction").find((e) => e.case.kind === "valid")?.response?.status).toBe(200);
      expect(familyOf(report, "changeConnectorAvailability").map((e) => e.case.id)).toEqual(expect.arrayContaining(["changeConnectorAvailability:Inoperative", "changeConnectorAvailability:Operative"]));
      expect(report.restore).toMatchObject({ complete: true, differences: [] });
      expect(fake.evse(FAKE_UID)).toEqual(before);
    } finally {
      await fake.close();
    }
  });

  it("refuses allowDestructive without a transactionId: it never guesses which session to end", async () => {
    await expect(verifyProvider({ baseUrl: "http://127.0.0.1:9", uid: FAKE_UID, connectorId: 1, apiKey: FAKE_KEY, allowDestructive: true })).rejects.toThrow(/name it with transactionId/);
  });

  it("refuses a stopSettleMs that is not a positive whole number of milliseconds, before sending anything", async () => {
    await expect(verifyProvider({ baseUrl: "http://127.0.0.1:9", uid: FAKE_UID, connectorId: 1, apiKey: FAKE_KEY, stopSettleMs: 0 })).rejects.toThrow(/stopSettleMs must be a positive whole number of milliseconds, got 0/);
    await expect(verifyProvider({ baseUrl: "http://127.0.0.1:9", uid: FAKE_UID, connectorId: 1, apiKey: FAKE_KEY, stopSettleMs: "10s" as never })).rejects.toThrow(/stopSettleMs must be a positive whole number of milliseconds, got "10s"/);
  });

  it("refuses a consent that is not true or false, before sending anything", async () => {
    await expect(verifyProvider({ baseUrl: "http://127.0.0.1:9", uid: FAKE_UID, connectorId: 1, apiKey: FAKE_KEY, allowPhysical: "yes" as never })).rejects.toThrow(/allowPhysical must be true or false/);
  });
});

describe("the listEvses checks fail on a provider that gets paging wrong", () => {
  /** A provider as a function of the query: answers one page, and the paging check given is run on it. */
  const sender = (answer: (query: Record<string, string | string[]>) => unknown) => {
    const sent: FamilyCase[] = [];
    const results: SentFamilyCase[] = [];
    const notes: string[] = [];
    const send = async (kase: FamilyCase, judge?: FamilyJudge): Promise<SentFamilyCase> => {
      sent.push(kase);
      const reply = { body: answer(kase.query ?? {}), status: kase.kind === "invalid" ? 400 : 200 };
      const verdict = judge ? await judge(reply) : {};
      notes.push(...(verdict.notes ?? []));
      const result = { findings: verdict.findings ?? [], ...reply };
      results.push(result);
      return result;
    };
    return { send, sent, notes, checks: () => results.flatMap((r) => r.findings.map((f) => f.check)), rules: () => results.flatMap((r) => r.findings.map((f) => f.rule)) };
  };
  const BOX = 456;
  const underTest = { uid: FAKE_UID, chargeboxId: BOX };
  const evses = (...uids: number[]) => uids.map((uid) => ({ uid, chargeboxId: BOX }));
  /** A well-behaved fleet of `size` EVSEs on one charge box, paged by offset cursors both ways. */
  const fleet = (size: number, options: { previous?: (offset: number, limit: number) => unknown } = {}) => (q: Record<string, string | string[]>) => {
    const all = [FAKE_UID, ...Array.from({ length: size - 1 }, (_, i) => i + 1)];
    if (q["uids"]) return { data: evses(...all.filter((u) => (q["uids"] as string[]).includes(String(u)))) };
    const limit = Number(q["limit"]);
    const offset = Number(q["nextPageCursor"] ?? q["previousPageCursor"] ?? 0);
    const data = evses(...all.slice(offset, offset + limit));
    const previous = offset > 0 ? (options.previous ?? ((o, l) => String(Math.max(0, o - l))))(offset, limit) : undefined;
    return { data, ...(offset + limit < all.length ? { nextPageCursor: String(offset + limit) } : {}), ...(previous === undefined ? {} : { previousPageCursor: previous }) };
  };

  it("a page longer than its limit: page-limit-respected", async () => {
    const provider = sender((q) => ({ data: q["uids"] || q["chargeboxIds"] ? evses(FAKE_UID) : evses(1, 2, 3) }));
    await verifyListEvses(provider.send, underTest, redact);
    expect(provider.checks()).toEqual(["page-limit-respected", "page-limit-respected"]);
  });

  it("a cursor that gives the same page again: cursor-round-trip, and the walk stays bounded", async () => {
    const provider = sender((q) => ({ data: q["uids"] || q["chargeboxIds"] ? evses(FAKE_UID) : evses(1), nextPageCursor: "again" }));
    await verifyListEvses(provider.send, underTest, redact);
    expect(provider.checks().filter((c) => c === "cursor-round-trip").length).toBeGreaterThan(0);
    expect(provider.sent.length).toBeLessThanOrEqual(LIST_REQUESTS);
    expect(provider.sent.filter((k) => k.query?.["nextPageCursor"] === "again").length).toBeGreaterThan(0);
  });

  it("a uids filter ignored: filter-respected; a kept contract: nothing, with both cursors and both filters sent", async () => {
    const ignores = sender((q) => (q["chargeboxIds"] ? { data: evses(FAKE_UID) } : { data: evses(1) }));
    await verifyListEvses(ignores.send, underTest, redact);
    expect(ignores.rules()).toEqual(["uids-filter"]);
    const keeps = sender(fleet(5));
    await verifyListEvses(keeps.send, underTest, redact);
    expect(keeps.checks()).toEqual([]);
    expect(keeps.sent.map((k) => k.id)).toEqual(expect.arrayContaining(["listEvses:limit-1#back", "listEvses:uids", "listEvses:chargeboxIds"]));
    expect(keeps.sent.filter((k) => k.query?.["previousPageCursor"] !== undefined)).toHaveLength(1); // once a run
    expect(keeps.sent.find((k) => k.id === "listEvses:chargeboxIds")?.query).toMatchObject({ chargeboxIds: [String(BOX)] });
  });

  it("a previousPageCursor that leads elsewhere than page 1: cursor-round-trip", async () => {
    const provider = sender(fleet(5, { previous: (offset) => String(offset) })); // page 2's "previous" gives page 2 again
    await verifyListEvses(provider.send, underTest, redact);
    expect(provider.rules()).toEqual(["previous-page"]);
    expect(provider.checks()).toEqual(["cursor-round-trip"]);
  });

  it.each([["absent", undefined], ["null", null], ["empty", ""]])("a previousPageCursor %s means there is none: nothing sent back, no finding, said so", async (_, previous) => {
    const provider = sender(fleet(5, { previous: () => previous }));
    await verifyListEvses(provider.send, underTest, redact);
    expect(provider.sent.filter((k) => k.query?.["previousPageCursor"] !== undefined)).toEqual([]);
    expect(provider.checks()).toEqual([]);
    expect(provider.notes).toContain("page 2 offers no previousPageCursor (the contract's pages make it optional): the way back was not checked");
  });

  it("a chargeboxIds filter ignored, or answered without the EVSE under test: filter-respected", async () => {
    const otherBox = sender((q) => (q["chargeboxIds"] ? { data: [{ uid: FAKE_UID, chargeboxId: BOX }, { uid: 9, chargeboxId: 789 }] } : fleet(3)(q)));
    await verifyListEvses(otherBox.send, underTest, redact);
    expect(otherBox.rules()).toEqual(["chargebox-filter"]);
    const without = sender((q) => (q["chargeboxIds"] ? { data: evses(1, 2) } : fleet(3)(q)));
    await verifyListEvses(without.send, underTest, redact);
    expect(without.rules()).toEqual(["chargebox-filter"]);
    // Not on the first page of a longer answer: not judged, said so.
    const longer = sender((q) => (q["chargeboxIds"] ? { data: evses(1, 2), nextPageCursor: "more" } : fleet(3)(q)));
    await verifyListEvses(longer.send, underTest, redact);
    expect(longer.checks()).toEqual([]);
    expect(longer.notes.some((n) => n.includes("not on the first page"))).toBe(true);
  });

  it("an EVSE read without a charge box: no chargeboxIds request (nothing to ask for)", async () => {
    const provider = sender(fleet(3));
    await verifyListEvses(provider.send, { uid: FAKE_UID, chargeboxId: undefined }, redact);
    expect(provider.sent.filter((k) => k.query?.["chargeboxIds"] !== undefined)).toEqual([]);
  });

  it("an abort after the first page: not one request more", async () => {
    const stop = new AbortController();
    const provider = sender(fleet(5));
    const send = async (kase: FamilyCase, judge?: FamilyJudge) => {
      const sent = await provider.send(kase, judge);
      stop.abort();
      return sent;
    };
    await verifyListEvses(send, underTest, redact, stop.signal);
    expect(provider.sent.map((k) => k.id)).toEqual(["listEvses:limit-1#1"]);
  });
});
