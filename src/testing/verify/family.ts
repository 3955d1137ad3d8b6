// The operations beside the PATCH under test, verified by the same checks. What verify may send for
// each comes from the registry's `effect` (generated/operations.ts), never from a list of names here:
// - read-only: verified on every run (listEvses: paging with small limits, cursors sent back both
//   ways, `limit` out of range, the `uids` and `chargeboxIds` filters; getEvse is the main loop's
//   read before and after each write);
// - restorable (besides the PATCH itself): only with consent, and put back from the baseline;
// - physical, destructive: only with consent, and read back after (settings left alone, a stop
//   accepted ends the session). Without it, only requests that cannot act are sent: a body that
//   breaks the request schema, or any request for an EVSE the run read as absent (404).
// Everything sent is judged like a PATCH: documented status, content type, schema, no 5xx, key not echoed.
import { OPERATIONS, RATE_LIMIT_BUCKETS, type OperationEffect, type OperationId } from "../../../generated/operations.js";
import { OCPP_TO_OCPI_STATUS, type REMOTE_STOP_STATUSES } from "../../../generated/values.js";
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

/** Which option (and CLI flag) allows an effect beyond reading; the PATCH under test needs none. */
export const CONSENT_BY_EFFECT: Partial<Record<OperationEffect, { option: keyof OperationConsent; flag: string }>> = {
  restorable: { option: "allowAvailability", flag: "--allow-availability" },
  physical: { option: "allowPhysical", flag: "--allow-physical" },
  destructive: { option: "allowDestructive", flag: "--allow-destructive" },
};

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
    // A malformed body goes only to the EVSE read as absent, consent or not: a lax provider might act
    // on it with a default (stop a session other than the one named, unlock), and nothing puts that
    // back. Only a restorable command's may go to the connector under test, with consent: the
    // availability round sends them after reading the status it puts back.
    const malformedUid = scope.mode === "verified" && scope.effect === "restorable" ? address.uid : absentUid;
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
/** What a check of the family adds to an exchange once its answer is in: findings, and notes on what it could not check. */
export interface FamilyVerdict {
  findings?: Finding[];
  notes?: string[];
}
/** A check of one answer beyond the exchange checks (paging, a command's effect); may read the EVSE back first. */
export type FamilyJudge = (answer: { status: number | undefined; body: unknown }) => FamilyVerdict | Promise<FamilyVerdict>;
/**
 * Sends a request, judges it with the exchange checks and then `judge`, and only then announces it
 * (the run's `--check` settings applied to all its findings alike). "interrupted": the run was
 * aborted before it was sent (checked right before the send, after any read), so nothing was sent.
 */
export type SendFamilyCase = (kase: FamilyCase, judge?: FamilyJudge) => Promise<SentFamilyCase | "interrupted">;

const finding = (check: string, rule: string, message: string): Finding => ({ check, severity: severityOf(check), rule, pointer: "", message, source: "verify" });
/** A cursor as the contract's pages read it: absent, null or empty means there is none. */
const cursorOf = (value: unknown) => (typeof value === "string" && value !== "" ? value : undefined);
const pageOf = (body: unknown) => {
  const page = body as { data?: Array<{ uid?: unknown; chargeboxId?: unknown }>; nextPageCursor?: unknown; previousPageCursor?: unknown } | undefined;
  const data = Array.isArray(page?.data) ? page.data : undefined;
  return { data, uids: (data ?? []).map((e) => e?.uid), cursor: cursorOf(page?.nextPageCursor), previous: cursorOf(page?.previousPageCursor) };
};
/** EVSEs as a message names them; each uid is the provider's value, redacted (a provider may echo the key into one). */
const listed = (uids: readonly unknown[], redact: Redactor) => (uids.length === 0 ? "no EVSE" : `EVSE(s) ${uids.map((u) => JSON.stringify(redact.value(u))).join(", ")}`);

/** How many pages each small-limit walk follows: enough to see cursors work, few enough for a large fleet. */
export const PAGES_WALKED = 3;
/** The most listEvses requests a run sends: two walks, one previousPageCursor sent back, limit 0 and 101, the two filters. */
export const LIST_REQUESTS = 2 * PAGES_WALKED + 1 + 2 + 2;
/** listEvses' `limit` range as the contract states it (the query parameter's minimum and maximum). */
function pageLimitRange(): { min: number; max: number } {
  const { path, method } = OPERATIONS.listEvses;
  const parameters = (contractDocument().paths[path]?.[method.toLowerCase()]?.["parameters"] ?? []) as unknown[];
  const limit = parameters.map((p) => deref(p)).find((p) => p["name"] === "limit" && p["in"] === "query");
  const schema = limit?.["schema"] === undefined ? {} : deref(limit["schema"]);
  const { minimum, maximum } = schema as { minimum?: unknown; maximum?: unknown };
  if (typeof minimum !== "number" || typeof maximum !== "number") throw new Error("the contract's listEvses limit parameter states no minimum and maximum: verify's paging checks need both");
  return { min: minimum, max: maximum };
}
const PAGE_LIMITS = pageLimitRange();
/** The page size of the chargeboxIds request: the contract's largest, so the EVSE under test is on the first page of its charge box. */
const FILTER_LIMIT = PAGE_LIMITS.max;

