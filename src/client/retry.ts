// When to try again and how long to wait, and what the API says about it (Retry-After and the
// X-RateLimit headers). Whether a failed attempt may be sent again at all is a fact of the
// operation in the contract (`x-idempotent`, read from the generated registry), not of this code.
import type { operations } from "../../generated/types.js";

/** The rate-limit headers of a 429, as numbers where the contract says they are numbers. */
export interface RateLimit {
  limit?: number;
  remaining?: number;
  /** As sent (the contract's example is epoch seconds, but it says to treat it as opaque). */
  reset?: string;
}

/** How the client retries; every field has a default. `retry: false` turns retries off. */
export interface RetryOptions {
  /** Attempts in total, the first included (default 3). 1 means no retries. */
  maxAttempts?: number | undefined;
  /** Backoff before the first retry; doubles for each further one (default 250 ms). */
  baseDelayMs?: number | undefined;
  /** Upper bound of the exponential backoff (default 5 000 ms). */
  maxDelayMs?: number | undefined;
  /**
   * The longest `Retry-After` the client waits for (default 60 000 ms: the documented rate-limit
   * window is a minute). A longer one is not retried: the error carries `retryAfterMs` instead.
   */
  maxRetryAfterMs?: number | undefined;
  /** Response statuses that are retried (default 429, 502, 503, 504). */
  statuses?: readonly number[] | undefined;
}

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  maxRetryAfterMs: number;
  statuses: ReadonlySet<number>;
}

/**
 * 500 is deliberately absent: the errors page calls every 5xx safe to retry, but a 500 is usually a
 * server bug that the same request hits again, so retrying it only spends rate limit. 502/503/504
 * are the gateway and overload statuses that a second attempt typically gets past.
 */
export const DEFAULT_RETRY_STATUSES: readonly number[] = [429, 502, 503, 504];

export const DEFAULT_RETRY: Readonly<Omit<RetryPolicy, "statuses">> = {
  maxAttempts: 3,
  baseDelayMs: 250,
  maxDelayMs: 5_000,
  maxRetryAfterMs: 60_000,
};

const NO_RETRY: RetryPolicy = { ...DEFAULT_RETRY, maxAttempts: 1, statuses: new Set() };

function count(name: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > 2_147_483_647) {
    throw new TypeError(`createConnectorClient: retry.${name} must be a whole number from ${min} to 2147483647 (got ${String(value)}).`);
  }
  return value;
}

export function resolveRetry(options: RetryOptions | false | undefined): RetryPolicy {
  if (options === false) return NO_RETRY;
  const o = options ?? {};
  const statuses = o.statuses ?? DEFAULT_RETRY_STATUSES;
  for (const status of statuses) {
    if (!Number.isInteger(status) || status < 400 || status > 599) {
      throw new TypeError(`createConnectorClient: retry.statuses must hold 4xx/5xx statuses (got ${String(status)}).`);
    }
  }
  return {
    maxAttempts: count("maxAttempts", o.maxAttempts, DEFAULT_RETRY.maxAttempts, 1),
    baseDelayMs: count("baseDelayMs", o.baseDelayMs, DEFAULT_RETRY.baseDelayMs, 0),
    maxDelayMs: count("maxDelayMs", o.maxDelayMs, DEFAULT_RETRY.maxDelayMs, 0),
    maxRetryAfterMs: count("maxRetryAfterMs", o.maxRetryAfterMs, DEFAULT_RETRY.maxRetryAfterMs, 0),
    statuses: new Set(statuses),
  };
}

/**
 * Error codes (Node's and undici's) of a failure before any byte of the request left: the
 * connection was refused or never made, or the host name did not resolve. Nothing reached a server,
 * so nothing can have been processed. ECONNRESET, "other side closed" and the like are not here: a
 * reused connection can drop after the request was written.
 */
export const NOT_SENT_CODES: ReadonlySet<string> = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "UND_ERR_CONNECT_TIMEOUT"]);

/** True when a network failure's detail ("ECONNREFUSED: connect ...", from the innermost cause) says nothing was sent. */
export const neverSent = (detail: string): boolean => NOT_SENT_CODES.has(detail.slice(0, detail.indexOf(":")));

