// How the fake answers one request, as the contract says the API does. Routed from the contract's
// operations registry (generated/operations.ts: paths, methods, parameters, bodies); each operation
// has one implementation below, and an operation the contract gains without one is a compile error.
// Pure: it reads and changes the store and the rate-limit buckets, and returns the answer for a door to send.
// Checks run in the API's order (who is asking, what they address, what they send) and nothing is
// changed unless every check passes.
import { OPERATIONS, type OperationFacts, type OperationId } from "../../../generated/operations.js";
import { operationValidators } from "../../../generated/validators.js";
import type { ApiError, ConnectorUpdate } from "../../contract.js";
import { compileOperationMatcher } from "../../path-template.js";
import { formatIssues, toIssues } from "../../validation.js";
import { documentedErrorKind, mediaTypeOf } from "./contract-examples.js";
import type { OverrideList } from "./overrides.js";
import type { BucketLimiters } from "./rate-limit.js";
import type { EvseStore } from "./state.js";
import { pageOf, type FamilyState, type PageQuery } from "./family.js";

export interface FakeAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface HandlerContext {
  store: EvseStore;
  /** Sessions, offline charge boxes and availability (the family's commands). */
  family: FamilyState;
  /** A window per rate-limit bucket of the contract. */
  limiters: BucketLimiters;
  /** The keys accepted, or undefined for any non-empty key. */
  apiKeys: ReadonlySet<string> | undefined;
  /** The next request id for error envelopes (deterministic: a counter). */
  requestId(): string;
}

/** An operation of the contract, as the registry states it. */
type Operation = (typeof OPERATIONS)[OperationId];

/** What the checks need of the request's operation. */
interface Route {
  id: OperationId;
}

/** The request's operation and its path parameters as text, or undefined when the contract has none for it. */
export type RouteMatch = { operation: Operation; params: Record<string, string> } | undefined;

/**
 * Finds a request's operation by method and path: the one match the engine makes per request, and
 * hands to the handler, the overrides and coverage alike.
 */
export const matchOperation: (method: string, path: string) => RouteMatch = compileOperationMatcher(Object.values(OPERATIONS) as Operation[]);
const SERVED = (Object.values(OPERATIONS) as readonly OperationFacts[]).map((op) => `${op.method} ${op.path}`).join(", ").replace(/, ([^,]*)$/, " and $1");
const BEARER = /^Bearer +(\S.*)$/i;
/** The key of `Authorization: Bearer <key>`, or undefined. */
export const bearerKey = (authorization: string | undefined) => BEARER.exec(authorization ?? "")?.[1]?.trim();
/**
 * Only a plain decimal is read as a number ("1e3" or "0x10" would be numbers to JavaScript, not to
 * the API); anything else stays text, for the validator to name.
 */
const toId = (text: string | undefined): number | string | undefined => (text !== undefined && /^\d{1,16}$/.test(text) ? Number(text) : text);

function parsedJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** An answer with a JSON body; `body` is already JSON text when a string. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): FakeAnswer {
  return { status, headers: { "Content-Type": mediaTypeOf(status), ...headers }, body: typeof body === "string" ? body : JSON.stringify(body) };
}

export function error(context: Pick<HandlerContext, "requestId">, status: number, message: string, options: { param?: string | null; example?: string; headers?: Record<string, string> } = {}): FakeAnswer {
  const body: ApiError = { error: { ...documentedErrorKind(status, options.example), message, param: options.param ?? null, request_id: context.requestId() } };
  return json(status, body, options.headers);
}

/** What an implementation is given: the path parameters, the query and the body, all valid by the contract. */
interface Call {
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  body: unknown;
  /** The rate-limit headers of its bucket, for its 200 (the contract documents them there). */
  limitHeaders: Record<string, string>;
}

/** The fake's behaviour per operation, once the checks of the contract have passed. */
interface Implementation {
  /** What the path addresses, for a 404's message. */
  noun: string;
  /** The 404 when the addressed resource is not held (checked before the body, as the API does). */
  missing(context: HandlerContext, params: Record<string, unknown>): FakeAnswer | undefined;
  answer(context: HandlerContext, call: Call): FakeAnswer;
}

const noEvse = (context: HandlerContext, uid: number) => (context.store.has(uid) ? undefined : error(context, 404, `No EVSE ${uid}.`, { param: "uid" }));

