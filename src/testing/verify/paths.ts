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
 * `/v2/evses/123456`: the EVSE the connector belongs to. `GET` on it is a sibling endpoint
 * (documented nearby, not part of this contract); verify uses it only to read the values to restore.
 */
export const evsePath: (address: ConnectorAddress) => string = compilePath(
  UPDATE_CONNECTOR.path.slice(0, UPDATE_CONNECTOR.path.indexOf("{uid}") + "{uid}".length),
);
