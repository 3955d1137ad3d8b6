// How the fake answers one request, as the contract says the API does. Pure: it reads and changes
// the store and the limiter, and returns the answer for the server to send. Checks run in the
// API's order (who is asking, what they address, what they send) and nothing is changed unless
// every check passes.
import { UPDATE_CONNECTOR } from "../../../generated/values.js";
import type { ApiError } from "../../contract.js";
import { compilePathMatcher } from "../../path-template.js";
import { formatIssues, validateConnectorPath, validateConnectorUpdate } from "../../validation.js";
import { EVSE_PATH_TEMPLATE } from "../verify/paths.js";
import { documentedErrorKind, mediaTypeOf } from "./contract-examples.js";
import type { OverrideList } from "./overrides.js";
import type { WriteLimiter } from "./rate-limit.js";
import type { EvseStore } from "./state.js";

export interface FakeAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface HandlerContext {
  store: EvseStore;
  limiter: WriteLimiter;
  /** The keys accepted, or undefined for any non-empty key. */
  apiKeys: ReadonlySet<string> | undefined;
  /** The next request id for error envelopes (deterministic: a counter). */
  requestId(): string;
}

const matchConnector = compilePathMatcher(UPDATE_CONNECTOR.path);
const matchEvse = compilePathMatcher(EVSE_PATH_TEMPLATE);
/** Whether a request path (with its query) addresses a connector, the contract's operation. */
export const isConnectorPath = (url: string) => matchConnector(url.split("?")[0] ?? "") !== undefined;
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

/** A per-test override's answer, when one matches (after the checks, instead of the state and the limit). */
function overridden(overrides: OverrideList | undefined, method: string, path: string, params: Record<string, unknown>, body: unknown): FakeAnswer | Promise<FakeAnswer> | undefined {
  const found = overrides?.take(method, path);
  return found && (found.answer({ params, body }) as FakeAnswer | Promise<FakeAnswer>);
}

export function handle(
  context: HandlerContext,
  request: { method: string; path: string; authorization: string | undefined; body: string },
  overrides?: OverrideList,
): FakeAnswer | Promise<FakeAnswer> {
  const path = request.path.split("?")[0] ?? "";
  const connectorParams = matchConnector(path);
  const evseParams = connectorParams ? undefined : matchEvse(path);
  const isUpdate = connectorParams !== undefined && request.method === UPDATE_CONNECTOR.method;
  const isRead = evseParams !== undefined && request.method === "GET";
  if (!isUpdate && !isRead) {
    return error(context, 404, `The fake serves ${UPDATE_CONNECTOR.method} ${UPDATE_CONNECTOR.path} and GET ${EVSE_PATH_TEMPLATE}, not ${request.method} ${path}.`);
  }

  const key = bearerKey(request.authorization);
  if (!key) return error(context, 401, "Missing or malformed Authorization header: send Authorization: Bearer <key>.", { example: "missingHeader" });
  if (context.apiKeys && !context.apiKeys.has(key)) return error(context, 401, "API key is invalid, expired, or revoked.", { example: "invalidKey" });

  if (isRead) {
    const uid = toId(evseParams!["uid"]);
    const answer = typeof uid === "number" ? overridden(overrides, request.method, path, { uid }, undefined) : undefined;
    if (answer) return answer;
    const evse = typeof uid === "number" ? context.store.json(uid) : undefined;
    return evse !== undefined ? json(200, evse) : error(context, 404, `No EVSE ${JSON.stringify(evseParams!["uid"])}.`, { param: "uid" });
  }

  // A per-test override answers a request the API would take (authorized, valid address and body).
  if (overrides?.size) {
    const address = validateConnectorPath({ uid: toId(connectorParams!["uid"]), connectorId: toId(connectorParams!["connectorId"]) });
    const patch = parsedJson(request.body);
    const valid = patch.ok ? validateConnectorUpdate(patch.value) : undefined;
    if (address.ok && valid?.ok) {
      const answer = overridden(overrides, request.method, path, address.value, valid.value);
      if (answer) return answer;
    }
  }

  // A write: counted against the limit before anything else is looked at, as a gateway would.
  const limit = context.limiter.take();
  if (!limit.allowed) {
    return error(context, 429, `Too many requests. Retry after ${limit.headers["Retry-After"]} seconds.`, { headers: limit.headers });
  }
  const address = { uid: toId(connectorParams!["uid"]), connectorId: toId(connectorParams!["connectorId"]) };
  const validPath = validateConnectorPath(address);
  if (!validPath.ok) {
    const param = validPath.issues[0]?.path.slice(1) || null;
    return error(context, 404, `No such connector: in the path, ${formatIssues(validPath.issues)}.`, { param });
  }
  const { uid, connectorId } = validPath.value;
  if (!context.store.has(uid)) return error(context, 404, `No EVSE ${uid}.`, { param: "uid" });
  if (!context.store.hasConnector(uid, connectorId)) return error(context, 404, `No connector ${connectorId} on EVSE ${uid}.`, { param: "connectorId" });

  const patch = parsedJson(request.body);
  if (!patch.ok) return error(context, 400, "The body is not JSON: send a JSON object of the connector fields to change.");
  const valid = validateConnectorUpdate(patch.value);
  if (!valid.ok) {
    const param = valid.issues[0]?.path.slice(1).split("/")[0] || null;
    return error(context, 422, `The patch breaks the contract's ConnectorUpdate: ${formatIssues(valid.issues)}.`, { param });
  }
  return json(200, context.store.apply(uid, connectorId, valid.value), limit.headers);
}