/** The EVSE under test as the run read it: its uid, and its charge box when the read shows one. */
export interface ListedEvse {
  uid: number;
  chargeboxId: unknown;
}

/**
 * listEvses, read-only and so verified on every run: walks with `limit` 1 and 2 (each page at most
 * that many, a cursor sent back gives EVSEs not seen before), sends page 2's `previousPageCursor`
 * back once (page 1's EVSEs again), `limit` 0 and 101 (a documented 4xx), `uids` = the EVSE under
 * test (exactly it) and `chargeboxIds` = its charge box (only EVSEs of that box, it among them).
 * Each request is sent by `send`, which paces it as a read and judges it with the exchange checks
 * and the paging check given. Stops before the next request once `signal` is aborted. Every
 * provider value a finding quotes goes through `redact`.
 */
export async function verifyListEvses(send: SendFamilyCase, evse: ListedEvse, redact: Redactor, signal?: AbortSignal): Promise<void> {
  const { uid } = evse;
  const stopped = () => signal?.aborted === true;
  let previousChecked = false;
  for (const limit of [1, 2]) {
    const seen = new Set<unknown>();
    let cursor: string | undefined;
    let firstPage: unknown[] = [];
    for (let page = 1; page <= PAGES_WALKED; page++) {
      if (stopped()) return;
      const query: Record<string, string> = { limit: String(limit), ...(cursor === undefined ? {} : { nextPageCursor: cursor }) };
      const title = page === 1 ? `listEvses, first page of ${limit}` : `listEvses, page ${page} of ${limit} (the previous page's nextPageCursor sent back)`;
      let previous: string | undefined;
      let next: string | undefined;
      let ok = false;
      await send(listCase(`listEvses:limit-${limit}#${page}`, "valid", title, query), ({ status, body }) => {
        if (status !== 200) return {};
        const answer = pageOf(body);
        if (!answer.data) return {}; // the schema check reports it
        ok = true;
        ({ cursor: next, previous } = answer);
        const findings: Finding[] = [];
        if (answer.data.length > limit) findings.push(finding("page-limit-respected", "page-limit", `a page asked for with limit ${limit} holds ${answer.data.length} EVSEs`));
        const repeated = answer.uids.filter((u) => seen.has(u));
        if (repeated.length > 0) {
          findings.push(finding("cursor-round-trip", "repeated-evse", `the page after sending back nextPageCursor holds ${listed(repeated, redact)} again, already on an earlier page`));
        }
        if (page > 1 && answer.data.length === 0 && next !== undefined) findings.push(finding("cursor-round-trip", "empty-page", "a page reached with a cursor is empty but offers yet another nextPageCursor"));
        answer.uids.forEach((u) => seen.add(u));
        if (page === 1) firstPage = answer.uids;
        const notes = page === 1 && next === undefined ? [`the first page of ${limit} offers no nextPageCursor: the fleet fits one page, so cursors were not sent back`] : [];
        if (page === 2 && previous === undefined && !previousChecked) notes.push("page 2 offers no previousPageCursor (the contract's pages make it optional): the way back was not checked");
        return { findings, notes };
      });
      if (!ok) break;
      // Page 2's way back, once a run: it must give page 1's EVSEs again, in the same order.
      if (page === 2 && previous !== undefined && !previousChecked && !stopped()) {
        previousChecked = true;
        const back = { limit: String(limit), previousPageCursor: previous };
        await send(listCase(`listEvses:limit-${limit}#back`, "valid", `listEvses, page 2 of ${limit}'s previousPageCursor sent back: page 1 again expected`, back), ({ status, body }) => {
          if (status !== 200) return {};
          const answer = pageOf(body);
          if (!answer.data || same(answer.uids, firstPage)) return {};
          return { findings: [finding("cursor-round-trip", "previous-page", `page 2's previousPageCursor sent back gives ${listed(answer.uids, redact)}; page 1 held ${listed(firstPage, redact)}`)] };
        });
      }
      if (next === undefined) break;
      cursor = next;
    }
  }
  const range = PAGE_LIMITS;
  for (const limit of [range.min - 1, range.max + 1]) {
    if (stopped()) return;
    await send(listCase(`listEvses:limit-${limit}`, "invalid", `listEvses with limit ${limit} (the contract allows ${range.min} to ${range.max}): a documented 4xx expected`, { limit: String(limit) }));
  }
  if (stopped()) return;
  await send(listCase("listEvses:uids", "valid", `listEvses with uids=${uid}: only EVSE ${uid} expected`, { uids: [String(uid)] }), ({ status, body }) => {
    const { data, uids } = pageOf(body);
    if (status !== 200 || !data || (uids.length === 1 && uids[0] === uid)) return {};
    return { findings: [finding("filter-respected", "uids-filter", `asked for uids=${uid}, the page holds ${listed(uids, redact)}; exactly EVSE ${uid} was expected`)] };
  });
  if (stopped()) return;
  const box = evse.chargeboxId;
  if (typeof box !== "number" || !Number.isSafeInteger(box) || box < 0) return; // the read's schema check reports it; there is nothing to ask for
  const query = { chargeboxIds: [String(box)], limit: String(FILTER_LIMIT) };
  await send(listCase("listEvses:chargeboxIds", "valid", `listEvses with chargeboxIds=${box} (EVSE ${uid}'s charge box): only EVSEs of charge box ${box}, ${uid} among them`, query), ({ status, body }) => {
    const { data, uids, cursor } = pageOf(body);
    if (status !== 200 || !data) return {};
    const findings: Finding[] = [];
    const elsewhere = data.filter((e) => e?.chargeboxId !== box);
    if (elsewhere.length > 0) {
      findings.push(finding("filter-respected", "chargebox-filter", `asked for chargeboxIds=${box}, the page holds ${listed(elsewhere.map((e) => e?.uid), redact)} of charge box(es) ${[...new Set(elsewhere.map((e) => JSON.stringify(redact.value(e?.chargeboxId))))].join(", ")}`));
    }
    // Past the first page it may be further on: judged only when the page is the whole answer.
    if (!uids.includes(uid) && cursor === undefined) findings.push(finding("filter-respected", "chargebox-filter", `asked for chargeboxIds=${box}, EVSE ${uid}'s charge box as read, the answer holds ${listed(uids, redact)}, not EVSE ${uid}`));
    return { findings, notes: !uids.includes(uid) && cursor !== undefined ? [`EVSE ${uid} is not on the first page of ${FILTER_LIMIT}; the pages after it were not read`] : [] };
  });
}

