// The fake's one engine: state, checks, documented errors, the rate limits on its own clock, faults,
// per-test overrides, the request log and coverage. It answers a request given as plain data (what
// every door can hand it without copying) and, through `fake.fetch`, a web Request with a web
// Response. It knows nothing of sockets: startFakeApi (node:http) and createFakeHandlers (MSW) are
// doors onto it.
import type { Evse } from "../../contract.js";
import { writeCoverageFile, type ContractCoverage } from "../../coverage/index.js";
import { assertKnownOptions, type ExactNames } from "../../options.js";
import { createRedactor } from "../../redact.js";
import { exampleEvses } from "./contract-examples.js";
import { LazyCoverage, parsedBody } from "./coverage.js";
import { FaultQueue, type Fault } from "./faults.js";
import { bearerKey, error, handle, matchOperation, type FakeAnswer, type HandlerContext } from "./handler.js";
import { OverrideList, type FakeOverride } from "./overrides.js";
import { BucketLimiters, checkRateLimit, FakeClock, type BucketState, type FakeRateLimit } from "./rate-limit.js";
import type { RateLimitBucket } from "../../../generated/operations.js";
import { checkSeed, EvseStore } from "./state.js";
import { checkFamilySeed, FamilyState, type FakeSession } from "./family.js";

/** What `createFake` takes; `startFakeApi` takes these and where to listen. */
export interface FakeOptions {
  /** The EVSEs to start with (each checked against the contract); default: the contract's example EVSEs. */
  evses?: Evse[];
  /**
   * The API keys accepted as `Authorization: Bearer <key>`. Default: any non-empty key.
   * `"first-sent"`: the first key the fake is sent, and then only that one until `reset()`, so that
   * a client with a wrong key gets the 401 the API would give (what `spirii-contract fake` does).
   */
  apiKeys?: string[] | "first-sent";
  /**
   * Rate limits per bucket of the contract, on the fake's clock (see `advance`); off by default.
   * `{ limit, windowMs }` limits the `write` bucket (the PATCH); `{ buckets: { read, write,
   * "remote-control" } }` each named bucket; `"documented"` every bucket at the contract's figure a
   * minute. Every request counts against its operation's bucket only.
   */
  rateLimit?: FakeRateLimit;
  /**
   * The rate limit's time source in epoch ms. Default: the real time at start, moved only by
   * `advance` (tests should not depend on time); pass `Date.now` for a fake that runs on real time.
   */
  clock?: () => number;
  /** Called once per request, after it is answered (or dropped), e.g. to log it. */
  onRequest?: (request: FakeRequest) => void;
  /** Write the contract coverage of the fake's exchanges to this file on `close()` (one file per test worker). */
  coverageFile?: string;
  /** Charging sessions running at the start, for remoteStopTransaction (and change-availability's `Scheduled`). */
  sessions?: FakeSession[];
  /** Charge boxes that are offline: an unlock on them answers `UnlockFailed` with a message. */
  offlineChargeboxes?: number[];
}

/** A request the fake received, as `fake.requests` lists it. */
export interface FakeRequest {
  method: string;
  /** The path with its query, as sent. */
  path: string;
  /** Lower-cased header names; `authorization` redacted. */
  headers: Record<string, string>;
  /** The body parsed as JSON; the text itself when it is not JSON; undefined when empty. */
  body: unknown;
  /** The status answered; undefined when the connection was dropped (a `{ reset: true }` fault). */
  status: number | undefined;
  durationMs: number;
}

