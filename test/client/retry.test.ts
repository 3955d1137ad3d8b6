// The retry arithmetic on its own: backoff bounds, jitter, and both forms of Retry-After.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { DEFAULT_RETRY, DEFAULT_RETRY_STATUSES, backoffDelay, parseRetryAfter, resolveRetry } from "../../src/client/retry.js";

describe("backoffDelay", () => {
  const policy = { baseDelayMs: 100, maxDelayMs: 1_000 };

  it("doubles per retry, between half and all of the step, and stops at maxDelayMs", () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, policy, () => 0))).toEqual([50, 100, 200, 400, 500]);
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, policy, () => 1))).toEqual([100, 200, 400, 800, 1000]);
  });

  it("stays within [step/2, step] for any jitter", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.double({ min: 0, max: 1, noNaN: true }), (retry, r) => {
        const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
        const delay = backoffDelay(retry, policy, () => r);
        return delay >= Math.floor(step / 2) && delay <= step;
      }),
    );
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");

  it("reads delay-seconds", () => {
    expect(parseRetryAfter("30", now)).toBe(30_000);
    expect(parseRetryAfter(" 0 ", now)).toBe(0);
  });

  it("reads an HTTP-date relative to now, and a past date as 0", () => {
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:45 GMT", now)).toBe(45_000);
    expect(parseRetryAfter("Wed, 31 Dec 2025 23:59:00 GMT", now)).toBe(0);
  });

  it("ignores what it cannot read", () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter("-5", now)).toBeUndefined();
  });
});

describe("resolveRetry", () => {
  it("defaults: 3 attempts, 429/502/503/504, not 500", () => {
    const policy = resolveRetry(undefined);
    expect(policy.maxAttempts).toBe(DEFAULT_RETRY.maxAttempts);
    expect([...policy.statuses]).toEqual(DEFAULT_RETRY_STATUSES);
    expect(policy.statuses.has(500)).toBe(false);
  });

  it("false means a single attempt", () => {
    expect(resolveRetry(false).maxAttempts).toBe(1);
  });
});
