// The transport: every attempt of one call, within its limits. It is the `fetch` openapi-fetch
// calls (one Call per call of a named method such as getEvse, or per client.raw request), and it owns the parts of a
// call that are about time and bytes: the key and User-Agent on each attempt, one timer per attempt
// bounded by the call's deadline, the caller's signal, retries with their waits, the size cap, and
// the errors that have no response to read (timeout, network, aborted), and what may be resent
// (retry.ts's mayResend, from the operation's x-idempotent), and each attempt's report to its
// rate-limit bucket's pacer (pacing.ts: it counts in flight until answered, its X-RateLimit headers
// and a 429 go to that bucket, so batches and walks of the same client know). The final response goes
// back to openapi-fetch; for a named method a 2xx comes back unread, its attempt still running, and
// the response reader (response.ts) reads its body through `Call.readBody`.
//
// Cost matters (every call pays it): no work for events without a hook, one AbortController and one
// unref'd timer per attempt, created when the attempt starts, and no listener left on the caller's
// signal between attempts. What remains is undici's price for a Request that follows a signal
// (a WeakRef and a FinalizationRegistry entry, 15-25 us on Node 20): it is what lets a timeout close
// the socket, for the global fetch and an injected one alike.
import type { OperationFacts } from "../../generated/operations.js";
import type { Redactor } from "../redact.js";
import { ConnectorApiError } from "./errors.js";
import type { ClientEvent } from "./events.js";
import type { BucketPacer, BucketPacers, Reservation } from "./pacing.js";
import { operationOf } from "./registry.js";
import { sleep } from "./sleep.js";
import { RETRY_AFTER, backoffDelay, mayResend, neverSent, parseRetryAfter, type RetryPolicy } from "./retry.js";

/** A fetch the caller injects: it is called with one Request per attempt, whose signal ends the attempt. */
export type FetchLike = (request: Request) => Promise<Response>;

export interface CappedBody {
  /** The body, or its first `maxBytes` when it was larger. */
  bytes: Uint8Array;
  /** True when the body was longer than `maxBytes` (the rest was not read). */
  tooLarge: boolean;
}

const NOTHING = new Uint8Array(0);
const noop = () => {};

/**
 * Reads a body completely, up to `maxBytes`, so that an endless body cannot exhaust memory: a web
 * stream (a Response's body) or any async iterable of bytes (a node:http request). A declared
 * length above the cap is refused without reading. The rest of a body that is too large is
 * cancelled. Time is the caller's to bound.
 */
export async function readCappedBody(
  body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | null | undefined,
  maxBytes: number,
  declaredLength?: string | null,
): Promise<CappedBody> {
  if (body === null || body === undefined) return { bytes: NOTHING, tooLarge: false };
  if (Number(declaredLength ?? Number.NaN) > maxBytes) {
    if ("cancel" in body) await body.cancel().catch(noop);
    else (body as { destroy?: () => void }).destroy?.();
    return { bytes: NOTHING, tooLarge: true };
  }
  const chunks: Uint8Array[] = [];
  let length = 0;
  let tooLarge = false;
  // Chunk by chunk rather than arrayBuffer(): a Content-Length is not always there (nor binding
  // when the body is compressed), and the cap must hold either way. Cheaper, too: arrayBuffer()
  // runs the same loop and then copies.
  const take = (value: Uint8Array): boolean => {
    const room = maxBytes - length;
    if (value.byteLength > room) {
      chunks.push(value.subarray(0, room));
      length += room;
      tooLarge = true;
      return false;
    }
    chunks.push(value);
    length += value.byteLength;
    return true;
  };
  if ("getReader" in body) {
    // The lock is never released: nothing else reads this body.
    const reader = body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!take(value)) {
        await reader.cancel().catch(noop);
        break;
      }
    }
  } else {
    for await (const value of body) if (!take(value)) break; // leaving the loop destroys the stream
  }
  // The usual small body arrives in one chunk: use it as it is.
  if (chunks.length === 1) return { bytes: chunks[0]!, tooLarge };
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { bytes, tooLarge };
}