/** A fetch that reaches the fake in memory: no socket, no port. */
export type FakeFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** The fake, whichever door it is reached through. */
export interface Fake {
  /**
   * A `fetch` that the fake answers in memory, with no socket at all: hand it to
   * `createConnectorClient({ apiKey, fetch: fake.fetch })`. Any origin is accepted; the path is what
   * counts. A `{ reset: true }` fault rejects it as a dropped connection would.
   */
  readonly fetch: FakeFetch;
  /** A copy of the stored EVSE, or undefined when the fake holds none with this uid. */
  evse(uid: number): Evse | undefined;
  /** The requests so far, oldest first (the last 1 000: a fake under load must not grow without bound, nor spend its time collecting garbage). */
  readonly requests: readonly FakeRequest[];
  /** Queues `fault` for the next `times` requests (default 1), whatever they are. */
  failNext(fault: Fault, times?: number): void;
  /** Moves the fake's clock forward, which only the rate limits read. */
  advance(ms: number): void;
  /**
   * Per-test answers, typed from the contract (see `override` in the package's testing entry): the
   * newest first, as MSW's `server.use`. Each answer is checked against the contract when it is
   * given (a fixed answer) or when it is made (a function). `reset()` removes them all.
   */
  use(...overrides: FakeOverride[]): void;
  /** Back to the seed EVSEs and a fresh window in every rate-limit bucket; requests, queued faults and overrides cleared. */
  reset(): void;
  /**
   * What the fake was sent and answered on the contract's operation (PATCH of a connector) so far,
   * as contract coverage: each request body, each status, each 200 body. reset() does not clear it.
   */
  coverage(): ContractCoverage;
  /** Writes `coverage()` as JSON, for `spirii-contract coverage FILE...` to merge and gate. */
  writeCoverage(file: string): Promise<void>;
  /** Whether `close()` was called: a closed fake answers nothing. */
  readonly closed: boolean;
  /** Stops answering, drops pending late answers (and writes `coverageFile`). */
  close(): Promise<void>;
}

/** One request, as plain data: what a door hands the engine. */
export interface FakeExchange {
  method: string;
  /** The path with its query. */
  url: string;
  /** Lower-cased names. */
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** Aborted when the caller gave up (a socket closed, a fetch aborted): the request is still handled, the answer recorded as dropped. */
  signal?: AbortSignal | undefined;
}

/** The engine's answer to one request. */
export type FakeOutcome =
  | { kind: "answer"; answer: FakeAnswer }
  /** Drop the connection: a `{ reset: true }` fault, an answer the caller stopped waiting for, or a fake closed meanwhile. */
  | { kind: "drop" }
  /** An override answered off the contract: the test is wrong, and this error says where. */
  | { kind: "failed"; error: Error };

export const FAKE_OPTIONS = ["evses", "apiKeys", "rateLimit", "clock", "onRequest", "coverageFile", "sessions", "offlineChargeboxes"] as const;
true satisfies ExactNames<FakeOptions, (typeof FAKE_OPTIONS)[number]>;
const KEPT_REQUESTS = 1_000;
const FAULT_MESSAGE = "The fake was told to fail this request (fake.failNext).";

/** Checks the engine's options (`who` names the function in messages); unknown names are the caller's to refuse. */
export function checkFakeOptions(o: FakeOptions, who: string) {
  const { apiKeys, clock, onRequest, coverageFile } = o;
  if (apiKeys !== undefined && apiKeys !== "first-sent" && (!Array.isArray(apiKeys) || apiKeys.length === 0 || apiKeys.some((k) => typeof k !== "string" || k.trim() === "" || k !== k.trim()))) {
    throw new TypeError(`${who}: apiKeys must be a non-empty array of non-empty keys without surrounding spaces, or "first-sent" (leave it out to accept any key).`);
  }
  if (onRequest !== undefined && typeof onRequest !== "function") throw new TypeError(`${who}: onRequest must be a function.`);
  if (coverageFile !== undefined && (typeof coverageFile !== "string" || coverageFile === "")) {
    throw new TypeError(`${who}: coverageFile must be a file path, got ${JSON.stringify(coverageFile)}.`);
  }
  if (clock !== undefined && typeof clock !== "function") throw new TypeError(`${who}: clock must be a function returning epoch milliseconds, e.g. Date.now.`);
  return {
    seed: o.evses === undefined ? exampleEvses() : checkSeed(o.evses, who),
    apiKeys: apiKeys === undefined || apiKeys === "first-sent" ? apiKeys : new Set(apiKeys),
    rateLimits: checkRateLimit(o.rateLimit, who),
    clock,
    onRequest,
    coverageFile,
    family: checkFamilySeed({ sessions: o.sessions, offlineChargeboxes: o.offlineChargeboxes }, who),
  };
}

