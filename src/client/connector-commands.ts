// The connector commands: changeConnectorAvailability, unlockConnector and remoteStopTransaction,
// facades over the client's one call path (operation.ts), typed from the contract. The EVSE answers
// each in a 200 body whose `status` may be a refusal (`Rejected`, `UnlockFailed`, `NotSupported`):
// that is an answer, returned, not thrown, and its type (the contract's open status enum) leaves the
// caller to check it. Whether a command may be sent again after an ambiguous failure is the
// operation's `x-idempotent`, which the transport reads: unlock and remote stop never are.
import type { components, operations } from "../../generated/types.js";
import { invalidRequest, type OperationConfig, type OperationOptions, type SendOperation } from "./operation.js";

/** `{ uid, connectorId }`: which connector the command is for. */
export type ConnectorCommandPath = operations["changeConnectorAvailability"]["parameters"]["path"];
/** The options of every command (as of every named method). */
export type ConnectorCommandOptions = OperationOptions;

/** `{ type: "Inoperative" | "Operative" }`. */
export type AvailabilityChange = components["schemas"]["AvailabilityChange"];
/** `{ status, description }`; `status` other than `Accepted` means the change is not (yet) made. */
export type AvailabilityChangeResult = components["schemas"]["AvailabilityChangeResult"];
/** `{ status, error? }`; `status` other than `Unlocked` means the connector was not unlocked. */
export type UnlockResult = components["schemas"]["UnlockResult"];
/** `{ transactionId }`: the transaction to stop. */
export type RemoteStop = components["schemas"]["RemoteStop"];
/** `{ status }`; `status` other than `Accepted` means the EVSE will not stop the session. */
export type RemoteStopResult = components["schemas"]["RemoteStopResult"];

export type ChangeConnectorAvailability = (path: ConnectorCommandPath, change: AvailabilityChange, options?: ConnectorCommandOptions | null) => Promise<AvailabilityChangeResult>;
export type UnlockConnector = (path: ConnectorCommandPath, options?: ConnectorCommandOptions | null) => Promise<UnlockResult>;
export type RemoteStopTransaction = (path: ConnectorCommandPath, stop: RemoteStop, options?: ConnectorCommandOptions | null) => Promise<RemoteStopResult>;

export interface ConnectorCommands {
  changeConnectorAvailability: ChangeConnectorAvailability;
  unlockConnector: UnlockConnector;
  remoteStopTransaction: RemoteStopTransaction;
}

export function createConnectorCommands(send: SendOperation, config: Pick<OperationConfig, "baseUrl" | "redact">): ConnectorCommands {
  return {
    changeConnectorAvailability: (path, change, options) => send("changeConnectorAvailability", { path, body: change }, options) as Promise<AvailabilityChangeResult>,
    // unlock takes no body (the contract has none). A caller who passes one, as the other commands
    // take, is told so before anything is sent: an unlock is physical and must not go out half-meant.
    unlockConnector(path, options, ...rest: unknown[]) {
      if (rest.some((value) => value !== undefined)) {
        return Promise.reject(
          invalidRequest(config, "unlockConnector", path, [
            { in: "body", path: "", keyword: "false schema", message: "unlockConnector takes no body: call unlockConnector(path, options)" },
          ]),
        );
      }
      return send("unlockConnector", { path }, options) as Promise<UnlockResult>;
    },
    remoteStopTransaction: (path, stop, options) => send("remoteStopTransaction", { path, body: stop }, options) as Promise<RemoteStopResult>,
  };
}
