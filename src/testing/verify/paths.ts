// Request paths from the contract's path template, never spelled out here.
import { UPDATE_CONNECTOR } from "../../../generated/values.js";
import { compilePath } from "../../path-template.js";

export interface ConnectorAddress {
  uid: number;
  connectorId: number;
}

/** `/v2/evses/123456/connectors/1`. */
export const connectorPath: (address: ConnectorAddress) => string = compilePath(UPDATE_CONNECTOR.path);

/**
 * `/v2/evses/{uid}`: the EVSE the connector belongs to. `GET` on it is a sibling endpoint
 * (documented nearby, not part of this contract); verify reads it to learn the values to restore,
 * and the fake API serves it.
 */
export const EVSE_PATH_TEMPLATE = UPDATE_CONNECTOR.path.slice(0, UPDATE_CONNECTOR.path.indexOf("{uid}") + "{uid}".length);

/** `/v2/evses/123456`. */
export const evsePath: (address: ConnectorAddress) => string = compilePath(EVSE_PATH_TEMPLATE);
