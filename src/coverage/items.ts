// The coverage items of the contract, derived per operation from the bundled contract: each
// operation's documented statuses, its request schema (fields, enum values, rules) and its success
// bodies' enum values and optional-field shapes. Every operation in the contract is walked and
// nothing is listed by hand, so an operation, status, field or rule added to spec/ gains its items
// on the next generation. An item's id names its operation: `updateConnector status:429`.
import { derefLocal } from "../contract-refs.js";
import { closedEnumValues, enumValues } from "../enum-schema.js";
import { escapePointer } from "../json-pointer.js";
import { compileOperationMatcher } from "../path-template.js";
import { contractDocument, type SchemaNode } from "../testing/contract-document.js";

export type CoverageKind = "status" | "request-field" | "request-value" | "rule" | "response-value" | "response-field";

/** The order kinds are listed in: what was answered, what was sent, what was seen. */
export const COVERAGE_KINDS: readonly CoverageKind[] = ["status", "request-field", "request-value", "rule", "response-value", "response-field"];

export interface ItemDefinition {
  /** `${operation} ${local}`: `updateConnector status:429`. */
  id: string;
  /** The operationId the item belongs to. */
  operation: string;
  kind: CoverageKind;
}

/** A field whose presence (request) or shape (response) is an item; `holderPath` leads to the objects holding it. */
export interface FieldProbe {
  /** Property names from the body to the objects that hold the field; arrays on the way are entered. */
  holderPath: readonly string[];
  field: string;
  /** The item id prefix: `updateConnector request:standard`, `getEvse response:200 connectors/error`. */
  prefix: string;
  /** The item ids of its values: value -> id (`${prefix}=${value}`); empty for a field without known values. */
  values: ReadonlyMap<unknown, string>;
}

/** What one documented success status's body gives: value items and shape items. */
export interface ResponseItems {
  /** The response key: `200`, `2XX`. */
  key: string;
  valueProbes: readonly FieldProbe[];
  /** Optional fields: `=null` (when allowed), `=present`, `=absent`. */
  shapeProbes: readonly FieldProbe[];
}

export interface OperationItems {
  operationId: string;
  /** Upper case, as sent: `PATCH`. */
  method: string;
  /** The path template: `/v2/evses/{uid}`. */
  path: string;
  /** The documented response keys, in the contract's order (`200`, `4XX`, `default`). */
  statusKeys: readonly string[];
  /** The JSON request body's schema, dereferenced, when the operation takes one. */
  requestSchema: SchemaNode | undefined;
  /** Every request field (at any depth), with its enum values. */
  requestFields: readonly FieldProbe[];
  responses: readonly ResponseItems[];
  definitions: readonly ItemDefinition[];
}

export interface ContractItems {
  operations: readonly OperationItems[];
  /** Every item, operation by operation in the contract's order, each operation's kinds in COVERAGE_KINDS order. */
  definitions: readonly ItemDefinition[];
  ids: ReadonlySet<string>;
  /** The operation a request is for, by method and concrete path; undefined when the contract has none. */
  attribute(method: string, path: string): OperationItems | undefined;
  byId: ReadonlyMap<string, OperationItems>;
  /** Follows `$ref`s in the document the items were derived from. */
  deref: (node: unknown) => SchemaNode;
}

/** An item's id: its operation, a space, what it is within the operation. */
export const itemId = (operation: string, local: string): string => `${operation} ${local}`;

/** The part of an id after its operation: `status:429`. */
export const localId = (id: string): string => id.slice(id.indexOf(" ") + 1);

/** `/` for the body itself, `/standard` for a field: how rule ids name where a rule applies. */
export const rulePointer = (instancePath: string): string => instancePath || "/";

/** The local id of a rule: `rule:enum /standard`. */
export const ruleId = (keyword: string, instancePath: string): string => `rule:${keyword} ${rulePointer(instancePath)}`;

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/** Keywords that state a rule a request can break, in the order their items are listed. */
const RULE_KEYWORDS = [
  "type",
  "enum",
  "const",
  "minimum",
  "exclusiveMinimum",
  "maximum",
  "exclusiveMaximum",
  "multipleOf",
  "minLength",
  "maxLength",
  "pattern",
  "format",
  "minItems",
  "maxItems",
  "uniqueItems",
  "contains",
  "minProperties",
  "maxProperties",
  "additionalProperties",
  "required",
  "dependentRequired",
  "anyOf",
  "oneOf",
  "not",
];

const isJson = (mediaType: string) => /^application\/(?:[\w.+-]+\+)?json\b/i.test(mediaType);
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

export type Deref = (node: unknown) => SchemaNode;

/** Where an instance token leads in a schema: a named property, else the array items or extra properties (`*`). */
export function childSchema(deref: Deref, node: SchemaNode, token: string): { node: SchemaNode; token: string } | undefined {
  const branches = [node, ...((node["allOf"] ?? []) as unknown[]).map(deref)];
  for (const branch of branches) {
    const properties = branch["properties"];
    if (isObject(properties) && Object.hasOwn(properties, token)) return { node: deref(properties[token]), token };
  }
  for (const branch of branches) {
    if (branch["items"] !== undefined && /^\d+$/.test(token)) return { node: deref(branch["items"]), token: "*" };
    if (isObject(branch["additionalProperties"])) return { node: deref(branch["additionalProperties"]), token: "*" };
  }
  return undefined;
}

