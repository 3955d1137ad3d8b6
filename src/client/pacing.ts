// The client's rate-limit pacing: one pacer (src/rate-limit-pacer.ts) per rate-limit bucket of the
// contract, per client instance, so that everything one client sends shares what it knows about
// each window, and what a response says about one bucket never opens room in another (a read's
// `X-RateLimit-Remaining: 500` says nothing about the write window). Which bucket an operation counts
// against is the registry's `rateLimitBucket`; the buckets are RATE_LIMIT_BUCKETS. Nothing here
// names either.
//
// Who reports and who waits (the README's "Rate limits" says the same):
// - every attempt of every call (retries included) reports to its bucket's pacer in the transport:
//   it counts as in flight until answered, its X-RateLimit headers and a 429 go to that bucket;
// - a single call does not wait for the window: it goes at once, and a 429 is the caller's answer
//   (a test of 429 handling against a fake or mock sees it; a Retry-After retry waits as before);
// - a batch (updateConnectors) before each update, and a walk (evses) before each page, wait for their
//   bucket until its window has room, bounded only by their signal, and take their place in the
//   window as the wait ends (reserveRoom), which the call's first attempt then uses.
import { RATE_LIMIT_BUCKETS, type OperationFacts } from "../../generated/operations.js";
import { RateLimitPacer } from "../rate-limit-pacer.js";
import type { ClientEvent } from "./events.js";

/** A bucket's name and its pacer. */
export interface BucketPacer {
  bucket: string;
  pacer: RateLimitPacer;
}

/** The pacers of one client, by bucket. */
export interface BucketPacers {
  /** The pacer of the bucket this operation counts against; undefined for a request that is no operation of the contract (client.raw can send one). */
  of(operation: OperationFacts | undefined): BucketPacer | undefined;
}

/**
 * A place in a bucket's window, taken when a batch's or a walk's wait for room ended, for the call it
 * is about to make: the call's first attempt uses it (`claim`) instead of taking another, so it is
 * counted once; a call that fails before sending anything gives it back (`release`).
 */
export class Reservation {
  #open = true;
  constructor(readonly pacer: RateLimitPacer) {}
  /** True once, for the attempt that uses the place; false after that or after `release`. */
  claim(): boolean {
    const open = this.#open;
    this.#open = false;
    return open;
  }
  /** Gives the place back unless an attempt used it (calling it after the call is always safe). */
  release(): void {
    if (this.claim()) this.pacer.release();
  }
}

/** Where a wait for room is, for its `rate-limit-wait` event. */
export interface WaitingCall {
  method: string;
  url: string;
}

/**
 * Waits until the bucket's window has room and takes a place in it in the same step (so that workers
 * waiting together never send more than the room). Tells `emit` once per wait, when it starts, with a
 * `rate-limit-wait` event (the one place that event is built). Rejects with the signal's reason when it aborts.
 */
export async function reserveRoom(
  paced: BucketPacer,
  signal: AbortSignal | undefined,
  emit: ((event: ClientEvent) => void) | undefined,
  call: () => WaitingCall,
): Promise<Reservation> {
  const { pacer, bucket } = paced;
  await pacer.acquire(signal, emit && ((delayMs) => emit({ type: "rate-limit-wait", ...call(), attempt: 1, bucket, delayMs })));
  return new Reservation(pacer);
}

export function createBucketPacers(): BucketPacers {
  const byBucket = new Map<string, BucketPacer>(Object.keys(RATE_LIMIT_BUCKETS).map((bucket) => [bucket, { bucket, pacer: new RateLimitPacer() }]));
  // Generation refuses an operation whose bucket is not one of RATE_LIMIT_BUCKETS, so every operation finds its pacer.
  return { of: (operation) => (operation === undefined ? undefined : byBucket.get(operation.rateLimitBucket)) };
}
