// Read access to the bundled contract (generated/openapi.json) for the parts the testing kit needs at
// run time: the request schema, the examples, the documented responses. Nothing here restates them.
import { readFileSync } from "node:fs";
import { UPDATE_CONNECTOR } from "../../generated/values.js";
import { OPERATIONS, type OperationId } from "../../generated/operations.js";
import { derefLocal } from "../contract-refs.js";
import { CONTRACT_PATH } from "./contract-file.js";
import { documentedStatusKey } from "../documented-status.js";

/** A JSON Schema node as the bundled contract writes it (2020-12 keywords, `$ref`s into components). */
export type SchemaNode = { readonly [keyword: string]: unknown };

interface Document {
  info: { version: string };
  paths: Record<string, Record<string, SchemaNode>>;
}

let document: Document | undefined;

/** The parsed bundled contract, read once. */
export function contractDocument(): Document {
  document ??= JSON.parse(readFileSync(CONTRACT_PATH, "utf8")) as Document;
  return document;
}

/** Follows `$ref`s (local JSON pointers, as the bundler writes them) until a node without one. */
export const deref = (node: unknown): SchemaNode => derefLocal<SchemaNode>(contractDocument(), node);

/** The updateConnector operation object. */
export function updateConnectorOperation(): SchemaNode {
  const operation = contractDocument().paths[UPDATE_CONNECTOR.path]?.[UPDATE_CONNECTOR.method.toLowerCase()];
  if (!operation) throw new Error(`contract: no ${UPDATE_CONNECTOR.method} ${UPDATE_CONNECTOR.path}`);
  return operation;
}

const jsonContent = (node: SchemaNode): Record<string, SchemaNode> => (node["content"] ?? {}) as Record<string, SchemaNode>;

/** The request body's media type and schema (ConnectorUpdate), dereferenced. */
export function requestBody(): { mediaType: string; schema: SchemaNode } {
  const [mediaType, content] = Object.entries(jsonContent(deref(updateConnectorOperation()["requestBody"])))[0] ?? [];
  if (!mediaType || !content) throw new Error("contract: updateConnector has no request body");
  return { mediaType, schema: deref(content["schema"]) };
}

export interface NamedExample {
  name: string;
  summary: string;
  value: unknown;
}

/** The request body examples, in the contract's order. */
export function requestExamples(): NamedExample[] {
  const content = Object.values(jsonContent(deref(updateConnectorOperation()["requestBody"])))[0] ?? {};
  return Object.entries((content["examples"] ?? {}) as Record<string, unknown>).map(([name, example]) => {
    const resolved = deref(example);
    return { name, summary: String(resolved["summary"] ?? name), value: resolved["value"] };
  });
}

/** The path parameters' documented examples, e.g. `{ uid: 123456, connectorId: 1 }`. */
export function pathParameterExamples(): Record<string, unknown> {
  const document = contractDocument();
  const pathItem = document.paths[UPDATE_CONNECTOR.path] ?? {};
  const parameters = [...((pathItem["parameters"] ?? []) as unknown[]), ...((updateConnectorOperation()["parameters"] ?? []) as unknown[])];
  return Object.fromEntries(
    parameters.map(deref).filter((p) => p["in"] === "path").map((p) => [String(p["name"]), p["example"]]),
  );
}

/** What the contract documents for one response status key ("200", "4XX", ...). */
export interface DocumentedResponse {
  /** The response key the status matched: the exact code, else its range (`5XX`), else `default`. */
  key: string;
  /** Media types the contract lists for the body. */
  mediaTypes: string[];
  /** `x-provenance` of the response or its schema: "documented-nearby" and "inferred" are less than certain. */
  provenance: string | undefined;
}

/**
 * The documented response for a status: as OpenAPI matches (src/documented-status.ts).
 * `undefined` when the contract does not document the status at all.
 */
export function documentedResponse(status: number): DocumentedResponse | undefined {
  const documented: readonly string[] = UPDATE_CONNECTOR.documentedStatuses;
  const key = documentedStatusKey(status, documented);
  if (key === undefined) return undefined;
  const response = deref((updateConnectorOperation()["responses"] as Record<string, unknown>)[key]);
  const content = jsonContent(response);
  const schema = Object.values(content)[0]?.["schema"];
  const provenance = (response["x-provenance"] ?? (schema === undefined ? undefined : deref(schema)["x-provenance"])) as string | undefined;
  return { key, mediaTypes: Object.keys(content), provenance };
}

/**
 * The `x-provenance` of one documented response of any operation (of the response, else of its
 * schema): the registry (generated/operations.ts) records it per operation only, while an error
 * envelope is documented nearby even on a published page. Undefined when the response states none.
 */
export function responseProvenance(operationId: OperationId, key: string): string | undefined {
  const { path, method } = OPERATIONS[operationId];
  const responses = (contractDocument().paths[path]?.[method.toLowerCase()]?.["responses"] ?? {}) as Record<string, unknown>;
  if (responses[key] === undefined) return undefined;
  const response = deref(responses[key]);
  const schema = Object.values(jsonContent(response))[0]?.["schema"];
  return (response["x-provenance"] ?? (schema === undefined ? undefined : deref(schema)["x-provenance"])) as string | undefined;
}

/** The contract's version (info.version), for reports. */
export function contractVersion(): string {
  return contractDocument().info.version;
}
