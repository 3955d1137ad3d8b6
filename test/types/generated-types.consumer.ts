// A strict consumer of the generated types. It is compiled by generated-types.test.ts; each
// `@ts-expect-error` line must really be an error, or the compile fails ("unused directive").
import type { components, ConnectorUpdate, Evse, EvseStatus, operations, paths } from "../../src/index.js";
import { CONNECTOR_UPDATE_STANDARDS, EVSE_STATUSES } from "../../src/index.js";

export const patch: ConnectorUpdate = { standard: "CHADEMO", format: "SOCKET", maxElectricPower: 22, maxAmperage: 32, maxVoltage: 400 };
export const partial: ConnectorUpdate = { maxVoltage: 230 };

// @ts-expect-error a connector standard outside the request enum
export const wrongEnum: ConnectorUpdate = { standard: "TESLA_S" };
// @ts-expect-error a number sent as a string
export const stringNumber: ConnectorUpdate = { maxElectricPower: "22" };
// @ts-expect-error an unknown property (the request body is closed)
export const unknownProperty: ConnectorUpdate = { maxPower: 22 };
// @ts-expect-error a format in the wrong case
export const wrongFormat: ConnectorUpdate = { format: "socket" };

type Body = NonNullable<paths["/v2/evses/{uid}/connectors/{connectorId}"]["patch"]["requestBody"]>["content"]["application/json"];
export const viaPaths: Body = patch;
type Ok = operations["updateConnector"]["responses"][200]["content"]["application/json"];
export const ok: Ok = {} as Evse;
type PathIds = operations["updateConnector"]["parameters"]["path"];
export const ids: PathIds = { uid: 123456, connectorId: 1 };
// @ts-expect-error path ids are numbers
export const stringIds: PathIds = { uid: "123456", connectorId: 1 };

export function describeStatus(evse: Evse): string {
  // Every field the page marks required is non-optional in the type.
  const { uid, evseId, chargeboxId, status, connectors } = evse;
  const first = connectors[0]; // noUncheckedIndexedAccess: possibly undefined
  // @ts-expect-error first may be undefined
  first.standard;
  return `${uid} ${evseId} ${chargeboxId} ${status} ${first?.standard ?? "none"} ${first?.deletedAt ?? "live"}`;
}

export const status: EvseStatus = "CHARGING";
// Response enums are open (Spirii's versioning policy: new values are non-breaking): a value added
// after this release is an EvseStatus too. ("Charging" type-checks for the same reason; the client
// and verify report it as a contract violation at run time.)
export const newStatus: EvseStatus = "PARKED";
export const newStandard: Evse["connectors"][number]["standard"] = "CCS3";

/** A consumer's switch over the known statuses, with the fallback the versioning policy asks for. */
export function label(evseStatus: EvseStatus): string {
  switch (evseStatus) {
    case "AVAILABLE":
    case "RESERVED":
      return "free";
    case "CHARGING":
    case "BLOCKED":
      return "in use";
    case "INOPERATIVE":
    case "OUTOFORDER":
    case "PLANNED":
    case "REMOVED":
    case "UNKNOWN":
      return "unavailable";
    default:
      return "unavailable"; // a status added after this release
  }
}

// @ts-expect-error every known status handled but no default: an unknown status falls through, so not every path returns
export function labelWithoutDefault(evseStatus: EvseStatus): string {
  switch (evseStatus) {
    case "AVAILABLE":
    case "RESERVED":
      return "free";
    case "CHARGING":
    case "BLOCKED":
      return "in use";
    case "INOPERATIVE":
    case "OUTOFORDER":
    case "PLANNED":
    case "REMOVED":
    case "UNKNOWN":
      return "unavailable";
  }
}

export function assertKnown(evseStatus: EvseStatus): void {
  if ((EVSE_STATUSES as readonly string[]).includes(evseStatus)) return;
  // @ts-expect-error an open enum is never exhausted: the `never` check of a closed union fails
  const exhausted: never = evseStatus;
  void exhausted;
}

// Request enums stay closed.
// @ts-expect-error a format outside the request enum
export const newFormat: ConnectorUpdate = { format: "PANTOGRAPH" };

// The runtime tuples are typed as their literal unions.
export const firstStandard: "CHADEMO" = CONNECTOR_UPDATE_STANDARDS[0];
export const statuses: readonly components["schemas"]["EvseStatus"][] = EVSE_STATUSES;
// @ts-expect-error the tuples are readonly
EVSE_STATUSES.push("UNKNOWN");
