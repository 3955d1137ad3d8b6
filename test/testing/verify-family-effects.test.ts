// verify judges what the family's commands do, not only how they answer: read back after a
// consented unlock or remote stop (settings left alone, an accepted stop ends the session), paging
// walked both ways and filtered by charge box, `--check` applied before anyone sees a finding, and
// an abort honoured between list requests. Each misbehaviour is a front on loopback (port 0) that
// forwards to the package's fake and bends one answer; every test counts requests, never durations.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { startFakeApi, verifyProvider, type ExchangeResult, type FakeApi, type VerifyOptions, type VerifyReport } from "../../src/testing/index.js";
import { cursorAt, offsetOf } from "../../src/testing/fake/family.js";
import { toJUnit } from "../../src/testing/verify/junit.js";
import { describeResult } from "../../src/cli/verify-output.js";
import { loadPrism } from "../../src/testing/peers.js";
import { FAKE_CONNECTOR_ID, FAKE_KEY, FAKE_UID, initialEvse } from "../fakes/provider.js";

beforeAll(() => void loadPrism());

const FAST = { maxWritesPerMinute: 60_000, timeoutMs: 2_000, runs: 0, seed: 7, stopSettleMs: 40 } as const;
const BOX = 456;
/** Four EVSEs: the one under test and a neighbour on charge box 456, two on charge box 789. */
const fleet = () => [
  initialEvse(),
  { ...initialEvse(), uid: 200_001, evseId: "DK*SPI*E123*2" },
  { ...initialEvse(), uid: 200_002, evseId: "DK*SPI*E789*1", chargeboxId: 789 },
  { ...initialEvse(), uid: 200_003, evseId: "DK*SPI*E789*2", chargeboxId: 789 },
];
const findingsOf = (report: VerifyReport) => report.exchanges.flatMap((e) => e.findings.map((f) => ({ check: f.check, rule: f.rule, severity: f.severity, case: e.case.id })));
const ownPath = `/v2/evses/${FAKE_UID}`;
const commandPath = (name: string) => `${ownPath}/connectors/${FAKE_CONNECTOR_ID}/${name}`;

interface Received {
  method: string;
  path: string;
  query: URLSearchParams;
  body: string;
  /** The Authorization header as received (forwarded as is: the auth probe's missing or wrong key too). */
  authorization: string | undefined;
}
interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}
type Forward = (request: Received) => Promise<Answer>;
/** How a front answers: bends the request or the answer, or answers itself. */
type Bend = (request: Received, forward: Forward) => Promise<Answer>;

interface Front {
  url: string;
  fake: FakeApi;
  received: Received[];
  close(): Promise<void>;
}

const opened: Front[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((f) => f.close()));
});

