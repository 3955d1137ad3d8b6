// What `mock` and `fake` do once they listen: serve until Ctrl-C or SIGTERM, then close the server.
import { EXIT } from "./exit-codes.js";

/** Resolves once a signal came and `close` finished; a client holding a request open cannot delay the exit past 2 s. */
export function untilStopped(what: string, close: () => Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      process.stderr.write(`\n${signal}: stopping ${what}.\n`);
      // Said, so that a stop which had to wait for this fallback is told apart from a clean close.
      setTimeout(() => {
        process.stderr.write(`${what} still had a connection open 2 s after ${signal}: exiting anyway.\n`);
        process.exit(EXIT.holds);
      }, 2_000).unref();
      void close().then(resolve, (error: unknown) => {
        process.stderr.write(`${what} did not close cleanly: ${error instanceof Error ? error.message : String(error)}\n`);
        resolve();
      });
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}
