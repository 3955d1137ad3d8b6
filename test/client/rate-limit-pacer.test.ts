// The one pacer's rules that need no clock to check: what the headers leave room for, requests in
// flight counted against it, and a 429's pause when the provider says nothing about when.
import { describe, expect, it } from "vitest";
import { RateLimitPacer } from "../../src/rate-limit-pacer.js";

/** Headers with a Reset the pacer cannot read as a time (the contract calls it opaque): no window end is known. */
const opaque = (remaining: number) => new Headers({ "x-ratelimit-limit": "10", "x-ratelimit-remaining": String(remaining), "x-ratelimit-reset": "soon" });

describe("RateLimitPacer", () => {
  it("knows nothing before an answer: lets requests go", () => {
    const pacer = new RateLimitPacer();
    pacer.take();
    pacer.take();
    expect(pacer.waitMs()).toBe(0);
    expect(pacer.inFlight).toBe(2);
  });

  it("with the room used up by requests still in flight and no window end known, waits for their answers, then lets one go", () => {
    const pacer = new RateLimitPacer();
    pacer.take();
    pacer.take();
    pacer.take();
    // One answer: one more allowed, and two others are still on their way to count against it.
    pacer.observe(opaque(1), pacer.inFlight - 1);
    pacer.settled();
    expect(pacer.waitMs()).toBeGreaterThan(0);
    pacer.settled();
    expect(pacer.waitMs()).toBeGreaterThan(0);
    pacer.settled();
    // Nothing more to learn from: the next request goes, and the provider's answer tells.
    expect(pacer.waitMs()).toBe(0);
  });

  it("a 429 that says nothing pauses for the pacer's own fallback, a second, doubled for each such 429 in a row; a caller's minimum only lengthens it", () => {
    const pacer = new RateLimitPacer();
    const first = pacer.pause(undefined);
    expect(first).toBeGreaterThan(500);
    expect(first).toBeLessThanOrEqual(1_000);
    const second = pacer.pause(undefined); // in a row: within twice the first pause
    expect(second).toBeGreaterThan(1_500);
    expect(second).toBeLessThanOrEqual(2_000);
    // A caller's retry backoff of 0 does not shorten it.
    expect(new RateLimitPacer().pause(undefined, 0)).toBeGreaterThan(500);
    expect(new RateLimitPacer().pause(undefined, 5_000)).toBeGreaterThan(4_000);
    // Retry-After, when there is one, is what it says.
    expect(new RateLimitPacer().pause(3_000)).toBe(3_000);
  });
});
