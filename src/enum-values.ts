// Values of open (response) enums that are not among the known ones, found and classified in one
// place for the client, verify and anyone reading a response. Spirii's versioning policy makes a new
// enum value a non-breaking, minor change and asks clients to fall back on unknown values, so a
// new value is `unknown`: fine, worth a notice. Two look-alikes are provider bugs, not new values:
// a known value in another casing (`"charging"`) and an OCPP 1.6 status where the OCPI one belongs
// (`"Charging"`, by the contract's x-ocpp-status-mapping). Everything is read from generated/values.ts
// (the contract's open enums and where each schema carries them) and generated/operations.ts (which
// schema each response is); the lookups are built once, so a call only walks the fields that hold an
// open enum.
import { OPERATIONS } from "../generated/operations.js";
import { OPEN_ENUM_FIELDS, OPEN_ENUMS } from "../generated/values.js";
import { pointerFrom } from "./json-pointer.js";
import { allowed } from "./allowed-values.js";
import { documentedStatusKey } from "./documented-status.js";

/** An issue as src/validation.ts words them (its ContractIssue; restated, since validation.ts imports this module). */
export interface EnumIssue {
  path: string;
  keyword: "enum";
  message: string;
}

/** An open enum of the contract (a response enum), e.g. "EvseStatus". */
export type OpenEnumName = keyof typeof OPEN_ENUMS;
/** A component schema that carries at least one open enum, e.g. "Evse". */
export type SchemaWithOpenEnums = keyof typeof OPEN_ENUM_FIELDS;

/**
 * `unknown`: a value the contract does not know yet (forward-compatible: a notice, never a violation).
 * `other-casing`: a known value in another casing (a provider bug: values are case-sensitive).
 * `ocpp-status`: an OCPP 1.6 status where the OCPI status belongs (a provider bug).
 */
export type UnlistedValueKind = "unknown" | "other-casing" | "ocpp-status";

export interface UnlistedEnumValue {
  /** JSON Pointer (RFC 6901) into the body, e.g. `/connectors/0/standard`. */
  path: string;
  /** The value as it arrived (outside data: redact before showing it). */
  value: string;
  /** The contract's enum the field holds. */
  enum: OpenEnumName;
  /** Its known values, in the contract's order. */
  known: readonly string[];
  kind: UnlistedValueKind;
  /** The known value the provider meant (`other-casing`, `ocpp-status`): `CHARGING` for `"Charging"`. */
  meant?: string;
}

/** Where a body sits in the contract: a component schema name, or an operation's documented response. */
export type ResponseLocation = SchemaWithOpenEnums | (string & {}) | { operationId: string; status: number | string };

interface EnumLookup {
  name: OpenEnumName;
  known: readonly string[];
  listed: ReadonlySet<string>;
  /** Lower-cased known value -> the known value. */
  byLowerCase: ReadonlyMap<string, string>;
  /** OCPP status -> the OCPI value. */
  ocpp: ReadonlyMap<string, string>;
  /** Lower-cased OCPP status -> the OCPI value. */
  ocppByLowerCase: ReadonlyMap<string, string>;
}

type Segment = string | null;

const lookups = new Map<string, EnumLookup>();
for (const [name, spec] of Object.entries(OPEN_ENUMS) as [OpenEnumName, { known: readonly string[]; ocppMapping?: Readonly<Record<string, string>> }][]) {
  const mapping = Object.entries(spec.ocppMapping ?? {});
  lookups.set(name, {
    name,
    known: spec.known,
    listed: new Set(spec.known),
    byLowerCase: new Map(spec.known.map((v) => [v.toLowerCase(), v])),
    ocpp: new Map(mapping),
    ocppByLowerCase: new Map(mapping.map(([status, ocpi]) => [status.toLowerCase(), ocpi])),
  });
}

const sitesBySchema = new Map<string, readonly { path: readonly Segment[]; lookup: EnumLookup }[]>(
  Object.entries(OPEN_ENUM_FIELDS).map(([schema, sites]) => [
    schema,
    (sites as readonly { path: readonly Segment[]; enum: string }[]).map((site) => ({ path: site.path, lookup: lookups.get(site.enum)! })),
  ]),
);

/** The schema a documented response body is (the status matched as src/documented-status.ts does). */
function schemaAt(where: ResponseLocation): string | undefined {
  if (typeof where === "string") return where;
  const operation = Object.hasOwn(OPERATIONS, where.operationId) ? OPERATIONS[where.operationId as keyof typeof OPERATIONS] : undefined;
  if (!operation) throw new TypeError(`unlistedEnumValues: the contract has no operation "${where.operationId}"; known: ${Object.keys(OPERATIONS).join(", ")}`);
  const responses: Readonly<Record<string, { readonly schema: string | null }>> = operation.responses;
  const key = documentedStatusKey(where.status, Object.keys(responses));
  return key === undefined ? undefined : (responses[key]?.schema ?? undefined);
}

