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
