// fast-check arbitraries for connector patches, derived from the contract's request schema: valid
// patches, and invalid ones that each break exactly one named rule of it. `verify` sends them to a
// provider; this project's own fuzz tests send them to the mock.
import type { Arbitrary } from "fast-check";
import type { ConnectorUpdate } from "../contract.js";
import { patchRules, type Bound, type FieldRules, type JsonType, type PatchRules } from "./patch-model.js";
import { loadFastCheck, type FastCheck } from "./fast-check-peer.js";
import type { FastCheckArbitrary } from "./fast-check-types.js";

/** The one rule of the request schema an invalid patch breaks. */
export interface BrokenRule {
  /** The JSON Schema keyword (`enum`, `type`, `exclusiveMinimum`, `additionalProperties`, `minProperties`). */
  keyword: string;
  /** JSON Pointer to the offending value in the body ("" for the body itself). */
  pointer: string;
}

/** A body that breaks the contract in exactly one way, and that way in words. */
export interface InvalidPatch {
  body: unknown;
  breaks: BrokenRule;
  description: string;
}

export interface PatchArbitraries {
  /** Patches the contract accepts: a subset of the fields (at least `minProperties`), each valid. */
  valid: FastCheckArbitrary<ConnectorUpdate>;
  /** Bodies the contract rejects, each breaking exactly one rule of the request schema. */
  invalid: FastCheckArbitrary<InvalidPatch>;
}

// Numbers a real connector could carry, so that a real provider is not fed only 1e300 kW. The cap
// narrows what is generated, never what is valid: the schema has no upper bound.
const PLAUSIBLE_SPAN = 1000;
const WIDE_SPAN = 1e6;
// Own-property "__proto__" survives JSON but not object spread; not worth the confusion in reports.
const UNSAFE_KEYS = new Set(["__proto__"]);

const show = (value: unknown) => JSON.stringify(value);
const withArticle = (word: string) => `${/^[aeiou]/.test(word) ? "an" : "a"} ${word}`;

/** Builds the patch arbitraries from the contract (or from `rules`, for tests of the derivation). */
export async function patchArbitraries(rules: PatchRules = patchRules()): Promise<PatchArbitraries> {
  const fc = await loadFastCheck();
  const valid = validPatch(fc, rules);
  return { valid: valid as Arbitrary<ConnectorUpdate>, invalid: invalidPatch(fc, rules, valid) };
}

function numberBetween(fc: FastCheck, integer: boolean, lower: Bound | undefined, upper: Bound | undefined): Arbitrary<number> {
  const lo = lower?.value ?? -PLAUSIBLE_SPAN;
  const hi = upper?.value ?? lo + WIDE_SPAN;
  const loInt = lower?.exclusive ? Math.floor(lo) + 1 : Math.ceil(lo);
  const hiInt = upper?.exclusive ? Math.ceil(hi) - 1 : Math.floor(hi);
  const plausible = fc.integer({ min: loInt, max: Math.min(hiInt, loInt + PLAUSIBLE_SPAN) });
  if (integer) return plausible;
  const tenths = fc.integer({ min: Math.ceil(lo * 10) + 1, max: Math.floor(Math.min(hi, lo + PLAUSIBLE_SPAN) * 10) - 1 }).map((n) => n / 10);
  const double = fc.double({
    min: lo,
    max: hi,
    minExcluded: lower?.exclusive ?? false,
    maxExcluded: upper?.exclusive ?? false,
    noNaN: true,
    noDefaultInfinity: true,
  });
  // Mostly plausible values (22, 7.4); some raw doubles, down to 5e-324, for the edges.
  return fc.oneof({ weight: 3, arbitrary: plausible }, { weight: 1, arbitrary: tenths }, { weight: 1, arbitrary: double });
}