/** The package's fake behind a front that records every request and bends some (port 0, loopback). */
async function startFront(bend: Bend, fakeOptions: Parameters<typeof startFakeApi>[0] = {}): Promise<Front> {
  const fake = await startFakeApi({ evses: fleet() as never, apiKeys: [FAKE_KEY], ...fakeOptions });
  const received: Received[] = [];
  const forward: Forward = async (r) => {
    const url = new URL(r.path, fake.url);
    url.search = r.query.toString();
    const reply = await fetch(url, { method: r.method, headers: { ...(r.authorization === undefined ? {} : { authorization: r.authorization }), "content-type": "application/json", accept: "application/json" }, ...(r.body === "" ? {} : { body: r.body }) });
    const headers: Record<string, string> = {};
    reply.headers.forEach((value, name) => {
      if (name !== "content-length" && name !== "transfer-encoding" && name !== "connection") headers[name] = value;
    });
    return { status: reply.status, headers, body: await reply.text() };
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://front");
      const request = { method: req.method ?? "GET", path: url.pathname, query: url.searchParams, body: Buffer.concat(chunks).toString("utf8"), authorization: req.headers.authorization };
      received.push(request);
      bend(request, forward).then(
        (a) => res.writeHead(a.status, a.headers).end(a.body),
        (error: unknown) => res.writeHead(500).end(String(error)),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const front: Front = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    fake,
    received,
    close: async () => {
      server.closeAllConnections(); // a request the front never answers included
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await fake.close();
    },
  };
  opened.push(front);
  return front;
}
const json = (status: number, body: unknown): Answer => ({ status, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const STOP_42 = JSON.stringify({ transactionId: 42 });
const passThrough: Bend = (r, forward) => forward(r);

const run = (front: Front, options: Partial<VerifyOptions> = {}, events: Parameters<typeof verifyProvider>[1] = {}) =>
  verifyProvider({ baseUrl: front.url, uid: FAKE_UID, connectorId: FAKE_CONNECTOR_ID, apiKey: FAKE_KEY, ...FAST, ...options }, events);

/** The reads of the EVSE under test between the request to `path` with `body` and the next request of another kind. */
function readsAfter(front: Front, path: string, body: string): number {
  const sent = front.received.findIndex((r) => r.method === "POST" && r.path === path && r.body === body);
  expect(sent).toBeGreaterThanOrEqual(0);
  let reads = 0;
  for (const r of front.received.slice(sent + 1)) {
    if (r.method !== "GET" || r.path !== ownPath) break;
    reads++;
  }
  return reads;
}

describe("the commands' effects, read back after a consented command", () => {
  it("an unlock that changes a stored setting: command-leaves-settings (a warning), and the restore puts the setting back", async () => {
    const front = await startFront(async (r, forward) => {
      const answer = await forward(r);
      if (r.method === "POST" && r.path === commandPath("unlock")) {
        const now = (front.fake.evse(FAKE_UID)!.connectors[0] as { maxAmperage: number }).maxAmperage;
        const changed = await forward({ method: "PATCH", path: `${ownPath}/connectors/${FAKE_CONNECTOR_ID}`, query: new URLSearchParams(), body: JSON.stringify({ maxAmperage: now === 7 ? 8 : 7 }), authorization: `Bearer ${FAKE_KEY}` });
        expect(changed.status).toBe(200);
      }
      return answer;
    });
    const before = front.fake.evse(FAKE_UID);
    const report = await run(front, { allowPhysical: true });
    expect(findingsOf(report)).toEqual([{ check: "command-leaves-settings", rule: "command-changed-settings", severity: "warning", case: "unlockConnector:valid" }]);
    expect(report.exchanges.find((e) => e.case.id === "unlockConnector:valid")?.findings[0]?.message).toMatch(/connector 1 maxAmperage .* set it back/);
    expect(report.verdict).toBe("holds");
    expect(report.restore).toMatchObject({ complete: true, differences: [] });
    expect(front.fake.evse(FAKE_UID)).toEqual(before);
  });

  it("an unlock that changes a stored setting and never answers: read back all the same (no answer is no proof it did nothing)", async () => {
    const front = await startFront(async (r, forward) => {
      if (r.method !== "POST" || r.path !== commandPath("unlock")) return forward(r);
      const now = (front.fake.evse(FAKE_UID)!.connectors[0] as { maxAmperage: number }).maxAmperage;
      await forward({ method: "PATCH", path: `${ownPath}/connectors/${FAKE_CONNECTOR_ID}`, query: new URLSearchParams(), body: JSON.stringify({ maxAmperage: now === 7 ? 8 : 7 }), authorization: `Bearer ${FAKE_KEY}` });
      return new Promise<Answer>(() => {}); // the front's close drops the connection
    });
    const before = front.fake.evse(FAKE_UID);
    const report = await run(front, { allowPhysical: true, timeoutMs: 1_000 });
    const unlock = report.exchanges.find((e) => e.case.id === "unlockConnector:valid");
    expect(unlock?.outcome).toBe("timeout");
    expect(unlock?.findings.map((f) => f.check)).toEqual(["responds", "command-leaves-settings"]);
    expect(readsAfter(front, commandPath("unlock"), "")).toBe(1);
    expect(report.restore).toMatchObject({ complete: true });
    expect(front.fake.evse(FAKE_UID)).toEqual(before);
  });

  /** A provider that shows a session (CHARGING) until a stop it accepted has been read back `endsAfterReads` times; never, when undefined. */
  const sessionFront = (stopAnswer: "Accepted" | "Rejected", endsAfterReads: number | undefined) => {
    let running = true;
    let stopped = false;
    let readsSinceStop = 0;
    return startFront(async (r, forward) => {
      if (r.method === "POST" && r.path === commandPath("remote-stop-transaction") && r.body === STOP_42) {
        stopped = stopAnswer === "Accepted";
        return json(200, { status: stopAnswer });
      }
      const answer = await forward(r);
      if (answer.status !== 200 || !r.path.startsWith(ownPath)) return answer; // the EVSE, read or answered to a patch
      if (r.method === "GET" && stopped && endsAfterReads !== undefined && readsSinceStop++ >= endsAfterReads) running = false;
      return { ...answer, body: JSON.stringify({ ...JSON.parse(answer.body), status: running ? "CHARGING" : "AVAILABLE" }) };
    });
  };

  it("a remote stop answered Accepted whose session never ends: stop-ends-session (a warning) after a bounded number of reads", async () => {
    const front = await sessionFront("Accepted", undefined);
    const report = await run(front, { allowDestructive: true, transactionId: 42 });
    expect(findingsOf(report)).toEqual([{ check: "stop-ends-session", rule: "session-still-running", severity: "warning", case: "remoteStopTransaction:valid" }]);
    expect(readsAfter(front, commandPath("remote-stop-transaction"), STOP_42)).toBe(5);
    expect(report.verdict).toBe("holds");
    expect(report.restore.complete).toBe(true);
  });

  it("a session that ends a little after the stop (OCPP's stop is asynchronous): read again until it does, no finding, and the ended session named in the restore", async () => {
    const front = await sessionFront("Accepted", 2);
    const report = await run(front, { allowDestructive: true, transactionId: 42 });
    expect(findingsOf(report)).toEqual([]);
    expect(readsAfter(front, commandPath("remote-stop-transaction"), STOP_42)).toBe(3);
    expect(report.exchanges.find((e) => e.case.id === "remoteStopTransaction:valid")?.notes).toContain("the session read as ended on read 3 after the stop");
    // What nothing can put back (the session ended) is named with its value before the run.
    expect(report.restore.differences).toEqual([{ pointer: "/status", before: "CHARGING", now: "AVAILABLE" }]);
  });

  it("an abort during the reads after an accepted stop: no stop-ends-session on fewer reads (an abort is not a finding), a note says the end was not checked", async () => {
    const stop = new AbortController();
    let stopped = false;
    // Shows a session throughout; the stop is answered Accepted, and the first read after it aborts the run.
    const front = await startFront(async (r, forward) => {
      if (r.method === "POST" && r.path === commandPath("remote-stop-transaction") && r.body === STOP_42) {
        stopped = true;
        return json(200, { status: "Accepted" });
      }
      const answer = await forward(r);
      if (answer.status !== 200 || !r.path.startsWith(ownPath)) return answer; // the EVSE, read or answered to a patch
      if (stopped && r.method === "GET") stop.abort();
      return { ...answer, body: JSON.stringify({ ...JSON.parse(answer.body), status: "CHARGING" }) };
    });
    // A settle wait no test run reaches: only the abort ends it.
    const report = await run(front, { allowDestructive: true, transactionId: 42, signal: stop.signal, stopSettleMs: 600_000 });
    const exchange = report.exchanges.find((e) => e.case.id === "remoteStopTransaction:valid");
    expect(exchange?.findings).toEqual([]);
    expect(exchange?.notes.join(" ")).toContain("interrupted");
    expect(report.verdict).toBe("interrupted");
  });

  it("a remote stop answered Rejected: a typed refusal, no finding, one read back only", async () => {
    const front = await sessionFront("Rejected", undefined);
    const report = await run(front, { allowDestructive: true, transactionId: 42 });
    expect(findingsOf(report)).toEqual([]);
    expect(report.exchanges.find((e) => e.case.id === "remoteStopTransaction:valid")?.response?.body).toEqual({ status: "Rejected" });
    expect(readsAfter(front, commandPath("remote-stop-transaction"), STOP_42)).toBe(1);
  });
});

describe("paging, walked both ways and filtered, against a provider on the wire", () => {
  it("a previousPageCursor that leads to page 2 again: cursor-round-trip", async () => {
    const front = await startFront((r, forward) => {
      const previous = r.query.get("previousPageCursor");
      if (r.path !== "/v2/evses" || previous === null) return forward(r);
      const query = new URLSearchParams(r.query);
      query.delete("previousPageCursor");
      query.set("nextPageCursor", cursorAt(offsetOf(previous)! + Number(r.query.get("limit"))));
      return forward({ ...r, query });
    });
    const report = await run(front);
    expect(findingsOf(report)).toEqual([{ check: "cursor-round-trip", rule: "previous-page", severity: "violation", case: "listEvses:limit-1#back" }]);
    expect(front.received.filter((r) => r.query.has("previousPageCursor"))).toHaveLength(1);
  });

  it("a chargeboxIds filter ignored: filter-respected, naming the EVSEs of the other charge box", async () => {
    const front = await startFront(ignoresChargeboxFilter);
    const report = await run(front);
    expect(findingsOf(report)).toEqual([{ check: "filter-respected", rule: "chargebox-filter", severity: "violation", case: "listEvses:chargeboxIds" }]);
    expect(report.exchanges.find((e) => e.case.id === "listEvses:chargeboxIds")?.findings[0]?.message).toContain("EVSE(s) 200002, 200003 of charge box(es) 789");
    expect(front.received.filter((r) => r.query.get("chargeboxIds") === String(BOX))).toHaveLength(1);
  });
});

const ignoresChargeboxFilter: Bend = (r, forward) => {
  if (r.path !== "/v2/evses" || !r.query.has("chargeboxIds")) return forward(r);
  const query = new URLSearchParams(r.query);
  query.delete("chargeboxIds");
  return forward({ ...r, query });
};

/** Answers listEvses?uids=<the EVSE under test> with another EVSE. */
const ignoresUidsFilter: Bend = (r, forward) => {
  if (r.path !== "/v2/evses" || !r.query.has("uids")) return forward(r);
  return forward({ ...r, query: new URLSearchParams({ uids: "200002" }) });
};

describe("--check, applied to the family's findings before anyone sees them", () => {
  /** Each finding's check as the hook saw it at the moment it was called, the JSON report and the JUnit report. */
  const seen = async (checks: VerifyOptions["checks"]) => {
    const front = await startFront(ignoresUidsFilter);
    const atHook: string[] = [];
    const onExchange = (result: ExchangeResult) => atHook.push(...result.findings.map((f) => `${f.check}:${f.severity}`));
    const report = await run(front, checks === undefined ? {} : { checks }, { onExchange });
    return { atHook, json: JSON.stringify(report), junit: toJUnit(report) };
  };

  it("a check turned off never reaches onExchange, the JSON report or JUnit; left on, it reaches all three", async () => {
    const on = await seen(undefined);
    expect(on.atHook).toEqual(["filter-respected:violation"]);
    expect(on.json).toContain("filter-respected");
    expect(on.junit).toContain("filter-respected");
    const off = await seen({ "filter-respected": "off" });
    expect(off.atHook).toEqual([]);
    expect(off.json).not.toContain('"check":"filter-respected"');
    expect(off.junit).not.toContain("filter-respected");
  });

  it("a check set to another severity reaches onExchange at that severity", async () => {
    expect((await seen({ "filter-respected": "notice" })).atHook).toEqual(["filter-respected:notice"]);
  });
});

describe("an abort between listEvses requests", () => {
  it("after the first page: no further request of the family reaches the provider, the run ends interrupted, and the connector is put back", async () => {
    const front = await startFront(passThrough);
    const stop = new AbortController();
    let at = -1;
    const report = await run(front, { allowPhysical: true, allowDestructive: true, transactionId: 1, allowAvailability: true, signal: stop.signal }, {
      onExchange: (result) => {
        if (result.case.id === "listEvses:limit-1#1") {
          at = front.received.length;
          stop.abort();
        }
      },
    });
    expect(at).toBeGreaterThan(0);
    const after = front.received.slice(at);
    expect(after.filter((r) => r.path === "/v2/evses")).toEqual([]);
    expect(after.filter((r) => r.method === "POST")).toEqual([]);
    // Only the restore's reads (and a patch, were anything to put back) follow.
    expect(after.every((r) => (r.method === "GET" && r.path === ownPath) || r.method === "PATCH")).toBe(true);
    expect(after.some((r) => r.method === "GET" && r.path === ownPath)).toBe(true); // the restore read the connector back
    expect(front.received.filter((r) => r.path === "/v2/evses")).toHaveLength(1);
    expect(report.verdict).toBe("interrupted");
    expect(report.stoppedEarly).toBe("interrupted during the operations beside the PATCH");
    expect(report.restore).toMatchObject({ complete: true });
    expect(report.operations.find((o) => o.operationId === "unlockConnector")).toMatchObject({ mode: "skipped", reason: "the run stopped before it" });
  });
});

describe("the package's fake, with every flag, a fleet of four and a running session", () => {
  it("walks both cursors and both filters, unlocks, stops the session, changes availability: no finding, and the EVSE as it was but for the session the consented stop ended", async () => {
    const front = await startFront(passThrough, { sessions: [{ transactionId: 1, uid: FAKE_UID, connectorId: FAKE_CONNECTOR_ID }] });
    const before = front.fake.evse(FAKE_UID);
    const report = await run(front, { allowPhysical: true, allowDestructive: true, transactionId: 1, allowAvailability: true });
    expect(findingsOf(report)).toEqual([]);
    expect(report.runFindings).toEqual([]);
    expect(report.verdict).toBe("holds");
    const ids = report.exchanges.map((e) => e.case.id);
    expect(ids).toEqual(expect.arrayContaining(["listEvses:limit-1#back", "listEvses:chargeboxIds", "listEvses:uids", "unlockConnector:valid", "remoteStopTransaction:valid"]));
    expect(report.exchanges.find((e) => e.case.id === "remoteStopTransaction:valid")?.response?.body).toEqual({ status: "Accepted" });
    // Each consented command was read right before and right after; the fake shows the session as CHARGING, and the stop ends it at once: read once.
    expect(readsAfter(front, commandPath("unlock"), "")).toBe(1);
    expect(readsAfter(front, commandPath("remote-stop-transaction"), JSON.stringify({ transactionId: 1 }))).toBe(1);
    // The ended session is the one change nothing can undo, and the restore says so; the availability
    // round, after the stop, is judged against the status as it read just before the round (AVAILABLE),
    // not the run's baseline (CHARGING): no advice to "set it back" to a status that was never its doing.
    expect(before?.status).toBe("CHARGING");
    expect(report.restore).toMatchObject({ complete: true, unrestorable: [], differences: [{ pointer: "/status", before: "CHARGING", now: "AVAILABLE" }] });
    expect(front.fake.evse(FAKE_UID)).toEqual({ ...before, status: "AVAILABLE" });
  });
});

describe("the availability round and the commands' malformed bodies leave the charger as found", () => {
  const availabilityPath = commandPath("change-availability");
  const postsTo = (front: Front, path: string) => front.received.filter((r) => r.method === "POST" && r.path === path);

  it("a provider that takes a malformed availability body ({}) as Inoperative: the round puts back the status read before any availability request, and the EVSE ends as found", async () => {
    const front = await startFront((r, forward) => {
      if (r.method === "POST" && r.path === availabilityPath && r.body === "{}") return forward({ ...r, body: JSON.stringify({ type: "Inoperative" }) });
      return forward(r);
    });
    const before = front.fake.evse(FAKE_UID);
    expect(before?.status).toBe("AVAILABLE");
    const report = await run(front, { allowAvailability: true });
    // The malformed bodies reached the connector under test (consent given; the round puts it back).
    expect(postsTo(front, availabilityPath).map((r) => r.body)).toContain("{}");
    expect(front.fake.evse(FAKE_UID)).toEqual(before);
    expect(report.restore).toMatchObject({ complete: true, unrestorable: [] });
  });

  it("a provider that ignores Operative: the status it could not put back makes the restore incomplete, named with the request to send", async () => {
    const front = await startFront((r, forward) => {
      if (r.method === "POST" && r.path === availabilityPath && r.body === JSON.stringify({ type: "Operative" })) return Promise.resolve(json(200, { status: "Accepted" }));
      return forward(r);
    });
    const report = await run(front, { allowAvailability: true });
    expect(front.fake.evse(FAKE_UID)?.status).toBe("INOPERATIVE");
    expect(report.restore.complete).toBe(false);
    expect(report.restore.unrestorable).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: `EVSE ${FAKE_UID} status`, valueToSet: "AVAILABLE", reason: expect.stringContaining('set it back with changeConnectorAvailability {"type":"Operative"}') })]),
    );
    expect(report.restore.differences.filter((d) => d.before === "absent")).toEqual([]);
  });

  it("the status cannot be read right before the round: not silently taken from the baseline, but named as unknown with the request to send (exit 3)", async () => {
    let listed = false;
    let failedReads = 0;
    const front = await startFront((r, forward) => {
      if (r.path === "/v2/evses" && r.query.has("chargeboxIds")) listed = true;
      // The first read of the EVSE under test after the list requests: the round's read before it.
      else if (listed && failedReads === 0 && r.method === "GET" && r.path === ownPath) {
        failedReads++;
        return Promise.resolve(json(503, { error: { type: "api_error", code: "unavailable", message: "down", request_id: "req_front" } }));
      }
      return forward(r);
    });
    const report = await run(front, { allowAvailability: true });
    expect(failedReads).toBe(1);
    expect(front.fake.evse(FAKE_UID)?.status).toBe("AVAILABLE");
    expect(report.restore.complete).toBe(false);
    expect(report.restore.unrestorable).toEqual([
      expect.objectContaining({ field: `EVSE ${FAKE_UID} status`, valueToSet: "AVAILABLE", reason: expect.stringMatching(/^unknown before changeConnectorAvailability: the read before it failed .*set it back with changeConnectorAvailability \{"type":"Operative"\}$/) }),
    ]);
  });

  it("with --allow-destructive and --allow-physical, malformed remote-stop bodies go only to the EVSE read as absent, never to the connector under test", async () => {
    const front = await startFront(passThrough, { sessions: [{ transactionId: 1, uid: FAKE_UID, connectorId: FAKE_CONNECTOR_ID }] });
    const report = await run(front, { allowPhysical: true, allowDestructive: true, transactionId: 1 });
    expect(postsTo(front, commandPath("remote-stop-transaction")).map((r) => r.body)).toEqual([JSON.stringify({ transactionId: 1 })]);
    const malformed = report.exchanges.filter((e) => e.case.id.startsWith("remoteStopTransaction:invalid"));
    expect(malformed.length).toBeGreaterThan(0);
    expect(malformed.every((e) => e.case.address !== undefined && e.case.address.uid !== FAKE_UID)).toBe(true);
  });
});