function ruleIds(deref: Deref, raw: unknown, pointer: string, out: string[]): void {
  const node = deref(raw);
  for (const keyword of RULE_KEYWORDS) {
    const value = node[keyword];
    if (value === undefined) continue;
    if (keyword === "required") {
      for (const name of value as string[]) out.push(ruleId("required", `${pointer}/${escapePointer(name)}`));
    } else if (keyword === "additionalProperties") {
      if (value === false) out.push(ruleId(keyword, pointer));
    } else if (keyword === "minProperties" && value === 0) {
      continue; // cannot be broken
    } else {
      out.push(ruleId(keyword, pointer));
    }
  }
  for (const branch of (node["allOf"] ?? []) as unknown[]) ruleIds(deref, branch, pointer, out);
  for (const [name, property] of Object.entries((node["properties"] ?? {}) as Record<string, unknown>)) {
    ruleIds(deref, property, `${pointer}/${escapePointer(name)}`, out);
  }
  if (node["items"] !== undefined) ruleIds(deref, node["items"], `${pointer}/*`, out);
  if (isObject(node["additionalProperties"])) ruleIds(deref, node["additionalProperties"], `${pointer}/*`, out);
}

/** The properties and required names of an object schema, its `allOf` branches merged in. */
function objectParts(deref: Deref, node: SchemaNode): { properties: [string, SchemaNode][]; required: Set<string> } {
  const branches = [node, ...((node["allOf"] ?? []) as unknown[]).map(deref)];
  return {
    properties: branches.flatMap((b) => Object.entries((b["properties"] ?? {}) as Record<string, unknown>).map(([k, v]) => [k, deref(v)] as [string, SchemaNode])),
    required: new Set(branches.flatMap((b) => (b["required"] ?? []) as string[])),
  };
}

const allowsNull = (deref: Deref, node: SchemaNode): boolean => {
  const type = node["type"];
  if (type === "null" || (Array.isArray(type) && type.includes("null"))) return true;
  const anyOf = node["anyOf"] ?? node["oneOf"];
  return Array.isArray(anyOf) && anyOf.some((branch) => allowsNull(deref, deref(branch)));
};

/** Calls `visit` for each property of an object schema, entering object properties and arrays of objects. */
function walkFields(
  deref: Deref,
  schema: SchemaNode,
  holderPath: readonly string[],
  visit: (holderPath: readonly string[], field: string, node: SchemaNode, required: boolean) => void,
): void {
  const { properties, required } = objectParts(deref, schema);
  for (const [field, node] of properties) {
    visit(holderPath, field, node, required.has(field));
    const element = node["type"] === "array" && node["items"] !== undefined ? deref(node["items"]) : node;
    if (objectParts(deref, element).properties.length > 0) walkFields(deref, element, [...holderPath, field], visit);
  }
}

const valueMap = (prefix: string, values: readonly unknown[]): Map<unknown, string> => new Map(values.map((v) => [v, `${prefix}=${String(v)}`]));

interface RawOperation {
  operationId: string;
  method: string;
  path: string;
  node: SchemaNode;
}

/** Every operation of a contract document, in its order. An operation without an operationId cannot be named by an item: an error. */
function operationsOf(document: { paths?: Record<string, Record<string, unknown>> }, deref: Deref): RawOperation[] {
  return Object.entries(document.paths ?? {}).flatMap(([path, rawItem]) => {
    const item = deref(rawItem);
    return METHODS.filter((method) => isObject(item[method])).map((method) => {
      const node = item[method] as SchemaNode;
      const operationId = node["operationId"];
      if (typeof operationId !== "string" || operationId === "" || /\s/.test(operationId)) {
        throw new Error(`contract: ${method.toUpperCase()} ${path} has no operationId (a name without spaces), which coverage items need`);
      }
      return { operationId, method: method.toUpperCase(), path, node };
    });
  });
}

function requestOf(deref: Deref, operation: RawOperation): { schema: SchemaNode } | undefined {
  if (operation.node["requestBody"] === undefined) return undefined;
  const content = (deref(operation.node["requestBody"])["content"] ?? {}) as Record<string, SchemaNode>;
  const json = Object.entries(content).find(([mediaType, media]) => isJson(mediaType) && media["schema"] !== undefined);
  if (!json) return undefined;
  return { schema: deref(json[1]["schema"]) };
}

/** The documented response keys; a success key (`2..`) with a JSON body schema also gives its schemas. */
function responsesOf(deref: Deref, operation: RawOperation): { keys: string[]; success: { key: string; schemas: SchemaNode[] }[] } {
  const responses = (operation.node["responses"] ?? {}) as Record<string, unknown>;
  const keys = Object.keys(responses);
  const success = keys
    .filter((key) => key.startsWith("2"))
    .map((key) => {
      const content = (deref(responses[key])["content"] ?? {}) as Record<string, SchemaNode>;
      const schemas = Object.entries(content)
        .filter(([mediaType, media]) => isJson(mediaType) && media["schema"] !== undefined)
        .map(([, media]) => deref(media["schema"]));
      return { key, schemas };
    })
    .filter((s) => s.schemas.length > 0);
  return { keys, success };
}

