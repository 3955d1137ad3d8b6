// The one pacer of a rate-limit window, for whatever paces its sends (the client keeps one per bucket
// of the contract, src/client/pacing.ts; verify its own): it reads X-RateLimit-Limit/Remaining/Reset
// from every response reported to it and lets a request go only while the window has room for it
// (counting the requests still in flight); when the window is used up it waits for the Reset time.
// Reset is read as epoch seconds (the contract's example); one that does not read so is no hint, and
// then a 429 tells: its Retry-After (or, when it has none, a fallback that grows with each such 429 in
// a row) pauses the window for the senders that wait on this pacer (`acquire`); one that only
// reports to it (a single call of the client) is not held back. A caller may also cap the pace below
// the provider's limit (`minIntervalMs`, e.g. a key shared with other jobs).
import { readRateLimit, resetAt } from "./client/retry.js";
import { sleep } from "./client/sleep.js";

/** Sent a little after the announced reset, for a server clock a few milliseconds behind ours. */
const RESET_MARGIN_MS = 5;
/**
 * The pause after a 429 that says nothing about when to come back (no Retry-After, no window end):
 * this, doubled for each such 429 that follows the last one's pause closely, up to the cap. It is the
 * pacer's own, never a caller's retry backoff (which may be 0): a batch that re-sends after each 429
 * would otherwise send as fast as the provider refuses.
 */
const FALLBACK_PAUSE_MS = 1_000;
const MAX_FALLBACK_PAUSE_MS = 60_000;
/**
 * How often a sender looks again while the window's room is used up by requests still in flight and
 * its end is not known (a new window whose first answer has not come back): their answers will say.
 */
const IN_FLIGHT_POLL_MS = 10;

export interface PacerOptions {
  /** At least this long between two sends (default 0: only the provider's window paces). */
  minIntervalMs?: number;
}

/**
 * How much of the current window is left, from the headers of the latest responses. Requests in
 * flight count against it: their answers will lower it further.
 */
export class RateLimitPacer {
  /** Requests the window still allows us to send, or undefined when the API has not said. */
  #room: number | undefined;
  #limit: number | undefined;
  /** When the current window ends (epoch ms), if the API said so in a form we read. */
  #windowEnds: number | undefined;
  /** Nothing is sent before this (epoch ms): a 429's Retry-After. */
  #pausedUntil = 0;
  #inFlight = 0;
  #lastSent = -Infinity;
  /** Silent 429s in a row (each within twice its predecessor's pause), and until when the next one still counts as in a row. */
  #silentStreak = 0;
  #streakUntil = 0;
  readonly #minIntervalMs: number;

  constructor(options: PacerOptions = {}) {
    this.#minIntervalMs = options.minIntervalMs ?? 0;
  }

  /** How long a request would wait now before it may be sent (0: at once). */
  waitMs(): number {
    const now = Date.now();
    if (this.#windowEnds !== undefined && now >= this.#windowEnds) {
      // A new window: the limit, if we know it, less what is already on its way.
      this.#room = this.#limit === undefined ? undefined : this.#limit - this.#inFlight;
      this.#windowEnds = undefined;
    }
    const used = this.#room !== undefined && this.#room <= 0;
    // With no end known, a used-up room is waited on only while answers are still to come.
    const windowFull = !used ? 0 : this.#windowEnds !== undefined ? this.#windowEnds + RESET_MARGIN_MS - now : this.#inFlight > 0 ? IN_FLIGHT_POLL_MS : 0;
    return Math.max(0, this.#pausedUntil - now, windowFull, this.#lastSent + this.#minIntervalMs - now);
  }

  /** Counts one request as sent, now: it takes a place in the window and is in flight until `settled` (or `release`d unsent). */
  take(): void {
    if (this.#room !== undefined) this.#room--;
    this.#inFlight++;
    this.#lastSent = Date.now();
  }

  /**
   * Resolves when one more request may be sent, having counted it as sent in the same step (so that
   * senders waiting together never take more than the room): it looks, sleeps, looks again, and
   * `take`s when a look finds room, with no await between. `onWait` hears of the wait once, when it
   * starts (not of each look again). Rejects when `signal` aborts the wait.
   */
  async acquire(signal: AbortSignal | undefined, onWait?: (delayMs: number) => void): Promise<void> {
    for (let told = false; ; told = true) {
      const wait = this.waitMs();
      if (wait <= 0) {
        this.take();
        return;
      }
      if (!told) onWait?.(wait);
      await sleep(wait, signal);
    }
  }

  /** A place taken (`take`/`acquire`) for a request that was never sent: it goes back to the window. */
  release(): void {
    if (this.#room !== undefined) this.#room++;
    this.#inFlight--;
  }

  /** Every response's headers, retried ones included; `inFlightAfter`: requests still unanswered besides this one. */
  observe(headers: Headers, inFlightAfter: number): void {
    const { limit, remaining, reset } = readRateLimit(headers);
    if (limit !== undefined) this.#limit = limit;
    if (remaining === undefined) return;
    const ends = resetAt(reset);
    // An answer from a window that has already ended says nothing about the current one.
    if (ends !== undefined && (ends <= Date.now() || (this.#windowEnds !== undefined && ends < this.#windowEnds - RESET_MARGIN_MS))) return;
    const room = remaining - inFlightAfter;
    if (ends !== undefined && (this.#windowEnds === undefined || ends > this.#windowEnds + RESET_MARGIN_MS)) {
      this.#windowEnds = ends; // a later window than the one we knew: its figure replaces the old one
      this.#room = room;
    } else {
      this.#room = this.#room === undefined ? room : Math.min(this.#room, room);
    }
  }

  /** A request got its answer (or failed): it no longer counts as in flight. */
  settled(): number {
    return --this.#inFlight;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  /** The limit the provider announced (X-RateLimit-Limit), if it did. */
  get limit(): number | undefined {
    return this.#limit;
  }

  /**
   * A 429: nothing is sent until its Retry-After says, or until the window the provider announced
   * ends, or else for the fallback: 1 s, doubled for each silent 429 in a row (one that comes within
   * twice the previous pause), at most 60 s; `minFallbackMs` may only lengthen it. Returns the pause in ms.
   */
  pause(retryAfterMs: number | undefined, minFallbackMs = 0): number {
    const now = Date.now();
    const until = retryAfterMs !== undefined ? now + retryAfterMs : this.#windowEnds !== undefined && this.#windowEnds > now ? this.#windowEnds + RESET_MARGIN_MS : now + this.#silentPause(now, minFallbackMs);
    this.#pausedUntil = Math.max(this.#pausedUntil, until);
    this.#room = 0;
    return this.#pausedUntil - now;
  }

  #silentPause(now: number, minFallbackMs: number): number {
    this.#silentStreak = now <= this.#streakUntil ? this.#silentStreak + 1 : 1;
    const pauseMs = Math.max(minFallbackMs, Math.min(MAX_FALLBACK_PAUSE_MS, FALLBACK_PAUSE_MS * 2 ** (this.#silentStreak - 1)));
    this.#streakUntil = now + 2 * pauseMs;
    return pauseMs;
  }
}
