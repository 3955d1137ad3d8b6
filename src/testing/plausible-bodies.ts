// Dynamic mode's bodies come from Prism's generator (json-schema-faker), which follows the schema's
// keywords and nothing else: an unbounded `number` id came out as -94611826.09, a list of connectors
// empty, and an open object stuffed with random fields. The contract must stay as open as it is (real
// APIs send such values' neighbours and extra fields), so the mock generates from its own copy of
// the response schemas, narrowed to what a real EVSE looks like. Nothing here names a field: the
// rules follow from the schemas and their examples.

import { openEnumValues } from "../enum-schema.js";

type Schema = { [keyword: string]: unknown };

const isSchema = (value: unknown): value is Schema => typeof value === "object" && value !== null && !Array.isArray(value);

/** Numbers the generator may pick: whole, from 1 up to ten times the largest example (or a million). */
function wholePositive(schema: Schema): void {
  const bounded = ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "enum", "const"].some((k) => k in schema);
  if (bounded || (schema.type !== "number" && schema.type !== "integer")) return;
  const examples = (Array.isArray(schema.examples) ? schema.examples : []).filter((e): e is number => typeof e === "number" && e > 0);
  schema.type = "integer";
  schema.minimum = 1;
  schema.maximum = examples.length > 0 ? Math.max(10, Math.ceil(Math.max(...examples) * 10)) : 1_000_000;
}

function narrow(schema: Schema): void {
  // An open (response) enum accepts any string, and the generator would pick lorem ipsum half the
  // time: a plausible EVSE carries a known value (src/enum-schema.ts reads the open form).
  const known = openEnumValues(schema);
  if (known) {
    delete schema.anyOf;
    schema.enum = [...known];
    return;
  }
  wholePositive(schema);
  if (isSchema(schema.properties)) {
    const required = new Set(Array.isArray(schema.required) ? schema.required : []);
    for (const [name, property] of Object.entries(schema.properties)) {
      if (!isSchema(property)) continue;
      // A list the answer always carries has something in it (an EVSE has a connector).
      if (required.has(name) && property.type === "array" && !("minItems" in property)) property.minItems = 1;
      narrow(property);
    }
    // Only the fields the contract names: extra ones are allowed, not typical.
    if (!("additionalProperties" in schema)) schema.additionalProperties = false;
  }
  if (schema.type === "array" && !("maxItems" in schema)) schema.maxItems = 3;
  for (const key of ["items", "not", "if", "then", "else"]) if (isSchema(schema[key])) narrow(schema[key]);
  for (const key of ["allOf", "anyOf", "oneOf", "prefixItems"]) if (Array.isArray(schema[key])) for (const s of schema[key]) if (isSchema(s)) narrow(s);
}

interface OperationShape {
  responses?: { contents?: { schema?: unknown }[] }[];
}

/**
 * Copies of Prism's operations whose response schemas are narrowed for plausible generated bodies;
 * requests are untouched, so the mock validates what it receives exactly as the contract says.
 */
export function withPlausibleResponses(operations: unknown[]): unknown[] {
  return operations.map((operation) => {
    const copy = structuredClone(operation) as OperationShape;
    for (const response of copy.responses ?? []) for (const content of response.contents ?? []) if (isSchema(content.schema)) narrow(content.schema);
    return copy;
  });
}
