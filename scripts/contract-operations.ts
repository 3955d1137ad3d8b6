// The one walk of the contract's operations for scripts/: generation (generate.mjs, which writes the
// registry generated/operations.ts from it), the enum policy (enum-tables.mjs), the README's tables
// (readme-fields.mjs), the Markdown docs (docs-markdown.ts) and the breaking-change gate. The facts
// the registry states per operation (idempotent, effect, rate-limit bucket) are read here, once, so
// a page or a table cannot word them differently from the registry the client and the kit read.
import { derefLocal } from "../src/contract-refs.js";
// The scripts' one test of "a JSON object" (schema-graph imports this module too: the cycle is safe,
// as neither uses the other's exports before both have loaded).
import { isObject } from "./gate/schema-graph.js";

// The bundled contract is untyped JSON here.
/* eslint-disable @typescript-eslint/no-explicit-any */
type Doc = any;

/** The operations a path item can hold (OpenAPI 3.1 §4.8.9), in the order they are walked. */
export const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;


/**
 * Every operation object of a document, in document order, as it is: nothing checked. For readers
 * of any contract, such as the breaking-change gate reading an older one.
 */
export function* pathOperations(doc: Doc): Generator<{ path: string; method: (typeof METHODS)[number]; item: any; operation: any }> {
  for (const [path, raw] of Object.entries<unknown>(isObject(doc?.paths) ? doc.paths : {})) {
    const item = derefLocal<any>(doc, raw);
    if (!isObject(item)) continue;
    for (const method of METHODS) if (isObject(item[method])) yield { path, method, item, operation: item[method] };
  }
}

/** One operation of the contract. */
export interface ContractOperation {
  operationId: string;
  /** Upper case, as sent and as the registry states it: `PATCH`. */
  method: string;
  path: string;
  /** The path item and the operation object, as the document has them. */
  item: any;
  operation: any;
  /** `PATCH /v2/evses/{uid}/connectors/{connectorId}`: how errors name it. */
  where: string;
  /** Its parameters, dereferenced: the path item's, each replaced by the operation's own of the same name and location. */
  parameters: any[];
}

/** How an operationId must look: it names the client method and the registry entry. */
const IDENTIFIER = /^[a-z][A-Za-z0-9]*$/;

/**
 * Every operation of the contract, in document order, with its path-level and own parameters
 * merged. An operation without a camelCase operationId, or an operationId used twice, is an error
 * naming it.
 */
export function operationsOf(doc: Doc): ContractOperation[] {
  const out: ContractOperation[] = [];
  const seen = new Set<string>();
  for (const { path, method, item, operation } of pathOperations(doc)) {
    const operationId = operation.operationId;
    const where = `${method.toUpperCase()} ${path}`;
    if (typeof operationId !== "string" || !IDENTIFIER.test(operationId)) {
      throw new Error(`spec/: ${where} needs a camelCase operationId (it names the client method and the registry entry)`);
    }
    if (seen.has(operationId)) throw new Error(`spec/: operationId "${operationId}" is used twice (again on ${where})`);
    seen.add(operationId);
    // An operation's own parameter replaces a path-level one with the same name and location (OpenAPI 3.1 §4.8.10).
    const byKey = new Map<string, any>();
    for (const p of [...(item.parameters ?? []), ...(operation.parameters ?? [])].map((p: unknown) => derefLocal<any>(doc, p))) byKey.set(`${p.in}:${p.name}`, p);
    out.push({ operationId, method: method.toUpperCase(), path, item, operation, where, parameters: [...byKey.values()] });
  }
  return out;
}

/** What sending an operation to a real charger does (`x-effect`). */
export const EFFECTS = ["read-only", "restorable", "physical", "destructive"] as const;
/** Methods that are idempotent when the contract says nothing (RFC 9110 safe methods). */
const IDEMPOTENT_BY_METHOD = ["GET", "HEAD", "OPTIONS"];

/** What the registry states of what sending an operation does. */
export interface OperationFacts {
  idempotent: boolean;
  effect: (typeof EFFECTS)[number];
  /** A key of the root's `x-rate-limit-buckets`. */
  rateLimitBucket: string;
}

/** The facts of one operation; a missing or unknown fact is an error naming the operation. */
export function operationFacts(doc: Doc, op: ContractOperation): OperationFacts {
  const { operation, operationId, where } = op;
  const idempotent = operation["x-idempotent"] ?? (IDEMPOTENT_BY_METHOD.includes(op.method) ? true : undefined);
  if (typeof idempotent !== "boolean") {
    throw new Error(`spec/: ${operationId} (${where}) must state x-idempotent: true or false (only GET, HEAD and OPTIONS imply true)`);
  }
  const effect = operation["x-effect"];
  if (!EFFECTS.includes(effect)) {
    throw new Error(`spec/: ${operationId} (${where}) must state x-effect: one of ${EFFECTS.join(", ")} (got ${JSON.stringify(effect)})`);
  }
  const buckets = doc["x-rate-limit-buckets"] ?? {};
  const rateLimitBucket = operation["x-rate-limit-bucket"];
  if (typeof rateLimitBucket !== "string" || !Object.hasOwn(buckets, rateLimitBucket)) {
    throw new Error(
      `spec/: ${operationId} (${where}) must state x-rate-limit-bucket: one of spec/openapi.yaml's x-rate-limit-buckets (${Object.keys(buckets).join(", ") || "none declared"}), got ${JSON.stringify(rateLimitBucket)}`,
    );
  }
  return { idempotent, effect, rateLimitBucket };
}

/** The root's `x-rate-limit-buckets`, each with its documented requests a minute (a whole number, at least 1). */
export function rateLimitBuckets(doc: Doc): Record<string, { requestsPerMinute: number }> {
  return Object.fromEntries(
    Object.entries<any>(doc["x-rate-limit-buckets"] ?? {}).map(([name, bucket]) => {
      const perMinute = bucket?.requestsPerMinute;
      if (!Number.isInteger(perMinute) || perMinute < 1) {
        throw new Error(`spec/openapi.yaml: x-rate-limit-buckets.${name}.requestsPerMinute must be a whole number, at least 1 (got ${JSON.stringify(perMinute)})`);
      }
      return [name, { requestsPerMinute: perMinute }];
    }),
  );
}
