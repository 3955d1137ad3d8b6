// The package's one redactor, for the client and the testing kit alike.
//
// The rule it serves: what the package writes itself (a method, a URL built from the base URL and
// the ids, a kind, a field name) never contains the key and is never rewritten; everything that
// came from outside (response bodies and headers, a caller's abort reason, a fetch's error and its
// cause chain, a provider's echo) is redacted as a VALUE, before any text is built from it. Text is
// never redacted after it is written: with a key such as "t" or "v2" that would corrupt the
// package's own words (and once made URL parsing throw).

export const REDACTED = "[redacted]";

/** Work bounds, so that a hostile or cyclic value cannot make redaction slow or deep. */
const MAX_DEPTH = 16;
const MAX_NODES = 10_000;

export interface Redactor {
  /** A string from outside, with every occurrence of the key replaced. */
  text(value: string): string;
  /**
   * A redacted copy of any value from outside: strings and property names, arrays, plain objects,
   * class instances (as plain objects of their own enumerable fields), Errors (name, message, stack,
   * cause and own enumerable fields, as an Error), Maps and Sets. Cycles become "[circular]",
   * anything deeper than the bounds "[truncated]". Never throws, whatever the value does.
   */
  value<T>(value: T): T;
  /** A redacted copy of an error from outside (or of anything thrown), always an Error. */
  error(error: unknown): Error;
  /** Headers as a plain object with lower-cased names; Authorization as `Bearer [redacted]`. */
  headers(headers: Headers | Record<string, string | string[] | undefined>): Record<string, string>;
}

const identity: Redactor = {
  text: (value) => value,
  value: (value) => value,
  error: (error) => (error instanceof Error ? error : new Error(safeString(error))),
  headers: (headers) => plainHeaders(headers, (value) => value),
};

/** A redactor for `secret`. An empty or missing secret redacts nothing (there is nothing to hide). */
export function createRedactor(secret: string | undefined): Redactor {
  if (typeof secret !== "string" || secret === "") return identity;
  const text = (value: string) => (value.includes(secret) ? value.replaceAll(secret, REDACTED) : value);

  const copy = (value: unknown, seen: Set<object>, budget: { nodes: number }, depth: number): unknown => {
    if (typeof value === "string") return text(value);
    if (typeof value === "function") return `[function ${text(value.name || "anonymous")}]`;
    if (typeof value === "symbol") return text(value.toString());
    if (value === null || typeof value !== "object") return value;
    if (seen.has(value)) return "[circular]";
    if (depth >= MAX_DEPTH || --budget.nodes < 0) return "[truncated]";
    seen.add(value);
    try {
      const inner = (item: unknown) => copy(item, seen, budget, depth + 1);
      if (value instanceof Error) return copyError(value, inner);
      if (Array.isArray(value)) return value.map(inner);
      if (value instanceof Map) return new Map([...value].map(([k, v]) => [inner(k), inner(v)]));
      if (value instanceof Set) return new Set([...value].map(inner));
      if (value instanceof Date) return new Date(value.getTime());
      if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return `[${value.byteLength} bytes]`;
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(value)) out[text(key)] = inner(readField(value, key));
      return out;
    } catch {
      // A Proxy or an exotic object that refuses to be read: say so rather than throw.
      return "[unreadable]";
    } finally {
      seen.delete(value);
    }
  };

  const copyError = (error: Error, inner: (item: unknown) => unknown): Error => {
    const cause = readField(error, "cause");
    const result = new Error(text(safeString(readField(error, "message"))), cause === undefined ? undefined : { cause: inner(cause) });
    result.name = text(safeString(readField(error, "name") ?? "Error"));
    const stack = readField(error, "stack");
    result.stack = typeof stack === "string" ? text(stack) : `${result.name}: ${result.message}`;
    for (const key of Object.keys(error)) {
      if (key === "cause" || key === "message" || key === "stack" || key === "name") continue;
      (result as unknown as Record<string, unknown>)[text(key)] = inner(readField(error, key));
    }
    return result;
  };

  const value = <T>(input: T): T => copy(input, new Set(), { nodes: MAX_NODES }, 0) as T;
  return {
    text,
    value,
    error: (error) => {
      const copied = value(error);
      return copied instanceof Error ? copied : new Error(typeof copied === "string" ? copied : safeString(copied));
    },
    headers: (headers) => plainHeaders(headers, text),
  };
}

function readField(value: object, key: string): unknown {
  try {
    return (value as Record<string, unknown>)[key];
  } catch {
    return "[unreadable]"; // a getter that throws
  }
}

function safeString(value: unknown): string {
  try {
    if (typeof value === "string") return value;
    return JSON.stringify(value) ?? String(value);
  } catch {
    return "[unreadable]";
  }
}

function plainHeaders(headers: Headers | Record<string, string | string[] | undefined>, text: (value: string) => string): Record<string, string> {
  const out: Record<string, string> = {};
  const add = (name: string, value: string) => {
    const lower = name.toLowerCase();
    out[text(lower)] = lower === "authorization" ? (value.startsWith("Bearer ") ? `Bearer ${REDACTED}` : REDACTED) : text(value);
  };
  if (typeof Headers !== "undefined" && headers instanceof Headers) headers.forEach((value, name) => add(name, value));
  else for (const [name, value] of Object.entries(headers)) if (value !== undefined) add(name, Array.isArray(value) ? value.join(", ") : value);
  return out;
}
