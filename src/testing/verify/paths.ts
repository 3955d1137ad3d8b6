// Request paths from the contract's path template, never spelled out here.
import { UPDATE_CONNECTOR } from "../../../generated/values.js";

export interface ConnectorAddress {
  uid: number;
  connectorId: number;
}

const fill = (template: string, values: Record<string, number>) =>
  template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for path parameter ${name}`);
    return encodeURIComponent(String(value));
  });

/** `/v2/evses/123456/connectors/1`. */
export const connectorPath = (address: ConnectorAddress) => fill(UPDATE_CONNECTOR.path, { ...address });

/**
 * `/v2/evses/123456`: the EVSE the connector belongs to. `GET` on it is a sibling endpoint
 * (documented nearby, not part of this contract); verify uses it only to read the values to restore.
 */
export const evsePath = (address: ConnectorAddress) => {
  const template = UPDATE_CONNECTOR.path;
  return fill(template.slice(0, template.indexOf("{uid}") + "{uid}".length), { ...address });
};
