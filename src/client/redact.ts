// Everything the client exposes (errors, their causes, hook payloads) passes through here, so the
// API key cannot leak even when a server or a fetch implementation echoes it back.

export const REDACTED = "[redacted]";

export interface Redactor {
  /** The text with every occurrence of the key replaced. */
  text(value: string): string;
  /**
   * A deep copy of JSON-like data (plain objects, arrays) with the key replaced in every string
   * value. Property names and the top-level fields in VOCABULARY are kept: they are the client's own words
   * (`kind`, `method`, `status`, ...), and a short key such as "t" must not turn `kind: "http"` into
   * nonsense or rename `status` away.
   */
  deep<T>(value: T): T;
  /** Headers as a plain object, Authorization redacted. */
  headers(headers: Headers): Record<string, string>;
  /** A plain copy of an error chain (name, message, code, stack, cause), scrubbed. */
  cause(error: unknown): Error;
}

/**
 * Top-level fields of error details and events whose values the client itself chooses from a fixed
 * set. Only at the top: deeper down, a provider's body may use the same names for its own values.
 */
const VOCABULARY = new Set(["kind", "method", "problem", "type"]);

export function createRedactor(secret: string): Redactor {
  const text = (value: string) => value.replaceAll(secret, REDACTED);

  const deep = (value: unknown, depth: number): unknown => {
    if (typeof value === "string") return text(value);
    if (value === null || typeof value !== "object" || depth > 64) return value;
    if (Array.isArray(value)) return value.map((item) => deep(item, depth + 1));
    // An Error (a caller's abort reason, say) may quote the key in its message: a scrubbed copy.
    if (value instanceof Error) return cause(value);
    // Only JSON-like data is copied (bodies, events); other objects are the caller's own and keep
    // their identity.
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return value;
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) copy[key] = depth === 0 && VOCABULARY.has(key) && typeof item === "string" ? item : deep(item, depth + 1);
    return copy;
  };

  const cause = (error: unknown, depth = 0): Error => {
    if (!(error instanceof Error)) return new Error(text(String(error)));
    const nested = error.cause !== undefined && depth < 4 ? cause(error.cause, depth + 1) : undefined;
    const copy = new Error(text(error.message), nested === undefined ? undefined : { cause: nested });
    copy.name = error.name;
    if (error.stack !== undefined) copy.stack = text(error.stack);
    // Only primitive diagnostics (code, errno, syscall, ...): objects such as sockets or requests
    // may carry headers, and with them the key.
    for (const [key, item] of Object.entries(error)) {
      if (typeof item === "string") (copy as unknown as Record<string, unknown>)[key] = text(item);
      else if (typeof item === "number" || typeof item === "boolean") (copy as unknown as Record<string, unknown>)[key] = item;
    }
    return copy;
  };

  return {
    text,
    deep: <T>(value: T) => deep(value, 0) as T,
    headers: (headers) => {
      const out: Record<string, string> = {};
      headers.forEach((value, name) => {
        out[name] = name === "authorization" ? `Bearer ${REDACTED}` : text(value);
      });
      return out;
    },
    cause: (error) => cause(error),
  };
}
