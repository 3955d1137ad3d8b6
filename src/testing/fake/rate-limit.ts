// The contract's rate-limit buckets (generated RATE_LIMIT_BUCKETS: read, write, remote-control),
// each its own fixed-window limit on the fake's own clock. The clock moves only when the test says
// so (`fake.advance(ms)`), so a test of 429 handling is deterministic and takes no real time.
import { RATE_LIMIT_BUCKETS, UPDATE_CONNECTOR, type RateLimitBucket } from "../../../generated/operations.js";
import { isPlainObject } from "../../client/operation.js";
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

/** One bucket's limit: `limit` requests per window of `windowMs`. */
export interface RateLimit {
  /** Requests allowed per window (with the plain form, the `write` bucket's: the PATCH). */
  limit: number;
  /** Length of the window in milliseconds (of the fake's clock). */
  windowMs: number;
}

/**
 * The fake's `rateLimit` option:
 * - `{ limit, windowMs }`: the `write` bucket only (the PATCH); the other buckets are off. A change:
 *   before the buckets it counted every request that is not a read, the commands included; they
 *   now count in `remote-control`;
 * - `{ buckets: { read?, write?, "remote-control"? } }`: each named bucket its own limit, the
 *   others off;
 * - `"documented"`: every bucket at the contract's figure (RATE_LIMIT_BUCKETS) per 60 000 ms.
 */
export type FakeRateLimit = RateLimit | { buckets: { [B in RateLimitBucket]?: RateLimit } } | "documented";

/** Per bucket, its limit, or undefined for a bucket that is off. */
export type BucketLimits = { readonly [B in RateLimitBucket]: RateLimit | undefined };

/** The contract's buckets, in its order. */
export const BUCKETS = Object.keys(RATE_LIMIT_BUCKETS) as RateLimitBucket[];
const BUCKET_NAMES = BUCKETS.map((b) => JSON.stringify(b)).join(", ");
/** The bucket the plain `{ limit, windowMs }` limits: the PATCH's (`write`). */
export const PLAIN_BUCKET: RateLimitBucket = UPDATE_CONNECTOR.rateLimitBucket;

/** Every bucket at its documented requests a minute. */
export const DOCUMENTED_LIMITS: BucketLimits = Object.fromEntries(
  BUCKETS.map((bucket) => [bucket, { limit: RATE_LIMIT_BUCKETS[bucket].requestsPerMinute, windowMs: 60_000 }]),
) as Record<RateLimitBucket, RateLimit>;

const NO_LIMITS: BucketLimits = Object.fromEntries(BUCKETS.map((bucket) => [bucket, undefined])) as Record<RateLimitBucket, undefined>;

/**
 * With a bucket off, the headers still come (the contract documents them on every 200) and say a
 * window that never runs out: the largest 32-bit count, which every client language can parse.
 */
export const UNLIMITED: RateLimit = { limit: 2_147_483_647, windowMs: 60_000 };

const SHAPES = `{ limit, windowMs } (the write bucket), { buckets: { ${BUCKETS.map((b) => (/^\w+$/.test(b) ? b : JSON.stringify(b))).join(", ")} } } or "documented"`;

function checkOne(value: unknown, name: string, who: string): RateLimit {
  if (!isPlainObject(value)) throw new TypeError(`${who}: ${name} must be { limit, windowMs }, got ${JSON.stringify(value)}.`);
  const { limit, windowMs, ...rest } = value;
  const unknown = Object.keys(rest);
  if (unknown.length) throw new TypeError(`${who}: ${name} takes only limit and windowMs, not ${unknown.join(", ")}.`);
  if (typeof limit !== "number" || !Number.isInteger(limit) || limit < 0 || limit > UNLIMITED.limit) {
    throw new RangeError(`${who}: ${name}.limit must be a whole number of requests from 0 to ${UNLIMITED.limit}, got ${String(limit)}.`);
  }
  if (typeof windowMs !== "number" || !Number.isInteger(windowMs) || windowMs < 1) {
    throw new RangeError(`${who}: ${name}.windowMs must be a whole number of milliseconds, at least 1, got ${String(windowMs)}.`);
  }
  return { limit, windowMs };
}