const noConnector = (context: HandlerContext, params: Record<string, unknown>) => {
  const uid = params["uid"] as number;
  const connectorId = params["connectorId"] as number;
  return noEvse(context, uid) ?? (context.store.hasConnector(uid, connectorId) ? undefined : error(context, 404, `No connector ${connectorId} on EVSE ${uid}.`, { param: "connectorId" }));
};

const IMPLEMENTATIONS: { readonly [K in OperationId]: Implementation } = {
  listEvses: {
    noun: "EVSEs",
    missing: () => undefined,
    answer(context, { query, limitHeaders }) {
      const result = pageOf(context.store.stored(), query as PageQuery);
      if ("badCursor" in result) return error(context, 400, `${result.badCursor} is not a cursor this API gave: send back a page's cursor unchanged.`, { param: result.badCursor });
      return json(200, result.page, limitHeaders);
    },
  },
  changeConnectorAvailability: {
    noun: "connector",
    missing: noConnector,
    answer(context, { params, body, limitHeaders }) {
      const uid = params["uid"] as number;
      const connectorId = params["connectorId"] as number;
      const { type } = body as { type: "Inoperative" | "Operative" };
      if (context.family.sessionOn(uid, connectorId)) {
        return json(200, { status: "Scheduled", description: "Connector availability change will be applied when the running transaction ends." }, limitHeaders);
      }
      context.store.setStatus(uid, context.family.statusAfter(context.store.get(uid)!, type));
      return json(200, { status: "Accepted", description: "Connector availability change was applied successfully." }, limitHeaders);
    },
  },
  unlockConnector: {
    noun: "connector",
    missing: noConnector,
    answer(context, { params, limitHeaders }) {
      const uid = params["uid"] as number;
      const evse = context.store.get(uid)!;
      if (context.family.isOffline(evse.chargeboxId)) return json(200, { status: "UnlockFailed", error: { message: "Charge box is not connected" } }, limitHeaders);
      const connector = context.store.connector(uid, params["connectorId"] as number)!;
      return json(200, { status: connector.format === "CABLE" ? "NotSupported" : "Unlocked" }, limitHeaders);
    },
  },
  remoteStopTransaction: {
    noun: "connector",
    missing: noConnector,
    answer(context, { params, body, limitHeaders }) {
      const { transactionId } = body as { transactionId: number };
      const stopped = context.family.stop(transactionId, params["uid"] as number, params["connectorId"] as number);
      return json(200, { status: stopped ? "Accepted" : "Rejected" }, limitHeaders);
    },
  },
  getEvse: {
    noun: "EVSE",
    missing: (context, params) => noEvse(context, params["uid"] as number),
    answer: (context, { params, limitHeaders }) => json(200, context.store.json(params["uid"] as number)!, limitHeaders),
  },
  updateConnector: {
    noun: "connector",
    missing: noConnector,
    answer: (context, { params, body, limitHeaders }) => json(200, context.store.apply(params["uid"] as number, params["connectorId"] as number, body as ConnectorUpdate), limitHeaders),
  },
};

/**
 * A check's result. A failure is the error to answer with, made only when it is answered: making
 * it spends a request id, and a failure found while looking for an override may not be the answer
 * (the limit comes first).
 */
type Checked<T> = { ok: true; value: T } | { ok: false; answer: () => FakeAnswer };

function checkParams(context: HandlerContext, route: Route, raw: Record<string, string>): Checked<Record<string, unknown>> {
  const params = Object.fromEntries(Object.entries(raw).map(([name, text]) => [name, toId(text)]));
  const validate = operationValidators[route.id].path;
  if (validate === null) return { ok: true, value: {} };
  if (validate(params)) return { ok: true, value: params };
  const issues = toIssues(validate.errors, params);
  const param = issues[0]?.path.slice(1) || null;
  return { ok: false, answer: () => error(context, 404, `No such ${IMPLEMENTATIONS[route.id].noun}: in the path, ${formatIssues(issues)}.`, { param }) };
}

/** The query parameters that are arrays (listEvses' filters), read with getAll. */
const ARRAYS = new Set(["uids", "chargeboxIds"]);

