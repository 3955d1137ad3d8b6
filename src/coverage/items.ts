// The coverage items of the contract, derived once from the bundled contract: its documented
// statuses, the request schema (fields, enum values, rules) and the success body's enum values and
// optional-field shapes. Nothing is listed by hand, so a contract that gains a status, a field or
// a rule gains its items on the next generation.
import { UPDATE_CONNECTOR } from "../../generated/values.js";
import { enumValues } from "../enum-schema.js";
import { escapePointer } from "../json-pointer.js";
import { deref, requestBody, updateConnectorOperation, type SchemaNode } from "../testing/contract-document.js";
import { patchRules, type PatchRules } from "../testing/patch-model.js";

export type CoverageKind = "status" | "request-field" | "request-value" | "rule" | "response-value" | "response-field";

/** The order kinds are listed in: what was answered, what was sent, what was seen. */
export const COVERAGE_KINDS: readonly CoverageKind[] = ["status", "request-field", "request-value", "rule", "response-value", "response-field"];

export interface ItemDefinition {
  id: string;
  kind: CoverageKind;
}

/** A field of a success body whose shapes (null, present, absent) are items; `path` leads to its holders. */
export interface ShapeProbe {
  /** Property names from the body to the objects that hold the field; arrays on the way are entered. */
  holderPath: readonly string[];
  field: string;
  /** The item id prefix, `response:connectors/error`. */
  prefix: string;
}

/** An enum-valued field of a success body; a value is an item only if listed (`response:status=AVAILABLE`). */
export interface ValueProbe {
  holderPath: readonly string[];
  field: string;
  prefix: string;
}

export interface ContractItems {
  definitions: readonly ItemDefinition[];
  ids: ReadonlySet<string>;
  requestFields: ReadonlySet<string>;
  valueProbes: readonly ValueProbe[];
  shapeProbes: readonly ShapeProbe[];
}

/** `/` for the body itself, `/standard` for a field: how rule ids name where a rule applies. */
export const rulePointer = (instancePath: string): string => instancePath || "/";

export const ruleId = (keyword: string, instancePath: string): string => `rule:${keyword} ${rulePointer(instancePath)}`;

/** The rules of the request schema, as ids, in the schema's order (the body's rules first). */
function ruleIds(rules: PatchRules): string[] {
  const ids = [ruleId("type", "")];
  if (rules.minProperties > 0) ids.push(ruleId("minProperties", ""));
  if (rules.maxProperties !== undefined) ids.push(ruleId("maxProperties", ""));
  if (rules.closed) ids.push(ruleId("additionalProperties", ""));
  for (const name of rules.required) ids.push(ruleId("required", `/${escapePointer(name)}`));
  for (const field of rules.fields) {
    const at = `/${escapePointer(field.name)}`;
    ids.push(ruleId("type", at));
    if (field.enum) ids.push(ruleId("enum", at));
    if (field.lower) ids.push(ruleId(field.lower.keyword, at));
    if (field.upper) ids.push(ruleId(field.upper.keyword, at));
  }
  return ids;
}

const allowsNull = (node: SchemaNode): boolean => {
  const type = node["type"];
  if (type === "null" || (Array.isArray(type) && type.includes("null"))) return true;
  const anyOf = node["anyOf"] ?? node["oneOf"];
  return Array.isArray(anyOf) && anyOf.some((branch) => allowsNull(deref(branch)));
};

/**
 * Walks a success body schema through its properties and array items. An enum field gives value
 * items; where the request may set the same field, only the values a request may set (the seven
 * published standards, not the 42 OCPI ones a response may carry, which would drown the rest). An
 * optional field gives `=null` (when the contract allows it), `=present` and `=absent`.
 */
function walkResponse(
  schema: SchemaNode,
  holderPath: readonly string[],
  requestEnums: ReadonlyMap<string, readonly unknown[]>,
  out: { definitions: ItemDefinition[]; values: ValueProbe[]; shapes: ShapeProbe[] },
): void {
  const properties = (schema["properties"] ?? {}) as Record<string, unknown>;
  const required = new Set((schema["required"] ?? []) as string[]);
  for (const [field, raw] of Object.entries(properties)) {
    const node = deref(raw);
    const prefix = `response:${[...holderPath, field].join("/")}`;
    // A response enum is open: its known values are the items (src/enum-schema.ts reads either form).
    const listed = enumValues(node);
    const values = requestEnums.get(field) ?? listed;
    if (listed && values) {
      out.values.push({ holderPath, field, prefix });
      for (const value of values) out.definitions.push({ id: `${prefix}=${String(value)}`, kind: "response-value" });
    }
    if (!required.has(field)) {
      out.shapes.push({ holderPath, field, prefix });
      if (allowsNull(node)) out.definitions.push({ id: `${prefix}=null`, kind: "response-field" });
      out.definitions.push({ id: `${prefix}=present`, kind: "response-field" }, { id: `${prefix}=absent`, kind: "response-field" });
    }
    const element = node["type"] === "array" && node["items"] !== undefined ? deref(node["items"]) : node;
    if (element["type"] === "object" && element["properties"]) walkResponse(element, [...holderPath, field], requestEnums, out);
  }
}

function successSchemas(): SchemaNode[] {
  const responses = updateConnectorOperation()["responses"] as Record<string, unknown>;
  return UPDATE_CONNECTOR.documentedStatuses
    .filter((key) => key.startsWith("2"))
    .flatMap((key) => Object.values((deref(responses[key])["content"] ?? {}) as Record<string, SchemaNode>))
    .flatMap((content) => (content["schema"] === undefined ? [] : [deref(content["schema"])]));
}

/** Derives every item of the contract, in a stable order: by kind, then the contract's own order. */
export function deriveContractItems(): ContractItems {
  const definitions: ItemDefinition[] = UPDATE_CONNECTOR.documentedStatuses.map((key) => ({ id: `status:${key}`, kind: "status" }));
  const rules = patchRules(requestBody().schema);
  for (const field of rules.fields) definitions.push({ id: `request:${field.name}`, kind: "request-field" });
  for (const field of rules.fields) {
    for (const value of field.enum ?? []) definitions.push({ id: `request:${field.name}=${String(value)}`, kind: "request-value" });
  }
  for (const id of ruleIds(rules)) definitions.push({ id, kind: "rule" });

  const requestEnums = new Map(rules.fields.flatMap((f) => (f.enum ? [[f.name, f.enum] as const] : [])));
  const response = { definitions: [] as ItemDefinition[], values: [] as ValueProbe[], shapes: [] as ShapeProbe[] };
  for (const schema of successSchemas()) walkResponse(schema, [], requestEnums, response);
  // Values before shapes, so that each kind stays together in the listing.
  definitions.push(...response.definitions.filter((d) => d.kind === "response-value"));
  definitions.push(...response.definitions.filter((d) => d.kind === "response-field"));

  const unique = definitions.filter((d, i) => definitions.findIndex((other) => other.id === d.id) === i);
  return {
    definitions: unique,
    ids: new Set(unique.map((d) => d.id)),
    requestFields: new Set(rules.fields.map((f) => f.name)),
    valueProbes: response.values,
    shapeProbes: response.shapes,
  };
}

/** The contract's items, derived once per process. */
export const CONTRACT_ITEMS: ContractItems = deriveContractItems();