interface RawRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  status: number | undefined;
  durationMs: number;
}

/** The record a caller sees: the key is whatever was sent as the bearer token, never kept, wherever it appears. */
function redacted(raw: RawRequest): FakeRequest {
  const redact = createRedactor(bearerKey(headerText(raw.headers["authorization"])));
  return {
    method: raw.method,
    path: redact.text(raw.url),
    headers: redact.headers(raw.headers),
    body: redact.value(parsedBody(raw.text)),
    status: raw.status,
    durationMs: raw.durationMs,
  };
}

const headerText = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(", ") : value);

function faultAnswer(context: HandlerContext, fault: { status: number; body?: unknown; headers?: Record<string, string> }): FakeAnswer {
  const base = "body" in fault ? { status: fault.status, headers: {}, body: typeof fault.body === "string" ? fault.body : JSON.stringify(fault.body) } : error(context, fault.status, FAULT_MESSAGE);
  const headers: Record<string, string> = { ...base.headers, ...fault.headers };
  if (!Object.keys(headers).some((name) => name.toLowerCase() === "content-type")) headers["Content-Type"] = "application/json";
  return { status: fault.status, headers, body: base.body };
}

/** A sync or async result, or what it threw; a plain answer costs no extra microtask. */
function settle<T>(run: () => T | Promise<T>): { ok: true; value: T } | { ok: false; error: Error } | Promise<{ ok: true; value: T } | { ok: false; error: Error }> {
  const failed = (error: unknown) => ({ ok: false as const, error: error instanceof Error ? error : new Error(String(error)) });
  try {
    const value = run();
    return value instanceof Promise ? value.then((v) => ({ ok: true as const, value: v }), failed) : { ok: true, value };
  } catch (error) {
    return failed(error);
  }
}

/** Statuses whose answers have no body, by the fetch standard. */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/** A web Response for an answer (a dropped connection is `Response.error()`, as MSW spells it). */
export function toResponse(outcome: FakeOutcome): Response {
  if (outcome.kind === "failed") throw outcome.error;
  if (outcome.kind === "drop") return Response.error();
  const { status, headers, body } = outcome.answer;
  return new Response(NULL_BODY.has(status) ? null : body, { status, headers });
}

/** A web Request as the engine reads it (`text`, when known, spares reading the body stream: it is what `init.body` was). */
export function fromRequest(request: Request, text?: string): FakeExchange | Promise<FakeExchange> {
  const url = new URL(request.url);
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => (headers[name] = value));
  const exchange = { method: request.method, url: url.pathname + url.search, headers, text: text ?? "", signal: request.signal };
  return text !== undefined || request.body === null ? exchange : request.text().then((body) => ({ ...exchange, text: body }));
}

/** What a door needs beyond the public face: the engine's answer to plain data, and the admin's controls. */
export interface FakeEngine extends Fake {
  answer(exchange: FakeExchange): Promise<FakeOutcome>;
  /** State for the admin route (never the keys). */
  describe(): { evses: Evse[]; clock: { now: number; advancedMs: number }; rateLimits: { [B in RateLimitBucket]: BucketState | null }; queuedFaults: number; overrides: number };
}

const engines = new WeakMap<object, FakeEngine>();

/** Makes `door` (an object whose prototype is `engine`, e.g. startFakeApi's) known as that engine's fake. */
export function adopt<T extends object>(door: T, engine: FakeEngine): T {
  engines.set(door, engine);
  return door;
}

