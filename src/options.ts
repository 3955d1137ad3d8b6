// Options fail closed: an options object with a name the function does not take is refused, naming
// the closest one it does take, instead of being ignored. From JavaScript, `baseURL` (axios casing)
// would otherwise leave the client on production, and a per-call `retry` would silently do nothing.
// One helper for the client, each call, the batch and the kit's functions (startMockServer here;
// startFakeApi and verifyProvider can call assertKnownOptions with their own names). Each function
// lists its names once, next to a compile-time check (ExactNames) that they are its interface's keys.

import { escapePointer } from "./json-pointer.js";

/** Compiles to `true` only when `Names` are exactly the keys of `T`: `true satisfies ExactNames<T, ...>`. */
export type ExactNames<T, Names extends string> = [Exclude<keyof T, Names>, Exclude<Names, keyof T>] extends [never, never]
  ? true
  : { missing: Exclude<keyof T, Names>; notOptions: Exclude<Names, keyof T> };

/** Where an option belongs, to tell a caller who gave it to another function of the same API. */
export interface OptionPlace {
  names: readonly string[];
  /** "it is a client option: createConnectorClient({ retry })" for `name`. */
  where: (name: string) => string;
}

export interface OptionAdvice {
  /** The other functions' options, for "it is an option of ..." (their names are suggested too). */
  places?: readonly OptionPlace[];
  /** Lower-case names other libraries use, to the known name meant (`timeout` -> `timeoutMs`). */
  aliases?: Readonly<Record<string, string>>;
}

const normal = (name: string) => name.toLowerCase().replace(/[-_\s]/g, "");

/** Edit distance (insertions, deletions, substitutions, adjacent swaps) between two short names. */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The known name `name` was most likely meant to be, or undefined when none is close: the same
 * name in another casing (`baseURL`), an alias (`timeout`), the start of one (`coverage` for
 * `coverageFile`) or a small typo (`userAgnet`).
 */
export function closestOption(name: string, known: readonly string[], aliases: Readonly<Record<string, string>> = {}): string | undefined {
  const n = normal(name);
  const same = known.find((k) => normal(k) === n);
  if (same) return same;
  const alias = Object.hasOwn(aliases, n) ? aliases[n] : undefined;
  if (alias !== undefined && known.includes(alias)) return alias;
  if (n.length >= 4) {
    const prefixed = known.filter((k) => normal(k).startsWith(n));
    if (prefixed.length === 1) return prefixed[0];
  }
  let best: { name: string; distance: number } | undefined;
  for (const k of known) {
    const dist = distance(n, normal(k));
    if (dist <= Math.max(1, Math.floor(Math.min(n.length, k.length) / 4)) && (!best || dist < best.distance)) best = { name: k, distance: dist };
  }
  return best?.name;
}

/** One unknown option, and what to write instead. */
export interface UnknownOption {
  name: string;
  /** "did you mean ...", where the option belongs, or the options there are; always says what to do. */
  advice: string;
}

/** A plain object: not null, not an array (the package's one test of "an object" for an argument or a JSON value). */
export const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The names in `options` that `known` does not list, each with advice: an option of another place
 * (`retry` given to a call is a client option), else the closest known name, else the closest
 * name of another place, else the list. `options` that is not a plain object yields nothing: each
 * caller says what the argument must be. Values are never read, so nothing secret reaches a message.
 */
export function unknownOptions(options: unknown, known: readonly string[], { places = [], aliases = {} }: OptionAdvice = {}): UnknownOption[] {
  if (!isPlainObject(options)) return [];
  const elsewhere = (name: string | undefined) => (name === undefined ? undefined : places.find((place) => place.names.includes(name)));
  const found: UnknownOption[] = [];
  for (const name of Object.keys(options)) {
    if (known.includes(name)) continue;
    const exact = elsewhere(name);
    const closest = exact ? undefined : closestOption(name, known, aliases);
    const anywhere = exact || closest ? undefined : closestOption(name, places.flatMap((place) => place.names), aliases);
    const place = elsewhere(anywhere);
    const advice = exact
      ? exact.where(name)
      : closest !== undefined
        ? `did you mean "${closest}"?`
        : place && anywhere !== undefined
          ? place.where(anywhere)
          : `the options are ${known.join(", ")}`;
    found.push({ name, advice });
  }
  return found;
}

/** `unknown option "baseURL" (did you mean "baseUrl"?)`, one per unknown name, in one sentence. */
export function describeUnknownOptions(unknown: readonly UnknownOption[]): string {
  return unknown.map(({ name, advice }) => `unknown option ${JSON.stringify(name)} (${advice})`).join("; ");
}

/** Throws a TypeError naming each unknown option of `fn` and what to write instead; for functions that throw on bad input. */
export function assertKnownOptions(fn: string, options: unknown, known: readonly string[], advice: OptionAdvice = {}): void {
  const unknown = unknownOptions(options, known, advice);
  if (unknown.length) {
    throw new TypeError(`${fn}: ${describeUnknownOptions(unknown)}. Options are checked so that a misspelt one is not silently ignored.`);
  }
}

/**
 * The unknown options of a call as invalid-request issues (`options.retry is not an option here
 * (it is a client option: createConnectorClient({ retry }))`), for calls that reject with an error
 * listing issues instead of throwing.
 */
export function unknownOptionIssues(options: unknown, known: readonly string[], advice: OptionAdvice = {}): { in: "options"; path: string; keyword: string; message: string }[] {
  return unknownOptions(options, known, advice).map(({ name, advice: what }) => ({
    in: "options",
    path: `/${escapePointer(name)}`,
    keyword: "additionalProperties",
    message: `is not an option here (${what})`,
  }));
}