describe("an abort that lands while a consented command's EVSE is read right before it", () => {
  it("the command is not sent, and the run ends interrupted with the connector put back", async () => {
    const stop = new AbortController();
    let listed = false;
    const front = await startFront((r, forward) => {
      if (r.path === "/v2/evses" && r.query.has("chargeboxIds")) listed = true;
      // The first read of the EVSE under test after the list requests: the read right before the stop.
      else if (listed && r.method === "GET" && r.path === ownPath) stop.abort();
      return forward(r);
    }, { sessions: [{ transactionId: 1, uid: FAKE_UID, connectorId: FAKE_CONNECTOR_ID }] });
    const report = await run(front, { allowDestructive: true, transactionId: 1, signal: stop.signal });
    expect(stop.signal.aborted).toBe(true);
    expect(front.received.filter((r) => r.method === "POST" && r.path === commandPath("remote-stop-transaction"))).toEqual([]);
    expect(front.fake.evse(FAKE_UID)?.status).toBe("CHARGING");
    expect(report.verdict).toBe("interrupted");
    expect(report.restore.complete).toBe(true);
  });
});

describe("a restore that cannot read the EVSE at all", () => {
  it("names every other connector the run saw changed, with the value to set: exit 3's restore, not only the connector under test", async () => {
    const stop = new AbortController();
    let unreadable = false;
    const front = await startFront(async (r, forward) => {
      if (unreadable && r.method === "GET" && r.path === ownPath) return json(503, { error: { type: "api_error", code: "unavailable", message: "down", request_id: "req_front" } });
      const answer = await forward(r);
      // A provider that also writes connector 2 (125 before) on an accepted patch of connector 1.
      if (r.method === "PATCH" && r.path === `${ownPath}/connectors/${FAKE_CONNECTOR_ID}` && answer.status === 200) {
        await forward({ method: "PATCH", path: `${ownPath}/connectors/2`, query: new URLSearchParams(), body: JSON.stringify({ maxAmperage: 32 }), authorization: `Bearer ${FAKE_KEY}` });
      }
      return answer;
    });
    const report = await run(front, { signal: stop.signal, restoreDeadlineMs: 300 }, {
      onExchange: (result) => {
        // After the first patch was read back (connector 2 read 32): abort, and every read fails from now.
        if (result.response?.status === 200 && !unreadable) {
          unreadable = true;
          stop.abort();
        }
      },
    });
    expect(unreadable).toBe(true);
    expect(report.restore.complete).toBe(false);
    expect(report.restore.unrestorable).toEqual(expect.arrayContaining([expect.objectContaining({ connectorId: 2, field: "maxAmperage", valueToSet: 125 })]));
    expect(report.restore.otherConnectors).toEqual([expect.objectContaining({ connectorId: 2, complete: false, toSet: { maxAmperage: 125 } })]);
  });
});

