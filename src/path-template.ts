// Fills an OpenAPI path template such as "/v2/evses/{uid}/connectors/{connectorId}", for the client,
// verify and the mock CLI alike. The template is parsed once, so that each request only concatenates (openapi-fetch's default serializer
// parses it again on every call, looking for label and matrix styles this contract does not use).

const PARAMETER = /\{(\w+)\}/g;

/** A function that fills `template`'s `{name}`s with encoded parameters; the template is parsed here, once. */
export function compilePath(template: string): (params: object | undefined) => string {
  const parts = template.split(PARAMETER); // literal, name, literal, name, ..., literal
  return (params) => {
    let out = parts[0]!;
    for (let i = 1; i < parts.length; i += 2) out += encodeURIComponent(String((params as Record<string, unknown> | undefined)?.[parts[i]!])) + parts[i + 1]!;
    return out;
  };
}

/**
 * The inverse, for servers: a function that matches a request path against `template` and returns
 * its `{name}`s decoded (as text: the caller decides what a valid value is), or undefined.
 */
export function compilePathMatcher(template: string): (path: string) => Record<string, string> | undefined {
  const names: string[] = [];
  const source = template
    .split(PARAMETER)
    .map((part, i) => (i % 2 === 1 ? (names.push(part), "([^/]+)") : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("");
  const pattern = new RegExp(`^${source}$`);
  return (path) => {
    const match = pattern.exec(path);
    if (!match) return undefined;
    try {
      return Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(match[i + 1]!)]));
    } catch {
      return undefined; // a malformed %-escape names nothing
    }
  };
}

/**
 * Routes a request to one of `operations` by method and concrete path, as OpenAPI matches: a
 * template with fewer `{name}`s wins over one with more (`/v2/evses/count` before `/v2/evses/{uid}`),
 * and the method must be one the contract gives that path. The query string is ignored. Shared by
 * the client, the fake, the mock and coverage, so that all of them attribute a request alike.
 */
export function compileOperationMatcher<T extends { method: string; path: string }>(
  operations: readonly T[],
): (method: string, path: string) => { operation: T; params: Record<string, string> } | undefined {
  const parameterCount = (template: string) => template.split(PARAMETER).length;
  const routes = [...operations]
    .sort((a, b) => parameterCount(a.path) - parameterCount(b.path))
    .map((operation) => ({ operation, method: operation.method.toUpperCase(), match: compilePathMatcher(operation.path) }));
  return (method, path) => {
    const bare = path.replace(/[?#].*$/s, "");
    const wanted = method.toUpperCase();
    for (const route of routes) {
      if (route.method !== wanted) continue;
      const params = route.match(bare);
      if (params) return { operation: route.operation, params };
    }
    return undefined;
  };
}
