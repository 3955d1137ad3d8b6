// The contract's runtime values and named types, re-exported from generated/ under domain names.
// Nothing here restates the contract: every list and every shape comes from spec/ via generation.
import type { components, operations, paths } from "../generated/types.js";

export type { components, operations, paths };
export { OPERATIONS, GET_EVSE } from "../generated/operations.js";
export type { OperationEffect, OperationFacts, OperationId } from "../generated/operations.js";
export {
  CONNECTOR_FORMATS,
  CONNECTOR_STANDARDS,
  CONNECTOR_UPDATE_STANDARDS,
  EVSE_STATUSES,
  OCPP_ERROR_CODES,
  POWER_TYPES,
  SERVER_URLS,
  UPDATE_CONNECTOR,
} from "../generated/values.js";

type Schemas = components["schemas"];
/** An EVSE as the API returns it (the 200 body of updateConnector). */
export type Evse = Schemas["Evse"];
/** A connector of an EVSE, as the API returns it. */
export type Connector = Schemas["Connector"];
/** The body of updateConnector: the connector fields to change (at least one). */
export type ConnectorUpdate = Schemas["ConnectorUpdate"];
/** Every OCPI connector standard a response may carry. */
export type ConnectorStandard = Schemas["ConnectorStandard"];
/** The connector standards a request may set. */
export type ConnectorUpdateStandard = Schemas["ConnectorUpdateStandard"];
export type ConnectorFormat = Schemas["ConnectorFormat"];
export type PowerType = Schemas["PowerType"];
export type EvseStatus = Schemas["EvseStatus"];
export type ConnectorError = Schemas["ConnectorError"];
export type OcppErrorCode = Schemas["OcppErrorCode"];
/** The documented error envelope of every 4xx/5xx (documented nearby; not certain). */
export type ApiError = Schemas["ApiError"];
/** The path parameters of updateConnector. */
export type ConnectorPath = operations["updateConnector"]["parameters"]["path"];
/** The path parameters of getEvse. */
export type EvsePath = operations["getEvse"]["parameters"]["path"];
