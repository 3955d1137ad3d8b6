// The request schema (ConnectorUpdate), read into the few rules patch generation needs. Reading is
// strict: a constraint keyword this module does not understand fails loudly, so generated patches
// never silently drift from a contract that gained a rule (a `pattern`, a `maxLength`, ...).
import { isAnnotationKeyword } from "../schema-keywords.js";
import { deref, requestBody, type SchemaNode } from "./contract-document.js";

export type JsonType = "string" | "number" | "integer" | "boolean" | "null" | "array" | "object";

export interface Bound {
  value: number;
  exclusive: boolean;
  /** The keyword that states it, for naming the broken rule. */
  keyword: "minimum" | "exclusiveMinimum" | "maximum" | "exclusiveMaximum";
}

/** One field of the patch and the rules its value must keep. */
export interface FieldRules {
  name: string;
  types: JsonType[];
  enum?: readonly unknown[];
  lower?: Bound;
  upper?: Bound;
}

/** The rules of the whole patch object. */
export interface PatchRules {
  fields: FieldRules[];
  required: string[];
  /** `additionalProperties: false`: unknown fields are rejected. */
  closed: boolean;
  minProperties: number;
  maxProperties: number | undefined;
}

const OBJECT_RULES = new Set(["type", "properties", "additionalProperties", "required", "minProperties", "maxProperties"]);
const FIELD_RULES = new Set(["type", "enum", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"]);

function assertUnderstood(node: SchemaNode, understood: ReadonlySet<string>, where: string): void {
  for (const keyword of Object.keys(node)) {
    if (understood.has(keyword) || isAnnotationKeyword(keyword)) continue;
    throw new Error(
      `patch generation does not understand \`${keyword}\` at ${where} of the request schema; ` +
        `teach src/testing/patch-model.ts about it before trusting generated patches`,
    );
  }
}

const typesOf = (node: SchemaNode, where: string): JsonType[] => {
  const type = node["type"];
  if (type === undefined) throw new Error(`the request schema gives no \`type\` at ${where}; patch generation needs one`);
  return (Array.isArray(type) ? type : [type]) as JsonType[];
};

function bound(node: SchemaNode, exclusiveKeyword: Bound["keyword"], inclusiveKeyword: Bound["keyword"]): Bound | undefined {
  if (typeof node[exclusiveKeyword] === "number") return { value: node[exclusiveKeyword], exclusive: true, keyword: exclusiveKeyword };
  if (typeof node[inclusiveKeyword] === "number") return { value: node[inclusiveKeyword], exclusive: false, keyword: inclusiveKeyword };
  return undefined;
}

function fieldRules(name: string, node: SchemaNode): FieldRules {
  const where = `/properties/${name}`;
  assertUnderstood(node, FIELD_RULES, where);
  const rules: FieldRules = { name, types: typesOf(node, where) };
  if (Array.isArray(node["enum"])) rules.enum = node["enum"];
  const lower = bound(node, "exclusiveMinimum", "minimum");
  const upper = bound(node, "exclusiveMaximum", "maximum");
  if (lower) rules.lower = lower;
  if (upper) rules.upper = upper;
  return rules;
}

/** Reads a patch schema (by default the contract's request body schema) into rules. */
export function patchRules(schema: SchemaNode = requestBody().schema): PatchRules {
  assertUnderstood(schema, OBJECT_RULES, "the top level");
  if (schema["type"] !== "object") throw new Error("the request schema is not an object schema");
  const properties = (schema["properties"] ?? {}) as Record<string, unknown>;
  const additional = schema["additionalProperties"];
  if (additional !== undefined && typeof additional !== "boolean") {
    throw new Error("patch generation understands only a boolean `additionalProperties` in the request schema");
  }
  return {
    fields: Object.entries(properties).map(([name, node]) => fieldRules(name, deref(node))),
    required: (schema["required"] ?? []) as string[],
    closed: additional === false,
    minProperties: typeof schema["minProperties"] === "number" ? schema["minProperties"] : 0,
    maxProperties: typeof schema["maxProperties"] === "number" ? schema["maxProperties"] : undefined,
  };
}
