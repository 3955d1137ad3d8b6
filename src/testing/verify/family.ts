// The operations beside the PATCH under test, verified by the same checks. What verify may send for
// each comes from the registry's `effect` (generated/operations.ts), never from a list of names here:
// - read-only: verified on every run (listEvses: paging with small limits, cursors sent back,
//   `limit` out of range, the `uids` filter; getEvse is the main loop's read before and after each write);
// - restorable (besides the PATCH itself): only with consent, and put back from the baseline;
// - physical, destructive: only with consent. Without it, only requests that cannot act are sent:
//   a body that breaks the request schema, or any request for an EVSE the run read as absent (404).
// Everything sent is judged like a PATCH: documented status, content type, schema, no 5xx, key not echoed.
import { OPERATIONS, RATE_LIMIT_BUCKETS, type OperationEffect, type OperationId } from "../../../generated/operations.js";
import { operationValidators } from "../../../generated/validators.js";
import type { CompiledValidator } from "../../../generated/validators.js";
import { compilePath } from "../../path-template.js";
import type { Redactor } from "../../redact.js";
import { contractDocument, deref } from "../contract-document.js";
import type { HttpOutcome } from "../http-exchange.js";
import { severityOf } from "./checks.js";
import { judgeExchange } from "./judge.js";
import type { ConnectorAddress } from "./paths.js";
import type { Finding, OperationConsent, OperationScope, ReceivedResponse, VerifyCase } from "./types.js";

export type { OperationConsent, OperationScope } from "./types.js";

/** The consent a caller gives for operations that act on a charger (options of verifyProvider). */
/** Which option (and CLI flag) allows an effect beyond reading; the PATCH under test needs none. */
export const CONSENT_BY_EFFECT: Partial<Record<OperationEffect, { option: keyof OperationConsent; flag: string }>> = {
  restorable: { option: "allowAvailability", flag: "--allow-availability" },
  physical: { option: "allowPhysical", flag: "--allow-physical" },
  destructive: { option: "allowDestructive", flag: "--allow-destructive" },
};

/** What a run does with one operation. */
/** The operation the run is built around (the main loop): the PATCH, and getEvse, its read. */
const MAIN: readonly OperationId[] = ["updateConnector", "getEvse"];

/** Each operation of the contract and what the run may send for it, from its effect and the consent given. */
export function operationScopes(consent: OperationConsent): OperationScope[] {
  return (Object.keys(OPERATIONS) as OperationId[]).map((operationId) => {
    const { effect } = OPERATIONS[operationId];
    const needs = MAIN.includes(operationId) || effect === "read-only" ? undefined : CONSENT_BY_EFFECT[effect];
    if (!needs || consent[needs.option] === true) return { operationId, effect, mode: "verified" };
    return { operationId, effect, mode: "harmless-only", reason: `${effect}: pass ${needs.flag}` };
  });
}

/**
 * The rate-limit bucket an operation belongs to (`x-rate-limit-bucket`) and that bucket's documented
 * limit a minute (the root's `x-rate-limit-buckets`), so each request is paced within its own bucket.
 */
export function rateLimitBucket(operationId: OperationId): { name: string; perMinute: number | undefined } {
  const name = OPERATIONS[operationId].rateLimitBucket;
  return { name, perMinute: RATE_LIMIT_BUCKETS[name].requestsPerMinute };
}

/** The path of any operation, filled from an address. */
export const pathOf = (operationId: OperationId, address: ConnectorAddress) => compilePath(OPERATIONS[operationId].path)(address);

/** One request of the family and how it is judged. */
export interface FamilyCase extends VerifyCase {
  operation: OperationId;
  method: string;
  path: string;
  query?: Record<string, string | string[]>;
}

/** The contract's request body schema of an operation, dereferenced (undefined without a body). */
function bodySchema(operationId: OperationId): Record<string, unknown> | undefined {
  const { path, method } = OPERATIONS[operationId];
  const operation = contractDocument().paths[path]?.[method.toLowerCase()];
  const content = operation?.["requestBody"] ? (deref(operation["requestBody"])["content"] as Record<string, { schema?: unknown }> | undefined) : undefined;
  const schema = content?.["application/json"]?.schema;
  return schema === undefined ? undefined : deref(schema);
}

/**
 * Bodies that break the request schema, built from it: the first required field left out, and
 * given a value of the wrong type. Each is checked to fail the compiled validator, so it cannot be
 * a request the provider may act on.
 */