export interface TransportConfig {
  /** The checked base URL: the only place the key is sent. */
  baseUrl: string;
  authorization: string;
  userAgent: string;
  /** The caller's fetch; undefined for the global fetch (looked up per attempt, so a replaced one is used). */
  fetch: FetchLike | undefined;
  timeoutMs: number;
  deadlineMs: number;
  retry: RetryPolicy;
  maxResponseBytes: number;
  redact: Redactor;
  /** Undefined when nobody listens: then no event is built at all. */
  emit: ((event: ClientEvent) => void) | undefined;
  /** The client's pacer per rate-limit bucket: every attempt of an operation reports to its bucket's (it does not wait on it). */
  pacers: BucketPacers;
}

export interface CallOptions {
  /** The caller's signal: ends the call, reported as `aborted`. */
  signal?: AbortSignal | undefined;
  /** Overrides the client's deadlineMs for this call. */
  deadlineMs?: number | undefined;
  /** Leave a 429 to the caller instead of waiting for it (updateConnectors puts the update back in its queue). */
  retryRateLimited?: boolean | undefined;
  /** The place in the bucket's window a batch or walk took for this call when its wait ended: the first attempt uses it rather than take another. */
  reservation?: Reservation | undefined;
}

/** The innermost cause of a fetch failure, e.g. "ECONNRESET: read ECONNRESET"; "fetch failed" alone helps nobody. */
function describeCause(error: Error): string {
  let deepest: unknown = error;
  for (let depth = 0; depth < 5 && deepest instanceof Error && deepest.cause !== undefined; depth++) deepest = deepest.cause;
  if (!(deepest instanceof Error)) return String(deepest);
  const code = (deepest as { code?: unknown }).code;
  return `${typeof code === "string" ? code : deepest.name}: ${deepest.message}`;
}

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/** One call: its attempts, its deadline, the caller's signal. */
export class Call {
  /** The contract's operation this call is (its x-idempotent decides what may be resent), or undefined for a request of client.raw that is none. */
  readonly operation: OperationFacts | undefined;
  /** Attempts sent so far. */
  attempts = 0;
  /** Retry-After of the last response, parsed once (for the wait and for a rate-limited error). */
  retryAfterMs: number | undefined;
  /** The request URL, once openapi-fetch has built it (it never contains the key). */
  url: string;
  readonly method: string;
  /** The pacer of the operation's rate-limit bucket (none for a client.raw request that is no operation). */
  readonly #paced: BucketPacer | undefined;
  /** True while an attempt holds a place in its bucket's window (taken, not yet settled). */
  #holding = false;
  readonly #config: TransportConfig;
  readonly #options: CallOptions;
  readonly #caller: AbortSignal | undefined;
  readonly #deadlineMs: number;
  readonly #deadlineAt: number;
  /** The body as serialized, sent again by every attempt. */
  #body: string | ArrayBuffer | undefined;
  #controller: AbortController | undefined;
  /** True when openapi-fetch's Request was built with #controller's signal. */
  #prebuilt = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #expired: "timeoutMs" | "deadlineMs" | undefined;
  #listening = false;
  #reject: ((reason: unknown) => void) | undefined;
  /** Read the whole body into a fresh Response (client.raw, and error bodies that openapi-fetch parses). */
  readonly #bufferAll: boolean;

  constructor(config: TransportConfig, operation: OperationFacts | undefined, method: string, url: string, options: CallOptions, bufferAll: boolean) {
    this.operation = operation;
    this.#paced = config.pacers.of(operation);
    this.#config = config;
    this.#options = options;
    this.#caller = options.signal;
    this.#deadlineMs = options.deadlineMs ?? config.deadlineMs;
    this.#deadlineAt = performance.now() + this.#deadlineMs;
    this.method = method;
    this.url = url;
    this.#bufferAll = bufferAll;
  }

  get maxResponseBytes(): number {
    return this.#config.maxResponseBytes;
  }

