// Header names the client reads, checked against the contract's declared 429 headers at compile
// time, so a rename in spec/ breaks the build instead of silently reading nothing.
import type { operations } from "../../generated/types.js";
import type { RateLimit } from "./errors.js";

/** The named keys of a generated headers object, without its `[name: string]: unknown` index signature. */
type NamedKeys<T> = keyof { [K in keyof T as string extends K ? never : number extends K ? never : K]: T[K] };
type RateLimitedHeader = NamedKeys<operations["updateConnector"]["responses"][429]["headers"]>;

export const RETRY_AFTER = "Retry-After" satisfies RateLimitedHeader;
const LIMIT = "X-RateLimit-Limit" satisfies RateLimitedHeader;
const REMAINING = "X-RateLimit-Remaining" satisfies RateLimitedHeader;
const RESET = "X-RateLimit-Reset" satisfies RateLimitedHeader;

const toNumber = (value: string | null) => (value === null || value.trim() === "" || !Number.isFinite(Number(value)) ? undefined : Number(value));

export function readRateLimit(headers: Headers): RateLimit {
  const limit = toNumber(headers.get(LIMIT));
  const remaining = toNumber(headers.get(REMAINING));
  const reset = headers.get(RESET);
  return {
    ...(limit === undefined ? {} : { limit }),
    ...(remaining === undefined ? {} : { remaining }),
    ...(reset === null ? {} : { reset }),
  };
}

/** application/json and the +json family (e.g. application/problem+json). */
export function isJsonMediaType(contentType: string): boolean {
  return /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i.test(contentType.trim());
}
