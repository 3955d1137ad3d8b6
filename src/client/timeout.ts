// Per-attempt deadlines tied to the caller's AbortSignal, and abortable waits. Every timer is
// cleared when its attempt or wait ends, so a finished request leaves nothing behind.
//
// Cost matters here (every attempt pays it): one AbortController per attempt, because its signal
// is what makes fetch abort the socket; no other signal, and no listener on our own signal. The
// deadline rejects the attempt's promise itself (guard), instead of a listener per awaited step.
// What remains is the largest cost the client adds to a call: undici's Request follows the signal
// through a WeakRef, a listener and a FinalizationRegistry entry (whose targets survive minor GCs),
// about 20 us per attempt on Node 20 against a Request without a signal. It buys a timeout that
// closes the socket, for the global fetch and for an injected one alike.

/** The deadline of one attempt. A class, not closures: every attempt makes one. */
export class AttemptDeadline {
  readonly #controller = new AbortController();
  /** Aborts when the caller aborts or the attempt's time is up. Pass it to fetch. */
  readonly signal: AbortSignal = this.#controller.signal;
  readonly #caller: AbortSignal | undefined;
  readonly #timer: ReturnType<typeof setTimeout>;
  #expired = false;
  // Kept here: AbortSignal's `aborted` getter checks its receiver on every read.
  #aborted = false;
  #rejectGuard: ((reason: unknown) => void) | undefined;

  constructor(caller: AbortSignal | undefined, timeoutMs: number) {
    this.#caller = caller;
    // Linked by hand rather than with AbortSignal.any, so that the listener on a long-lived caller
    // signal is removed as soon as the attempt ends (and no third signal is created).
    if (caller?.aborted) this.abort(caller.reason);
    else caller?.addEventListener("abort", this);
    this.#timer = setTimeout(expire, timeoutMs, this, timeoutMs);
    // The socket keeps the process alive while a request is in flight; the timer need not.
    this.#timer.unref?.();
  }

  /** The caller's signal aborted (EventListener interface, so no closure is needed). */
  handleEvent(): void {
    this.abort(this.#caller?.reason);
  }

  /** True once the caller aborted or the time ran out. */
  get aborted(): boolean {
    return this.#aborted;
  }

  abort(reason: unknown): void {
    this.#aborted = true;
    this.#controller.abort(reason);
    this.#rejectGuard?.(this.signal.reason);
  }

  /** Called by the timer. */
  expire(timeoutMs: number): void {
    this.#expired = true;
    this.abort(new DOMException(`no complete response within ${timeoutMs} ms`, "TimeoutError"));
  }

  /**
   * Settles as `work` does, or rejects with the abort reason as soon as the attempt is aborted, even
   * if `work` ignores the signal (a fetch that never answers). One guard per attempt.
   */
  guard<T>(work: Promise<T>): Promise<T> {
    if (this.#aborted) {
      // `work` may still reject later; handle it so it never becomes an unhandled rejection.
      work.catch(() => {});
      return Promise.reject(this.signal.reason);
    }
    return new Promise<T>((resolve, reject) => {
      this.#rejectGuard = reject;
      // Also handles a late rejection of `work` after the deadline has already rejected.
      work.then(resolve, reject);
    });
  }

  /** True once the attempt's own time ran out (as opposed to the caller aborting). */
  timedOut(): boolean {
    return this.#expired && !this.#caller?.aborted;
  }

  /** Clears the timer and the listener on the caller's signal. */
  dispose(): void {
    clearTimeout(this.#timer);
    this.#caller?.removeEventListener("abort", this);
  }
}

function expire(deadline: AttemptDeadline, timeoutMs: number): void {
  deadline.expire(timeoutMs);
}

/**
 * Waits `ms` (a retry backoff), or rejects with the signal's reason when it aborts. Not unref'd:
 * a script whose only work is a retrying request must not exit in the middle of the wait.
 */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal === undefined) return new Promise<void>((resolve) => setTimeout(resolve, ms));
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
