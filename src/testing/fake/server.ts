// startFakeApi: the fake on plain node:http. It takes the request, lets a queued fault or the
// handler answer it, records it, and sends the answer. Nothing here loads Prism or fast-check.
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Evse } from "../../contract.js";
import { writeCoverageFile, type ContractCoverage } from "../../coverage/index.js";
import { createRedactor } from "../../redact.js";
import { exampleEvses } from "./contract-examples.js";
import { LazyCoverage, parsedBody } from "./coverage.js";
import { FaultQueue, type Fault } from "./faults.js";
import { bearerKey, error, handle, isConnectorPath, type FakeAnswer, type HandlerContext } from "./handler.js";
import { UPDATE_CONNECTOR } from "../../../generated/values.js";
import { checkRateLimit, FakeClock, UNLIMITED, WriteLimiter, type RateLimit } from "./rate-limit.js";
import { checkSeed, EvseStore } from "./state.js";

export interface FakeApiOptions {
  /** The EVSEs to start with (each checked against the contract); default: the contract's example EVSEs. */
  evses?: Evse[];
  /** The API keys accepted as `Authorization: Bearer <key>`; default: any non-empty key. */
  apiKeys?: string[];
  /** Turns on the documented write limit, on the fake's clock (see `advance`); off by default. */
  rateLimit?: RateLimit;
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** Host to bind; loopback by default. */
  host?: string;
  /**
   * The rate limit's time source in epoch ms. Default: the real time at start, moved only by
   * `advance` (tests should not depend on time); pass `Date.now` for a fake that runs on real time.
   */
  clock?: () => number;
  /** Called once per request, after it is answered (or dropped), e.g. to log it. */
  onRequest?: (request: FakeRequest) => void;
  /** Write the contract coverage of the fake's exchanges to this file on `close()` (one file per test worker). */
  coverageFile?: string;
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

export interface FakeApi {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  readonly url: string;
  /** A copy of the stored EVSE, or undefined when the fake holds none with this uid. */
  evse(uid: number): Evse | undefined;
  /** The requests so far, oldest first (the last 1 000: a fake under load must not grow without bound, nor spend its time collecting garbage). */
  readonly requests: readonly FakeRequest[];
  /** Queues `fault` for the next `times` requests (default 1), whatever they are. */
  failNext(fault: Fault, times?: number): void;
  /** Moves the fake's clock forward, which only the rate limit reads. */
  advance(ms: number): void;
  /** Back to the seed EVSEs and a fresh rate-limit window; requests and queued faults cleared. */
  reset(): void;
  /**
   * What the fake was sent and answered on the contract's operation (PATCH of a connector) so far,
   * as contract coverage: each request body, each status, each 200 body. reset() does not clear it.
   */
  coverage(): ContractCoverage;
  /** Writes `coverage()` as JSON, for `spirii-contract coverage FILE...` to merge and gate. */
  writeCoverage(file: string): Promise<void>;
  /** Stops listening, drops open connections and pending late answers (and writes `coverageFile`); the port is free after. */
  close(): Promise<void>;
}

const OPTIONS = new Set(["evses", "apiKeys", "rateLimit", "port", "host", "clock", "onRequest", "coverageFile"]);
const KEPT_REQUESTS = 1_000;
const FAULT_MESSAGE = "The fake was told to fail this request (fake.failNext).";

function checkOptions(options: unknown) {
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new TypeError(`startFakeApi: options must be an object, got ${JSON.stringify(options)}.`);
  }
  const o = options as FakeApiOptions;
  const unknown = Object.keys(o).filter((key) => !OPTIONS.has(key));
  if (unknown.length) throw new TypeError(`startFakeApi: unknown option ${unknown.join(", ")}; the options are ${[...OPTIONS].join(", ")}.`);
  const { port = 0, host = "127.0.0.1", apiKeys, clock, onRequest, coverageFile } = o;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`startFakeApi: port must be a whole number from 0 to 65535 (0 picks a free port), got ${String(port)}.`);
  }
  if (typeof host !== "string" || host === "") throw new TypeError(`startFakeApi: host must be a non-empty string, got ${JSON.stringify(host)}.`);
  if (apiKeys !== undefined && (!Array.isArray(apiKeys) || apiKeys.length === 0 || apiKeys.some((k) => typeof k !== "string" || k.trim() === "" || k !== k.trim()))) {
    throw new TypeError("startFakeApi: apiKeys must be a non-empty array of non-empty keys without surrounding spaces (leave it out to accept any key).");
  }
  if (onRequest !== undefined && typeof onRequest !== "function") throw new TypeError("startFakeApi: onRequest must be a function.");
  if (coverageFile !== undefined && (typeof coverageFile !== "string" || coverageFile === "")) {
    throw new TypeError(`startFakeApi: coverageFile must be a file path, got ${JSON.stringify(coverageFile)}.`);
  }
  if (clock !== undefined && typeof clock !== "function") throw new TypeError("startFakeApi: clock must be a function returning epoch milliseconds, e.g. Date.now.");
  return {
    port,
    host,
    seed: o.evses === undefined ? exampleEvses() : checkSeed(o.evses),
    apiKeys: apiKeys && new Set(apiKeys),
    rate: o.rateLimit === undefined ? UNLIMITED : checkRateLimit(o.rateLimit),
    clock,
    onRequest,
    coverageFile,
  };
}

