// Runs Prism's HTTP server in this process, on the bundled contract, in mock or proxy mode. The
// in-process server starts in about a millisecond once the contract is parsed; the CLI takes seconds.
import { CONTRACT_PATH } from "./contract-file.js";
import { loadPrism, type PrismHttpConfig } from "./peers.js";

/** A running server: its base URL and a `close` that releases the port. */
export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:39123` (no trailing slash). */
  url: string;
  /** Stops the server and releases the port. Safe to call twice. */
  close(): Promise<void>;
}

let operations: Promise<unknown[]> | undefined;

/** The contract's operations, parsed once per process (the slow part: ~40 ms) and shared. */
function contractOperations(): Promise<unknown[]> {
  operations ??= loadPrism()
    .http.getHttpOperationsFromSpec(CONTRACT_PATH)
    .catch((error: unknown) => {
      operations = undefined; // a failed parse must not poison every later start
      throw error;
    });
  return operations;
}

/**
 * Starts Prism with `config` (validation and security checks as given) on `host:port`.
 * Prism's own `listen` rejects with a bare string; this turns it into an Error that names the port.
 */
export async function startPrismServer(
  config: PrismHttpConfig,
  where: { port: number; host: string },
  /** Changes to a copy of the operations for this server only (the mock's plausible bodies). */
  adapt: (operations: unknown[]) => unknown[] = (operations) => operations,
): Promise<RunningServer> {
  const prism = loadPrism();
  const ops = adapt(await contractOperations());
  const logger = prism.core.createLogger("spirii-contract", { level: "silent" });
  const server = prism.server.createServer(ops, { cors: false, components: { logger }, config });
  let url: string;
  try {
    url = await server.listen(where.port, where.host);
  } catch (reason) {
    throw new Error(`could not listen on ${where.host}:${where.port}: ${String(reason)}`);
  }
  let closing: Promise<void> | undefined;
  return {
    url,
    // Node's server.close() also closes idle keep-alive connections (Node >= 19), so a client's
    // pooled socket does not hold the port or the event loop after close.
    close: () => (closing ??= server.close()),
  };
}
