// createConnectorClient: checks the options once, then wires the transport (auth, deadlines,
// retries, hooks) under an openapi-fetch client that both updateConnector and `raw` use.
import createClient, { type Client } from "openapi-fetch";
import type { paths } from "../../generated/types.js";
import { bearerAuthorization } from "./auth.js";
import { PRODUCTION_URL, clientBaseUrl } from "./base-url.js";
import { ConnectorApiError, type ConnectorApiErrorDetails } from "./errors.js";
import { createEmitter, type ClientEventHook } from "./events.js";
import { createRedactor } from "./redact.js";
import { resolveRetry, type RetryOptions } from "./retry.js";
import { createOperationClient } from "./operation-client.js";
import { createTransport, type FetchLike } from "./transport.js";
import { RESPONSE_VALIDATION_MODES, createUpdateConnector, type ResponseValidation, type UpdateConnector } from "./update-connector.js";

export const DEFAULT_TIMEOUT_MS = 30_000;
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
   * The openapi-fetch client, typed with the contract's `paths`, sharing this client's key,
   * timeout, retries, size limit and hook. Responses are not validated; transport failures
   * (timeout, network, abort) reject with a ConnectorApiError.
   */
  raw: Client<paths>;
  /** The base URL in use (checked, without a trailing slash). */
  baseUrl: string;
}

function whole(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  // setTimeout treats anything above 2^31-1 ms as 1 ms; refuse it rather than time out at once.
  if (!Number.isInteger(value) || value < 1 || value > 2_147_483_647) {
    throw new TypeError(`createConnectorClient: ${name} must be a whole number from 1 to 2147483647 (got ${String(value)}).`);
  }
  return value;
}

export function createConnectorClient(options: ConnectorClientOptions): ConnectorClient {
  const o: Partial<ConnectorClientOptions> = options ?? {};
  const authorization = bearerAuthorization(o.apiKey);
  const baseUrl = clientBaseUrl(o.baseUrl ?? PRODUCTION_URL);
  const validateResponses = o.validateResponses ?? DEFAULT_RESPONSE_VALIDATION;
  if (!RESPONSE_VALIDATION_MODES.includes(validateResponses)) {
    throw new TypeError(`createConnectorClient: validateResponses must be one of ${RESPONSE_VALIDATION_MODES.map((m) => `"${m}"`).join(", ")} (got ${JSON.stringify(validateResponses)}).`);
  }
  if (o.userAgent !== undefined && (typeof o.userAgent !== "string" || o.userAgent.trim() === "")) {
    throw new TypeError("createConnectorClient: userAgent must be a non-empty string.");
  }
  // The key is redacted from everything the client exposes: errors, their causes, hook payloads.
  const redact = createRedactor(authorization.slice("Bearer ".length));
  const fail = (details: ConnectorApiErrorDetails, cause?: unknown) => {
    const error = new ConnectorApiError(redact.deep(details), cause === undefined ? undefined : { cause: redact.cause(cause) });
    // The message may quote a caller's abort reason, which is not copied; scrub the text itself.
    error.message = redact.text(error.message);
    if (error.stack !== undefined) error.stack = redact.text(error.stack);
    return error;
  };
  const emit = createEmitter(o.onEvent, redact.deep);

  const transport = createTransport({
    authorization,
    userAgent: o.userAgent ?? DEFAULT_USER_AGENT,
    fetch: o.fetch,
    timeoutMs: whole("timeoutMs", o.timeoutMs, DEFAULT_TIMEOUT_MS),
    retry: resolveRetry(o.retry),
    maxResponseBytes: whole("maxResponseBytes", o.maxResponseBytes, DEFAULT_MAX_RESPONSE_BYTES),
    redact,
    emit,
    fail,
  });
  const raw = createClient<paths>({ baseUrl, fetch: transport.fetch });
  // updateConnector has an openapi-fetch client of its own on the same transport (see operation-client.ts).
  const api = createOperationClient(baseUrl, transport.fetch);
  const updateConnector = createUpdateConnector({ api, baseUrl, validateResponses, emit, fail });
  return { updateConnector, raw, baseUrl };
}
