// The client's one error type and its one sentence per failure. `kind` tells what happened; the
// other fields depend on it, and TypeScript narrows them in a `switch (error.kind)` after
// `error instanceof ConnectorApiError`.
//
// The message is written once, in the constructor, from the details. Whoever builds the details
// has already redacted every value that came from outside (bodies, headers, an abort reason, a
// fetch's error); the client's own values (method, URL, kind, field names) never contain the key,
// so nothing here rewrites text afterwards.
import type { OperationFacts } from "../../generated/operations.js";
import type { ContractIssue } from "../validation.js";
import { API_KEY_ENV_VAR } from "./auth.js";
import { operationFacts } from "./registry.js";
import { neverSent, type RateLimit } from "./retry.js";

/** A way the request is wrong, found before sending: in the path ids, the query, the body (a patch) or the options argument. */
export interface RequestIssue extends ContractIssue {
  /** Where the pointer `path` points: into the path parameters (`{ uid, connectorId }`), the query, the body or the options. */
  in: "path" | "query" | "body" | "options";
}

export type { RateLimit };

interface Target {
  /** HTTP method, e.g. "PATCH". */
  method: string;
  /** The request URL (never contains the key). */
  url: string;
  /** Attempts made, retries included (0 when nothing was sent). */
  attempts: number;
  /**
   * The contract's operation the request was (e.g. "getEvse"); absent for a request of client.raw
   * that is no operation of the contract. What the message says about sending it again follows
   * that operation's `x-idempotent` and `x-effect`.
   */
  operationId?: string;
}

/** What a 4xx/5xx said, read from the documented error envelope when the body has it. */
interface ErrorBody {
  /** The parsed body if it is JSON, otherwise its text (at most 4 KiB). */
  body?: unknown;
  /** `error.message` of the envelope. */
  apiMessage?: string;
  /** `error.code` of the envelope, e.g. "invalid_api_key". */
  code?: string;
  /** `error.request_id` of the envelope; quote it to Spirii support. */
  requestId?: string;
}

export interface InvalidRequestDetails extends Target {
  kind: "invalid-request";
  /** Every problem, each with a JSON pointer. Nothing was sent. */
  issues: RequestIssue[];
}
export interface HttpDetails extends Target, ErrorBody {
  kind: "http";
  status: number;
  statusText: string;
}
export interface RateLimitedDetails extends Target, ErrorBody {
  kind: "rate-limited";
  status: number;
  /** From `Retry-After` (seconds or HTTP-date) of the last 429, when it had one. */
  retryAfterMs?: number;
  rateLimit: RateLimit;
}
export interface TimeoutDetails extends Target {
  kind: "timeout";
  /** The limit that ran out, in milliseconds. */
  timeoutMs: number;
  /** Which one: an attempt's `timeoutMs`, or the whole call's `deadlineMs`. */
  limit: "timeoutMs" | "deadlineMs";
}
export interface AbortedDetails extends Target {
  kind: "aborted";
  /** The caller's `signal.reason` (a redacted copy). */
  reason?: unknown;
}
export interface NetworkDetails extends Target {
  kind: "network";
  /** The lowest-level cause, e.g. "ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9". */
  detail: string;
}
export type InvalidResponseProblem = "not-json" | "empty" | "content-type" | "too-large" | "contract";
export interface InvalidResponseDetails extends Target {
  kind: "invalid-response";
  status: number;
  problem: InvalidResponseProblem;
  /** Contract violations (problem "contract"), with JSON pointers into `body`. */
  issues: ContractIssue[];
  /** The parsed body (problem "contract"), or up to 4 KiB of its text. */
  body?: unknown;
  contentType?: string;
  /** More about the problem, e.g. the JSON parser's message or the size limit. */
  detail?: string;
}

export type ConnectorApiErrorDetails =
  | InvalidRequestDetails
  | HttpDetails
  | RateLimitedDetails
  | TimeoutDetails
  | AbortedDetails
  | NetworkDetails
  | InvalidResponseDetails;

export type ConnectorApiErrorKind = ConnectorApiErrorDetails["kind"];

const after = (attempts: number) => (attempts > 1 ? ` after ${attempts} attempts` : "");

