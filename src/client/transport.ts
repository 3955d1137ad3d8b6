// The fetch that openapi-fetch calls, for updateConnector and client.raw alike: it adds the key,
// bounds each attempt in time and in size, retries what is safe to retry, and tells the hook.
//
// It runs on every call, so it does per-call work only when needed: event payloads (and the
// redacted headers in them) only when there is a hook; one AbortController and one timer per
// attempt; the body as openapi-fetch serialized it for updateConnector (a PreparedRequest), with no
// copy; and, for updateConnector's 2xx, the response itself instead of a rebuilt one (the body it
// read goes back in the request's Receipt).
import { readBody } from "./body.js";
import { createDispatch, type FetchLike, type Outgoing } from "./dispatch.js";
import type { ConnectorApiError, ConnectorApiErrorDetails } from "./errors.js";
import type { ClientEvent } from "./events.js";
import { RETRY_AFTER } from "./headers.js";
import { PreparedRequest } from "./prepared-request.js";
import type { Redactor } from "./redact.js";
import { backoffDelay, parseRetryAfter, type RetryPolicy } from "./retry.js";
import { AttemptDeadline, sleep } from "./timeout.js";

export type { FetchLike } from "./dispatch.js";

export interface TransportConfig {
  authorization: string;
  userAgent: string;
  /** The caller's fetch; undefined for the global fetch. */
  fetch: FetchLike | undefined;
  timeoutMs: number;
  retry: RetryPolicy;
  maxResponseBytes: number;
  redact: Redactor;
  /** Undefined when nobody listens: then no event is built at all. */
  emit: ((event: ClientEvent) => void) | undefined;
  fail: (details: ConnectorApiErrorDetails, cause?: unknown) => ConnectorApiError;
}

export interface Transport {
  fetch(input: Request | PreparedRequest): Promise<Response>;
}

interface Exchange {
  response: Response;
  bytes: Uint8Array;
  tooLarge: boolean;
}

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/** The innermost cause of a fetch failure, e.g. "ECONNRESET: read ECONNRESET"; "fetch failed" alone helps nobody. */
function describeCause(error: unknown): string {
  let deepest: unknown = error;
  for (let depth = 0; depth < 5 && deepest instanceof Error && deepest.cause !== undefined; depth++) deepest = deepest.cause;
  if (!(deepest instanceof Error)) return String(deepest);
  const code = (deepest as { code?: unknown }).code;
  return `${typeof code === "string" ? code : deepest.name}: ${deepest.message}`;
}

export function createTransport(config: TransportConfig): Transport {
  const { retry, emit, fail, maxResponseBytes } = config;
  const dispatch = createDispatch(config.fetch);

  /** One attempt, from sending to having read the body (up to the cap). The deadline guards it. */
  async function exchange(outgoing: Outgoing, deadline: AttemptDeadline): Promise<Exchange> {
    const response = await dispatch(outgoing, deadline.signal);
    if (deadline.aborted) {
      // Answered after the deadline (a fetch that ignores its signal): nobody will read this.
      response.body?.cancel().catch(() => {});
      throw deadline.signal.reason;
    }
    const { bytes, tooLarge } = await readBody(response, maxResponseBytes);
    return { response, bytes, tooLarge };
  }

  async function send(input: Request | PreparedRequest): Promise<Response> {
    const prepared = input instanceof PreparedRequest;
    const { method, url } = input;
    // A PreparedRequest's headers and string body are ours to use as they are. A Request (client.raw)
    // is buffered once, so that every attempt can send its body again.
    const headers = prepared ? input.headers : new Headers(input.headers);
    const body = prepared ? input.body : input.body === null ? undefined : await input.arrayBuffer();
    const caller = input.signal ?? undefined;
    headers.set("authorization", config.authorization);
    headers.set("user-agent", config.userAgent);
    const outgoing: Outgoing = { url, method, headers, body };
    let shownHeaders: Record<string, string> | undefined;

    const aborted = (attempt: number) => fail({ kind: "aborted", method, url, attempts: attempt, reason: caller?.reason });
    const pause = async (attempt: number, reason: string, delayMs: number) => {
      emit?.({ type: "retry", method, url, attempt, reason, delayMs });
      try {
        await sleep(delayMs, caller);
      } catch {
        throw aborted(attempt);
      }
    };

    for (let attempt = 1; ; attempt++) {
      if (caller?.aborted) throw aborted(attempt - 1);
      if (emit) emit({ type: "request", method, url, attempt, headers: (shownHeaders ??= config.redact.headers(headers)) });
      const started = emit ? performance.now() : 0;
      const deadline = new AttemptDeadline(caller, config.timeoutMs);
      let outcome: Exchange | { error: unknown; timedOut: boolean };
      try {
        outcome = await deadline.guard(exchange(outgoing, deadline));
      } catch (error) {
        outcome = { error, timedOut: deadline.timedOut() };
      } finally {
        deadline.dispose();
      }

      if ("error" in outcome) {
        if (caller?.aborted) throw aborted(attempt);
        const reason = outcome.timedOut ? "timeout" : "network";
        if (attempt < retry.maxAttempts) {
          await pause(attempt, reason, backoffDelay(attempt, retry));
          continue;
        }
        if (outcome.timedOut) throw fail({ kind: "timeout", method, url, attempts: attempt, timeoutMs: config.timeoutMs });
        throw fail({ kind: "network", method, url, attempts: attempt, detail: describeCause(outcome.error) }, outcome.error);
      }

      const { response, bytes, tooLarge } = outcome;
      const status = response.status;
      if (emit) emit({ type: "response", method, url, attempt, status, durationMs: Math.round(performance.now() - started) });
      if (tooLarge && response.ok) {
        const contentType = response.headers.get("content-type");
        throw fail({
          kind: "invalid-response",
          method,
          url,
          attempts: attempt,
          status,
          problem: "too-large",
          issues: [],
          detail: `${maxResponseBytes} bytes (maxResponseBytes)`,
          ...(contentType === null ? {} : { contentType }),
        });
      }
      if (retry.statuses.has(status) && attempt < retry.maxAttempts) {
        const retryAfterMs = parseRetryAfter(response.headers.get(RETRY_AFTER));
        // A Retry-After beyond the cap is not shortened (that would only earn another 429): the
        // caller gets the error with retryAfterMs and decides.
        if (retryAfterMs === undefined || retryAfterMs <= retry.maxRetryAfterMs) {
          await pause(attempt, String(status), retryAfterMs ?? backoffDelay(attempt, retry));
          continue;
        }
      }
      const receipt = prepared ? input.receipt : undefined;
      if (receipt) receipt.attempts = attempt;
      if (receipt && response.ok) {
        receipt.bytes = bytes;
        return response;
      }
      // Anything openapi-fetch will read itself (an error body, any client.raw response) gets a
      // fresh Response over the bytes read. They are decoded and possibly cut at the cap: say so.
      const responseHeaders = new Headers(response.headers);
      responseHeaders.delete("content-encoding");
      responseHeaders.set("content-length", String(bytes.byteLength));
      // (The bytes come from fetch's own stream, so an ArrayBuffer backs them; the declared type stays
      // a plain Uint8Array, because `Uint8Array<ArrayBuffer>` in a .d.ts needs TypeScript 5.7.)
      const buffered = new Response(NULL_BODY_STATUSES.has(status) ? null : (bytes as Uint8Array<ArrayBuffer>), {
        status,
        statusText: response.statusText,
        headers: responseHeaders,
      });
      return buffered;
    }
  }

  return { fetch: send };
}
