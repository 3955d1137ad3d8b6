// The typed client for the contract's operations: everything a consumer needs, from one place.
export { createConnectorClient, DEFAULT_DEADLINE_MS, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_RESPONSE_VALIDATION, DEFAULT_TIMEOUT_MS, DEFAULT_USER_AGENT } from "./create-client.js";
export type { ConnectorClient, ConnectorClientOptions } from "./create-client.js";
export { PRODUCTION_URL, SANDBOX_URL } from "./base-url.js";
export { API_KEY_ENV_VAR } from "./auth.js";
export { ConnectorApiError, isConnectorApiError } from "./errors.js";
export type {
  AbortedDetails,
  ConnectorApiErrorDetails,
  ConnectorApiErrorKind,
  HttpDetails,
  InvalidRequestDetails,
  InvalidResponseDetails,
  InvalidResponseProblem,
  NetworkDetails,
  RateLimit,
  RateLimitedDetails,
  RequestIssue,
  TimeoutDetails,
} from "./errors.js";
export type { ClientEvent, ClientEventHook, ContractViolationEvent, RateLimitWaitEvent, RequestEvent, ResponseEvent, RetryEvent, UnknownValueEvent } from "./events.js";
export { DEFAULT_RETRY, DEFAULT_RETRY_STATUSES } from "./retry.js";
export type { RetryOptions } from "./retry.js";
export { readCappedBody } from "./transport.js";
export type { CappedBody, FetchLike } from "./transport.js";
export { RESPONSE_VALIDATION_MODES } from "./response.js";
export type { ResponseValidation, UpdatedEvse } from "./response.js";
export type { UpdateConnector, UpdateConnectorOptions, UpdateConnectorPatch, UpdateConnectorPath } from "./update-connector.js";
export type { FetchedEvse, GetEvse, GetEvseOptions, GetEvsePath } from "./get-evse.js";
export type { EvsePage, Evses, EvsesOptions, ListedEvse, ListEvses, ListEvsesOptions, ListEvsesQuery } from "./list-evses.js";
export { DEFAULT_MAX_PAGES, EvsePagingError } from "./evse-pages.js";
export type {
  AvailabilityChange,
  AvailabilityChangeResult,
  ChangeConnectorAvailability,
  ConnectorCommandOptions,
  ConnectorCommandPath,
  RemoteStop,
  RemoteStopResult,
  RemoteStopTransaction,
  UnlockConnector,
  UnlockResult,
} from "./connector-commands.js";
export type { OperationOptions } from "./operation.js";
export { DEFAULT_CONCURRENCY } from "./update-connectors.js";
export type { ConnectorUpdateItem, ConnectorUpdateResult, UpdateConnectors, UpdateConnectorsOptions, UpdateConnectorsProgress } from "./update-connectors.js";
