// The one abortable wait: the transport's waits between attempts and the rate-limit pacer's waits
// for a window (a module of its own, so that the pacer, which the transport uses, need not import
// the transport).

/**
 * Waits `ms`, or rejects when the signal aborts. Not unref'd: a script whose only work is a
 * retrying request must not exit in the middle of the wait.
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
