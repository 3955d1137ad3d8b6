// Pacing per rate-limit bucket: one client keeps one pacer per bucket of the contract, which every
// call reports to, so what a read's headers say never opens room in the write window, concurrent
// batches share the write window, a walk over the EVSE pages waits for the read window's reset, a 429
// pauses its own bucket only, and a single call is never held back (its 429 is the caller's).
// The server (useFaultServer, port 0 on loopback) keeps a fixed window per bucket, begun by the
// bucket's first request and announced the way the contract documents (X-RateLimit-Limit/Remaining/
// Reset, Retry-After on a 429). Every assertion counts arrivals per window, 429s and events, in
// order: none measures a duration.
import { describe, expect, it } from "vitest";
import type { ServerResponse } from "node:http";
import { OPERATIONS, type ClientEvent, type ConnectorUpdateItem, type OperationFacts, } from "../../src/index.js";
import { RATE_LIMIT_BUCKETS, type RateLimitBucket } from "../../generated/operations.js";
import { compileOperationMatcher } from "../../src/path-template.js";
import contract from "../../generated/openapi.json" with { type: "json" };
import { EXAMPLE_EVSE, json, useFaultServer, type Handler } from "./fault-server.js";
import { PATH, failure, fastClient } from "./helpers.js";

type Bucket = RateLimitBucket;
const bucketOf = (operationId: keyof typeof OPERATIONS): Bucket => OPERATIONS[operationId].rateLimitBucket;
const READ = bucketOf("listEvses");
const WRITE = bucketOf("updateConnector");
const REMOTE = bucketOf("unlockConnector");

interface Arrival {
  operationId: string;
  bucket: string;
  /** The bucket's window it arrived in (0 for the first). */
  window: number;
  status: number;
}

interface WindowSpec {
  limit: number;
  windowMs: number;
  /** What Remaining says regardless of use (a provider that reports a read window as roomy). */
  claimRemaining?: number;
}

const match = compileOperationMatcher<OperationFacts>(Object.values(OPERATIONS));
const examples = contract.components.examples;
const ANSWERS: Record<string, unknown> = {
  updateConnector: EXAMPLE_EVSE,
  getEvse: EXAMPLE_EVSE,
  changeConnectorAvailability: examples.AvailabilityChangeAccepted.value,
  unlockConnector: examples.UnlockReferencePage.value,
  remoteStopTransaction: examples.RemoteStopAccepted.value,
};

/** One page of a fleet of `fleet` EVSEs: `limit` of them from the cursor's offset, with the next cursor while more remain. */
function page(url: URL, fleet: number): unknown {
  const limit = Number(url.searchParams.get("limit") ?? 25);
  const start = Number(url.searchParams.get("nextPageCursor") ?? 0);
  const data = Array.from({ length: Math.max(0, Math.min(limit, fleet - start)) }, (_, i) => ({ ...EXAMPLE_EVSE, uid: start + i + 1 }));
  return start + data.length < fleet ? { data, nextPageCursor: String(start + data.length) } : { data };
}

/**
 * A provider with a fixed window per bucket: a window starts at the bucket's first request after the
 * last one ended and lasts `windowMs`; beyond `limit` requests in it the answer is 429. `override`
 * may answer an arrival otherwise (e.g. a 503) after it is counted.
 */
function bucketedProvider(windows: Partial<Record<Bucket, WindowSpec>>, options: { fleet?: number; override?: (arrival: Arrival) => number | undefined } = {}) {
  const arrivals: Arrival[] = [];
  const state = new Map<string, { window: number; startedAt: number; used: number }>();
  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string>) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  };
  const handler: Handler = (res, req) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const operation = match(req.method ?? "", url.pathname)?.operation;
    if (!operation) return send(res, 404, { error: { message: "no such route" } }, {});
    const bucket = operation.rateLimitBucket;
    const spec = windows[bucket as Bucket] ?? { limit: 1_000, windowMs: 60_000 };
    const now = Date.now();
    let current = state.get(bucket);
    if (!current || now >= current.startedAt + spec.windowMs) {
      current = { window: current ? current.window + 1 : 0, startedAt: now, used: 0 };
      state.set(bucket, current);
    }
    current.used++;
    const endsAt = current.startedAt + spec.windowMs;
    const limited = current.used > spec.limit;
    const arrival: Arrival = { operationId: operation.operationId, bucket, window: current.window, status: limited ? 429 : 200 };
    const override = limited ? undefined : options.override?.(arrival);
    if (override !== undefined) arrival.status = override;
    arrivals.push(arrival);
    const headers = {
      "x-ratelimit-limit": String(spec.limit),
      "x-ratelimit-remaining": String(spec.claimRemaining ?? Math.max(0, spec.limit - current.used)),
      "x-ratelimit-reset": (endsAt / 1000).toFixed(3),
    };
    if (limited) return send(res, 429, { error: { message: "Too many requests" } }, { ...headers, "x-ratelimit-remaining": "0", "retry-after": String(Math.ceil((endsAt - now) / 1000)) });
    if (override !== undefined) return send(res, override, { error: { message: "unavailable" } }, headers);
    send(res, 200, operation.operationId === "listEvses" ? page(url, options.fleet ?? 0) : ANSWERS[operation.operationId], headers);
  };
  /** Arrivals of `bucket` per window, 429s included. */
  const perWindow = (bucket: string) => {
    const counts: number[] = [];
    for (const a of arrivals) if (a.bucket === bucket) counts[a.window] = (counts[a.window] ?? 0) + 1;
    return counts;
  };
  return { handler, arrivals, perWindow, rejected: () => arrivals.filter((a) => a.status === 429).length };
}