/** Classifies a string that is not a known value of `lookup`. */
function classify(value: string, lookup: EnumLookup): { kind: UnlistedValueKind; meant?: string } {
  const lower = value.toLowerCase();
  // OCPP's own spelling first: "Charging" is CHARGING in another casing too, but the OCPP hint says why
  // (and "Preparing" maps to CHARGING without resembling it). Then a known value in another casing
  // ("charging"); then an OCPP status in another casing ("FAULTED").
  const ocpi = lookup.ocpp.get(value);
  if (ocpi !== undefined) return { kind: "ocpp-status", meant: ocpi };
  const cased = lookup.byLowerCase.get(lower);
  if (cased !== undefined) return { kind: "other-casing", meant: cased };
  const ocpiAnyCase = lookup.ocppByLowerCase.get(lower);
  return ocpiAnyCase === undefined ? { kind: "unknown" } : { kind: "ocpp-status", meant: ocpiAnyCase };
}

/**
 * Walks one site's path from `node`. `at` is a stack of the keys taken, shared and restored, so that
 * a body whose values are all known (the usual case, on the client's hot path) allocates nothing.
 */
function visit(node: unknown, path: readonly Segment[], depth: number, at: (string | number)[], lookup: EnumLookup, out: UnlistedEnumValue[]): void {
  if (depth === path.length) {
    if (typeof node !== "string" || lookup.listed.has(node)) return; // a non-string is the validators' business
    out.push({ path: pointerFrom(at), value: node, enum: lookup.name, known: lookup.known, ...classify(node, lookup) });
    return;
  }
  const head = path[depth] as Segment;
  if (head === null) {
    if (!Array.isArray(node)) return;
    for (let i = 0; i < node.length; i++) {
      at.push(i);
      visit(node[i], path, depth + 1, at, lookup, out);
      at.pop();
    }
  } else if (node !== null && typeof node === "object" && !Array.isArray(node) && Object.hasOwn(node, head)) {
    at.push(head);
    visit((node as Record<string, unknown>)[head], path, depth + 1, at, lookup, out);
    at.pop();
  }
}

/**
 * Every value of an open enum in `body` that is not a known value, in the order of the contract's
 * fields, each with its pointer and classification. `where` is the body's schema ("Evse") or an
 * operation's response (`{ operationId: "updateConnector", status: 200 }`); a schema or response
 * without open enums gives `[]`, an operation the contract lacks throws. Values of the wrong type and
 * missing fields are left to the validators.
 */
export function unlistedEnumValues(body: unknown, where: ResponseLocation): UnlistedEnumValue[] {
  const schema = schemaAt(where);
  const sites = schema === undefined ? undefined : sitesBySchema.get(schema);
  if (!sites) return [];
  const out: UnlistedEnumValue[] = [];
  const at: (string | number)[] = [];
  for (const site of sites) visit(body, site.path, 0, at, site.lookup, out);
  return out;
}

/** True for a provider bug (`other-casing`, `ocpp-status`); false for a new value (`unknown`). */
export const isEnumViolation = (found: UnlistedEnumValue): boolean => found.kind !== "unknown";

/**
 * A look-alike as a contract issue (keyword `enum`), worded like the validators' own, with what the
 * provider meant: `must be one of "AVAILABLE", ..., got "Charging". "Charging" is an OCPP 1.6 connector
 * status, ... "Charging" -> "CHARGING"`, or `must be one of ... ("CHARGING" in another casing: ...), got "charging"`.
 * The message quotes the value: redact it as you would any issue.
 */
export function enumViolationIssue(found: UnlistedEnumValue): EnumIssue {
  const got = `, got ${JSON.stringify(found.value)}`;
  const listed = `must be one of ${allowed(found.known)}`;
  if (found.kind === "ocpp-status") {
    // Worded as verify has always worded it (after ", got ", which verify rewrites from its redacted copy).
    const hint =
      `. ${JSON.stringify(found.value)} is an OCPP 1.6 connector status, not the OCPI status this API reports: the likeliest provider bug. ` +
      `Map it with ocppToOcpiStatus (spirii-connector-contract), from the table in the contract's ${found.enum}: ${JSON.stringify(found.value)} -> ${JSON.stringify(found.meant)}`;
    return { path: found.path, keyword: "enum", message: `${listed}${got}${hint}` };
  }
  if (found.kind === "other-casing") {
    return { path: found.path, keyword: "enum", message: `${listed} (${JSON.stringify(found.meant)} in another casing: the values are case-sensitive)${got}` };
  }
  return { path: found.path, keyword: "enum", message: `${listed}${got} (a value added after this contract's release is not a violation)` };
}

/**
 * The open enums a schema carries, with their known values: for listing response values per field
 * (coverage). `path` holds property names from the schema's root; `null` enters every array element.
 */
export function openEnumFields(schema: string): readonly { path: readonly (string | null)[]; enum: OpenEnumName; known: readonly string[] }[] {
  return (sitesBySchema.get(schema) ?? []).map((site) => ({ path: site.path, enum: site.lookup.name, known: site.lookup.known }));
}

/**
 * The open-enum verdict on a body, in one call: the values to tell as notices (`unknown`: new values,
 * forward-compatible) and the contract issues to add to the validators' (look-alikes of a known value).
 * The client and verify both judge response enums through this.
 */
export function judgeEnumValues(body: unknown, where: ResponseLocation): { unknown: UnlistedEnumValue[]; violations: EnumIssue[] } {
  const unknown: UnlistedEnumValue[] = [];
  const violations: EnumIssue[] = [];
  for (const found of unlistedEnumValues(body, where)) {
    if (isEnumViolation(found)) violations.push(enumViolationIssue(found));
    else unknown.push(found);
  }
  return { unknown, violations };
}
