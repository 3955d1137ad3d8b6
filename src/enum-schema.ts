// How the contract writes an enum, read in one place for the generator, the testing kit and coverage.
// A request enum is closed: `{ type: string, enum: [...] }`. A response enum is open, as Spirii's
// versioning policy asks ("new enum values" are a non-breaking minor change; clients "fall back on
// unknown enum values"): `{ type: string, anyOf: [{ enum: [...] }, { type: string }] }`, which lists
// the known values for readers, docs, mocks and types, and accepts any other string.
// No import of generated/: the generator itself uses this module.

type Node = { readonly [keyword: string]: unknown };

const isObject = (value: unknown): value is Node => typeof value === "object" && value !== null && !Array.isArray(value);
const isStringList = (value: unknown): value is readonly string[] =>
  Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === "string");

/** A branch that admits every string and says nothing else that validates (annotations only besides `type`). */
const anyString = (node: unknown): boolean =>
  isObject(node) && node["type"] === "string" && Object.keys(node).every((k) => k === "type" || k === "title" || k === "description" || k.startsWith("x-"));

/**
 * The known values of an open enum, or undefined when `node` is not one. Open means exactly
 * `anyOf: [{ enum: [strings] }, { type: string }]` (annotations aside), so that a schema that
 * merely has an anyOf is never mistaken for one.
 */
export function openEnumValues(node: unknown): readonly string[] | undefined {
  if (!isObject(node)) return undefined;
  const anyOf = node["anyOf"];
  if (!Array.isArray(anyOf) || anyOf.length !== 2) return undefined;
  const [known, other] = anyOf as unknown[];
  if (!isObject(known) || !isStringList(known["enum"]) || !anyString(other)) return undefined;
  return known["enum"];
}

/** The values a closed enum allows, or undefined when `node` is not a closed enum. */
export function closedEnumValues(node: unknown): readonly unknown[] | undefined {
  return isObject(node) && Array.isArray(node["enum"]) ? (node["enum"] as readonly unknown[]) : undefined;
}

/** The listed values of either kind (closed: all it allows; open: the known ones), or undefined. */
export const enumValues = (node: unknown): readonly unknown[] | undefined => closedEnumValues(node) ?? openEnumValues(node);
