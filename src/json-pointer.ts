// JSON Pointers (RFC 6901): the one escape for a reference token, shared by the validators' issues,
// verify's findings, the contract's $refs and the scripts.

/** A key as a pointer token: `~` -> `~0`, `/` -> `~1`. */
export const escapePointer = (key: string | number): string =>
  String(key).replaceAll("~", "~0").replaceAll("/", "~1");

/** A pointer token back to its key (the reverse order of the escape, as RFC 6901 says). */
export const unescapePointer = (token: string): string => token.replaceAll("~1", "/").replaceAll("~0", "~");

/** A pointer from keys: `["connectors", 0]` -> `/connectors/0`; no keys is "" (the whole value). */
export const pointerFrom = (keys: readonly (string | number)[]): string =>
  keys.map((key) => `/${escapePointer(key)}`).join("");

/** The value a pointer ("" or "/a/b") names inside `root`, or undefined where there is none. */
export function valueAtPointer(root: unknown, pointer: string): unknown {
  let at: unknown = root;
  if (pointer === "") return at;
  for (const token of pointer.split("/").slice(1)) {
    if (at === null || typeof at !== "object") return undefined;
    at = (at as Record<string, unknown>)[unescapePointer(token)];
  }
  return at;
}
