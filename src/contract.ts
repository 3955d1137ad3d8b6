// The contract's runtime values and named types, re-exported from generated/ under domain names.
// Nothing here restates the contract: every list and every shape comes from spec/ via generation.
import type { components, operations, paths } from "../generated/types.js";

export type { components, operations, paths };
export { OPERATIONS, GET_EVSE } from "../generated/operations.js";
export type { OperationEffect, OperationFacts, OperationId } from "../generated/operations.js";
export {
  CONNECTOR_FORMATS,
  CONNECTOR_STANDARDS,
  CONNECTOR_UPDATE_FORMATS,
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
/** The OCPI connector standards a response may carry, or one added later (open). */
export type ConnectorStandard = Schemas["ConnectorStandard"];
/** The connector standards a request may set. */
export type ConnectorUpdateStandard = Schemas["ConnectorUpdateStandard"];
/** A connector's format as a response reports it: the known values or one added later (open). */
export type ConnectorFormat = Schemas["ConnectorFormat"];
/** The connector formats a request may set (closed). */
export type ConnectorUpdateFormat = Schemas["ConnectorUpdateFormat"];
/** The known power types or one added later (open, like every response enum). */
export type PowerType = Schemas["PowerType"];
/** The EVSE's status: the nine known OCPI values or one added later (open: a `switch` needs a `default`). */
export type EvseStatus = Schemas["EvseStatus"];
export type ConnectorError = Schemas["ConnectorError"];
export type OcppErrorCode = Schemas["OcppErrorCode"];
/** The documented error envelope of every 4xx/5xx (documented nearby; not certain). */
export type ApiError = Schemas["ApiError"];
/** The path parameters of updateConnector. */
export type ConnectorPath = operations["updateConnector"]["parameters"]["path"];
/** The path parameters of getEvse. */
export type EvsePath = operations["getEvse"]["parameters"]["path"];
