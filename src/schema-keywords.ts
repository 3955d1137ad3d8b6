// JSON Schema / OpenAPI keywords that describe a schema without constraining it: they never change
// what is valid. The generator strips them before compiling validators, patch generation ignores them,
// and the gate does not count them as narrowing a schema. `x-*` extensions are annotations too.
export const ANNOTATION_KEYWORDS: ReadonlySet<string> = new Set([
  "title",
  "description",
  "examples",
  "example",
  "default",
  "deprecated",
  "readOnly",
  "writeOnly",
  "$comment",
  "externalDocs",
  "xml",
]);

/** True for a keyword that only annotates (one of the above, or an `x-` extension). */
export const isAnnotationKeyword = (keyword: string): boolean =>
  ANNOTATION_KEYWORDS.has(keyword) || keyword.startsWith("x-");