  /** For openapi-fetch's bodySerializer: serializes once, and keeps it for every attempt. */
  readonly serialize = (body: unknown): string => (this.#body = JSON.stringify(body));

  /**
   * The signal for openapi-fetch's Request when an injected fetch will be handed that Request on
   * the first attempt. Not used with the global fetch, which is given the parts instead (from a
   * Request it would build a second one, piping the body through a TransformStream).
   */
  firstSignal(): AbortSignal | undefined {
    if (this.#config.fetch === undefined) return undefined;
    this.#prebuilt = true;
    return (this.#controller = new AbortController()).signal;
  }

  /** The fetch openapi-fetch calls. Resolves with the final response; rejects with a ConnectorApiError. */
  readonly send = async (request: Request): Promise<Response> => {
    const { retry, emit } = this.#config;
    const { method } = this;
    const idempotent = this.operation?.idempotent === true;
    this.url = request.url;
    // For client.raw (bufferAll) the key goes on a copy: its middleware sees this Request again in
    // onResponse and onError. A named method's own Request has no middleware and is used as built.
    const headers = this.#bufferAll ? new Headers(request.headers) : request.headers;
    headers.set("authorization", this.#config.authorization);
    headers.set("user-agent", this.#config.userAgent);
    // client.raw's body is the caller's (any serializer): buffered once, so each attempt can resend it.
    if (this.#body === undefined && request.body !== null) this.#body = await request.arrayBuffer();
    let shownHeaders: Record<string, string> | undefined;

    for (;;) {
      if (this.#caller?.aborted) throw this.#aborted();
      const attempt = ++this.attempts;
      this.#hold();
      const signal = this.#arm();
      if (emit) emit({ type: "request", method, url: this.url, attempt, headers: (shownHeaders ??= this.#config.redact.headers(headers)) });
      const started = emit ? performance.now() : 0;
      let response: Response;
      try {
        response = await this.#guard(this.#dispatch(request, headers, signal, attempt));
      } catch (error) {
        this.#settle(undefined);
        this.#disarm();
        const failure = this.#failure(error);
        const resend =
          failure.kind === "network"
            ? mayResend(idempotent, { kind: "network", notSent: neverSent(failure.detail) })
            : failure.kind === "timeout" && failure.limit === "timeoutMs" && mayResend(idempotent, { kind: "timeout" });
        if (resend && attempt < retry.maxAttempts && (await this.#pause(attempt, failure.kind, backoffDelay(attempt, retry)))) continue;
        throw failure;
      }
      const status = response.status;
      if (emit) emit({ type: "response", method, url: this.url, attempt, status, durationMs: Math.round(performance.now() - started) });
      this.#settle(response.headers);
      const retryable = retry.statuses.has(status) && !(status === 429 && this.#options.retryRateLimited === false) && mayResend(idempotent, { kind: "status", status });
      this.retryAfterMs = retryable || status === 429 ? parseRetryAfter(response.headers.get(RETRY_AFTER)) : undefined;
      // A 429 pauses its bucket (only its own) for what waits on it, this client's batches and walks:
      // until Retry-After, else the announced window's end, else the pacer's own growing fallback
      // (never this call's backoff, which may be 0). A single call does not wait on the pause.
      if (status === 429) this.#paced?.pacer.pause(this.retryAfterMs);
      if (retryable && attempt < retry.maxAttempts) {
        const wait = this.retryAfterMs;
        // A Retry-After beyond the cap is not shortened (that would only earn another 429): the
        // caller gets the error with retryAfterMs and decides.
        if (wait === undefined || wait <= retry.maxRetryAfterMs) {
          const delay = wait ?? backoffDelay(attempt, retry);
          if (this.#fits(delay)) {
            response.body?.cancel().catch(noop);
            this.#disarm();
            if (await this.#pause(attempt, String(status), delay)) continue;
          }
        }
      }
      // The final response. A 2xx for a named method goes back unread (the reader reads it, still
      // within this attempt); anything openapi-fetch reads itself is read here, under the cap.
      if (response.ok && !this.#bufferAll) return response;
      try {
        const { bytes } = await this.readBody(response.body, response.headers.get("content-length"));
        const copied = new Headers(response.headers);
        copied.delete("content-encoding"); // decoded, and possibly cut at the cap: say so
        copied.set("content-length", String(bytes.byteLength));
        // (The bytes are ArrayBuffer-backed; TypeScript 5.7+ types BodyInit as needing to know that.)
        return new Response(NULL_BODY_STATUSES.has(status) ? null : (bytes as BufferSource), { status, statusText: response.statusText, headers: copied });
      } finally {
        this.#disarm();
      }
    }
  };

  /** Reads the final response's body under the cap, within the attempt's time. Rejects with a ConnectorApiError. */
  async readBody(body: ReadableStream<Uint8Array> | null | undefined, declaredLength: string | null): Promise<CappedBody> {
    try {
      return await this.#guard(readCappedBody(body, this.#config.maxResponseBytes, declaredLength));
    } catch (error) {
      throw this.#failure(error);
    } finally {
      this.#disarm();
    }
  }

  /** What every error of this call names: the request, the attempts so far, and the operation when it is one. */
  target(): { method: string; url: string; attempts: number; operationId?: string } {
    const base = { method: this.method, url: this.url, attempts: this.attempts };
    return this.operation === undefined ? base : { ...base, operationId: this.operation.operationId };
  }

  /** Ends the call: clears the attempt's timer and the listener on the caller's signal. */
  close(): void {
    this.#settle(undefined);
    this.#disarm();
  }

  /**
   * An attempt takes a place in its bucket's window. It does not wait for one: a single call goes at
   * once and gets the provider's answer (a 429 is the caller's to see, as `rate-limited`); batches
   * and walks wait for the window before they call and hand over the place they took (pacing.ts's
   * reserveRoom), which the first attempt uses instead of taking a second.
   */
  #hold(): void {
    if (this.#paced === undefined) return;
    if (this.#options.reservation?.claim() !== true) this.#paced.pacer.take();
    this.#holding = true;
  }

  /** The attempt has its answer (its headers go to the bucket's pacer) or failed without one: it leaves the window's in-flight count. */
  #settle(headers: Headers | undefined): void {
    if (!this.#holding) return;
    this.#holding = false;
    const { pacer } = this.#paced!;
    if (headers !== undefined) pacer.observe(headers, pacer.inFlight - 1);
    pacer.settled();
  }

  #dispatch(request: Request, headers: Headers, signal: AbortSignal, attempt: number): Promise<Response> {
    const init: RequestInit = { method: request.method, headers, body: this.#body ?? null, signal, redirect: "manual" };
    const custom = this.#config.fetch;
    const answer = custom
      ? custom(attempt === 1 && this.#prebuilt ? request : new Request(this.url, init))
      : globalThis.fetch(this.url, init);
    return answer.then((response) => {
      if (typeof response?.status !== "number" || typeof response.headers?.get !== "function") {
        throw new TypeError("the fetch resolved to something that is not a Response");
      }
      if (this.#expired !== undefined || this.#caller?.aborted) {
        // Answered after the attempt ended (a fetch that ignores its signal): nobody will read this.
        response.body?.cancel().catch(noop);
      }
      return response;
    });
  }

  /** Starts an attempt's timer (bounded by the deadline) and links the caller's signal. */
  #arm(): AbortSignal {
    const remaining = this.#deadlineAt - performance.now();
    const controller = this.#controller ?? new AbortController();
    this.#controller = controller;
    this.#expired = undefined;
    if (remaining <= 0) {
      this.#expire("deadlineMs");
      return controller.signal;
    }
    const limit = this.#config.timeoutMs <= remaining ? "timeoutMs" : "deadlineMs";
    this.#timer = setTimeout(expire, Math.min(this.#config.timeoutMs, remaining), this, limit);
    // The socket keeps the process alive while a request is in flight; the timer need not.
    this.#timer.unref?.();
    if (this.#caller) {
      this.#caller.addEventListener("abort", this);
      this.#listening = true;
    }
    return controller.signal;
  }

  #disarm(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#listening) this.#caller?.removeEventListener("abort", this);
    this.#listening = false;
    this.#controller = undefined;
    this.#prebuilt = false;
    this.#reject = undefined;
  }

  /** The caller's signal aborted during an attempt (EventListener interface: no closure needed). */
  handleEvent(): void {
    this.#controller?.abort(this.#caller?.reason);
    this.#reject?.(this.#caller?.reason);
  }

  /** Called by the timer. */
  expireNow(limit: "timeoutMs" | "deadlineMs"): void {
    this.#expire(limit);
  }

  #expire(limit: "timeoutMs" | "deadlineMs"): void {
    this.#expired = limit;
    const reason = new DOMException(`no complete response within ${limit === "timeoutMs" ? this.#config.timeoutMs : this.#deadlineMs} ms (${limit})`, "TimeoutError");
    this.#controller?.abort(reason);
    this.#reject?.(reason);
  }

  /** Settles as `work` does, or rejects as soon as the attempt ends, even if `work` ignores the signal. */
  #guard<T>(work: Promise<T>): Promise<T> {
    if (this.#expired !== undefined || this.#caller?.aborted) {
      work.catch(noop); // may still reject later; never unhandled
      return Promise.reject(this.#controller?.signal.reason);
    }
    return new Promise<T>((resolve, reject) => {
      this.#reject = reject;
      work.then(resolve, reject);
    });
  }

  /** What an attempt's failure is: the caller's abort, a timeout, or a network error. */
  #failure(error: unknown): ConnectorApiError {
    if (error instanceof ConnectorApiError) return error;
    if (this.#caller?.aborted) return this.#aborted();
    const base = this.target();
    if (this.#expired !== undefined) {
      const timeoutMs = this.#expired === "timeoutMs" ? this.#config.timeoutMs : this.#deadlineMs;
      return new ConnectorApiError({ kind: "timeout", ...base, timeoutMs, limit: this.#expired });
    }
    // From outside (a fetch's error and its cause chain): redacted as a value before any text is built.
    const cause = this.#config.redact.error(error);
    return new ConnectorApiError({ kind: "network", ...base, detail: describeCause(cause) }, { cause });
  }

  #aborted(): ConnectorApiError {
    const reason = this.#caller?.reason;
    return new ConnectorApiError({
      kind: "aborted",
      ...this.target(),
      ...(reason === undefined ? {} : { reason: this.#config.redact.value(reason) }),
    });
  }

  /** True when a wait of `ms` ends before the deadline (a wait that would not is never started). */
  #fits(ms: number): boolean {
    return performance.now() + ms < this.#deadlineAt;
  }

  /** Waits before the next attempt; false when the wait does not fit the deadline. Rejects with `aborted`. */
  async #pause(attempt: number, reason: string, delayMs: number): Promise<boolean> {
    if (!this.#fits(delayMs)) return false;
    this.#config.emit?.({ type: "retry", method: this.method, url: this.url, attempt, reason, delayMs });
    try {
      await sleep(delayMs, this.#caller);
    } catch {
      throw this.#aborted();
    }
    return true;
  }
}

function expire(call: Call, limit: "timeoutMs" | "deadlineMs"): void {
  call.expireNow(limit);
}

// The one sleep of the client and the pacer; re-exported for verify, which takes it from here.
export { sleep };

export interface Transport {
  /** A Call for one call of an operation (its 2xx body is left to the response reader). */
  open(operation: OperationFacts, url: string, options: CallOptions): Call;
  /** The fetch of client.raw: one Call per request, every body read here. */
  raw(request: Request): Promise<Response>;
}

const isUnder = (url: string, baseUrl: string) => url === baseUrl || url.startsWith(`${baseUrl}/`) || url.startsWith(`${baseUrl}?`);

function outsideBaseUrl(config: TransportConfig, request: Request): ConnectorApiError {
  const target = URL.canParse(request.url) ? new URL(request.url) : undefined;
  const where = config.redact.text(target ? `${target.origin}${target.pathname}` : request.url.split("?")[0] ?? "");
  return new ConnectorApiError({
    kind: "invalid-request",
    method: request.method,
    url: where,
    attempts: 0,
    issues: [{ in: "options", path: "/baseUrl", keyword: "baseUrl", message: `is not under the client's baseUrl ${config.baseUrl}; the key is sent only there, so create a client for the other server instead of passing baseUrl per request` }],
  });
}

export function createTransport(config: TransportConfig): Transport {
  return {
    open: (operation, url, options) => new Call(config, operation, operation.method, url, options, false),
    raw: async (request) => {
      // openapi-fetch lets one request override baseUrl; the key goes only where the policy allowed.
      if (!isUnder(request.url, config.baseUrl)) throw outsideBaseUrl(config, request);
      // Retried as the contract's operation at this method and path would be; anything else as not idempotent.
      const operation = operationOf(request.method, request.url, config.baseUrl);
      const call = new Call(config, operation, request.method, request.url, { signal: request.signal }, true);
      try {
        return await call.send(request);
      } finally {
        call.close();
      }
    },
  };
}
