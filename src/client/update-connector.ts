// updateConnector: a facade over the client's one call path (operation.ts), typed from the contract.
import type { operations } from "../../generated/types.js";
import type { RequestIssue } from "./errors.js";
import { checkRequest, type OperationOptions, type SendOperation } from "./operation.js";
import type { UpdatedEvse } from "./response.js";
import type { CallOptions } from "./transport.js";

type Operation = operations["updateConnector"];
/** `{ uid, connectorId }`: which connector to update. */
export type UpdateConnectorPath = Operation["parameters"]["path"];
/** The fields to change (at least one). */
export type UpdateConnectorPatch = Operation["requestBody"]["content"]["application/json"];
/** The options of updateConnector (as of every named method). */
export type UpdateConnectorOptions = OperationOptions;

export type UpdateConnector = (
  path: UpdateConnectorPath,
  patch: UpdateConnectorPatch,
  /** `null` and `undefined` mean no options. */
  options?: UpdateConnectorOptions | null,
) => Promise<UpdatedEvse>;

/** The problems with one update's path ids and patch (both must follow the contract). */
export function checkUpdate(path: unknown, patch: unknown): RequestIssue[] {
  return checkRequest("updateConnector", { path, body: patch });
}

/** updateConnector with the transport's extra call settings (updateConnectors leaves 429s to its queue). */
export type SendUpdate = (path: UpdateConnectorPath, patch: UpdateConnectorPatch, options: UpdateConnectorOptions | null | undefined, call?: CallOptions) => Promise<UpdatedEvse>;

export function createUpdateConnector(send: SendOperation): SendUpdate {
  return (path, patch, options, call) => send("updateConnector", { path, body: patch }, options, call) as Promise<UpdatedEvse>;
}

export type { UpdatedEvse };
