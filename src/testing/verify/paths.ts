// Request paths from the contract's path template, never spelled out here.
import { GET_EVSE, UPDATE_CONNECTOR } from "../../../generated/operations.js";
import { compilePath } from "../../path-template.js";

export interface ConnectorAddress {
  uid: number;
  connectorId: number;
}

/** `/v2/evses/123456/connectors/1`. */
export const connectorPath: (address: ConnectorAddress) => string = compilePath(UPDATE_CONNECTOR.path);

/** `/v2/evses/{uid}`: the path of getEvse, which verify reads to learn the values to restore. */
export const EVSE_PATH_TEMPLATE = GET_EVSE.path;

/** `/v2/evses/123456`. */
export const evsePath: (address: ConnectorAddress) => string = compilePath(EVSE_PATH_TEMPLATE);
