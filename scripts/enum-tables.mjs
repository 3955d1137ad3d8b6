// The enum parts of generation (scripts/generate.mjs): the constants of every enum's values, the
// open-enum tables the client reads on its hot path (src/enum-values.ts), the TypeScript form of an
// open enum, and the contract's enum policy, checked before anything is written:
//   - an enum reachable from a response is open (it lists its known values and accepts any other
//     string: Spirii's versioning page makes a new value a non-breaking, minor change);
//   - an enum reachable from a request is closed (strict in what a client sends);
//   - an open enum is a component schema, so that its values have a name and a constant.
import ts from "typescript";
import { STRING, tsIntersection, tsLiteral, tsUnion } from "openapi-typescript";
import { derefLocal } from "../src/contract-refs.ts";
import { closedEnumValues, enumValues, openEnumValues } from "../src/enum-schema.ts";
import { operationsOf } from "./contract-operations.ts";

const SCHEMA_PREFIX = "#/components/schemas/";

/** SCREAMING_SNAKE plural of a schema name: EvseStatus -> EVSE_STATUSES. */
export function constantName(schemaName) {
  const snake = schemaName.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();
  return snake.endsWith("S") ? `${snake}ES` : `${snake}S`;
}

/**
 * Every enum under `node`: its path from `node` (property names; `null` enters every element of an
 * array), its component name (when it is one) and whether it is open. `unsupported` collects
 * enums under keywords the client's table cannot address (additionalProperties, patternProperties).
 */
function enumSites(doc, node, path = [], name = undefined, seen = new Set(), out = { sites: [], unsupported: [] }) {
  if (!node || typeof node !== "object") return out;
  if (typeof node.$ref === "string") {
    if (seen.has(node.$ref)) return out;
    const target = derefLocal(doc, node);
    const refName = node.$ref.startsWith(SCHEMA_PREFIX) ? node.$ref.slice(SCHEMA_PREFIX.length) : undefined;
    return enumSites(doc, target, path, refName, new Set([...seen, node.$ref]), out);
  }
  const open = openEnumValues(node);
  if (open || closedEnumValues(node)) {
    out.sites.push({ path, name, open: open !== undefined });
    return out;
  }
  for (const [field, child] of Object.entries(node.properties ?? {})) enumSites(doc, child, [...path, field], undefined, seen, out);
  if (node.items) enumSites(doc, node.items, [...path, null], undefined, seen, out);
  for (const [i, child] of (node.prefixItems ?? []).entries()) enumSites(doc, child, [...path, String(i)], undefined, seen, out);
  for (const key of ["anyOf", "oneOf", "allOf"]) for (const child of node[key] ?? []) enumSites(doc, child, path, undefined, seen, out);
  for (const key of ["additionalProperties", "patternProperties"]) {
    if (node[key] && typeof node[key] === "object" && enumSites(doc, node[key], path).sites.length) out.unsupported.push({ path, key });
  }
  return out;
}

const showPath = (path) => (path.length ? path.map((s) => (s === null ? "[]" : s)).join(".") : "(the value itself)");

/** The request and response schemas of every operation (its parameters as it takes them), with where they sit. */
function operationSchemas(doc) {
  const request = [];
  const response = [];
  for (const { operation, operationId, where: at, parameters } of operationsOf(doc)) {
    for (const parameter of parameters) {
      if (parameter.schema) request.push({ at: `${at} parameter ${parameter.name}`, schema: parameter.schema });
    }
    if (operation.requestBody) {
      for (const [type, content] of Object.entries(derefLocal(doc, operation.requestBody).content ?? {})) {
        if (content.schema) request.push({ at: `${at} request ${type}`, schema: content.schema });
      }
    }
    for (const [status, raw] of Object.entries(operation.responses ?? {})) {
      for (const [type, content] of Object.entries(derefLocal(doc, raw).content ?? {})) {
        if (content.schema) response.push({ at: `${at} ${status} ${type}`, schema: content.schema, operationId, status });
      }
    }
  }
  return { request, response };
}

