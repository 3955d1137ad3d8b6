// The contract as a graph: its operations, every schema reachable from them (and in which direction
// and how it is used), and every response header.
import { derefLocal, refTarget } from "../../src/contract-refs.js";
import { escapePointer } from "../../src/json-pointer.js";
import { isAnnotationKeyword } from "../../src/schema-keywords.js";
import { pathOperations } from "../contract-operations.js";
import type { Json } from "./inputs.js";

export const isObject = (v: unknown): v is Record<string, Json> => typeof v === "object" && v !== null && !Array.isArray(v);
const asArray = (v: unknown): Json[] => (Array.isArray(v) ? v : []);
const entriesOf = (v: unknown): [string, Json][] => Object.entries(isObject(v) ? v : {});

/** Every operation of a contract as it is (the base may be an older one the generator would refuse): the scripts' one walk. */
export function* operations(doc: Json): Generator<{ path: string; method: string; item: Json; op: Json }> {
  for (const { path, method, item, operation } of pathOperations(doc)) yield { path, method, item, op: operation };
}

/** Keywords whose values are subschemas, and how they hold them. */
const SUBSCHEMAS: Record<string, "map" | "one" | "list" | "branches"> = {
  properties: "map", patternProperties: "map", dependentSchemas: "map",
  items: "one", additionalProperties: "one", unevaluatedProperties: "one", unevaluatedItems: "one",
  contains: "one", propertyNames: "one", not: "one", if: "one", then: "one", else: "one",
  prefixItems: "list", allOf: "list",
  anyOf: "branches", oneOf: "branches",
};

function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

/** Does `other` accept every value of `schema`'s type(s)? (Only a bare `{type}` or `{}` does.) */
function acceptsEveryValueOf(other: Json, schema: Json): boolean {
  if (other === true) return true;
  if (!isObject(other) || !isObject(schema)) return false;
  if (Object.keys(other).some((k) => k !== "type" && !isAnnotationKeyword(k))) return false;
  if (other.type === undefined) return true;
  const accepted = [other.type].flat();
  const types = schema.type !== undefined ? [schema.type].flat() : [...new Set(asArray(schema.enum).map(jsonType))];
  return types.length > 0 && types.every((t) => accepted.includes(t) || (t === "integer" && accepted.includes("number")));
}

/** How a schema is used: in a request or a response, and whether as an open anyOf/oneOf branch. */
export type Usage = `${"request" | "response"}:${boolean}`;

/**
 * Every schema reachable from an operation, with the directions it is used in and whether each use
 * is "open": a branch of an anyOf/oneOf whose sibling accepts every value of the branch's type.
 */
export function schemaUsages(doc: Json): Map<object, Set<Usage>> {
  const usages = new Map<object, Set<Usage>>();
  const visit = (node: Json, direction: "request" | "response", open: boolean): void => {
    if (!isObject(node)) return;
    let seen = usages.get(node);
    if (!seen) usages.set(node, (seen = new Set()));
    const key: Usage = `${direction}:${open}`;
    if (seen.has(key)) return;
    seen.add(key);
    if (typeof node.$ref === "string") visit(refTarget(doc, node.$ref), direction, open);
    for (const [keyword, shape] of Object.entries(SUBSCHEMAS)) {
      const value = node[keyword];
      if (value === undefined) continue;
      if (shape === "one") visit(value, direction, false);
      else if (shape === "map") for (const [, child] of entriesOf(value)) visit(child, direction, false);
      else if (shape === "list") for (const child of asArray(value)) visit(child, direction, false);
      else {
        const branches = asArray(value);
        for (const child of branches) {
          const isOpen = branches.some((s) => s !== child && acceptsEveryValueOf(derefLocal(doc, s), derefLocal(doc, child)));
          visit(child, direction, isOpen);
        }
      }
    }
  };
  const visitContent = (content: Json, direction: "request" | "response") => {
    for (const [, mediaType] of entriesOf(content)) visit(derefLocal<Json>(doc, mediaType)?.schema, direction, false);
  };
  for (const { item, op } of operations(doc)) {
    for (const p of [...asArray(item.parameters), ...asArray(op.parameters)].map((x) => derefLocal<Json>(doc, x))) {
      if (!isObject(p)) continue;
      visit(p.schema, "request", false);
      visitContent(p.content, "request");
    }
    visitContent(derefLocal<Json>(doc, op.requestBody)?.content, "request");
    for (const [, response0] of entriesOf(op.responses)) {
      const response = derefLocal<Json>(doc, response0);
      if (!isObject(response)) continue;
      visitContent(response.content, "response");
      for (const [, header0] of entriesOf(response.headers)) {
        const header = derefLocal<Json>(doc, header0);
        if (!isObject(header)) continue;
        visit(header.schema, "response", false);
        visitContent(header.content, "response");
      }
    }
  }
  return usages;
}

export interface ResponseHeader {
  name: string;
  status: string;
  method: string;
  path: string;
  required: boolean;
  location: string;
}

/** Every response header, keyed by operation, status and (case-insensitive) name. */
export function responseHeaders(doc: Json): Map<string, ResponseHeader> {
  const headers = new Map<string, ResponseHeader>();
  for (const { path, method, op } of operations(doc)) {
    for (const [status, response0] of entriesOf(op.responses)) {
      const response = derefLocal<Json>(doc, response0);
      for (const [name, header0] of entriesOf(response?.headers)) {
        const header = derefLocal<Json>(doc, header0);
        if (!isObject(header)) continue;
        const at = [path, method, "responses", status, "headers", name].map(escapePointer).join("/");
        headers.set(`${path} ${method} ${status} ${name.toLowerCase()}`, {
          name, status, method, path,
          required: header.required === true,
          location: `#/paths/${at}`,
        });
      }
    }
  }
  return headers;
}
