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

/** One request the server routed to an operation, and what it answered. */
export interface ServedExchange {
  /** The request's method, upper case (`PATCH`). */
  method: string;
  /** The request's path, without the query (`/v2/evses/123456/connectors/1`). */
  path: string;
  /** The body as Prism parsed it: JSON when the content type is JSON, else text; null when none. */
  requestBody: unknown;
  status: number;
  responseBody: unknown;
}

/** A request Prism answered with an error of its own: it found no operation for it, or could not mock one. */
export interface UnservedRequest {
  method: string;
  path: string;
  /** The status Prism sent (404 for a path the contract does not have, 405 for a method it does not give the path). */
  status: number;
}

/**
 * Starts Prism with `config` (validation and security checks as given) on `host:port`.
 * Prism's own `listen` rejects with a bare string; this turns it into an Error that names the port.
 * `observe` sees each exchange Prism answered for the operation (not requests it could not route).
 */
export async function startPrismServer(
  config: PrismHttpConfig,
  where: { port: number; host: string },
  options: {
    /** Sees each answered request: the method and path, the parsed body, the status and body Prism sends (coverage). */
    observe?: ((exchange: ServedExchange) => void) | undefined;
    /** Sees each request Prism answered with its own error instead (no operation for it, nothing to mock). */
    observeUnserved?: ((request: UnservedRequest) => void) | undefined;
    /** Changes to a copy of the operations for this server only (the mock's plausible bodies). */
    adapt?: ((operations: unknown[]) => unknown[]) | undefined;
  } = {},
): Promise<RunningServer> {
  const prism = loadPrism();
  const { observe, observeUnserved, adapt = (operations: unknown[]) => operations } = options;
  const ops = adapt(await contractOperations());
  const logger = prism.core.createLogger("spirii-contract", { level: "silent" });
  const server = prism.server.createServer(ops, { cors: false, components: { logger }, config });
  if (observe || observeUnserved) {
    // The server calls `prism.request` afresh for each request, so wrapping it sees the parsed body
    // and the output Prism is about to send, without a second HTTP hop in front of the mock.
    const instance = server.prism;
    const request = instance.request.bind(instance);
    instance.request = (input, operations, requestConfig) => {
      const task = request(input, operations, requestConfig);
      return async () => {
        const result = await task();
        const method = String(input.method).toUpperCase();
        const path = input.url.path;
        if (result._tag === "Right") {
          const { statusCode, body } = result.right.output;
          observe?.({ method, path, requestBody: input.body ?? null, status: statusCode, responseBody: body });
        } else {
          observeUnserved?.({ method, path, status: (result.left as { status?: number }).status ?? 500 });
        }
        return result;
      };
    };
  }
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
