// The fetch that openapi-fetch calls, for updateConnector and client.raw alike: it adds the key,
// bounds each attempt in time and in size, retries what is safe to retry, and tells the hook.
import type { ConnectorApiError, ConnectorApiErrorDetails } from "./errors.js";
import type { ClientEvent } from "./events.js";
import { readBody } from "./body.js";
import { RETRY_AFTER } from "./headers.js";
import type { Redactor } from "./redact.js";
import { backoffDelay, parseRetryAfter, type RetryPolicy } from "./retry.js";
import { raceAbort, sleep, startDeadline } from "./timeout.js";

export type FetchLike = (request: Request) => Promise<Response>;

export interface TransportConfig {
  authorization: string;
  userAgent: string;
  fetch: FetchLike;
  timeoutMs: number;
  retry: RetryPolicy;
  maxResponseBytes: number;
  redact: Redactor;
  emit: (event: ClientEvent) => void;
  fail: (details: ConnectorApiErrorDetails, cause?: unknown) => ConnectorApiError;
}

export interface Transport {
  fetch: FetchLike;
  /** How many attempts produced this response (1 when it came at the first try). */
  attemptsOf(response: Response): number;
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
  const { retry, emit, fail } = config;
  const attempts = new WeakMap<Response, number>();

  async function send(request: Request): Promise<Response> {
    const caller = request.signal;
    const { method, url } = request;
    // Buffered once so that every attempt can send it again.
    const body = request.body === null ? undefined : await request.arrayBuffer();
    const headers = new Headers(request.headers);
    headers.set("authorization", config.authorization);
    headers.set("user-agent", config.userAgent);
    const shownHeaders = config.redact.headers(headers);

    const aborted = (attempt: number) => fail({ kind: "aborted", method, url, attempts: attempt, reason: caller.reason });
    const pause = async (attempt: number, reason: string, delayMs: number) => {
      emit({ type: "retry", method, url, attempt, reason, delayMs });
      try {
        await sleep(delayMs, caller);
      } catch {
        throw aborted(attempt);
      }
    };

    for (let attempt = 1; ; attempt++) {
      if (caller.aborted) throw aborted(attempt - 1);
      emit({ type: "request", method, url, attempt, headers: shownHeaders });
      const started = performance.now();
      const deadline = startDeadline(caller, config.timeoutMs);
      let outcome: { response: Response; bytes: Uint8Array<ArrayBuffer>; tooLarge: boolean } | { error: unknown; timedOut: boolean };
      try {
        // redirect "manual": following a redirect would hand the key to wherever it points.
        const sent = new Request(url, { method, headers, body: body ?? null, signal: deadline.signal, redirect: "manual" });
        const response = await raceAbort(config.fetch(sent), deadline.signal);
        const read = await raceAbort(readBody(response, config.maxResponseBytes), deadline.signal);
        outcome = { response, ...read };
      } catch (error) {
        outcome = { error, timedOut: deadline.timedOut() };
      } finally {
        deadline.dispose();
      }

      if ("error" in outcome) {
        if (caller.aborted) throw aborted(attempt);
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
      emit({ type: "response", method, url, attempt, status, durationMs: Math.round(performance.now() - started) });
      const contentType = response.headers.get("content-type");
      if (tooLarge && response.ok) {
        throw fail({
          kind: "invalid-response",
          method,
          url,
          attempts: attempt,
          status,
          problem: "too-large",
          issues: [],
          detail: `${config.maxResponseBytes} bytes (maxResponseBytes)`,
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
      const responseHeaders = new Headers(response.headers);
      // The body is already decoded and possibly cut at the cap; say what it is now.
      responseHeaders.delete("content-encoding");
      responseHeaders.set("content-length", String(bytes.byteLength));
      const buffered = new Response(NULL_BODY_STATUSES.has(status) ? null : bytes, {
        status,
        statusText: response.statusText,
        headers: responseHeaders,
      });
      attempts.set(buffered, attempt);
      return buffered;
    }
  }

  return { fetch: send, attemptsOf: (response) => attempts.get(response) ?? 1 };
}