/** How an attempt failed, for `mayResend`. */
export type AttemptFailure = { kind: "network"; notSent: boolean } | { kind: "timeout" } | { kind: "status"; status: number };

/**
 * Whether an attempt that failed this way may be sent again. An idempotent operation (the contract's
 * `x-idempotent`; implied for GET) may be, after any failure that leaves unknown whether the server
 * acted: a timeout, a network error, a retryable status. Anything else (a non-idempotent operation,
 * or a request of client.raw that is no operation of the contract) only when the server provably did
 * not act on it: the connection was never made (NOT_SENT_CODES), or it answered 429, which says the
 * request was refused unprocessed. A 502/503/504 is not such proof: a gateway may answer it after the
 * server behind it acted.
 */
export function mayResend(idempotent: boolean, failure: AttemptFailure): boolean {
  if (idempotent) return true;
  if (failure.kind === "network") return failure.notSent;
  return failure.kind === "status" && failure.status === 429;
}

/**
 * Exponential backoff with "equal jitter" before retry number `retry` (1 for the first): half of
 * the step is fixed so a retry never fires at once, half is random so that many clients failing
 * together do not retry together.
 */
export function backoffDelay(retry: number, policy: Pick<RetryPolicy, "baseDelayMs" | "maxDelayMs">, random: () => number = Math.random): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

/** `Retry-After` in milliseconds: delay-seconds or an HTTP-date (RFC 9110 allows both); undefined if absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // Every HTTP-date form starts with a day name; Date.parse alone would read "-5" as a year.
  if (!/^(?:mon|tue|wed|thu|fri|sat|sun)/i.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

// The rate-limit header names, declared once for the client and the fake, and checked against the
// contract's declared headers at compile time (the X-RateLimit ones on the 200 and the 429), so a
// rename in spec/ breaks the build instead of silently reading or sending nothing.
type NamedKeys<T> = keyof { [K in keyof T as string extends K ? never : number extends K ? never : K]: T[K] };
type Responses = operations["updateConnector"]["responses"];
type OnEveryAnswer = NamedKeys<Responses[200]["headers"]> & NamedKeys<Responses[429]["headers"]>;
export const RETRY_AFTER = "Retry-After" satisfies NamedKeys<Responses[429]["headers"]>;
export const RATE_LIMIT_LIMIT = "X-RateLimit-Limit" satisfies OnEveryAnswer;
export const RATE_LIMIT_REMAINING = "X-RateLimit-Remaining" satisfies OnEveryAnswer;
export const RATE_LIMIT_RESET = "X-RateLimit-Reset" satisfies OnEveryAnswer;

const toNumber = (value: string | null) => (value === null || value.trim() === "" || !Number.isFinite(Number(value)) ? undefined : Number(value));

/** The X-RateLimit headers as sent (the numbers as numbers). Values from outside: redact before showing. */
export function readRateLimit(headers: Headers): RateLimit {
  const limit = toNumber(headers.get(RATE_LIMIT_LIMIT));
  const remaining = toNumber(headers.get(RATE_LIMIT_REMAINING));
  const reset = headers.get(RATE_LIMIT_RESET);
  return {
    ...(limit === undefined ? {} : { limit }),
    ...(remaining === undefined ? {} : { remaining }),
    ...(reset === null ? {} : { reset }),
  };
}

/**
 * When the window resets, in epoch milliseconds, if `reset` reads as the contract's example does
 * (epoch seconds). The contract calls the header opaque, so anything else is no hint at all, and
 * so is a time more than a day away (a reading that is surely wrong).
 */
export function resetAt(reset: string | undefined, now: number = Date.now()): number | undefined {
  // Whole seconds as in the example, or with a fraction (a server with windows shorter than a second).
  if (reset === undefined || !/^\d{9,11}(?:\.\d{1,6})?$/.test(reset.trim())) return undefined;
  const at = Number(reset.trim()) * 1000;
  return at < now - 86_400_000 || at > now + 86_400_000 ? undefined : at;
}
