// The cases every run sends whatever the seed, before the random ones (Schemathesis's "coverage
// phase"): valid patches that use every published enum value and every field, and invalid ones
// that break every rule of the request schema at least once, at its edges, where providers slip:
// a limit of 0 or below, an enum value in another casing, null, a number sent as a string, an
// unknown field, an empty object, a body that is not an object. All read from the request schema.
import { deref, requestBody } from "../contract-document.js";
import { patchRules, type Bound, type FieldRules, type PatchRules } from "../patch-model.js";
import { validateConnectorUpdate } from "../../validation.js";
import type { VerifyCase } from "./types.js";

const show = (value: unknown) => JSON.stringify(value);
const isNumeric = (field: FieldRules) => field.types.includes("number") || field.types.includes("integer");
const snakeCase = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The next double above `value` (for an exclusive bound on a number: the smallest valid value). */
function nextUp(value: number): number {
  if (value === 0) return Number.MIN_VALUE;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  view.setBigInt64(0, view.getBigInt64(0) + (value > 0 ? 1n : -1n));
  return view.getFloat64(0);
}

/** The smallest value a lower bound allows. */
function smallestAllowed(bound: Bound, integer: boolean): number {
  if (!bound.exclusive) return integer ? Math.ceil(bound.value) : bound.value;
  return integer ? Math.floor(bound.value) + 1 : nextUp(bound.value);
}

/** The largest value a field allows: its upper bound, else the largest finite number. */
function largestAllowed(field: FieldRules): number {
  const integer = !field.types.includes("number");
  if (!field.upper) return integer ? Number.MAX_SAFE_INTEGER : Number.MAX_VALUE;
  if (!field.upper.exclusive) return integer ? Math.floor(field.upper.value) : field.upper.value;
  return integer ? Math.ceil(field.upper.value) - 1 : -nextUp(-field.upper.value);
}

/** A plausible valid value for a numeric field: its documented example when valid, else just inside its bounds. */
function plausibleNumber(field: FieldRules): number {
  const node = deref(((requestBody().schema["properties"] ?? {}) as Record<string, unknown>)[field.name]);
  const example = Array.isArray(node["examples"]) ? node["examples"][0] : undefined;
  if (typeof example === "number" && validateConnectorUpdate({ [field.name]: example }).ok) return example;
  if (field.lower) return Math.floor(field.lower.value) + 1;
  if (field.upper) return Math.ceil(field.upper.value) - 1;
  return 1;
}

/** The same word in lower case and capitalised ("chademo", "Chademo"), where those differ from every listed value. */
function otherCasings(value: string, listed: ReadonlySet<unknown>): string[] {
  const lower = value.toLowerCase();
  const capitalised = value.charAt(0).toUpperCase() + value.slice(1).toLowerCase();
  return [...new Set([lower, capitalised])].filter((v) => !listed.has(v));
}

function assertNumeric(field: FieldRules): FieldRules {
  if (isNumeric(field)) return field;
  throw new Error(`verify's fixed cases know enum and number fields only, not ${field.name} (${field.types.join(", ")}); teach src/testing/verify/boundaries.ts about it`);
}

interface Fixed {
  valid: VerifyCase[];
  invalid: VerifyCase[];
}

