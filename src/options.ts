// Options fail closed: an options object with a name the function does not take is refused, naming
// the closest one it does take, instead of being ignored. From JavaScript, `baseURL` (axios casing)
// would otherwise leave the client on production, and a per-call `retry` would silently do nothing.
// One helper for the client, each call, the batch and the kit's functions; each lists its names once,
// typed against its options interface so that a new option cannot be left out.
import type { ConnectorClientOptions } from "./client/create-client.js";
import type { RetryOptions } from "./client/retry.js";
import type { UpdateConnectorOptions } from "./client/update-connector.js";
import type { UpdateConnectorsOptions } from "./client/update-connectors.js";

/**
 * The option names of an options interface, every one of them: a record with each key of `T`
 * (optional ones included) set to true, so a name added to `T` and not here is a compile error.
 */
export function optionNames<T>(names: { readonly [K in keyof Required<T> & string]: true }): readonly string[] {
  return Object.freeze(Object.keys(names));
}

/** createConnectorClient's options. */
export const CLIENT_OPTIONS = optionNames<ConnectorClientOptions>({
  apiKey: true,
  baseUrl: true,
  fetch: true,
  timeoutMs: true,
  deadlineMs: true,
  retry: true,
  validateResponses: true,
  userAgent: true,
  maxResponseBytes: true,
  onEvent: true,
});
/** The retry policy's options (createConnectorClient({ retry: { ... } })). */
export const RETRY_OPTIONS = optionNames<RetryOptions>({ maxAttempts: true, baseDelayMs: true, maxDelayMs: true, maxRetryAfterMs: true, statuses: true });
/** The options of each call (updateConnector's third argument). */
export const CALL_OPTIONS = optionNames<UpdateConnectorOptions>({ signal: true, headers: true, deadlineMs: true });
/** updateConnectors' options. */
export const BATCH_OPTIONS = optionNames<UpdateConnectorsOptions>({ concurrency: true, signal: true, headers: true, deadlineMs: true, onProgress: true });

/** Where an option of the client's API belongs, to tell a caller who put it in the wrong place. */
const PLACES: readonly { names: readonly string[]; where: (name: string) => string }[] = [
  { names: CLIENT_OPTIONS, where: (name) => `it is a client option: createConnectorClient({ ${name} })` },
  { names: CALL_OPTIONS, where: (name) => `it is an option of each call: client.updateConnector(path, patch, { ${name} })` },
  { names: BATCH_OPTIONS, where: (name) => `it is an option of the batch: client.updateConnectors(updates, { ${name} })` },
];

/** Names other HTTP clients use for ours (axios, ky, got, fetch wrappers). */
const ALIASES: Readonly<Record<string, string>> = {
  url: "baseUrl",
  baseurl: "baseUrl",
  prefixurl: "baseUrl",
  endpoint: "baseUrl",
  timeout: "timeoutMs",
  deadline: "deadlineMs",
  key: "apiKey",
  token: "apiKey",
  retries: "retry",
  maxretries: "maxAttempts",
  attempts: "maxAttempts",
  useragent: "userAgent",
  abortsignal: "signal",
};

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
 * name in another casing (`baseURL`), a known alias (`timeout`), a prefix (`coverage` for
 * `coverageFile`) or a small typo (`deadlineMS`, `maxAtempts`).
 */
export function closestOption(name: string, known: readonly string[]): string | undefined {
  const n = normal(name);
  const same = known.find((k) => normal(k) === n);
  if (same) return same;
  const alias = ALIASES[n];
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
  /** "did you mean ...", or where the option belongs; always says what to do. */
  advice: string;
}

/**
 * The names in `options` that `known` does not list, each with advice: the closest known name, or,
 * for the client's own functions, the place where the option belongs (`retry` in a call is a
 * client option). `options` that is not a plain object yields nothing: each caller says what the
 * argument must be. Values are never read, so nothing secret can reach a message.
 */
export function unknownOptions(options: unknown, known: readonly string[], { client = false }: { client?: boolean } = {}): UnknownOption[] {
  if (options === null || typeof options !== "object" || Array.isArray(options)) return [];
  const found: UnknownOption[] = [];
  const elsewhere = (name: string | undefined) => (name === undefined ? undefined : PLACES.find((place) => place.names.includes(name)));
  for (const name of Object.keys(options)) {
    if (known.includes(name)) continue;
    // An option of another of the client's functions, given here: say where it goes.
    const exact = client ? elsewhere(name) : undefined;
    const closest = exact ? undefined : closestOption(name, known);
    const anywhere = client && !exact && !closest ? closestOption(name, PLACES.flatMap((place) => place.names)) : undefined;
    const place = exact ?? elsewhere(anywhere);
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

/** `unknown option "baseURL" (did you mean "baseUrl"?)`, one per unknown name, joined into a sentence. */
export function describeUnknownOptions(unknown: readonly UnknownOption[]): string {
  return unknown.map(({ name, advice }) => `unknown option ${JSON.stringify(name)} (${advice})`).join("; ");
}

/**
 * Throws a TypeError naming each unknown option of `fn` and what to write instead. For functions
 * that take an options object and throw on bad input: createConnectorClient, startMockServer, and
 * the kit's other entry points (startFakeApi, verifyProvider can call it with their own names).
 */
export function assertKnownOptions(fn: string, options: unknown, known: readonly string[], settings: { client?: boolean } = {}): void {
  const unknown = unknownOptions(options, known, settings);
  if (unknown.length) {
    throw new TypeError(`${fn}: ${describeUnknownOptions(unknown)}. Options are checked so that a misspelt one is not silently ignored.`);
  }
}

/**
 * The unknown options of a call, as the client's invalid-request issues (`options.retry is not an
 * option here: it is a client option: createConnectorClient({ retry })`), for calls that reject
 * with a ConnectorApiError instead of throwing.
 */
export function unknownOptionIssues(options: unknown, known: readonly string[]): { in: "options"; path: string; keyword: string; message: string }[] {
  return unknownOptions(options, known, { client: true }).map(({ name, advice }) => ({
    in: "options",
    path: `/${name.replaceAll("~", "~0").replaceAll("/", "~1")}`,
    keyword: "additionalProperties",
    message: `is not an option here (${advice})`,
  }));
}