function validValue(fc: FastCheck, field: FieldRules): Arbitrary<unknown> {
  if (field.enum) return fc.constantFrom(...field.enum);
  return fc.oneof(
    ...field.types.map((type): Arbitrary<unknown> => {
      switch (type) {
        case "number":
        case "integer":
          return numberBetween(fc, type === "integer", field.lower, field.upper);
        case "string":
          return fc.string({ maxLength: 20 });
        case "boolean":
          return fc.boolean();
        case "null":
          return fc.constant(null);
        default:
          throw new Error(`patch generation cannot generate a valid ${type} for ${field.name}`);
      }
    }),
  );
}

/** An object with exactly `names`, each with a value from `values`. */
function withFields(fc: FastCheck, names: readonly string[], value: (name: string) => Arbitrary<unknown>) {
  return fc.tuple(...names.map(value)).map((values) => Object.fromEntries(names.map((name, i) => [name, values[i]])));
}

function validPatch(fc: FastCheck, rules: PatchRules): Arbitrary<Record<string, unknown>> {
  const byName = new Map(rules.fields.map((field) => [field.name, validValue(fc, field)]));
  const optional = rules.fields.map((f) => f.name).filter((name) => !rules.required.includes(name));
  const maxOptional = (rules.maxProperties ?? Infinity) - rules.required.length;
  return fc
    .subarray(optional, {
      minLength: Math.max(0, rules.minProperties - rules.required.length),
      maxLength: Math.min(optional.length, maxOptional),
    })
    .chain((chosen) => withFields(fc, [...rules.required, ...chosen], (name) => byName.get(name)!));
}

/** Values of a JSON type the field does not allow; `null` gets its own description. */
function wrongTypeValue(fc: FastCheck, field: FieldRules): Arbitrary<{ value: unknown; type: JsonType }> | undefined {
  const allowed = new Set<JsonType>(field.types.includes("number") ? [...field.types, "integer"] : field.types);
  const numericString = fc.integer({ min: 1, max: PLAUSIBLE_SPAN }).map(String); // "22": a classic client bug
  const candidates: Array<[JsonType, Arbitrary<unknown>]> = [
    ["string", allowed.has("number") || allowed.has("integer") ? numericString : fc.string({ maxLength: 10 })],
    // For an integer field the wrong number is a fraction; any number breaks a field of another type.
    ["number", allowed.has("integer") ? fc.integer({ min: 1, max: PLAUSIBLE_SPAN }).map((n) => n + 0.5) : fc.integer({ min: 1, max: PLAUSIBLE_SPAN })],
    ["boolean", fc.boolean()],
    ["null", fc.constant(null)],
    ["array", fc.array(fc.integer(), { maxLength: 2 })],
    ["object", fc.constant({})],
  ];
  const wrong = candidates.filter(([type]) => !allowed.has(type));
  if (wrong.length === 0) return undefined;
  return fc.oneof(...wrong.map(([type, arbitrary]) => arbitrary.map((value) => ({ value, type }))));
}

/** Numbers just outside a bound: the bound itself when exclusive, then further out. */
function outsideBound(fc: FastCheck, bound: Bound, side: "below" | "above"): Arbitrary<number> {
  const sign = side === "below" ? -1 : 1;
  const beyond = (distance: number) => bound.value + sign * distance;
  const options: Arbitrary<number>[] = [
    fc.integer({ min: 1, max: PLAUSIBLE_SPAN }).map(beyond),
    fc.double({ min: Number.MIN_VALUE, max: WIDE_SPAN, noNaN: true, noDefaultInfinity: true }).map(beyond),
  ];
  if (bound.exclusive) options.unshift(fc.constant(bound.value));
  // Rounding can land a far-out double back on the bound; keep only values that truly break it.
  return fc.oneof(...options).filter((n) => (side === "below" ? n < bound.value || (bound.exclusive && n === bound.value) : n > bound.value || (bound.exclusive && n === bound.value)));
}