/** The run's fixed cases, derived from the request schema (or from `rules`, for tests of the derivation). */
export function boundaryCases(rules: PatchRules = patchRules()): Fixed {
  const valid: Array<Omit<VerifyCase, "id" | "kind">> = [];
  const invalid: Array<Omit<VerifyCase, "id" | "kind">> = [];
  const enumFields = rules.fields.filter((f) => f.enum && f.enum.length > 0);
  const numericFields = rules.fields.filter(isNumeric);

  // Valid: the i-th value of every enum field in patch i; the first patch also sets every other field.
  const covering = Math.max(1, ...enumFields.map((f) => f.enum!.length));
  for (let i = 0; i < covering; i++) {
    const body: Record<string, unknown> = Object.fromEntries(enumFields.map((f) => [f.name, f.enum![i % f.enum!.length]]));
    if (i === 0) for (const f of rules.fields.filter((x) => !x.enum)) body[f.name] = plausibleNumber(assertNumeric(f));
    valid.push({ title: `every field and enum value at least once: ${show(body)}`, body });
  }
  // Valid: the smallest value each lower bound allows, all in one patch.
  const smallest = Object.fromEntries(numericFields.filter((f) => f.lower).map((f) => [f.name, smallestAllowed(f.lower!, !f.types.includes("number"))]));
  if (Object.keys(smallest).length > 0) valid.push({ title: `the smallest value each limit allows: ${show(smallest)}`, body: smallest });
  // Valid: the largest, which no hardware supports: a documented refusal (422) is as right as a 200.
  const largest = Object.fromEntries(numericFields.map((f) => [f.name, largestAllowed(f)]));
  if (Object.keys(largest).length > 0) valid.push({ title: `the largest value each limit allows (refusing it as beyond the hardware, 422, is fine): ${show(largest)}`, body: largest });

  // Invalid: each rule broken on its own, with a one-field patch so nothing else is wrong.
  for (const field of rules.fields) {
    const pointer = `/${field.name}`;
    const bad = (value: unknown, keyword: string, why: string) =>
      invalid.push({ title: `${field.name} = ${show(value)}: ${why}`, body: { [field.name]: value }, breaks: { keyword, pointer } });
    if (field.lower) {
      const { value, exclusive, keyword } = field.lower;
      if (exclusive) bad(value, keyword, `must be greater than ${value}`);
      bad(value - 1, keyword, `must be greater than${exclusive ? "" : " or equal to"} ${value}`);
    }
    if (field.upper) {
      const { value, exclusive, keyword } = field.upper;
      if (exclusive) bad(value, keyword, `must be less than ${value}`);
      bad(value + 1, keyword, `must be less than${exclusive ? "" : " or equal to"} ${value}`);
    }
    if (field.enum) {
      const listed = new Set(field.enum);
      for (const value of field.enum.filter((v): v is string => typeof v === "string")) {
        for (const casing of otherCasings(value, listed)) bad(casing, "enum", `${show(value)} in another casing; the listed values are case-sensitive`);
      }
    }
    if (!field.types.includes("null")) bad(null, "type", `null where ${field.types.join(" or ")} is required (leave a field out to keep it)`);
    if (isNumeric(field) && !field.types.includes("string")) bad(String(plausibleNumber(field)), "type", "a number sent as a string");
  }
  const first = valid[0]!.body as Record<string, unknown>;
  if (rules.closed) {
    const known = new Set(rules.fields.map((f) => f.name));
    const camel = rules.fields.find((f) => snakeCase(f.name) !== f.name && !known.has(snakeCase(f.name)));
    const name = camel ? snakeCase(camel.name) : "unknownField";
    const value = camel ? first[camel.name] : 1;
    invalid.push({ title: `unknown field ${show(name)} (the patch is closed: unknown fields are rejected)`, body: { [name]: value }, breaks: { keyword: "additionalProperties", pointer: `/${name}` } });
    // Mixed with valid fields too: a provider that drops unknown fields before validating accepts this one.
    const mixed = { ...first, [name]: value };
    invalid.push({ title: `unknown field ${show(name)} among valid ones: ${show(mixed)}`, body: mixed, breaks: { keyword: "additionalProperties", pointer: `/${name}` } });
  }
  if (rules.minProperties > 0) {
    invalid.push({ title: `an empty patch: at least ${rules.minProperties} field(s) required`, body: {}, breaks: { keyword: "minProperties", pointer: "" } });
  }
  invalid.push({ title: "the body is an array holding a patch, not an object", body: [first], breaks: { keyword: "type", pointer: "" } });

  return {
    valid: valid.map((c, i) => ({ ...c, id: `cover#${i + 1}`, kind: "valid" })),
    invalid: invalid.map((c, i) => ({ ...c, id: `boundary#${i + 1}`, kind: "invalid" })),
  };
}