describe("a provider that echoes the key into every value the family's checks quote", () => {
  it("the key appears nowhere: not in the JSON report, the JUnit report or the CLI's result", async () => {
    const echo = (r: Received) => r.authorization ?? "";
    let readsSinceUnlock: number | undefined;
    const withBody = (answer: Answer, change: (body: Record<string, unknown>) => unknown): Answer => ({ ...answer, body: JSON.stringify(change(JSON.parse(answer.body) as Record<string, unknown>)) });
    const front = await startFront(async (r, forward) => {
      const answer = await forward(r);
      if (r.method === "POST" && r.path === commandPath("unlock")) readsSinceUnlock = 0;
      if (answer.status !== 200) return answer;
      const key = echo(r);
      // The paging walk's way back, the uids filter and the chargeboxIds filter: an EVSE whose uid and charge box are the key.
      if (r.path === "/v2/evses" && (r.query.has("previousPageCursor") || r.query.has("uids") || r.query.has("chargeboxIds"))) {
        return withBody(answer, (b) => ({ ...b, data: [...(b["data"] as unknown[]), { ...initialEvse(), uid: key, chargeboxId: key }] }));
      }
      if (r.method === "GET" && r.path === ownPath && readsSinceUnlock !== undefined) {
        readsSinceUnlock++;
        // Read back after the unlock: a stored setting and the connector's id now the key.
        if (readsSinceUnlock === 1) return withBody(answer, (b) => ({ ...b, connectors: [...(b["connectors"] as Array<Record<string, unknown>>).map((c) => ({ ...c, maxAmperage: key })), { id: key }] }));
        // Read right before the availability round: the status is the key.
        if (readsSinceUnlock === 2) return withBody(answer, (b) => ({ ...b, status: key }));
      }
      return answer;
    });
    const report = await run(front, { allowPhysical: true, allowAvailability: true });
    const rules = findingsOf(report).map((f) => f.rule);
    // Each place that quotes a provider value was reached.
    expect(rules).toEqual(expect.arrayContaining(["previous-page", "uids-filter", "chargebox-filter", "command-changed-settings"]));
    expect(report.exchanges.some((e) => e.case.id.startsWith("changeConnectorAvailability:restore"))).toBe(true);
    expect(report.restore.unrestorable.some((u) => u.field === `EVSE ${FAKE_UID} status`)).toBe(true);
    for (const text of [JSON.stringify(report), toJUnit(report), describeResult(report)]) expect(text).not.toContain(FAKE_KEY);
  });
});

