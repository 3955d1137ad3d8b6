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
//   bucket until its window has room, bounded only by their signal.
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
 * `rate-limit-wait` event). Rejects with the signal's reason when it aborts.
 */
export async function waitForRoom(pacer: RateLimitPacer, signal: AbortSignal | undefined, onWait: ((delayMs: number) => void) | undefined): Promise<void> {
  for (;;) {
    const delayMs = pacer.waitMs();
    if (delayMs <= 0) return;
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