/** Whether two values read the same (as JSON). */
export const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * What a connector command leaves alone, read back right after it: the stored settings of every
 * connector (the fields a PATCH sets) and the set of connectors. Unlocking a cable or stopping a
 * session acts on the hardware and the session, not on configuration; Spirii's pages do not say so
 * in words, they only imply it (each command's page names one effect), hence a warning, not a violation.
 * The ids and values quoted are the provider's, redacted.
 */
export function judgeCommandEffect(operationId: OperationId, before: unknown, after: unknown, settings: readonly string[], redact: Redactor): Finding[] {
  const q = (value: unknown) => JSON.stringify(redact.value(value));
  const connectors = (evse: unknown) => ((evse as { connectors?: unknown } | undefined)?.connectors ?? []) as Array<Record<string, unknown> | null>;
  const byId = (evse: unknown) => new Map(connectors(evse).filter((c) => c !== null && typeof c === "object").map((c) => [c!["id"], c!]));
  const was = byId(before);
  const now = byId(after);
  const changes: string[] = [];
  for (const [id, connector] of was) {
    const later = now.get(id);
    if (!later) {
      changes.push(`connector ${q(id)} is gone`);
      continue;
    }
    for (const field of settings) {
      if (!same(connector[field], later[field])) changes.push(`connector ${q(id)} ${field} ${q(later[field])} (was ${q(connector[field])}: set it back to that)`);
    }
  }
  for (const id of now.keys()) if (!was.has(id)) changes.push(`connector ${q(id)} appeared`);
  if (changes.length === 0) return [];
  return [finding("command-leaves-settings", "command-changed-settings", `read back after ${operationId}: ${changes.join("; ")}`)];
}

/**
 * The EVSE statuses that show a session running: the OCPI statuses of OCPP's in-transaction states
 * (the contract's mapping: CHARGING, BLOCKED). CHARGING also covers OCPP's Finishing (a stop done,
 * the cable not yet unplugged), so CHARGING after a stop is not proof the session runs on: hence
 * stop-ends-session is a warning that says so.
 */
const IN_SESSION: ReadonlySet<string> = new Set((["Charging", "SuspendedEV", "SuspendedEVSE"] as const satisfies ReadonlyArray<keyof typeof OCPP_TO_OCPI_STATUS>).map((ocpp) => OCPP_TO_OCPI_STATUS[ocpp]));
export const showsSession = (evse: unknown) => IN_SESSION.has((evse as { status?: unknown } | undefined)?.status as string);

/** The remote stop's answer that says the stop was taken on (a `Rejected` is a typed refusal, not a finding). */
export const STOP_ACCEPTED: (typeof REMOTE_STOP_STATUSES)[number] = "Accepted";

/** The finding for a session still shown after an accepted remote stop and `reads` reads over `waitedMs`. */
export function sessionNotEnded(uid: number, status: unknown, reads: number, waitedMs: number, transactionId: number | undefined): Finding {
  return finding(
    "stop-ends-session",
    "session-still-running",
    `remoteStopTransaction of transaction ${transactionId} was answered ${STOP_ACCEPTED}, but EVSE ${uid} still reads ${JSON.stringify(status)} after ${reads} read(s) over ${waitedMs} ms; CHARGING also covers OCPP's Finishing (a car not yet unplugged), so look at the charger`,
  );
}
