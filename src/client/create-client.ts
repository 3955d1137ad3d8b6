// createConnectorClient: checks the options once, then wires the pieces: the transport (key,
// attempts, deadline, retries, size cap), one openapi-fetch client for the named methods' one call
// path (operation.ts) and one for `raw` over it, the named methods as facades over that path, and the
// batch on top of updateConnector; one rate-limit pacer per bucket (pacing.ts) shared by all of them.
import createClient, { type Client } from "openapi-fetch";
import type { paths } from "../../generated/types.js";
import { assertKnownOptions, type ExactNames } from "../options.js";
import { createRedactor } from "../redact.js";
import { bearerAuthorization } from "./auth.js";
import { PRODUCTION_URL, clientBaseUrl } from "./base-url.js";
import { createEmitter, type ClientEventHook } from "./events.js";
import { RESPONSE_VALIDATION_MODES, type ResponseValidation } from "./response.js";
import { resolveRetry, type RetryOptions } from "./retry.js";
import { createGetEvse, type GetEvse } from "./get-evse.js";
import { createConnectorCommands, type ChangeConnectorAvailability, type RemoteStopTransaction, type UnlockConnector } from "./connector-commands.js";
import { createEvses, createListEvses, type Evses, type ListEvses } from "./list-evses.js";
import { MAX_WHOLE_MS, createOperationSender, isWholeMs } from "./operation.js";
import { createBucketPacers } from "./pacing.js";
import { createTransport, type FetchLike } from "./transport.js";
import { BATCH_OPTIONS, CALL_OPTIONS, CLIENT_OPTIONS, CLIENT_OPTION_ADVICE, RETRY_OPTIONS } from "./option-names.js";
import { createUpdateConnector, type UpdateConnector, type UpdateConnectorOptions } from "./update-connector.js";
import { createUpdateConnectors, type UpdateConnectors, type UpdateConnectorsOptions } from "./update-connectors.js";

export const DEFAULT_TIMEOUT_MS = 30_000;
/** Two minutes for a whole call, retries and waits included (see README "Retries and timeouts"). */
export const DEFAULT_DEADLINE_MS = 120_000;
/** An EVSE is a few kilobytes; a megabyte is room for hundreds of connectors. */
export const DEFAULT_MAX_RESPONSE_BYTES = 1_048_576;
/** Report, not strict: see the README ("Response validation") for why. */
export const DEFAULT_RESPONSE_VALIDATION: ResponseValidation = "report";
export const DEFAULT_USER_AGENT = "spirii-connector-contract";

export interface ConnectorClientOptions {
  /** Your Spirii API key (usually `process.env.SPIRII_API_KEY`). Required: missing or empty throws. */
  apiKey: string | undefined;
  /** Default PRODUCTION_URL. Must be https, except http to a loopback host. */
  baseUrl?: string | undefined;
  /** The fetch to send with (default globalThis.fetch), e.g. one with a proxy agent, or a test double. */
  fetch?: FetchLike | undefined;
  /** Limit for each attempt, from sending to having read the whole body (default 30 000). */
  timeoutMs?: number | undefined;
  /** Limit for a whole call: attempts, reads and the waits between them (default 120 000). */
  deadlineMs?: number | undefined;
  /** Retry policy (on by default, see RetryOptions), or `false` for a single attempt. */
  retry?: RetryOptions | false | undefined;
  /** What to do with a 2xx body that breaks the contract (default "report"). */
  validateResponses?: ResponseValidation | undefined;
  /** Sent as User-Agent (default "spirii-connector-contract"). */
  userAgent?: string | undefined;
  /** Largest response body read (default 1 MiB); a larger 2xx body is an "invalid-response". */
  maxResponseBytes?: number | undefined;
  /** Observes requests, responses, retries and contract violations; Authorization is redacted. */
  onEvent?: ClientEventHook | undefined;
}

export interface ConnectorClient {
  /**
   * Updates a connector and resolves to the EVSE as it is afterwards. Rejects with a
   * ConnectorApiError; an invalid patch or path is rejected before anything is sent.
   */
  updateConnector: UpdateConnector;
  /**
   * Reads one EVSE with its connectors (GET /v2/evses/{uid}). Rejects with a ConnectorApiError; an
   * invalid uid or options argument is rejected before anything is sent.
   */
  getEvse: GetEvse;
  /** Reads one page of EVSEs (GET /v2/evses); an invalid query (`limit` outside 1..100, an id that is no whole number) is rejected before anything is sent. */
  listEvses: ListEvses;
  /**
   * Every EVSE of every page, as an async iterator (`for await`), following `nextPageCursor` until a
   * page has none (absent, null or empty); bounded by `signal` and `maxPages` (default 1 000). Before
   * each page it waits until the read bucket's window has room.
   */
  evses: Evses;
  /** Takes a connector out of service (`Inoperative`) or back (`Operative`). A refusal (`Rejected`) or `Scheduled` is returned, not thrown: check `status`. */
  changeConnectorAvailability: ChangeConnectorAvailability;
  /** Asks the EVSE to unlock a connector (physical; never retried after an ambiguous failure). `UnlockFailed` and `NotSupported` are returned, not thrown: check `status`. */
  unlockConnector: UnlockConnector;
  /** Asks the EVSE to stop a transaction (ends a driver's session; never retried after an ambiguous failure). `Rejected` is returned, not thrown: check `status`. */
  remoteStopTransaction: RemoteStopTransaction;
  /**
   * Applies many updates, paced by the API's rate-limit headers on the client's write-bucket pacer
   * (shared with every other write of this client), and resolves to one result per update in input
   * order (a failure never stops the others). See UpdateConnectorsOptions.
   */
  updateConnectors: UpdateConnectors;
  /**
   * The openapi-fetch client, typed with the contract's `paths`, sharing this client's key,
   * timeout, retries, size limit and hook. Responses are not validated; transport failures
   * (timeout, network, abort) reject with a ConnectorApiError.
   */
  raw: Client<paths>;
  /** The base URL in use (checked, without a trailing slash). */
  baseUrl: string;
}

