// The client's one error type. `kind` tells what happened; the other fields depend on it, and
// TypeScript narrows them in a `switch (error.kind)` after `error instanceof ConnectorApiError`.
import type { ContractIssue } from "../validation.js";
import { describeFailure } from "./messages.js";

/** A way the request breaks the contract, found before sending: in the path ids or in the patch. */
export interface RequestIssue extends ContractIssue {
  /** Where the pointer `path` points: into `{ uid, connectorId }` ("path") or into the patch ("body"). */
  in: "path" | "body";
}

/** The rate-limit headers of a 429, as numbers where the contract says they are numbers. */
export interface RateLimit {
  limit?: number;
  remaining?: number;
  /** As sent; the docs do not say whether it is seconds or a timestamp. */
  reset?: string;
}

interface Target {
  /** HTTP method, e.g. "PATCH". */
  method: string;
  /** The request URL (never contains the key). */
  url: string;
  /** Attempts made, retries included (0 when nothing was sent). */
  attempts: number;
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
  /** The per-attempt limit that was exceeded. */
  timeoutMs: number;
}
export interface AbortedDetails extends Target {
  kind: "aborted";
  /** The caller's `signal.reason`. */
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