const waits = (events: ClientEvent[], bucket: string) => events.filter((e: any) => e.type === "rate-limit-wait" && e.bucket === bucket);
const fleet = (n: number): ConnectorUpdateItem[] => Array.from({ length: n }, (_, i) => ({ path: { uid: 1000 + i, connectorId: 1 }, patch: { maxElectricPower: 10 + i } }));

/** An AbortController that aborts at the first rate-limit wait of `bucket` the client reports. */
function abortOnWait(bucket: string) {
  const controller = new AbortController();
  const events: ClientEvent[] = [];
  const onEvent = (event: ClientEvent) => {
    events.push(event);
    if (event.type === "rate-limit-wait" && event.bucket === bucket) controller.abort(new Error("operator stopped it"));
  };
  return { controller, events, onEvent };
}

describe("pacing per rate-limit bucket", () => {
  const server = useFaultServer();

  it("the registry's buckets are distinct for reads, writes and remote control (what these tests rely on)", () => {
    expect(new Set([READ, WRITE, REMOTE]).size).toBe(3);
    for (const bucket of [READ, WRITE, REMOTE]) expect(Object.keys(RATE_LIMIT_BUCKETS)).toContain(bucket);
  });

  it("a read answering Remaining 500 does not let a batch's write go while the write window is used up: it waits for the reset", async () => {
    const provider = bucketedProvider({ [WRITE]: { limit: 2, windowMs: 1_000 }, [READ]: { limit: 600, windowMs: 60_000, claimRemaining: 500 } });
    server.script(provider.handler);
    const events: ClientEvent[] = [];
    const client = fastClient(server.url, { onEvent: (e) => events.push(e) });
    await client.updateConnector(PATH, { maxVoltage: 400 });
    await client.updateConnector(PATH, { maxVoltage: 400 }); // Remaining 0: the write window is used up
    await client.getEvse({ uid: PATH.uid }); // Remaining 500, for the read window
    const [third] = await client.updateConnectors([{ path: PATH, patch: { maxVoltage: 400 } }]);
    expect(third).toMatchObject({ ok: true });

    expect(provider.rejected()).toBe(0);
    expect(provider.arrivals.map((a) => [a.operationId, a.window])).toEqual([
      ["updateConnector", 0],
      ["updateConnector", 0],
      ["getEvse", 0],
      ["updateConnector", 1], // in the next write window, not the used-up one
    ]);
    expect(waits(events, WRITE).length).toBeGreaterThan(0);
    expect(waits(events, READ)).toEqual([]);
    // The wait came before the third write was sent.
    const thirdRequest = events.filter((e) => e.type === "request").at(3);
    expect(events.indexOf(waits(events, WRITE)[0]!)).toBeLessThan(events.indexOf(thirdRequest!));
  });

  it("two concurrent updateConnectors on one client share the write window: with more workers than the window's room, never more arrivals in a window than its limit, no 429", async () => {
    const LIMIT = 3;
    const provider = bucketedProvider({ [WRITE]: { limit: LIMIT, windowMs: 300 } });
    server.script(provider.handler);
    const client = fastClient(server.url);
    // The first answer says the window's limit and what is left (2): from then on the client knows.
    await client.updateConnector(PATH, { maxVoltage: 400 });
    // Eight workers (4 + 4), more than the room: each takes its place in the window as its wait ends.
    const [first, second] = await Promise.all([client.updateConnectors(fleet(6), { concurrency: 4 }), client.updateConnectors(fleet(6), { concurrency: 4 })]);

    expect([...first, ...second].every((r) => r.ok)).toBe(true);
    expect(provider.rejected()).toBe(0);
    expect(provider.arrivals).toHaveLength(13);
    const counts = provider.perWindow(WRITE);
    for (const count of counts) expect(count ?? 0).toBeLessThanOrEqual(LIMIT);
    expect(counts.length).toBeGreaterThanOrEqual(Math.ceil(13 / LIMIT));
  });

  it("one batch of more workers than the window's room sends only what the window has room for (the reviewer's case: limit 3, one used, 4 at once)", async () => {
    const provider = bucketedProvider({ [WRITE]: { limit: 3, windowMs: 300 } });
    server.script(provider.handler);
    const client = fastClient(server.url);
    await client.updateConnector(PATH, { maxVoltage: 400 }); // Remaining 2
    const results = await client.updateConnectors(fleet(4), { concurrency: 4 });
    expect(results.every((r) => r.ok)).toBe(true);
    // The provider refuses a fourth write in a window: none refused is the proof. (How the five
    // spread over windows depends on the machine's speed, so only their bound is judged.)
    expect(provider.rejected()).toBe(0);
    expect(provider.arrivals).toHaveLength(5);
    for (const count of provider.perWindow(WRITE)) expect(count ?? 0).toBeLessThanOrEqual(3);
  });

  it("evses() waits for the read window's reset before a page instead of taking a 429", async () => {
    // Windows of a second: ten pages cannot spread over four of them by slowness alone, so the walk must wait.
    const provider = bucketedProvider({ [READ]: { limit: 3, windowMs: 1_000 } }, { fleet: 95 });
    server.script(provider.handler);
    const events: ClientEvent[] = [];
    const client = fastClient(server.url, { onEvent: (e) => events.push(e) });
    const uids: number[] = [];
    for await (const evse of client.evses({ limit: 10 })) uids.push(evse.uid);

    expect(uids).toEqual(Array.from({ length: 95 }, (_, i) => i + 1));
    expect(provider.arrivals).toHaveLength(10);
    expect(provider.rejected()).toBe(0);
    for (const count of provider.perWindow(READ)) expect(count ?? 0).toBeLessThanOrEqual(3);
    expect(waits(events, READ).length).toBeGreaterThan(0);
  });

  it("a single call is not held back (its 429 is the caller's), and the 429 pauses its own bucket only: a walk goes at once while a batch waits", async () => {
    const provider = bucketedProvider({ [WRITE]: { limit: 1, windowMs: 30_000 } }, { fleet: 5 });
    server.script(provider.handler);
    const { controller, events, onEvent } = abortOnWait(WRITE);
    const client = fastClient(server.url, { onEvent, retry: false });
    await client.updateConnector(PATH, { maxVoltage: 400 });
    // The write window is known to be used up; a single call goes anyway and gets the provider's answer.
    const limited = await failure(client.updateConnector(PATH, { maxVoltage: 400 }));
    expect(limited).toMatchObject({ kind: "rate-limited", attempts: 1, retryAfterMs: expect.any(Number) });
    const uids: number[] = [];
    for await (const evse of client.evses({ limit: 10 })) uids.push(evse.uid);
    expect(uids).toHaveLength(5);
    expect(waits(events, READ)).toEqual([]);
    // A batch waits for the paused write bucket (aborted here as soon as it starts waiting).
    const [aborted] = await client.updateConnectors([{ path: PATH, patch: { maxVoltage: 400 } }], { signal: controller.signal });
    expect(aborted).toMatchObject({ ok: false, error: { kind: "aborted", attempts: 0, operationId: "updateConnector" } });
    expect(!aborted!.ok && aborted!.error.kind === "aborted" && (aborted!.error.reason as Error).message).toBe("operator stopped it");
    expect(provider.arrivals.map((a) => [a.operationId, a.status])).toEqual([
      ["updateConnector", 200],
      ["updateConnector", 429],
      ["listEvses", 200],
    ]);
  });

  it("evses() with a bad query fails at once with invalid-request, sends nothing and does not wait for a used-up read window", async () => {
    const provider = bucketedProvider({ [READ]: { limit: 1, windowMs: 30_000 } }, { fleet: 5 });
    server.script(provider.handler);
    // Were it to wait, the wait would be aborted, and the error would say "aborted".
    const { controller, events, onEvent } = abortOnWait(READ);
    const client = fastClient(server.url, { onEvent });
    await client.getEvse({ uid: PATH.uid }); // Remaining 0: the read window is used up
    const walk = async () => {
      for await (const _ of client.evses({ limit: 1000 } as never, { signal: controller.signal })) void _;
    };
    const error = await failure(walk());
    expect(error).toMatchObject({ kind: "invalid-request", attempts: 0, operationId: "listEvses", issues: [expect.objectContaining({ in: "query", path: "/limit" })] });
    expect(waits(events, READ)).toEqual([]);
    expect(provider.arrivals.map((a) => a.operationId)).toEqual(["getEvse"]);
  });

  describe("abort during a wait for the window", () => {
    it("evses(): the walk ends with aborted after the pages it read", async () => {
      const provider = bucketedProvider({ [READ]: { limit: 2, windowMs: 30_000 } }, { fleet: 50 });
      server.script(provider.handler);
      const { controller, onEvent } = abortOnWait(READ);
      const client = fastClient(server.url, { onEvent });
      const uids: number[] = [];
      const walk = async () => {
        for await (const evse of client.evses({ limit: 10 }, { signal: controller.signal })) uids.push(evse.uid);
      };
      const error = await failure(walk());
      expect(error).toMatchObject({ kind: "aborted", attempts: 0, operationId: "listEvses" });
      expect(uids).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(provider.arrivals).toHaveLength(2);
    });

    it("updateConnectors: settled updates keep their result, the rest fail as aborted, never sent", async () => {
      const provider = bucketedProvider({ [WRITE]: { limit: 3, windowMs: 30_000 } });
      server.script(provider.handler);
      const { controller, onEvent } = abortOnWait(WRITE);
      const client = fastClient(server.url, { onEvent });
      const results = await client.updateConnectors(fleet(8), { concurrency: 1, signal: controller.signal });
      expect(results.map((r) => r.ok)).toEqual([true, true, true, false, false, false, false, false]);
      for (const result of results.slice(3)) expect(!result.ok && result.error).toMatchObject({ kind: "aborted", attempts: 0 });
      expect(provider.arrivals).toHaveLength(3);
      expect(provider.rejected()).toBe(0);
    });
  });

  it("pacing adds no send of a non-idempotent command: unlock is resent only after the 429 that refused it, never after a 503", async () => {
    // The second accepted arrival (the resend, after the window's reset) gets the 503, chosen by count, not by clock.
    let accepted = 0;
    const provider = bucketedProvider({ [REMOTE]: { limit: 1, windowMs: 1_000 } }, { override: () => (++accepted === 2 ? 503 : undefined) });
    server.script(provider.handler);
    const events: ClientEvent[] = [];
    const client = fastClient(server.url, { onEvent: (e) => events.push(e) });
    await expect(client.unlockConnector(PATH)).resolves.toMatchObject({ status: expect.any(String) });
    const error = await failure(client.unlockConnector(PATH));
    expect(error).toMatchObject({ kind: "http", status: 503, attempts: 2 });
    expect(waits(events, REMOTE)).toEqual([]);
    expect(provider.arrivals.map((a) => [a.operationId, a.window, a.status])).toEqual([
      ["unlockConnector", 0, 200],
      ["unlockConnector", 0, 429], // refused unprocessed: resent after its Retry-After, as without pacing
      ["unlockConnector", 1, 503], // may have acted: not resent
    ]);
  });

  it("a 429 that says nothing of when to come back does not flood: a batch's update is resent after a pause that grows, whatever the retry's baseDelayMs", async () => {
    for (const baseDelayMs of [0, 1]) {
      const arrived = server.received.length;
      server.script(json(429, { error: { message: "Too many requests" } })); // no Retry-After, no X-RateLimit headers
      const client = fastClient(server.url, { retry: { baseDelayMs, maxDelayMs: 4 } });
      const [result] = await client.updateConnectors([{ path: PATH, patch: { maxVoltage: 400 } }], { deadlineMs: 2_000 });
      expect(result).toMatchObject({ ok: false, error: { kind: "rate-limited" } });
      // The first pause (1 s) fits the 2 s deadline, the doubled one does not: two sends, three at most.
      const sent = server.received.length - arrived;
      expect(sent).toBeGreaterThanOrEqual(2);
      expect(sent).toBeLessThanOrEqual(3);
    }
  });

  it("each client has its own pacers: a second client's batch knows nothing of the first one's window", async () => {
    const provider = bucketedProvider({ [WRITE]: { limit: 1, windowMs: 30_000 } });
    server.script(provider.handler);
    const events: ClientEvent[] = [];
    await fastClient(server.url).updateConnector(PATH, { maxVoltage: 400 });
    const other = fastClient(server.url, { onEvent: (e) => events.push(e) });
    // Its pause (Retry-After 30 s) would end past the update's deadline: the update fails with the 429.
    const [result] = await other.updateConnectors([{ path: PATH, patch: { maxVoltage: 400 } }], { deadlineMs: 2_000 });
    expect(result).toMatchObject({ ok: false, error: { kind: "rate-limited" } });
    expect(waits(events, WRITE)).toEqual([]); // it had no headers to wait on, so the provider's 429 told it
    expect(provider.rejected()).toBe(1);
  });
});