/** The query as the contract reads it: repeated keys are arrays where the parameter is one, digits are numbers. */
function checkQuery(context: HandlerContext, route: Route, search: string): Checked<Record<string, unknown>> {
  const validate = operationValidators[route.id].query;
  if (validate === null) return { ok: true, value: {} };
  const params = new URLSearchParams(search);
  const query = Object.fromEntries([...new Set(params.keys())].map((name) => [name, ARRAYS.has(name) ? params.getAll(name).map((v) => toId(v)) : name === "limit" ? toId(params.get(name) ?? "") : params.get(name)]));
  if (validate(query)) return { ok: true, value: query };
  const issues = toIssues(validate.errors, query);
  const param = issues[0]?.path.slice(1).split("/")[0] || null;
  return { ok: false, answer: () => error(context, 400, `The query breaks the contract: ${formatIssues(issues)}.`, { param }) };
}

function checkBody(context: HandlerContext, route: Route, text: string): Checked<unknown> {
  const validate = operationValidators[route.id].body;
  if (validate === null) return { ok: true, value: undefined };
  const parsed = parsedJson(text);
  if (!parsed.ok) return { ok: false, answer: () => error(context, 400, "The body is not JSON: send a JSON object of the connector fields to change.") };
  if (validate(parsed.value)) return { ok: true, value: parsed.value };
  const issues = toIssues(validate.errors, parsed.value);
  const param = issues[0]?.path.slice(1).split("/")[0] || null;
  // 422 where the operation documents it (the PATCH); the commands document only 400 for a bad body.
  if (route.id === "updateConnector") return { ok: false, answer: () => error(context, 422, `The patch breaks the contract's ConnectorUpdate: ${formatIssues(issues)}.`, { param }) };
  return { ok: false, answer: () => error(context, (OPERATIONS[route.id].documentedStatuses as readonly string[]).includes("422") ? 422 : 400, `The body breaks the contract's ${route.id} request: ${formatIssues(issues)}.`, { param }) };
}

/**
 * Answers one request. `matched` is its operation, found once by the engine (matchOperation); the
 * checks run once each, in the API's order, whether or not an override is installed.
 */
export function handle(
  context: HandlerContext,
  request: { method: string; path: string; authorization: string | undefined; body: string },
  matched: RouteMatch,
  overrides?: OverrideList,
): FakeAnswer | Promise<FakeAnswer> {
  if (!matched) return error(context, 404, `The fake serves ${SERVED}, not ${request.method} ${request.path.split("?")[0] ?? ""}.`);
  const { operation, params: raw } = matched;
  const route: Route = { id: operation.operationId };

  const key = bearerKey(request.authorization);
  if (!key) return error(context, 401, "Missing or malformed Authorization header: send Authorization: Bearer <key>.", { example: "missingHeader" });
  if (context.apiKeys && !context.apiKeys.has(key)) return error(context, 401, "API key is invalid, expired, or revoked.", { example: "invalidKey" });

  const params = checkParams(context, route, raw);
  let body: Checked<unknown> | undefined;
  // A per-test override answers a request the API would take (authorized, valid address and body),
  // instead of the state and the limit.
  if (overrides?.size && params.ok) {
    body = checkBody(context, route, request.body);
    const found = body.ok ? overrides.take(route.id) : undefined;
    if (found && body.ok) return found({ params: params.value, body: body.value }) as FakeAnswer | Promise<FakeAnswer>;
  }

  // Counted against its operation's bucket, and only that one, before anything else is looked at,
  // as a gateway would.
  const limit = context.limiters.take(operation.rateLimitBucket);
  if (!limit.allowed) return error(context, 429, `Too many requests in the ${operation.rateLimitBucket} bucket. Retry after ${limit.headers["Retry-After"]} seconds.`, { headers: limit.headers });
  const limitHeaders = limit.headers;
  if (!params.ok) return params.answer();
  const implementation = IMPLEMENTATIONS[route.id];
  const missing = implementation.missing(context, params.value);
  if (missing) return missing;
  const query = checkQuery(context, route, request.path.split("?")[1] ?? "");
  if (!query.ok) return query.answer();
  body ??= checkBody(context, route, request.body);
  if (!body.ok) return body.answer();
  return implementation.answer(context, { params: params.value, query: query.value, body: body.value, limitHeaders });
}