/** Throws, naming every place, when the contract breaks the enum policy above. */
export function assertEnumPolicy(doc) {
  const problems = [];
  const { request, response } = operationSchemas(doc);
  for (const { at, schema } of response) {
    const { sites, unsupported } = enumSites(doc, schema);
    for (const site of sites) {
      const what = `${at}: ${showPath(site.path)}${site.name ? ` (${site.name})` : ""}`;
      if (!site.open) problems.push(`${what} is a closed enum in a response; write it as anyOf: [{enum: [...]}, {type: string}] (new values are non-breaking)`);
      else if (!site.name) problems.push(`${what} is an open enum written inline; make it a component schema so its values get a constant`);
    }
    for (const u of unsupported) problems.push(`${at}: an enum under ${u.key} at ${showPath(u.path)} cannot be checked by the client; extend scripts/enum-tables.mjs`);
  }
  for (const { at, schema } of request) {
    for (const site of enumSites(doc, schema).sites) {
      if (site.open) problems.push(`${at}: ${showPath(site.path)}${site.name ? ` (${site.name})` : ""} is an open enum in a request; requests are closed: use a separate closed schema (like ConnectorUpdateFormat)`);
    }
  }
  if (problems.length) throw new Error(`the contract breaks its enum policy:\n  ${problems.join("\n  ")}`);
}

/** values.ts: one constant per enum schema with its values (known values, for an open enum). */
export function enumConstantLines(doc) {
  const lines = [];
  for (const [name, schema] of Object.entries(doc.components.schemas)) {
    const values = enumValues(schema);
    if (!values) continue;
    lines.push(
      openEnumValues(schema)
        ? `/** The known \`${name}\` values of the contract, in its order. Open: a response may carry another string. */`
        : `/** The \`${name}\` values of the contract, in its order. */`,
    );
    lines.push(`export const ${constantName(name)} = ${JSON.stringify(values)} as const;`, "");
  }
  return lines;
}

/**
 * values.ts: the tables src/enum-values.ts reads (after enumConstantLines and OCPP_TO_OCPI_STATUS,
 * which they name): each open enum's known values and OCPP mapping, and where each component schema
 * carries one. (Which schema each response body is: the operations registry, generated/operations.ts.)
 */
export function openEnumTableLines(doc, { ocppMappingConstant = { EvseStatus: "OCPP_TO_OCPI_STATUS" } } = {}) {
  const schemas = doc.components.schemas;
  const open = Object.keys(schemas).filter((name) => openEnumValues(schemas[name]));
  const lines = ["/** Every open enum (a response enum): its known values and, where the contract states one, its OCPP -> OCPI mapping. */"];
  lines.push("export const OPEN_ENUMS = {");
  for (const name of open) {
    const mapping = schemas[name]["x-ocpp-status-mapping"];
    const ocpp = mapping === undefined ? "" : `, ocppMapping: ${ocppMappingConstant[name] ?? JSON.stringify(mapping)}`;
    lines.push(`  ${JSON.stringify(name)}: { known: ${constantName(name)}${ocpp} },`);
  }
  lines.push("} as const;", "");
  const fields = {};
  for (const name of Object.keys(schemas)) {
    const sites = enumSites(doc, { $ref: `${SCHEMA_PREFIX}${name}` }).sites.filter((s) => s.open && s.name);
    if (sites.length) fields[name] = sites.map((s) => ({ path: s.path, enum: s.name }));
  }
  lines.push("/** Where each component schema carries an open enum: property names from the schema's root (`null` enters every element of an array). */");
  lines.push("export const OPEN_ENUM_FIELDS = {");
  for (const [name, sites] of Object.entries(fields)) lines.push(`  ${JSON.stringify(name)}: [${sites.map((s) => `{ path: ${JSON.stringify(s.path)}, enum: ${JSON.stringify(s.enum)} }`).join(", ")}],`);
  lines.push("} as const;", "");
  return lines;
}

/**
 * openapi-typescript's `transform` hook: an open enum becomes `"AVAILABLE" | ... | (string & {})`,
 * which keeps editors' completion of the known values, admits any other string, and makes a
 * `switch` over it need a `default` (openapi-typescript alone would write `... | string`, which
 * TypeScript collapses to `string`).
 */
export function openEnumType(schema) {
  const known = openEnumValues(schema);
  if (!known) return undefined;
  return tsUnion([...known.map((v) => tsLiteral(v)), tsIntersection([STRING, ts.factory.createTypeLiteralNode([])])]);
}