interface RawRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  text: string;
  status: number | undefined;
  durationMs: number;
}

/** The record a caller sees: the key is whatever was sent as the bearer token, never kept, wherever it appears. */
function redacted(raw: RawRequest): FakeRequest {
  const redact = createRedactor(bearerKey(raw.headers.authorization));
  return {
    method: raw.method,
    path: redact.text(raw.url),
    headers: redact.headers(raw.headers),
    body: redact.value(parsedBody(raw.text)),
    status: raw.status,
    durationMs: raw.durationMs,
  };
}


function faultAnswer(context: HandlerContext, fault: { status: number; body?: unknown; headers?: Record<string, string> }): FakeAnswer {
  const base = "body" in fault ? { status: fault.status, headers: {}, body: typeof fault.body === "string" ? fault.body : JSON.stringify(fault.body) } : error(context, fault.status, FAULT_MESSAGE);
  const headers: Record<string, string> = { ...base.headers, ...fault.headers };
  if (!Object.keys(headers).some((name) => name.toLowerCase() === "content-type")) headers["Content-Type"] = "application/json";
  return { status: fault.status, headers, body: base.body };
}

/**
 * Starts a stateful fake of the API on loopback: it holds EVSEs, applies patches as the contract
 * says, and lets a test queue faults, move the rate limit's clock and inspect what it received.
 */
export async function startFakeApi(options: FakeApiOptions = {}): Promise<FakeApi> {
  const { port, host, seed, apiKeys, rate, clock: source, onRequest, coverageFile } = checkOptions(options);
  const store = new EvseStore(seed);
  const clock = new FakeClock(source);
  const limiter = new WriteLimiter(rate, clock);
  const faults = new FaultQueue();
  let requests: RawRequest[] = [];
  let requestCount = 0;
  const context: HandlerContext = { store, limiter, apiKeys, requestId: () => `req_fake_${++requestCount}` };
  const lateAnswers = new Set<NodeJS.Timeout>();
  const recorder = new LazyCoverage();

  const server = http.createServer((req, res) => {
    const started = performance.now();
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const record = (status: number | undefined) => {
        // Kept raw and redacted when read: redacting every request would cost more than answering it.
        const raw: RawRequest = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, text, status, durationMs: performance.now() - started };
        requests.push(raw);
        // Trimmed in batches: trimming on every request would copy them all each time.
        if (requests.length >= 2 * KEPT_REQUESTS) requests = requests.slice(-KEPT_REQUESTS);
        if (onRequest) onRequest(redacted(raw));
      };
      const covered = (reply: FakeAnswer | undefined) => {
        if (req.method === UPDATE_CONNECTOR.method && isConnectorPath(req.url ?? "")) recorder.add(text, reply);
      };
      const fault = faults.take();
      if (fault && "reset" in fault) {
        res.socket?.resetAndDestroy();
        record(undefined);
        covered(undefined);
        return;
      }
      const answer = () => {
        const reply =
          fault && "status" in fault
            ? faultAnswer(context, fault)
            : handle(context, { method: req.method ?? "", path: req.url ?? "", authorization: req.headers.authorization, body: text });
        res.writeHead(reply.status, { ...reply.headers, "Content-Length": Buffer.byteLength(reply.body) });
        res.end(reply.body);
        record(reply.status);
        covered(reply);
      };
      const delayMs = fault && "delayMs" in fault ? (fault.delayMs ?? 0) : 0;
      if (delayMs === 0) return answer();
      const timer = setTimeout(() => {
        lateAnswers.delete(timer);
        // The client may have given up meanwhile; the request is still handled, as the API would.
        if (res.destroyed) {
          if (!("status" in fault!)) handle(context, { method: req.method ?? "", path: req.url ?? "", authorization: req.headers.authorization, body: text });
          record(undefined);
          covered(undefined);
        } else answer();
      }, delayMs);
      lateAnswers.add(timer);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === "IPv6" ? `[${address.address}]` : address.address}:${address.port}`;

  let closing: Promise<void> | undefined;
  return {
    url,
    evse: (uid) => store.get(uid),
    get requests() {
      return requests.slice(-KEPT_REQUESTS).map(redacted);
    },
    failNext: (fault, times) => faults.push(fault, times),
    advance: (ms) => clock.advance(ms),
    reset() {
      store.reset();
      limiter.reset();
      faults.clear();
      requests = [];
      requestCount = 0;
    },
    coverage: () => recorder.coverage(),
    writeCoverage: (file) => writeCoverageFile(file, recorder.coverage()),
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const timer of lateAnswers) clearTimeout(timer);
        lateAnswers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }).then(() => (coverageFile === undefined ? undefined : writeCoverageFile(coverageFile, recorder.coverage())));
      return closing;
    },
  };
}
