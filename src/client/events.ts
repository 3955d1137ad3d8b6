// What a caller can observe through `onEvent`: every attempt, every retry, every wait for a rate-limit window, every response that
// breaks the contract and every value a response enum does not list yet. Payloads are plain data with Authorization redacted.
import type { ContractIssue } from "../validation.js";

interface EventTarget {
  /** HTTP method, e.g. "PATCH". */
  method: string;
  /** The full request URL (it never contains the key). */
  url: string;
}

export interface RequestEvent extends EventTarget {
  type: "request";
  /** 1 for the first attempt. */
  attempt: number;
  /** The request headers, lower-cased, with Authorization shown as `Bearer [redacted]`. */
  headers: Record<string, string>;
}

export interface ResponseEvent extends EventTarget {
  type: "response";
  attempt: number;
  status: number;
  /** From sending the request to having its status and headers. */
  durationMs: number;
}

export interface RetryEvent extends EventTarget {
  type: "retry";
  /** The attempt that failed. */
  attempt: number;
  /** What went wrong, e.g. "503", "timeout", "network". */
  reason: string;
  /** How long the client waits before the next attempt. */
  delayMs: number;
}

/**
 * A batch's update or a walk's page waits for its rate-limit bucket before it is sent: the bucket's
 * window is used up (as the X-RateLimit headers of this client's answers say) or paused by a 429.
 */
export interface RateLimitWaitEvent extends EventTarget {
  type: "rate-limit-wait";
  /** The attempt that waits (1: a batch and a walk wait before a call's first attempt). */
  attempt: number;
  /** The contract's rate-limit bucket the operation counts against, e.g. "write" (RATE_LIMIT_BUCKETS). */
  bucket: string;
  /** How long the wait looked to last when it started (one event per wait: looking again, e.g. every 10 ms for answers still in flight, tells nothing new). */
  delayMs: number;
}

export interface ContractViolationEvent extends EventTarget {
  type: "contract-violation";
  status: number;
  /** What the client does with the body: returns it ("report") or rejects it ("strict"). */
  mode: "report" | "strict";
  /** Every way the body breaks the contract, with JSON pointers into it. */
  issues: ContractIssue[];
  /** The parsed body. */
  body: unknown;
}

/**
 * A 2xx body carries a value of a response enum that this contract does not list (e.g. a new EVSE
 * status). Spirii's versioning policy makes new enum values a non-breaking change, so this is not a
 * contract violation: the body is returned as it is, in every mode; handle the value as "unknown".
 * (A known value in another casing, or an OCPP status where the OCPI one belongs, is a violation.)
 */
export interface UnknownValueEvent extends EventTarget {
  type: "unknown-value";
  status: number;
  /** JSON Pointer to the field in the body, e.g. `/status` or `/connectors/0/standard`. */
  path: string;
  /** The value as received (redacted like every value from the response). */
  value: string;
  /** The contract's enum the field holds, e.g. `EvseStatus`; its known values are exported (`EVSE_STATUSES`). */
  enum: string;
}

export type ClientEvent = RequestEvent | ResponseEvent | RetryEvent | RateLimitWaitEvent | ContractViolationEvent | UnknownValueEvent;

/**
 * Observes the client; called synchronously and not awaited. A hook that throws (or rejects) is
 * ignored: observing must not change a request's outcome.
 */
export type ClientEventHook = (event: ClientEvent) => void;

/**
 * Undefined without a hook, so that callers build no event payload that nobody would see. Payloads
 * are built from redacted values by whoever emits them (see transport.ts and response.ts).
 */
export function createEmitter(hook: ClientEventHook | undefined): ((event: ClientEvent) => void) | undefined {
  if (!hook) return undefined;
  return (event) => {
    try {
      const result: unknown = hook(event);
      // An async hook's rejection would otherwise surface as an unhandled rejection.
      if (result instanceof Promise) result.catch(() => {});
    } catch {
      // Deliberately ignored (see ClientEventHook).
    }
  };
}
