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

// What a call looks up, prepared once: item indexes by field, value and shape, so that recording
// builds no strings and walks a response once per group of objects (the EVSE, its connectors).
const INDEX = new Map(CONTRACT_ITEMS.definitions.map((d, i) => [d.id, i]));
const indexOf = (id: string) => INDEX.get(id);
/** Value -> item index for the items of `kind` named `${prefix}=value`. */
function valueIndexes(kind: "request-value" | "response-value", prefix: string): Map<unknown, number> {
  const values = new Map<unknown, number>();
  CONTRACT_ITEMS.definitions.forEach((d, i) => {
    if (d.kind === kind && d.id.startsWith(`${prefix}=`)) values.set(d.id.slice(prefix.length + 1), i);
  });
  return values;
}
const REQUEST_FIELDS = new Map(
  [...CONTRACT_ITEMS.requestFields].map((field) => [field, { index: indexOf(`request:${field}`), values: valueIndexes("request-value", `request:${field}`) }] as const),
);
const PROBE_GROUPS = [...new Set([...CONTRACT_ITEMS.valueProbes, ...CONTRACT_ITEMS.shapeProbes].map((p) => p.holderPath.join("/")))].map((key) => ({
  holderPath: key === "" ? [] : key.split("/"),
  values: CONTRACT_ITEMS.valueProbes
    .filter((p) => p.holderPath.join("/") === key)
    .map((p) => ({ field: p.field, values: valueIndexes("response-value", p.prefix) })),
  shapes: CONTRACT_ITEMS.shapeProbes
    .filter((p) => p.holderPath.join("/") === key)
    .map((p) => ({ field: p.field, null: indexOf(`${p.prefix}=null`), present: indexOf(`${p.prefix}=present`), absent: indexOf(`${p.prefix}=absent`) })),
}));

export function createCoverageRecorder(): CoverageRecorder {
  const counts = new Array<number>(CONTRACT_ITEMS.definitions.length).fill(0);
  // Each item counts once per request or response, however many connectors showed it: an item
  // seen in the current call carries the call's number.
  const seenIn = new Array<number>(CONTRACT_ITEMS.definitions.length).fill(0);
  let call = 0;
  const mark = (index: number | undefined) => {
    if (index === undefined || seenIn[index] === call) return;
    seenIn[index] = call;
    counts[index]! += 1;
  };
  return {
    request(body) {
      call++;
      if (isObject(body)) {
        for (const field in body) {
          const known = Object.hasOwn(body, field) ? REQUEST_FIELDS.get(field) : undefined;
          if (!known) continue;
          mark(known.index);
          mark(known.values.get(body[field]));
        }
      }
      for (const id of brokenRuleIds(body)) mark(indexOf(id));
    },
    response(status, body) {
      call++;
      const statusId = statusItemId(status);
      if (statusId) mark(indexOf(statusId));
      if (status < 200 || status >= 300) return;
      for (const group of PROBE_GROUPS) {
        for (const holder of holdersAt(body, group.holderPath)) {
          // An OCPI standard the request cannot set has no item: it is seen, not counted.
          for (const probe of group.values) mark(probe.values.get(holder[probe.field]));
          for (const probe of group.shapes) {
            const value = holder[probe.field];
            mark(!Object.hasOwn(holder, probe.field) || value === undefined ? probe.absent : value === null ? probe.null : probe.present);
          }
        }
      }
    },
    coverage() {
      return summarize(
        CONTRACT_ITEMS.definitions.map(({ id, kind }, i) => {
          const count = counts[i]!;
          return { id, kind, covered: count > 0, count };
        }),
      );
    },
  };
}
