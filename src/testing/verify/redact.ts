/**
 * Removes a secret from everything verify prints or writes, a provider that echoes the key in a
 * body included. It works on values, before they are formatted: replacing the key in finished
 * text would also hit the report's own words, so a short key such as "test" turned `<testcase>`
 * into `<[redacted]case>` and left a JUnit file without test cases.
 */
export function redactor(secret: string): <T>(value: T) => T {
  const text = (value: string) => (secret === "" ? value : value.replaceAll(secret, "[redacted]"));
  const deep = (value: unknown, depth: number): unknown => {
    if (typeof value === "string") return text(value);
    if (value === null || typeof value !== "object" || depth > 64) return value;
    if (Array.isArray(value)) return value.map((item) => deep(item, depth + 1));
    if (value instanceof Error) {
      const copy = new Error(text(value.message));
      copy.name = value.name;
      return copy;
    }
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return value;
    // Property names are kept: they are the report's structure (a body's own names are data, but
    // renaming them would misreport what the provider sent).
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, deep(item, depth + 1)]));
  };
  return <T>(value: T) => deep(value, 0) as T;
}
