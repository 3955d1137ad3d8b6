// Knowledge the reference page carries beyond shapes: the OCPP -> OCPI status table and the
// format of `deletedAt`. The table itself lives in the contract (EvseStatus.x-ocpp-status-mapping).
import { OCPP_TO_OCPI_STATUS } from "../generated/values.js";
import type { EvseStatus } from "./contract.js";

/** An OCPP 1.6 connector status that the reference page maps to an OCPI status. */
export type OcppStatus = keyof typeof OCPP_TO_OCPI_STATUS;

/** The OCPP statuses of the page's table, in its order. */
export const OCPP_STATUSES = Object.keys(OCPP_TO_OCPI_STATUS) as readonly OcppStatus[];

/**
 * Maps an OCPP 1.6 connector status to the OCPI status this API reports, by the reference page's
 * table. PLANNED, REMOVED and UNKNOWN have no OCPP counterpart, so no input yields them; an
 * unknown status throws instead of silently becoming UNKNOWN.
 */
export function ocppToOcpiStatus(ocppStatus: OcppStatus): EvseStatus;
export function ocppToOcpiStatus(ocppStatus: string): EvseStatus;
export function ocppToOcpiStatus(ocppStatus: string): EvseStatus {
  if (Object.hasOwn(OCPP_TO_OCPI_STATUS, ocppStatus)) return OCPP_TO_OCPI_STATUS[ocppStatus as OcppStatus];
  throw new TypeError(
    `ocppToOcpiStatus: ${JSON.stringify(ocppStatus)} is not an OCPP 1.6 connector status; expected one of ${OCPP_STATUSES.join(", ")} (case-sensitive).`,
  );
}

const DELETED_AT = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/**
 * Parses a connector's `deletedAt` as the reference page writes it: `YYYY-MM-DD HH:MM:SS`, with a
 * space and no zone (`2025-01-27 09:38:41`). The zone is not published; it is read as UTC
 * (inferred). `null` and `undefined` (a live connector) give `null`. Anything else throws, naming
 * the value and the expected format.
 */
export function parseDeletedAt(value: string | null | undefined): Date | null {
  if (value === null || value === undefined) return null;
  const m = DELETED_AT.exec(value);
  if (m) {
    const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [number, number, number, number, number, number];
    const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
    // Date.UTC rolls 2025-02-30 over to March; a real timestamp never needs that.
    if (
      date.getUTCFullYear() === year &&
      date.getUTCMonth() === month - 1 &&
      date.getUTCDate() === day &&
      hour < 24 &&
      minute < 60 &&
      second < 60
    ) {
      return date;
    }
  }
  throw new RangeError(
    `parseDeletedAt: ${JSON.stringify(value)} is not a timestamp in the API's format YYYY-MM-DD HH:MM:SS (for example "2025-01-27 09:38:41").`,
  );
}