// Every option is checked by name (option-names.ts): a name added to an interface and not there,
// or listed there and not in the interface, fails to compile.
true satisfies ExactNames<ConnectorClientOptions, (typeof CLIENT_OPTIONS)[number]>;
true satisfies ExactNames<RetryOptions, (typeof RETRY_OPTIONS)[number]>;
true satisfies ExactNames<UpdateConnectorOptions, (typeof CALL_OPTIONS)[number]>;
true satisfies ExactNames<UpdateConnectorsOptions, (typeof BATCH_OPTIONS)[number]>;

function whole(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  // setTimeout treats anything above 2^31-1 ms as 1 ms; refuse it rather than time out at once.
  if (!isWholeMs(value)) {
    throw new TypeError(`createConnectorClient: ${name} must be a whole number from 1 to ${MAX_WHOLE_MS} (got ${String(value)}).`);
  }
  return value;
}

export function createConnectorClient(options: ConnectorClientOptions): ConnectorClient {
  const o: Partial<ConnectorClientOptions> = options ?? {};
  assertKnownOptions("createConnectorClient", o, CLIENT_OPTIONS, CLIENT_OPTION_ADVICE);
  assertKnownOptions("createConnectorClient: retry", o.retry, RETRY_OPTIONS, CLIENT_OPTION_ADVICE);
  const authorization = bearerAuthorization(o.apiKey);
  const baseUrl = clientBaseUrl(o.baseUrl ?? PRODUCTION_URL);
  const validateResponses = o.validateResponses ?? DEFAULT_RESPONSE_VALIDATION;
  if (!RESPONSE_VALIDATION_MODES.includes(validateResponses)) {
    throw new TypeError(`createConnectorClient: validateResponses must be one of ${RESPONSE_VALIDATION_MODES.map((m) => `"${m}"`).join(", ")} (got ${JSON.stringify(validateResponses)}).`);
  }
  if (o.userAgent !== undefined && (typeof o.userAgent !== "string" || o.userAgent.trim() === "")) {
    throw new TypeError("createConnectorClient: userAgent must be a non-empty string.");
  }
  // Redacts what comes from outside (bodies, headers, abort reasons, fetch errors) before any
  // error or event is built from it.
  const redact = createRedactor(authorization.slice("Bearer ".length));
  const emit = createEmitter(o.onEvent);
  const deadlineMs = whole("deadlineMs", o.deadlineMs, DEFAULT_DEADLINE_MS);
  if (o.fetch !== undefined && typeof o.fetch !== "function") throw new TypeError("createConnectorClient: fetch must be a function (request: Request) => Promise<Response>.");
  const maxResponseBytes = whole("maxResponseBytes", o.maxResponseBytes, DEFAULT_MAX_RESPONSE_BYTES);
  // One pacer per rate-limit bucket for everything this client sends: calls, batches, walks, raw.
  const pacers = createBucketPacers();
  const transport = createTransport({
    baseUrl,
    authorization,
    userAgent: o.userAgent ?? DEFAULT_USER_AGENT,
    fetch: o.fetch,
    timeoutMs: whole("timeoutMs", o.timeoutMs, DEFAULT_TIMEOUT_MS),
    deadlineMs,
    retry: resolveRetry(o.retry),
    maxResponseBytes,
    redact,
    emit,
    pacers,
  });
  // Redirects are not followed: that would hand the key to wherever they point.
  const raw = createClient<paths>({ baseUrl, fetch: transport.raw, redirect: "manual" });
  // The named methods' own client, on the same transport, without the caller's middleware.
  const api = createClient<paths>({ baseUrl, redirect: "manual" });
  const send = createOperationSender({ api, transport, baseUrl, validateResponses, redact, emit });
  const sendUpdate = createUpdateConnector(send);
  const updateConnector: UpdateConnector = (path, patch, options) => sendUpdate(path, patch, options);
  const getEvse = createGetEvse(send);
  const updateConnectors = createUpdateConnectors({ send: sendUpdate, baseUrl, redact, deadlineMs, pacers, emit });
  const listEvses = createListEvses(send);
  const evses = createEvses(send, { baseUrl, redact, emit, pacers });
  const { changeConnectorAvailability, unlockConnector, remoteStopTransaction } = createConnectorCommands(send, { baseUrl, redact });
  return { updateConnector, getEvse, listEvses, evses, changeConnectorAvailability, unlockConnector, remoteStopTransaction, updateConnectors, raw, baseUrl };
}
