// Per-attempt deadlines tied to the caller's AbortSignal, and abortable waits. Every timer is
// cleared when its attempt or wait ends, so a finished request leaves nothing behind.

export interface AttemptDeadline {
  /** Aborts when the caller aborts or the attempt's time is up. */
  readonly signal: AbortSignal;
  /** True once the attempt's own time ran out (as opposed to the caller aborting). */
  timedOut(): boolean;
  /** Clears the timer and the listener on the caller's signal. */
  dispose(): void;
}

export function startDeadline(caller: AbortSignal, timeoutMs: number): AttemptDeadline {
  const controller = new AbortController();
  let timedOut = false;
  const onCallerAbort = () => controller.abort(caller.reason);
  // Linked by hand rather than with AbortSignal.any so the listener on a long-lived caller signal
  // is removed as soon as the attempt ends.
  if (caller.aborted) controller.abort(caller.reason);
  else caller.addEventListener("abort", onCallerAbort, { once: true });
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException(`no complete response within ${timeoutMs} ms`, "TimeoutError"));
  }, timeoutMs);
  // The socket keeps the process alive while a request is in flight; the timer need not.
  timer.unref?.();
  return {
    signal: controller.signal,
    timedOut: () => timedOut && !caller.aborted,
    dispose: () => {
      clearTimeout(timer);
      caller.removeEventListener("abort", onCallerAbort);
    },
  };
}

/** Resolves `promise`, or rejects with the signal's reason as soon as it aborts, even if `promise` ignores it. */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  // The losing promise may still reject later; handle it so it never becomes an unhandled rejection.
  promise.catch(() => {});
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/**
 * Waits `ms` (a retry backoff), or rejects with the signal's reason when it aborts. Not unref'd:
 * a script whose only work is a retrying request must not exit in the middle of the wait.
 */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
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
