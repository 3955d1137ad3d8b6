// The client's rate-limit pacing: one pacer (src/rate-limit-pacer.ts) per rate-limit bucket of the
// contract, per client instance, so that everything one client sends shares what it knows about
// each window, and what a response says about one bucket never opens room in another (a read's
// `X-RateLimit-Remaining: 500` says nothing about the write window). Which bucket an operation counts
// against is the registry's `rateLimitBucket`; the buckets are RATE_LIMIT_BUCKETS. Nothing here
// names either.
//
// Who waits, and for how long (the README's "Rate limits" says the same):
// - every attempt of a call (retries included) waits in the transport while its bucket's window is
//   known to be used up or paused by a 429, but only as long as the call's deadline allows; a wait
//   that would end past it is not started, and the request goes out for the provider to answer;
// - a batch (updateConnectors) before each update, and a walk (evses) before each page, wait for their
//   bucket outside any one request's deadline, bounded only by their signal.
import { OPERATIONS, RATE_LIMIT_BUCKETS, type OperationFacts } from "../../generated/operations.js";
import { RateLimitPacer } from "../rate-limit-pacer.js";
import { sleep } from "./sleep.js";

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
 * Waits until the bucket's window has room, telling `onWait` each wait it starts (for the client's
 * `rate-limit-wait` event). A wait that `fits` refuses (the call's deadline) is not started:
 * resolves false, and the caller sends anyway. Rejects with the signal's reason when it aborts.
 */
export async function waitForRoom(pacer: RateLimitPacer, signal: AbortSignal | undefined, onWait: ((delayMs: number) => void) | undefined, fits: (delayMs: number) => boolean = () => true): Promise<boolean> {
  for (;;) {
    const delayMs = pacer.waitMs();
    if (delayMs <= 0) return true;
    if (!fits(delayMs)) return false;
    onWait?.(delayMs);
    await sleep(delayMs, signal);
  }
}

export function createBucketPacers(): BucketPacers {
  const byBucket = new Map<string, BucketPacer>(Object.keys(RATE_LIMIT_BUCKETS).map((bucket) => [bucket, { bucket, pacer: new RateLimitPacer() }]));
  // Each operation's, looked up once; generation already refuses an operation whose bucket is not a
  // contract's bucket, so every one is found.
  const byOperation = new Map<string, BucketPacer>();
  for (const facts of Object.values(OPERATIONS) as OperationFacts[]) {
    const paced = byBucket.get(facts.rateLimitBucket);
    if (paced === undefined) throw new Error(`operation ${facts.operationId} counts against rate-limit bucket "${facts.rateLimitBucket}", which RATE_LIMIT_BUCKETS lacks: run npm run generate`);
    byOperation.set(facts.operationId, paced);
  }
  return { of: (operation) => (operation === undefined ? undefined : byOperation.get(operation.operationId)) };
}