export function malformedBodies(operationId: OperationId): Array<{ body: unknown; breaks: string }> {
  const schema = bodySchema(operationId);
  const validate = operationValidators[operationId].body as CompiledValidator<unknown> | null;
  if (!schema || !validate) return [];
  const required = ((schema["required"] ?? []) as string[])[0];
  if (required === undefined) return [];
  const field = deref((schema["properties"] as Record<string, unknown>)[required]);
  const wrong = field["type"] === "string" || Array.isArray(field["enum"]) ? 12345 : "not-a-number";
  return [
    { body: {}, breaks: `${required} missing` },
    { body: { [required]: wrong }, breaks: `${required} of the wrong type (${JSON.stringify(wrong)})` },
  ].filter((b) => !validate(b.body));
}

/** The contract's example value of a body field (the first `examples` entry), for a valid body. */
function validBody(operationId: OperationId, values: Record<string, unknown>): unknown {
  const schema = bodySchema(operationId);
  if (!schema) return undefined;
  const required = (schema["required"] ?? []) as string[];
  const properties = (schema["properties"] ?? {}) as Record<string, unknown>;
  return Object.fromEntries(required.map((name) => [name, values[name] ?? (deref(properties[name])["examples"] as unknown[] | undefined)?.[0]]));
}

/**
 * The requests for the operations that need consent: as a caller would send them when given, and
 * otherwise only those that cannot act (a malformed body; anything for `absentUid`, read as 404).
 * `absentUid` undefined: no EVSE was read as absent, so no valid request goes anywhere without consent.
 */
export function commandCases(scopes: readonly OperationScope[], address: ConnectorAddress, absentUid: number | undefined, transactionId: number | undefined): FamilyCase[] {
  const cases: FamilyCase[] = [];
  for (const scope of scopes) {
    const { operationId } = scope;
    if (MAIN.includes(operationId) || scope.effect === "read-only") continue;
    const { method } = OPERATIONS[operationId];
    const path = pathOf(operationId, address);
    const body = validBody(operationId, transactionId === undefined ? {} : { transactionId });
    // A restorable command's valid requests are the availability round's, which puts it back.
    if (scope.mode === "verified" && scope.effect !== "restorable") {
      cases.push({ id: `${operationId}:valid`, kind: "valid", operation: operationId, method, path, title: `${operationId} of connector ${address.connectorId} (consent given)`, body });
    }
    // Without consent even a malformed body goes only to the EVSE read as absent: a lax provider
    // might act on it with a default (stop the running session, unlock), and nothing puts that back.
    const malformedUid = scope.mode !== "verified" ? absentUid : address.uid;
    if (malformedUid !== undefined) {
      const malformedPath = pathOf(operationId, { uid: malformedUid, connectorId: address.connectorId });
      for (const [i, bad] of malformedBodies(operationId).entries()) {
        cases.push({
          id: `${operationId}:invalid#${i + 1}`,
          kind: "invalid",
          operation: operationId,
          method,
          path: malformedPath,
          ...(malformedUid === address.uid ? {} : { address: { uid: malformedUid, connectorId: address.connectorId } }),
          title: `${operationId} with ${bad.breaks}${malformedUid === address.uid ? "" : ` for EVSE ${malformedUid}, which reads as 404`}: a documented 4xx expected, nothing done`,
          body: bad.body,
        });
      }
    }
    if (absentUid !== undefined) {
      const address_ = { uid: absentUid, connectorId: address.connectorId };
      cases.push({
        id: `${operationId}:unknown-evse`,
        kind: "unknown",
        operation: operationId,
        method,
        path: pathOf(operationId, address_),
        address: address_,
        title: `${operationId} of EVSE ${absentUid}, which reads as 404: 404 expected`,
        body,
      });
    }
  }
  return cases;
}

/** A listEvses request with a query. */
export function listCase(id: string, kind: VerifyCase["kind"], title: string, query: Record<string, string | string[]>): FamilyCase {
  return { id, kind, operation: "listEvses", method: OPERATIONS.listEvses.method, path: OPERATIONS.listEvses.path, title, body: undefined, query };
}

/** The URL of a case, its query in the contract's form (an array as the key repeated). */
export function caseUrl(target: URL, kase: FamilyCase): URL {
  const url = new URL(kase.path, target);
  for (const [name, value] of Object.entries(kase.query ?? {})) for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(name, v);
  return url;
}

/**
 * Judges one answer of the family with the one judge (judge.ts), as the PATCH's answers are: the
 * operation's documented statuses, content types, schemas and open enums, from the registry; what
 * an operation documented only nearby carries is judged as warnings.
 */
