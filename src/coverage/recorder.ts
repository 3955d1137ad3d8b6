// Records what a run exercised, one request or response at a time. The item list is derived once
// per process (items.ts); a call here only walks the body it is given and bumps counters.
import { connectorUpdate } from "../../generated/validators.js";
import { escapePointer } from "../json-pointer.js";
import { CONTRACT_ITEMS, ruleId } from "./items.js";
import { summarize, type ContractCoverage } from "./model.js";

export interface CoverageRecorder {
  /** A request body that was sent (valid or not): fields and enum values sent; for an invalid body, the rules it breaks (from validateConnectorUpdate's errors). */
  request(body: unknown): void;
  /** A response: its status item; for a 2xx body, the response-value and response-field items. */
  response(status: number, body: unknown): void;
  coverage(): ContractCoverage;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** The documented status item a status falls under: its own code, else its range (`503` -> `status:5XX`). */
export function statusItemId(status: number): string | undefined {
  const exact = `status:${status}`;
  if (CONTRACT_ITEMS.ids.has(exact)) return exact;
  const range = `status:${String(status).charAt(0)}XX`;
  return CONTRACT_ITEMS.ids.has(range) ? range : undefined;
}

/** The rule items an invalid body breaks, from the compiled request validator (empty for a valid body). */
export function brokenRuleIds(body: unknown): string[] {
  if (connectorUpdate(body)) return [];
  return (connectorUpdate.errors ?? []).map((error) =>
    // Ajv reports a missing field at its parent; the rule is named by the field, as the arbitraries do.
    error.keyword === "required"
      ? ruleId("required", `${error.instancePath}/${escapePointer(String(error.params["missingProperty"]))}`)
      : ruleId(error.keyword, error.instancePath),
  );
}

/**
 * The rule item an invalid patch of the arbitraries (`InvalidPatch.breaks`) probes. They point at
 * the offending value; an unknown field breaks `additionalProperties` of the object holding it.
 */
export function ruleIdOfBrokenRule(breaks: { keyword: string; pointer: string }): string {
  const at = breaks.keyword === "additionalProperties" ? breaks.pointer.slice(0, breaks.pointer.lastIndexOf("/")) : breaks.pointer;
  return ruleId(breaks.keyword, at);
}

/** The objects at `path` (entering arrays on the way): the connectors of an EVSE, or the EVSE itself. */
function holdersAt(body: unknown, path: readonly string[]): Record<string, unknown>[] {
  let at: unknown[] = [body];
  for (const name of path) {
    at = at.flatMap((holder) => {
      if (!isObject(holder)) return [];
      const next = holder[name];
      return Array.isArray(next) ? next : [next];
    });
  }
  return at.filter(isObject);
}

export function createCoverageRecorder(): CoverageRecorder {
  const counts = new Map<string, number>();
  // Each item counts once per request or response, however many connectors showed it.
  const bump = (ids: Iterable<string>) => {
    for (const id of new Set(ids)) if (CONTRACT_ITEMS.ids.has(id)) counts.set(id, (counts.get(id) ?? 0) + 1);
  };
  return {
    request(body) {
      const seen: string[] = [];
      if (isObject(body)) {
        for (const [field, value] of Object.entries(body)) {
          if (!CONTRACT_ITEMS.requestFields.has(field)) continue;
          seen.push(`request:${field}`);
          if (typeof value === "string") seen.push(`request:${field}=${value}`);
        }
      }
      seen.push(...brokenRuleIds(body));
      bump(seen);
    },
    response(status, body) {
      const seen: string[] = [];
      const statusId = statusItemId(status);
      if (statusId) seen.push(statusId);
      if (status >= 200 && status < 300) {
        for (const probe of CONTRACT_ITEMS.valueProbes) {
          for (const holder of holdersAt(body, probe.holderPath)) {
            const value = holder[probe.field];
            // An OCPI standard the request cannot set has no item: it is seen, not counted.
            if (typeof value === "string") seen.push(`${probe.prefix}=${value}`);
          }
        }
        for (const probe of CONTRACT_ITEMS.shapeProbes) {
          for (const holder of holdersAt(body, probe.holderPath)) {
            const value = holder[probe.field];
            seen.push(`${probe.prefix}=${!Object.hasOwn(holder, probe.field) || value === undefined ? "absent" : value === null ? "null" : "present"}`);
          }
        }
      }
      bump(seen);
    },
    coverage() {
      return summarize(
        CONTRACT_ITEMS.definitions.map(({ id, kind }) => {
          const count = counts.get(id) ?? 0;
          return { id, kind, covered: count > 0, count };
        }),
      );
    },
  };
}
