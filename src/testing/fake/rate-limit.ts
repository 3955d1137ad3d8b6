// The documented write limit, on the fake's own clock. The clock moves only when the test says so
// (`fake.advance(ms)`), so a test of 429 handling is deterministic and takes no real time.
import { RATE_LIMIT_LIMIT as LIMIT, RATE_LIMIT_REMAINING as REMAINING, RATE_LIMIT_RESET as RESET, RETRY_AFTER } from "../../client/retry.js";

/**
 * The fake's time in epoch milliseconds: by default it starts at the real time and then moves only
 * by `advance`; with a `source` (the CLI passes Date.now) it follows that, plus what was advanced.
 */
export class FakeClock {
  readonly #source: () => number;
  #now = 0;

  constructor(source?: () => number) {
    const start = Date.now();
    this.#source = source ?? (() => start);
  }

  now(): number {
    return this.#source() + this.#now;
  }

  /** How far `advance` has moved the clock in all, in ms. */
  get advanced(): number {
    return this.#now;
  }

  advance(ms: number): void {
    if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0) {
      throw new RangeError(`fake.advance: ms must be a finite number of milliseconds, 0 or more, got ${String(ms)}.`);
    }
    this.#now += ms;
  }
}

export interface RateLimit {
  /** Writes allowed per window. */
  limit: number;
  /** Length of the window in milliseconds (of the fake's clock). */
  windowMs: number;
}

/**
 * With the limit off, the headers still come (the contract documents them on every 200) and say a
 * window that never runs out: the largest 32-bit count, which every client language can parse.
 */
export const UNLIMITED: RateLimit = { limit: 2_147_483_647, windowMs: 60_000 };

export function checkRateLimit(value: unknown, who = "startFakeApi"): RateLimit {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new TypeError(`${who}: rateLimit must be { limit, windowMs }, got ${JSON.stringify(value)}.`);
  }
  const { limit, windowMs, ...rest } = value as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length) throw new TypeError(`${who}: rateLimit takes only limit and windowMs, not ${unknown.join(", ")}.`);
  if (typeof limit !== "number" || !Number.isInteger(limit) || limit < 0 || limit > UNLIMITED.limit) {
    throw new RangeError(`${who}: rateLimit.limit must be a whole number of writes from 0 to ${UNLIMITED.limit}, got ${String(limit)}.`);
  }
  if (typeof windowMs !== "number" || !Number.isInteger(windowMs) || windowMs < 1) {
    throw new RangeError(`${who}: rateLimit.windowMs must be a whole number of milliseconds, at least 1, got ${String(windowMs)}.`);
  }
  return { limit, windowMs };
}

export interface LimitDecision {
  allowed: boolean;
  headers: Record<string, string>;
}

/** Fixed windows of `windowMs`, counted from the fake's start. */
export class WriteLimiter {
  readonly #rate: RateLimit;
  readonly #clock: FakeClock;
  #windowStart: number;
  #used = 0;

  constructor(rate: RateLimit, clock: FakeClock) {
    this.#rate = rate;
    this.#clock = clock;
    this.#windowStart = clock.now();
  }

  /** Counts one write, if the window has room, and gives the headers to answer with. */
  take(): LimitDecision {
    const now = this.#clock.now();
    const { limit, windowMs } = this.#rate;
    if (now >= this.#windowStart + windowMs) {
      this.#windowStart += Math.floor((now - this.#windowStart) / windowMs) * windowMs;
      this.#used = 0;
    }
    const allowed = this.#used < limit;
    if (allowed) this.#used++;
    const resetAt = this.#windowStart + windowMs;
    const headers: Record<string, string> = {
      [LIMIT]: String(limit),
      [REMAINING]: String(limit - this.#used),
      // Epoch seconds, as the contract's example shows (the header itself is opaque).
      [RESET]: String(Math.ceil(resetAt / 1000)),
    };
    if (!allowed) headers[RETRY_AFTER] = String(Math.max(1, Math.ceil((resetAt - now) / 1000)));
    return { allowed, headers };
  }

  /** A fresh window from now. */
  reset(): void {
    this.#windowStart = this.#clock.now();
    this.#used = 0;
  }
}