/** The engine behind a fake, or a clear error for anything else (a closed fake included, when `open`). */
export function engineOf(fake: unknown, who: string): FakeEngine {
  const engine = fake !== null && typeof fake === "object" ? engines.get(fake) : undefined;
  if (!engine) throw new TypeError(`${who}: expected a fake from createFake() or startFakeApi(), got ${fake === null ? "null" : typeof fake}.`);
  if (engine.closed) throw new Error(`${who}: the fake is closed; create the handlers from a fake that is open (close it in afterAll, after the last test).`);
  return engine;
}

/**
 * A stateful fake of the API, in memory: hand `fake.fetch` to the client, or the fake to
 * `createFakeHandlers` (MSW); `startFakeApi` serves the same on a loopback port.
 */
export function createFake(options: FakeOptions = {}): Fake {
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new TypeError(`createFake: options must be an object, got ${JSON.stringify(options)}.`);
  }
  // startFakeApi's own (port, host) are named as such: createFake has no socket.
  assertKnownOptions("createFake", options, FAKE_OPTIONS, { places: [{ names: ["port", "host"], where: (name) => `createFake listens on nothing; startFakeApi({ ${name} }) does` }] });
  return createEngine(checkFakeOptions(options, "createFake"));
}

export function createEngine(checked: ReturnType<typeof checkFakeOptions>): FakeEngine {
  const { seed, apiKeys: keys, rateLimits, clock: source, onRequest, coverageFile } = checked;
  const store = new EvseStore(seed);
  const family = new FamilyState(checked.family, store);
  const clock = new FakeClock(source);
  const limiters = new BucketLimiters(rateLimits, clock);
  const faults = new FaultQueue();
  const overrides = new OverrideList();
  let requests: RawRequest[] = [];
  let requestCount = 0;
  let firstKey: string | undefined;
  const acceptedKeys = (): ReadonlySet<string> | undefined => (keys === "first-sent" ? (firstKey === undefined ? undefined : new Set([firstKey])) : keys);
  const context: HandlerContext = {
    store,
    family,
    limiters,
    get apiKeys() {
      return acceptedKeys();
    },
    requestId: () => `req_fake_${++requestCount}`,
  };
  const lateAnswers = new Map<NodeJS.Timeout, () => void>();
  /** Answers under way, which close() lets finish (as dropped) before it resolves. */
  const inflight = new Set<Promise<FakeOutcome>>();
  const recorder = new LazyCoverage();
  let closed = false;
  let closing: Promise<void> | undefined;

  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        lateAnswers.delete(timer);
        resolve();
      }, ms);
      lateAnswers.set(timer, resolve);
    });

  async function answer(exchange: FakeExchange): Promise<FakeOutcome> {
    const started = performance.now();
    const { method, url, headers, text, signal } = exchange;
    const record = (status: number | undefined) => {
      // Kept raw and redacted when read: redacting every request would cost more than answering it.
      const raw: RawRequest = { method, url, headers, text, status, durationMs: performance.now() - started };
      requests.push(raw);
      // Trimmed in batches: trimming on every request would copy them all each time.
      if (requests.length >= 2 * KEPT_REQUESTS) requests = requests.slice(-KEPT_REQUESTS);
      if (onRequest) onRequest(redacted(raw));
    };
    // The request's operation, found once: the handler, the overrides and coverage all read this match.
    const matched = matchOperation(method, url);
    // Every exchange counts, filed under its operation, or outside the contract.
    const covered = (reply: FakeAnswer | undefined) => recorder.add(text, reply, matched ? { operation: matched.operation.operationId } : { method, path: url });
    const authorization = headerText(headers["authorization"]);
    if (keys === "first-sent" && firstKey === undefined) firstKey = bearerKey(authorization);

    const fault = faults.take();
    if (fault && "reset" in fault) {
      record(undefined);
      covered(undefined);
      return { kind: "drop" };
    }
    const delayMs = fault && "delayMs" in fault ? (fault.delayMs ?? 0) : 0;
    if (delayMs > 0) await wait(delayMs);
    if (closed) {
      // Closed while it waited: dropped without being handled, as a stopped server's request is.
      record(undefined);
      covered(undefined);
      return { kind: "drop" };
    }

    let reply: FakeAnswer;
    if (fault && "status" in fault) reply = faultAnswer(context, fault);
    else {
      // An override's answer function may throw (or reject) with the test's mistake: the outcome says so.
      const outcome = await settle(() => handle(context, { method, path: url, authorization, body: text }, matched, overrides));
      if (!outcome.ok) {
        record(500);
        return { kind: "failed", error: outcome.error };
      }
      reply = outcome.value;
    }
    // The caller may have given up meanwhile, or the fake closed: the request was still handled, as the API would.
    if (closed || signal?.aborted) {
      record(undefined);
      covered(undefined);
      return { kind: "drop" };
    }
    record(reply.status);
    covered(reply);
    return { kind: "answer", answer: reply };
  }

  const engine: FakeEngine = {
    answer(exchange) {
      if (closed) return Promise.resolve({ kind: "drop" });
      const answering = answer(exchange);
      inflight.add(answering);
      void answering.finally(() => inflight.delete(answering)).catch(() => undefined);
      return answering;
    },
    async fetch(input, init) {
      if (closed) throw new Error("fake.fetch: the fake is closed; nothing answers after close().");
      const request = new Request(input, init);
      const signal = request.signal;
      signal.throwIfAborted();
      // A string body is taken as it is: the request then reaches the engine at once, as a socket's would.
      const exchange = fromRequest(request, typeof init?.body === "string" ? init.body : undefined);
      const answered = exchange instanceof Promise ? exchange.then((e) => engine.answer(e)) : engine.answer(exchange);
      const outcome = await new Promise<FakeOutcome>((resolve, reject) => {
        // As fetch does: the caller's abort rejects at once; the fake still handles the request.
        const onAbort = () => reject(signal.reason);
        signal.addEventListener("abort", onAbort, { once: true });
        answered.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
      });
      if (outcome.kind === "drop") {
        const cause = Object.assign(new Error("ECONNRESET: the fake dropped the connection (a { reset: true } fault, or the fake was closed)"), { code: "ECONNRESET" });
        throw new TypeError("fetch failed", { cause });
      }
      return toResponse(outcome);
    },
    evse: (uid) => store.get(uid),
    get requests() {
      return requests.slice(-KEPT_REQUESTS).map(redacted);
    },
    failNext: (fault, times) => faults.push(fault, times),
    advance: (ms) => clock.advance(ms),
    use: (...list) => overrides.use(list),
    reset() {
      store.reset();
      family.reset();
      limiters.reset();
      faults.clear();
      overrides.clear();
      requests = [];
      requestCount = 0;
      firstKey = undefined;
    },
    coverage: () => recorder.coverage(),
    writeCoverage: (file) => writeCoverageFile(file, recorder.coverage()),
    describe: () => ({
      evses: store.all(),
      clock: { now: clock.now(), advancedMs: clock.advanced },
      rateLimits: limiters.describe(),
      queuedFaults: faults.size,
      overrides: overrides.size,
    }),
    get closed() {
      return closed;
    },
    close() {
      closed = true;
      closing ??= Promise.resolve().then(() => {
        for (const [timer, resolve] of lateAnswers) {
          clearTimeout(timer);
          resolve(); // the late answer is dropped (closed), not left pending forever
        }
        lateAnswers.clear();
        return Promise.allSettled([...inflight]);
      }).then(() => {
        return coverageFile === undefined ? undefined : writeCoverageFile(coverageFile, recorder.coverage());
      });
      return closing;
    },
  };
  return adopt(engine, engine);
}