export function judgeFamilyAnswer(
  kase: FamilyCase,
  outcome: HttpOutcome,
  address: ConnectorAddress,
  redact: Redactor,
  echoesKey: (outcome: Extract<HttpOutcome, { kind: "answered" }>) => boolean,
): { findings: Finding[]; response?: ReceivedResponse; body?: unknown } {
  const judged = judgeExchange({ kase, outcome, path: address, redact, echoesKey });
  return { findings: judged.findings, ...(judged.response ? { response: judged.response } : {}), ...(judged.rawBody === undefined ? {} : { body: judged.rawBody }) };
}

/** A request sent and judged, with the provider's parsed body (not redacted: for the checks only). */
export interface SentFamilyCase {
  findings: Finding[];
  body: unknown;
  status: number | undefined;
}
export type SendFamilyCase = (kase: FamilyCase) => Promise<SentFamilyCase>;

const finding = (check: string, rule: string, message: string): Finding => ({ check, severity: severityOf(check), rule, pointer: "", message, source: "verify" });
const pageOf = (body: unknown) => {
  const page = body as { data?: Array<{ uid?: unknown }>; nextPageCursor?: unknown } | undefined;
  const data = Array.isArray(page?.data) ? page.data : undefined;
  const cursor = typeof page?.nextPageCursor === "string" && page.nextPageCursor !== "" ? page.nextPageCursor : undefined;
  return { data, uids: (data ?? []).map((e) => e?.uid), cursor };
};

/** How many pages each small-limit walk follows: enough to see cursors work, few enough for a large fleet. */
export const PAGES_WALKED = 3;

/**
 * listEvses, read-only and so verified on every run: walks with `limit` 1 and 2 (each page at most
 * that many, a cursor sent back gives EVSEs not seen before), `limit` 0 and 101 (a documented 4xx),
 * and `uids` = the EVSE under test (exactly it). Each request is sent by `send`, which paces it as
 * a read and judges it with the exchange checks; the paging checks add their findings here.
 */
export async function verifyListEvses(send: SendFamilyCase, uid: number): Promise<void> {
  for (const limit of [1, 2]) {
    const seen = new Set<unknown>();
    let cursor: string | undefined;
    for (let page = 1; page <= PAGES_WALKED; page++) {
      const query: Record<string, string> = { limit: String(limit), ...(cursor === undefined ? {} : { nextPageCursor: cursor }) };
      const title = page === 1 ? `listEvses, first page of ${limit}` : `listEvses, page ${page} of ${limit} (the previous page's nextPageCursor sent back)`;
      const kase = listCase(`listEvses:limit-${limit}#${page}`, "valid", title, query);
      const sent = await send(kase);
      if (sent.status !== 200) break;
      const { data, uids, cursor: next } = pageOf(sent.body);
      if (!data) break; // the schema check reports it
      if (data.length > limit) sent.findings.push(finding("page-limit-respected", "page-limit", `a page asked for with limit ${limit} holds ${data.length} EVSEs`));
      const repeated = uids.filter((u) => seen.has(u));
      if (repeated.length > 0) {
        sent.findings.push(finding("cursor-round-trip", "repeated-evse", `the page after sending back nextPageCursor holds EVSE(s) ${repeated.map((u) => JSON.stringify(u)).join(", ")} again, already on an earlier page`));
      }
      if (page > 1 && data.length === 0 && next !== undefined) sent.findings.push(finding("cursor-round-trip", "empty-page", "a page reached with a cursor is empty but offers yet another nextPageCursor"));
      uids.forEach((u) => seen.add(u));
      if (next === undefined) break;
      cursor = next;
    }
  }
  for (const limit of [0, 101]) await send(listCase(`listEvses:limit-${limit}`, "invalid", `listEvses with limit ${limit} (the contract allows 1 to 100): a documented 4xx expected`, { limit: String(limit) }));
  const filtered = await send(listCase("listEvses:uids", "valid", `listEvses with uids=${uid}: only EVSE ${uid} expected`, { uids: [String(uid)] }));
  if (filtered.status === 200) {
    const { data, uids } = pageOf(filtered.body);
    if (data && (uids.length !== 1 || uids[0] !== uid)) {
      filtered.findings.push(finding("filter-respected", "uids-filter", `asked for uids=${uid}, the page holds ${uids.length === 0 ? "no EVSE" : `EVSE(s) ${uids.map((u) => JSON.stringify(u)).join(", ")}`}; exactly EVSE ${uid} was expected`));
    }
  }
}