/**
 * Derives every item of a contract document (by default the bundled contract), operation by
 * operation in the contract's order.
 *
 * A response enum field gives value items. Where some operation's request may set a field of the
 * same name to some of its known values, only those count (the seven published standards, not the
 * 42 OCPI ones a response may carry, which would drown the rest).
 */
export function deriveContractItems(document: unknown = contractDocument()): ContractItems {
  const deref: Deref = (node) => derefLocal<SchemaNode>(document, node);
  const raw = operationsOf(document as { paths?: Record<string, Record<string, unknown>> }, deref);
  const repeated = raw.map((o) => o.operationId).filter((id, i, all) => all.indexOf(id) !== i);
  if (repeated.length > 0) throw new Error(`contract: operationId ${repeated[0]} is used twice; items could not say which operation they belong to`);

  const requests = new Map(raw.map((operation) => [operation.operationId, requestOf(deref, operation)]));
  // The values any request may set, by field name: what a response value item is limited to.
  const settable = new Map<string, unknown[]>();
  for (const request of requests.values()) {
    if (!request) continue;
    walkFields(deref, request.schema, [], (_holder, field, node) => {
      const closed = closedEnumValues(node);
      if (!closed) return;
      const values = settable.get(field) ?? [];
      for (const value of closed) if (!values.includes(value)) values.push(value);
      settable.set(field, values);
    });
  }
  /** A response field's value items: the known values a request may also set, when there are any; else all known values. */
  const responseValues = (field: string, known: readonly unknown[]): readonly unknown[] => {
    const limited = (settable.get(field) ?? []).filter((value) => known.includes(value));
    return limited.length > 0 ? limited : known;
  };

  const operations = raw.map((operation): OperationItems => {
    const { operationId } = operation;
    const id = (local: string) => itemId(operationId, local);
    const definitions: ItemDefinition[] = [];
    const add = (kind: CoverageKind, local: string) => definitions.push({ id: id(local), operation: operationId, kind });
    const { keys, success } = responsesOf(deref, operation);
    for (const key of keys) add("status", `status:${key}`);

    const request = requests.get(operationId);
    const requestFields: FieldProbe[] = [];
    if (request) {
      walkFields(deref, request.schema, [], (holderPath, field, node) => {
        const prefix = id(`request:${[...holderPath, field].join("/")}`);
        requestFields.push({ holderPath, field, prefix, values: valueMap(prefix, closedEnumValues(node) ?? []) });
      });
      for (const probe of requestFields) add("request-field", localId(probe.prefix));
      for (const probe of requestFields) for (const valueId of probe.values.values()) add("request-value", localId(valueId));
      const rules: string[] = [];
      ruleIds(deref, request.schema, "", rules);
      for (const rule of rules) add("rule", rule);
    }

    const responses = success.map(({ key, schemas }): ResponseItems => {
      const valueProbes: FieldProbe[] = [];
      const shapeProbes: FieldProbe[] = [];
      for (const schema of schemas) {
        walkFields(deref, schema, [], (holderPath, field, node, required) => {
          const prefix = id(`response:${key} ${[...holderPath, field].join("/")}`);
          // Closed or open (known values, and any other string): the listed values are the items.
          const known = enumValues(node);
          if (known) valueProbes.push({ holderPath, field, prefix, values: valueMap(prefix, responseValues(field, known)) });
          if (!required) {
            const shapes = [...(allowsNull(deref, node) ? ["null"] : []), "present", "absent"];
            shapeProbes.push({ holderPath, field, prefix, values: valueMap(prefix, shapes) });
          }
        });
      }
      return { key, valueProbes, shapeProbes };
    });
    // Values before shapes, so that each kind stays together in the listing.
    for (const r of responses) for (const probe of r.valueProbes) for (const valueId of probe.values.values()) add("response-value", localId(valueId));
    for (const r of responses) for (const probe of r.shapeProbes) for (const shapeId of probe.values.values()) add("response-field", localId(shapeId));

    const unique = definitions.filter((d, i) => definitions.findIndex((other) => other.id === d.id) === i);
    return {
      operationId,
      method: operation.method,
      path: operation.path,
      statusKeys: keys,
      requestSchema: request?.schema,
      requestFields,
      responses,
      definitions: unique,
    };
  });

  const definitions = operations.flatMap((o) => o.definitions);
  const match = compileOperationMatcher(operations);
  return {
    operations,
    definitions,
    ids: new Set(definitions.map((d) => d.id)),
    attribute: (method, path) => match(method, path)?.operation,
    byId: new Map(operations.map((o) => [o.operationId, o])),
    deref,
  };
}

/** The contract's items, derived once per process. */
export const CONTRACT_ITEMS: ContractItems = deriveContractItems();
