// The retry arithmetic on its own: backoff bounds, jitter, and both forms of Retry-After.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { DEFAULT_RETRY, DEFAULT_RETRY_STATUSES, backoffDelay, mayResend, neverSent, parseRetryAfter, resetAt, resolveRetry } from "../../src/client/retry.js";
import { readCappedBody } from "../../src/client/transport.js";

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

describe("resetAt (X-RateLimit-Reset as a hint)", () => {
  const now = Date.parse("2025-11-25T16:20:00Z");

  it("reads epoch seconds, as in the contract's example, with or without a fraction", () => {
    expect(resetAt("1764087600", now)).toBe(1_764_087_600_000);
    expect(resetAt(" 1764087600.250 ", now)).toBe(1_764_087_600_250);
  });

  it("is no hint when it does not read so, or names a time more than a day away", () => {
    for (const value of [undefined, "", "60", "soon", "Tue, 25 Nov 2025 16:20:00 GMT", "1764087600000", "-1764087600", "2764087600"]) {
      expect(resetAt(value, now)).toBeUndefined();
    }
  });
});

describe("readCappedBody", () => {
  async function* chunks(...parts: number[]) {
    for (const size of parts) yield new Uint8Array(size).fill(0x61);
  }

  it("reads an async iterable (a node:http request) up to the cap, and says when it was cut", async () => {
    expect(await readCappedBody(chunks(3, 4), 10)).toEqual({ bytes: new Uint8Array(7).fill(0x61), tooLarge: false });
    const cut = await readCappedBody(chunks(6, 6, 6), 10);
    expect(cut.tooLarge).toBe(true);
    expect(cut.bytes.byteLength).toBe(10);
  });

  it("refuses a declared length above the cap without reading", async () => {
    let read = false;
    async function* never() {
      read = true;
      yield new Uint8Array(1);
    }
    expect(await readCappedBody(never(), 10, "11")).toEqual({ bytes: new Uint8Array(0), tooLarge: true });
    expect(read).toBe(false);
  });
});

describe("mayResend: what may be sent again after a failed attempt", () => {
  it("an idempotent operation: after any failure", () => {
    for (const failure of [{ kind: "timeout" }, { kind: "network", notSent: false }, { kind: "status", status: 503 }, { kind: "status", status: 429 }] as const) {
      expect(mayResend(true, failure)).toBe(true);
    }
  });

  it("anything else: only when provably not processed (never sent, or 429)", () => {
    expect(mayResend(false, { kind: "timeout" })).toBe(false);
    expect(mayResend(false, { kind: "network", notSent: false })).toBe(false);
    expect(mayResend(false, { kind: "status", status: 502 })).toBe(false);
    expect(mayResend(false, { kind: "status", status: 503 })).toBe(false);
    expect(mayResend(false, { kind: "network", notSent: true })).toBe(true);
    expect(mayResend(false, { kind: "status", status: 429 })).toBe(true);
  });

  it("neverSent reads the code of the innermost cause: refused and unresolved are, reset is not", () => {
    expect(neverSent("ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1")).toBe(true);
    expect(neverSent("ENOTFOUND: getaddrinfo ENOTFOUND api.example.test")).toBe(true);
    expect(neverSent("UND_ERR_CONNECT_TIMEOUT: Connect Timeout Error")).toBe(true);
    expect(neverSent("ECONNRESET: read ECONNRESET")).toBe(false);
    expect(neverSent("UND_ERR_SOCKET: other side closed")).toBe(false);
    expect(neverSent("TypeError: fetch failed")).toBe(false);
    expect(neverSent("no colon ECONNREFUSED")).toBe(false);
  });
});