function quoted(d: { apiMessage?: string; code?: string; requestId?: string }): string {
  const parts = [
    d.apiMessage === undefined ? undefined : JSON.stringify(d.apiMessage),
    d.code === undefined ? undefined : `code ${d.code}`,
    d.requestId === undefined ? undefined : `request id ${d.requestId}`,
  ].filter((part) => part !== undefined);
  return parts.length ? ` (${parts.join(", ")})` : "";
}

/** The operation's name for a sentence: "updateConnector", or "this request" when it is none of the contract's. */
const named = (op: OperationFacts | undefined) => (op === undefined ? "this request" : op.operationId);
/** What is known after a failure, and whether sending it again is safe: stated only when the contract says the operation is idempotent. */
function resendAdvice(op: OperationFacts | undefined): string {
  if (op?.idempotent === true) {
    const state = op.effect === "read-only" ? "it changes nothing" : "the change may or may not have been applied";
    return `${state}, and sending it again is safe because ${op.operationId} is idempotent`;
  }
  return `it may or may not have been processed, and ${named(op)} is not known to be idempotent, so check its effect before sending it again`;
}

function httpAdvice(d: HttpDetails): string {
  const s = d.status;
  const op = operationFacts(d.operationId);
  if (s >= 300 && s < 400) return "the client does not follow redirects, so the key is not sent on to another address; check baseUrl";
  if (s === 400) return "the API found the request malformed; compare it with the contract";
  if (s === 401) return `check that ${API_KEY_ENV_VAR} holds a valid, unexpired key for this server (sandbox and production keys differ)`;
  if (s === 403) return "the key is valid but lacks permission for this EVSE or operation; ask Spirii to grant it";
  if (s === 404) {
    const names = op?.pathParameters ?? [];
    return names.length ? `check that the ${names.join(" and ")} in the path ${names.length > 1 ? "exist" : "exists"} and that this key can see ${names.length > 1 ? "them" : "it"}` : "check the path, and that this key can see what it names";
  }
  if (s === 409) return "the resource cannot be changed in its current state (for example a connector while charging); try again later";
  if (s === 422) return "the API cannot apply these values (for example a limit the hardware does not support); adjust the request";
  if (s >= 500) {
    const quote = "quote the request id to Spirii support if it persists";
    return op?.idempotent === true
      ? `Spirii failed to process it; ${op.operationId} is idempotent, so try again later, and ${quote}`
      : `Spirii failed to process it, and may have acted on part of it; ${named(op)} is not known to be idempotent, so check its effect before sending it again, and ${quote}`;
  }
  return "see error.body for the API's explanation";
}

function invalidResponse(d: InvalidResponseDetails, sent: string): string {
  const got = `${sent} returned ${d.status}${after(d.attempts)}`;
  const op = operationFacts(d.operationId);
  // A read changed nothing; anything else had its effect before the answer went wrong.
  const applied = op?.effect === "read-only" ? "" : `; ${op === undefined ? "the request" : `the ${op.operationId} request`} was probably processed`;
  const check = op?.effect === "read-only" ? "" : ", so check its effect before relying on it";
  switch (d.problem) {
    case "content-type":
      return `${got} as ${d.contentType ?? "an unknown media type"} instead of JSON, so something other than the API may have answered (a proxy or captive portal); check baseUrl and the network path.`;
    case "empty":
      return `${got} with an empty body where the contract promises one${applied}${check}, and report this to Spirii.`;
    case "not-json":
      return `${got} with a body that is not valid JSON (${d.detail ?? "unparseable"})${applied}${check}, and report this to Spirii.`;
    case "too-large":
      return `${got} with a body larger than ${d.detail ?? "the limit"}, far more than the contract's answer needs, so the client stopped reading; check baseUrl, or raise maxResponseBytes if such bodies are expected.`;
    case "contract":
      return `${got} with a body that breaks the contract (${d.issues.map((i) => `${i.path || "(the body)"} ${i.message}`).join("; ")})${applied}; pass validateResponses: "report" to accept such bodies, and report the mismatch to the maintainers of spirii-connector-contract.`;
  }
}

function reasonText(reason: unknown): string {
  if (reason instanceof Error) return `${reason.name}: ${reason.message}`;
  if (reason === undefined) return "no reason given";
  if (typeof reason === "string") return reason;
  try {
    return JSON.stringify(reason) ?? String(reason);
  } catch {
    return Object.prototype.toString.call(reason);
  }
}

