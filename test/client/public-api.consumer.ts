// A strict consumer of the client's public API. It is only compiled, never run: the types test
// checks that it compiles and that each @ts-expect-error below marks a real error. (No vitest
// import: its types alone would double the compile time.)
import {
  ConnectorApiError,
  createConnectorClient,
  type ConnectorApiErrorKind,
  type Evse,
  type EvseStatus,
  type EvsePath,
  type FetchedEvse,
  type GetEvsePath,
  type OperationId,
  OPERATIONS,
  type UpdateConnectorPatch,
  type UpdatedEvse,
  type ConnectorUpdate,
} from "../../src/index.js";

/** Compiles only when A and B are the same type. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const same = <A, B>(proof: Equal<A, B>) => proof;

const client = createConnectorClient({ apiKey: "sk_test", timeoutMs: 5_000, retry: { maxAttempts: 2 }, validateResponses: "strict" });
const path = { uid: 123456, connectorId: 1 };

same<ReturnType<typeof client.updateConnector>, Promise<Evse>>(true);
same<UpdatedEvse, Evse>(true);
same<UpdateConnectorPatch, ConnectorUpdate>(true);
same<Evse["status"], EvseStatus>(true);
same<ConnectorApiErrorKind, "invalid-request" | "http" | "rate-limited" | "timeout" | "aborted" | "network" | "invalid-response">(true);
void client.updateConnector(path, { standard: "IEC_62196_T2", format: "CABLE", maxAmperage: 32 }, { signal: AbortSignal.timeout(1_000), headers: { Prefer: "code=404" } });
createConnectorClient({ apiKey: process.env.SPIRII_API_KEY, retry: false, onEvent: (event) => void event.type });
same<ReturnType<typeof client.getEvse>, Promise<Evse>>(true);
same<FetchedEvse, Evse>(true);
same<GetEvsePath, EvsePath>(true);
same<GetEvsePath, { uid: number }>(true);
same<OperationId, "updateConnector" | "getEvse" | "listEvses" | "changeConnectorAvailability" | "unlockConnector" | "remoteStopTransaction">(true);
same<(typeof OPERATIONS)["getEvse"]["effect"], "read-only">(true);
same<(typeof OPERATIONS)["updateConnector"]["idempotent"], true>(true);
void client.getEvse({ uid: 123456 }, { signal: AbortSignal.timeout(1_000), headers: { Prefer: "code=404" }, deadlineMs: 5_000 });
void client.getEvse({ uid: 123456 }, null);

// @ts-expect-error the type-equality helper can fail (a wrong claim does not compile)
same<UpdatedEvse, ConnectorUpdate>(true);
// @ts-expect-error a standard outside the request enum (TESLA_S appears only in responses)
void client.updateConnector(path, { standard: "TESLA_S" });
// @ts-expect-error a connector format that does not exist
void client.updateConnector(path, { format: "PLUG" });
// @ts-expect-error a number given as a string
void client.updateConnector(path, { maxVoltage: "400" });
// @ts-expect-error an unknown property (a typo of maxElectricPower)
void client.updateConnector(path, { maxPower: 22 });
// @ts-expect-error an id given as a string
void client.updateConnector({ uid: "123456", connectorId: 1 }, { maxVoltage: 400 });
// @ts-expect-error a missing path parameter
void client.updateConnector({ uid: 123456 }, { maxVoltage: 400 });
// @ts-expect-error the options need an apiKey
createConnectorClient({ baseUrl: "https://api.spirii.com" });
// @ts-expect-error an unknown validation mode
createConnectorClient({ apiKey: "sk_test", validateResponses: "loud" });
// @ts-expect-error retry takes options or false, not true
createConnectorClient({ apiKey: "sk_test", retry: true });
// @ts-expect-error getEvse takes the EVSE's uid, not a connector's path
void client.getEvse({ uid: 123456, connectorId: 1 });
// @ts-expect-error getEvse takes no body
void client.getEvse({ uid: 123456 }, { maxVoltage: 400 });
// @ts-expect-error a uid given as a string
void client.getEvse({ uid: "123456" });
// @ts-expect-error raw is typed with the contract's paths: there is no such path
void client.raw.PATCH("/v2/evses/{uid}", { params: { path: { uid: 1 } }, body: {} });
// @ts-expect-error raw's body is the contract's ConnectorUpdate
void client.raw.PATCH("/v2/evses/{uid}/connectors/{connectorId}", { params: { path }, body: { maxVoltage: "400" } });

export function describeFailure(error: unknown): string {
  if (!(error instanceof ConnectorApiError)) return "not ours";
  switch (error.kind) {
    case "invalid-request":
      same<(typeof error.issues)[number]["in"], "path" | "query" | "body" | "options">(true);
      same<typeof error.operationId, string | undefined>(true);
      return error.issues.map((issue) => issue.path).join();
    case "http":
      same<typeof error.status, number>(true);
      return `${error.status} ${error.code ?? ""} ${error.requestId ?? ""}`;
    case "rate-limited":
      same<typeof error.retryAfterMs, number | undefined>(true);
      return String(error.rateLimit.remaining);
    case "timeout":
      return String(error.timeoutMs);
    case "aborted":
    case "network":
      return error.message;
    case "invalid-response":
      return error.problem;
    default: {
      const unreachable: never = error;
      return unreachable;
    }
  }
}

export function withoutNarrowing(error: ConnectorApiError): unknown {
  // @ts-expect-error status exists only once `kind` says there was a response
  return error.status;
}
