// An in-process Prism mock of the bundled contract on an ephemeral port, with request validation and
// security checks on: fast enough to start per test file. It records the contract coverage of what
// it was sent and what it answered, so a consumer's tests can show which errors they handled.
import { createCoverageRecorder, writeCoverageFile, type ContractCoverage } from "../coverage/index.js";
import { CONTRACT_ITEMS } from "../coverage/items.js";
import { assertKnownOptions, type ExactNames } from "../options.js";
import { withPlausibleResponses } from "./plausible-bodies.js";
import { startPrismServer, type RunningServer } from "./prism-server.js";

export interface MockServerOptions {
  /** Port to listen on; 0 (the default) picks a free one. Never rely on Prism's 4010. */
  port?: number;
  /** Host to bind; loopback by default. */
  host?: string;
  /**
   * Generate responses from the schemas instead of answering with the contract's examples: varied but
   * plausible bodies (whole positive ids, at least one connector, only the contract's fields) that
   * keep the contract, to test that a consumer copes with more than one fixed EVSE.
   */
  dynamic?: boolean;
  /** Seed for dynamic responses, so that a test sees the same bodies on every run. */
  seed?: string | number;
  /** Write the contract coverage of this mock's exchanges to this file on `close()` (one file per test worker). */
  coverageFile?: string;
}

/** startMockServer's option names (an unknown one is refused, naming the closest). */
export const MOCK_SERVER_OPTIONS = ["port", "host", "dynamic", "seed", "coverageFile"] as const;
true satisfies ExactNames<MockServerOptions, (typeof MOCK_SERVER_OPTIONS)[number]>;

export interface MockServer extends RunningServer {
  /**
   * What this mock was sent and answered so far, as contract coverage per operation (each request
   * body, each status, each 2xx body), and the requests for no operation of the contract.
   */
  coverage(): ContractCoverage;
  /** Writes `coverage()` as JSON, for `spirii-contract coverage FILE...` to merge and gate. */
  writeCoverage(file: string): Promise<void>;
}

/**
 * Serves the contract like the real API would: a valid request gets the documented example (or a
 * generated body with `dynamic`), a request that breaks the contract gets the documented 4xx, and a
 * request without `Authorization: Bearer ...` gets 401. `Prefer` headers (`Prefer: code=404`,
 * `Prefer: example=healthyAcConnector`) choose among the documented responses.
 */
export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  if (options === null || typeof options !== "object" || Array.isArray(options)) throw new TypeError("startMockServer: options must be an object, e.g. { port: 0 }, or nothing.");
  assertKnownOptions("startMockServer", options, MOCK_SERVER_OPTIONS);
  const { port = 0, host = "127.0.0.1", dynamic = false, seed, coverageFile } = options;
  if (seed !== undefined && !dynamic) {
    throw new TypeError("startMockServer: `seed` only applies to dynamic responses; pass `dynamic: true` with it.");
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`startMockServer: port must be an integer from 0 to 65535 (0 picks a free port), got ${String(port)}.`);
  }
  if (coverageFile !== undefined && (typeof coverageFile !== "string" || coverageFile === "")) {
    throw new TypeError(`startMockServer: coverageFile must be a file path, got ${JSON.stringify(coverageFile)}.`);
  }
  const recorder = createCoverageRecorder();
  const server = await startPrismServer(
    {
      isProxy: false,
      validateRequest: true,
      validateResponse: true,
      checkSecurity: true,
      errors: false,
      upstreamProxy: undefined,
      mock: { dynamic, ignoreExamples: false, ...(seed === undefined ? {} : { seed: String(seed) }) },
    },
    { port, host },
    {
      // Filed under the operation the method and path name; Prism routed it by the same templates.
      observe: ({ method, path, requestBody, status, responseBody }) => {
        recorder.record({ method, path, requestBody, status, responseBody });
      },
      // Prism's own error for a request the contract has no operation for counts as outside it;
      // one for an operation (nothing it could mock) covers nothing of the contract.
      observeUnserved: ({ method, path }) => {
        if (!CONTRACT_ITEMS.attribute(method, path)) recorder.record({ method, path });
      },
      adapt: dynamic ? withPlausibleResponses : undefined,
    },
  );
  let closing: Promise<void> | undefined;
  return {
    url: server.url,
    coverage: () => recorder.coverage(),
    writeCoverage: (file) => writeCoverageFile(file, recorder.coverage()),
    close: () =>
      (closing ??= server.close().then(() => (coverageFile === undefined ? undefined : writeCoverageFile(coverageFile, recorder.coverage())))),
  };
}