describe("--check and onExchange, applied to the restore's exchanges too", () => {
  it("a 503 on the restoring patch with not-a-server-error off: no finding, no violated verdict, and onExchange sees the restore", async () => {
    const stop = new AbortController();
    let restoring = false;
    let answered503 = 0;
    const front = await startFront((r, forward) => {
      if (restoring && r.method === "PATCH" && answered503 === 0) {
        answered503++;
        return Promise.resolve(json(503, { error: { type: "api_error", code: "unavailable", message: "down", request_id: "req_front" } }));
      }
      return forward(r);
    });
    const kinds: string[] = [];
    const report = await run(front, { signal: stop.signal, checks: { "not-a-server-error": "off" } }, {
      onExchange: (result) => {
        kinds.push(result.case.kind);
        // After the second example (the first sets what the connector already holds): something to put back.
        if (!restoring && kinds.length === 2) {
          restoring = true;
          stop.abort();
        }
      },
    });
    expect(answered503).toBe(1);
    const restores = report.exchanges.filter((e) => e.case.kind === "restore");
    expect(restores.map((e) => e.response?.status)).toEqual([503, 200]);
    expect(restores.flatMap((e) => e.findings).filter((f) => f.check === "not-a-server-error")).toEqual([]);
    expect(report.verdict).toBe("interrupted");
    expect(kinds.filter((k) => k === "restore")).toHaveLength(2);
    expect(report.restore.complete).toBe(true);
  });
});

describe("progress", () => {
  it("counts the availability round in the total: done never passes total", async () => {
    const front = await startFront(passThrough);
    const seen: Array<[number, number]> = [];
    await run(front, { allowAvailability: true }, { onExchange: (_result, done, total) => seen.push([done, total]) });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.filter(([done, total]) => done > total)).toEqual([]);
  });
});
