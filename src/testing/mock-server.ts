// An in-process Prism mock of the bundled contract: starts in tens of milliseconds (the Prism CLI
// takes seconds), on an ephemeral port, with request validation and security checks on.
import { CONTRACT_PATH } from "./contract-file.js";
import { loadPrism } from "./prism.js";

export interface MockServerOptions {
  /** Port to listen on; 0 (the default) picks a free one. Never rely on Prism's 4010. */
  port?: number;
  /** Host to bind; loopback by default. */
  host?: string;
  /** Generate responses from the schemas instead of answering with the contract's examples. */
  dynamic?: boolean;
  /** Seed for dynamic responses, so that a test sees the same bodies on every run. */
  seed?: string | number;
}

export interface MockServer {
  /** Base URL of the mock, e.g. `http://127.0.0.1:39123`; pass it as the client's `baseUrl`. */
  url: string;
  /** Stops the server and releases the port. Safe to call twice. */
  close(): Promise<void>;
}

let operationsPromise: Promise<unknown[]> | undefined;

/**
 * Serves the contract like the real API would: a valid request gets the documented example (or a
 * generated body with `dynamic`), a request that breaks the contract gets the documented 4xx, and a
 * request without `Authorization: Bearer ...` gets 401. Prefer headers (`Prefer: code=404`,
 * `Prefer: example=healthyAcConnector`) choose among the documented responses.
 */
export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  if (options.seed !== undefined && !options.dynamic) {
    throw new TypeError("startMockServer: `seed` only applies to dynamic responses; pass `dynamic: true` with it.");
  }
  const prism = loadPrism();
  // Parsing the contract is the slow part; every mock in a process shares the result.
  operationsPromise ??= prism.http.getHttpOperationsFromSpec(CONTRACT_PATH);
  const operations = await operationsPromise;
  const logger = prism.core.createLogger("spirii-mock", { level: "silent" });
  const server = prism.server.createServer(operations as never, {
    cors: false,
    components: { logger },
    config: {
      isProxy: false,
      validateRequest: true,
      validateResponse: true,
      checkSecurity: true,
      errors: false,
      upstreamProxy: undefined,
      mock: {
        dynamic: options.dynamic ?? false,
        ignoreExamples: false,
        ...(options.seed === undefined ? {} : { seed: String(options.seed) }),
      },
    },
  } as never);
  const url = await server.listen(options.port ?? 0, options.host ?? "127.0.0.1");
  let closing: Promise<void> | undefined;
  return {
    url,
    close: () => (closing ??= server.close()),
  };
}
