// The one pacer's rules that need no clock to check: what the headers leave room for, requests in
// flight counted against it, and a 429's pause when the provider says nothing about when.
import { afterEach, describe, expect, it, vi } from "vitest";
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
    // pause() reads the clock once, so the pause it returns is exact.
    expect(pacer.pause(undefined)).toBe(1_000);
    expect(pacer.pause(undefined)).toBe(2_000); // in a row: within twice the first pause
    // A caller's retry backoff of 0 does not shorten it.
    expect(new RateLimitPacer().pause(undefined, 0)).toBe(1_000);
    expect(new RateLimitPacer().pause(undefined, 5_000)).toBe(5_000);
    // Retry-After, when there is one, is what it says.
    expect(new RateLimitPacer().pause(3_000)).toBe(3_000);
  });

  describe("waiting (on fake timers: the pacer's looks again are counted, no time is measured)", () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it("tells of a wait once when it starts, not at each look again while answers are still to come", async () => {
      vi.useFakeTimers();
      const pacer = new RateLimitPacer();
      pacer.take();
      pacer.take();
      pacer.observe(opaque(1), pacer.inFlight - 1); // room for nothing more while one is in flight, and no window end known
      pacer.settled();
      const told: number[] = [];
      let acquired = false;
      const waiting = pacer.acquire(undefined, (delayMs) => told.push(delayMs)).then(() => (acquired = true));
      await vi.advanceTimersByTimeAsync(200); // many looks again
      expect(acquired).toBe(false);
      expect(told).toHaveLength(1);
      pacer.settled(); // the last answer is in: nothing more to learn, the next request goes
      await vi.advanceTimersByTimeAsync(50);
      await waiting;
      expect(told).toHaveLength(1);
      expect(pacer.inFlight).toBe(1); // acquire counted it
    });

    it("waiters that find room together take no more than the room", async () => {
      const pacer = new RateLimitPacer();
      pacer.take();
      pacer.observe(new Headers({ "x-ratelimit-limit": "3", "x-ratelimit-remaining": "2", "x-ratelimit-reset": "soon" }), 0);
      pacer.settled();
      let through = 0;
      const all = Array.from({ length: 4 }, () => pacer.acquire(undefined).then(() => through++));
      await Promise.race([Promise.all(all), new Promise((resolve) => setImmediate(resolve))]);
      expect(through).toBe(2);
      // The two that went answer with nothing left: the others stay waiting for a window end or an answer.
      expect(pacer.waitMs()).toBeGreaterThan(0);
      // Their answers come back, each leaving nothing more to learn: then one more goes, and so on.
      for (let answered = 0; answered < 4; answered++) {
        pacer.settled();
        await vi.waitFor(() => expect(pacer.inFlight === 1 || through === 4).toBe(true));
      }
      await Promise.all(all);
      expect(through).toBe(4);
    });
  });
});