/** The host of one of our URLs; never throws, even for details a caller built by hand. */
function part(url: string, which: "host" | "origin"): string {
  try {
    return new URL(url)[which];
  } catch {
    return url;
  }
}

function requestIssue(i: RequestIssue): string {
  // options.signal reads better than "options /signal" in a sentence about JavaScript arguments.
  if (i.in === "options") return `${["options", ...i.path.split("/").slice(1)].join(".")} ${i.message}`;
  return `${i.in} ${i.path || "(the whole value)"} ${i.message}`;
}

function describeFailure(d: ConnectorApiErrorDetails): string {
  const sent = `${d.method} ${d.url}`;
  const unsure = resendAdvice(operationFacts(d.operationId));
  switch (d.kind) {
    case "invalid-request": {
      const why = d.issues.every((i) => i.in === "options") ? "its options are invalid" : "the request breaks the contract";
      return `${sent} was not sent because ${why}: ${d.issues.map(requestIssue).join("; ")}; fix ${d.issues.length > 1 ? "these" : "this"} and call again.`;
    }
    case "http":
      return `${sent} returned ${d.status}${d.statusText ? ` ${d.statusText}` : ""}${after(d.attempts)}${quoted(d)}: ${httpAdvice(d)}.`;
    case "rate-limited": {
      const limits = d.rateLimit.limit === undefined ? "" : `, limit ${d.rateLimit.limit}${d.rateLimit.remaining === undefined ? "" : `, ${d.rateLimit.remaining} remaining`}`;
      const wait = d.retryAfterMs === undefined ? "wait a while" : `wait ${Math.ceil(d.retryAfterMs / 1000)} s as Retry-After asks`;
      return `${sent} was rate-limited (429)${after(d.attempts)}${limits}${quoted(d)}: ${wait} before sending again, and spread requests to stay under the limit.`;
    }
    case "timeout":
      return d.limit === "deadlineMs"
        ? `${sent} did not complete within its deadline of ${d.timeoutMs} ms (deadlineMs)${after(d.attempts)}: check the network path to ${part(d.url, "host")} or raise deadlineMs; ${unsure}.`
        : `${sent} got no complete response within ${d.timeoutMs} ms${after(d.attempts)}: check the network path to ${part(d.url, "host")} or raise timeoutMs; ${unsure}.`;
    case "aborted":
      return `${sent} was aborted by the caller's AbortSignal (${reasonText(d.reason)}) before a complete response${d.attempts > 1 ? `, during attempt ${d.attempts}` : ""}; ${unsure}.`;
    case "network":
      return `${sent} failed without an HTTP response${after(d.attempts)} (${d.detail}): check that ${part(d.url, "origin")} is reachable from here (DNS, proxy, firewall) and that baseUrl is right; ${neverSent(d.detail) ? "the connection was never made, so nothing was processed and sending it again is safe" : unsure}.`;
    case "invalid-response":
      return invalidResponse(d, sent);
  }
}

class ConnectorApiErrorClass extends Error {
  constructor(details: ConnectorApiErrorDetails, options?: { cause?: unknown }) {
    super(describeFailure(details), options?.cause === undefined ? undefined : { cause: options.cause });
    Object.assign(this, details);
  }

  /** The message and the details, for structured logs (`JSON.stringify(error)`). */
  toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, ...Object.fromEntries(Object.entries(this)) };
  }
}
ConnectorApiErrorClass.prototype.name = "ConnectorApiError";
// util.inspect and stack traces use the constructor's name; show the exported one.
Object.defineProperty(ConnectorApiErrorClass, "name", { value: "ConnectorApiError" });

/** Every failure of the client: `kind` says which, and narrows the other fields. */
export type ConnectorApiError = ConnectorApiErrorClass & Readonly<ConnectorApiErrorDetails>;

/**
 * The client's error class. `error instanceof ConnectorApiError` narrows to the union of kinds, so
 * `switch (error.kind)` can be exhaustive and each case sees its own fields.
 */
export const ConnectorApiError = ConnectorApiErrorClass as unknown as {
  new (details: ConnectorApiErrorDetails, options?: { cause?: unknown }): ConnectorApiError;
  readonly prototype: ConnectorApiError;
};

/** True for any ConnectorApiError (a type guard, for code that prefers a function to instanceof). */
export function isConnectorApiError(value: unknown): value is ConnectorApiError {
  return value instanceof ConnectorApiErrorClass;
}