/** Checks the `rateLimit` option (undefined: every bucket off) and gives each bucket's limit. */
export function checkRateLimit(value: unknown, who = "startFakeApi"): BucketLimits {
  if (value === undefined) return NO_LIMITS;
  if (value === "documented") return DOCUMENTED_LIMITS;
  if (!isPlainObject(value)) throw new TypeError(`${who}: rateLimit must be ${SHAPES}, got ${JSON.stringify(value)}.`);
  if (!("buckets" in value)) return { ...NO_LIMITS, [PLAIN_BUCKET]: checkOne(value, "rateLimit", who) };
  const { buckets, ...rest } = value;
  const others = Object.keys(rest);
  if (others.length) throw new TypeError(`${who}: rateLimit takes { buckets } alone, not with ${others.join(", ")}; give each bucket its { limit, windowMs } inside buckets.`);
  if (!isPlainObject(buckets)) throw new TypeError(`${who}: rateLimit.buckets must be an object of { limit, windowMs } by bucket (${BUCKET_NAMES}), got ${JSON.stringify(buckets)}.`);
  const unknown = Object.keys(buckets).filter((name) => !Object.hasOwn(RATE_LIMIT_BUCKETS, name));
  if (unknown.length) {
    throw new TypeError(`${who}: rateLimit.buckets names ${unknown.map((b) => JSON.stringify(b)).join(", ")}, not a bucket of the contract; its buckets are ${BUCKET_NAMES}.`);
  }
  const limits: Partial<Record<RateLimitBucket, RateLimit | undefined>> = {};
  for (const bucket of BUCKETS) {
    const given = buckets[bucket];
    limits[bucket] = given === undefined ? undefined : checkOne(given, `rateLimit.buckets[${JSON.stringify(bucket)}]`, who);
  }
  return limits as BucketLimits;
}

export interface LimitDecision {
  allowed: boolean;
  headers: Record<string, string>;
}

/** One bucket's window as `describe()` shows it. */
export interface BucketState {
  limit: number;
  windowMs: number;
  /** Requests left in the window that is current now. */
  remaining: number;
  /** When that window ends, epoch ms of the fake's clock. */
  resetAt: number;
}

/** Fixed windows of `windowMs`, counted from the fake's start (or its last reset). */
class BucketWindow {
  readonly #rate: RateLimit;
  readonly #clock: FakeClock;
  #windowStart: number;
  #used = 0;

  constructor(rate: RateLimit, clock: FakeClock) {
    this.#rate = rate;
    this.#clock = clock;
    this.#windowStart = clock.now();
  }

  /** Moves to the window `now` falls in, if the current one has passed. */
  #roll(now: number): void {
    const { windowMs } = this.#rate;
    if (now >= this.#windowStart + windowMs) {
      this.#windowStart += Math.floor((now - this.#windowStart) / windowMs) * windowMs;
      this.#used = 0;
    }
  }

  /** Counts one request, if the window has room, and gives the headers to answer with. */
  take(): LimitDecision {
    const now = this.#clock.now();
    this.#roll(now);
    const { limit, windowMs } = this.#rate;
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

  state(): BucketState {
    this.#roll(this.#clock.now());
    const { limit, windowMs } = this.#rate;
    return { limit, windowMs, remaining: limit - this.#used, resetAt: this.#windowStart + windowMs };
  }

  /** A fresh window from now. */
  reset(): void {
    this.#windowStart = this.#clock.now();
    this.#used = 0;
  }
}

/** A window per bucket of the contract: a request counts only against its own bucket. */
export class BucketLimiters {
  readonly #limits: BucketLimits;
  readonly #windows: Record<RateLimitBucket, BucketWindow>;

  constructor(limits: BucketLimits, clock: FakeClock) {
    this.#limits = limits;
    this.#windows = Object.fromEntries(BUCKETS.map((bucket) => [bucket, new BucketWindow(limits[bucket] ?? UNLIMITED, clock)])) as Record<RateLimitBucket, BucketWindow>;
  }

  /** Counts one request against `bucket`, if its window has room; the headers are that bucket's. */
  take(bucket: RateLimitBucket): LimitDecision {
    return this.#windows[bucket].take();
  }

  /** Each bucket's current window, or null for a bucket that is off. */
  describe(): { [B in RateLimitBucket]: BucketState | null } {
    return Object.fromEntries(BUCKETS.map((bucket) => [bucket, this.#limits[bucket] === undefined ? null : this.#windows[bucket].state()])) as { [B in RateLimitBucket]: BucketState | null };
  }

  /** A fresh window for every bucket, from now. */
  reset(): void {
    for (const bucket of BUCKETS) this.#windows[bucket].reset();
  }
}