const snakeCase = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function invalidPatch(fc: FastCheck, rules: PatchRules, valid: Arbitrary<Record<string, unknown>>): Arbitrary<InvalidPatch> {
  const known = new Set(rules.fields.map((f) => f.name));
  const setField = (name: string, bad: Arbitrary<unknown>, describe: (value: unknown) => string, breaks: BrokenRule) =>
    fc.tuple(valid, bad).map(([patch, value]): InvalidPatch => ({
      body: { ...patch, [name]: value },
      breaks,
      description: describe(value),
    }));
  const generators: Arbitrary<InvalidPatch>[] = [];

  // The body itself is not an object.
  generators.push(
    fc
      .oneof(fc.constant(null), fc.array(fc.integer(), { maxLength: 2 }), fc.string({ maxLength: 10 }), fc.integer(), fc.boolean())
      .map((body) => ({
        body,
        breaks: { keyword: "type", pointer: "" },
        description: `the body is ${body === null ? "null" : withArticle(Array.isArray(body) ? "array" : typeof body)}, not an object`,
      })),
  );

  if (rules.minProperties > rules.required.length) {
    const optional = rules.fields.map((f) => f.name).filter((name) => !rules.required.includes(name));
    generators.push(
      fc
        .subarray(optional, { maxLength: rules.minProperties - 1 - rules.required.length })
        .chain((chosen) => withFields(fc, [...rules.required, ...chosen], (name) => validValue(fc, rules.fields.find((f) => f.name === name)!)))
        .map((body) => ({
          body,
          breaks: { keyword: "minProperties", pointer: "" },
          description: `${Object.keys(body).length === 0 ? "an empty patch" : "too few fields"}: at least ${rules.minProperties} required`,
        })),
    );
  }

  for (const name of rules.required) {
    generators.push(
      valid.map((patch) => ({
        body: Object.fromEntries(Object.entries(patch).filter(([key]) => key !== name)),
        breaks: { keyword: "required", pointer: `/${name}` },
        description: `the required field ${name} is missing`,
      })),
    );
  }

  if (rules.closed) {
    // Near misses of real field names first (OCPI's snake_case is the likeliest), then anything.
    const nearMisses = rules.fields.flatMap((f) => [snakeCase(f.name), f.name.toLowerCase(), `${f.name}s`]);
    const unknownField = fc
      .oneof(fc.constantFrom(...nearMisses), fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9_]{0,15}$/))
      .filter((key) => !known.has(key) && !UNSAFE_KEYS.has(key));
    generators.push(
      fc.tuple(valid, unknownField, fc.oneof(fc.integer(), fc.string({ maxLength: 10 }), fc.boolean())).map(([patch, key, value]) => ({
        body: Object.fromEntries([...Object.entries(patch), [key, value]]),
        breaks: { keyword: "additionalProperties", pointer: `/${key}` },
        description: `unknown field ${show(key)} (the patch is closed: unknown fields are rejected)`,
      })),
    );
  }

  for (const field of rules.fields) {
    const pointer = `/${field.name}`;
    if (field.enum) {
      const listed = new Set(field.enum);
      const offList = fc
        .oneof(
          fc.constantFrom(...field.enum.map((v) => String(v).toLowerCase())),
          fc.stringMatching(/^[A-Z][A-Z0-9_]{0,20}$/),
        )
        .filter((value) => !listed.has(value));
      generators.push(setField(field.name, offList, (v) => `${field.name} = ${show(v)}, not one of the listed values`, { keyword: "enum", pointer }));
    }
    const wrongType = wrongTypeValue(fc, field);
    if (wrongType) {
      generators.push(
        fc.tuple(valid, wrongType).map(([patch, { value, type }]) => ({
          body: { ...patch, [field.name]: value },
          breaks: { keyword: "type", pointer },
          description: `${field.name} = ${show(value)}: ${type === "null" ? "null" : withArticle(type)} where ${withArticle(field.types.join(" or "))} is required`,
        })),
      );
    }
    for (const [bound, side] of [
      [field.lower, "below"],
      [field.upper, "above"],
    ] as const) {
      if (!bound) continue;
      const relation = `${side === "below" ? "greater" : "less"} than${bound.exclusive ? "" : " or equal to"} ${bound.value}`;
      generators.push(
        setField(field.name, outsideBound(fc, bound, side), (v) => `${field.name} = ${show(v)}, must be ${relation}`, { keyword: bound.keyword, pointer }),
      );
    }
  }
  return fc.oneof(...generators);
}
