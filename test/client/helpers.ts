// Shared bits of the client tests: a fast client against a local server, and a way to get the
// ConnectorApiError a call rejects with.
import { sep } from "node:path";
import { inspect } from "node:util";
import { expect } from "vitest";
import { ConnectorApiError, createConnectorClient, type ConnectorClient, type ConnectorClientOptions, type OperationId } from "../../src/index.js";

/** A key that looks real, different in every run, so a leak cannot hide behind a fixed string. */
export const API_KEY = `sk_test_${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;

export const PATH = { uid: 123456, connectorId: 1 } as const;

/** One of the client's named methods, called the same way, so that a test of what they share covers each. */
export interface NamedCall {
  operationId: OperationId;
  method: string;
  /** The request path for PATH's EVSE (and connector). */
  concrete: string;
  call(client: ConnectorClient, options?: unknown): Promise<unknown>;
  /** A call whose request the contract rejects before sending. */
  invalid(client: ConnectorClient): Promise<unknown>;
  /** The path its error shows (an id that is not one stays the template's name). */
  invalidPath: string;
}

export const NAMED_CALLS: readonly NamedCall[] = [
  {
    operationId: "updateConnector",
    method: "PATCH",
    concrete: `/v2/evses/${PATH.uid}/connectors/${PATH.connectorId}`,
    call: (client, options) => client.updateConnector(PATH, { maxVoltage: 400 }, options as never),
    invalid: (client) => client.updateConnector(PATH, { maxVoltage: "high" } as never),
    invalidPath: `/v2/evses/${PATH.uid}/connectors/${PATH.connectorId}`,
  },
  {
    operationId: "getEvse",
    method: "GET",
    concrete: `/v2/evses/${PATH.uid}`,
    call: (client, options) => client.getEvse({ uid: PATH.uid }, options as never),
    invalid: (client) => client.getEvse({ uid: "abc" } as never),
    invalidPath: "/v2/evses/{uid}",
  },
  {
    operationId: "listEvses",
    method: "GET",
    concrete: "/v2/evses?limit=100",
    call: (client, options) => client.listEvses({ limit: 100 }, options as never),
    invalid: (client) => client.listEvses({ limit: 0 }),
    invalidPath: "/v2/evses",
  },
  {
    operationId: "changeConnectorAvailability",
    method: "POST",
    concrete: `/v2/evses/${PATH.uid}/connectors/${PATH.connectorId}/change-availability`,
    call: (client, options) => client.changeConnectorAvailability(PATH, { type: "Operative" }, options as never),
    invalid: (client) => client.changeConnectorAvailability(PATH, { type: "OPERATIVE" } as never),
    invalidPath: `/v2/evses/${PATH.uid}/connectors/${PATH.connectorId}/change-availability`,
  },
  {
    operationId: "unlockConnector",
    method: "POST",
    concrete: `/v2/evses/${PATH.uid}/connectors/${PATH.connectorId}/unlock`,
    call: (client, options) => client.unlockConnector(PATH, options as never),
    invalid: (client) => client.unlockConnector({ uid: 0, connectorId: 1 }),
    invalidPath: `/v2/evses/0/connectors/${PATH.connectorId}/unlock`,
  },
  {
    operationId: "remoteStopTransaction",
    method: "POST",
    concrete: `/v2/evses/${PATH.uid}/connectors/${PATH.connectorId}/remote-stop-transaction`,
    call: (client, options) => client.remoteStopTransaction(PATH, { transactionId: 1 }, options as never),
    invalid: (client) => client.remoteStopTransaction(PATH, {} as never),
    invalidPath: `/v2/evses/${PATH.uid}/connectors/${PATH.connectorId}/remote-stop-transaction`,
  },
];

/** Options arguments every named method rejects before sending, with what the message says. */
export const BAD_OPTIONS: readonly [string, unknown, RegExp][] = [
  ["a number", 5, /options must be an object/],
  ["a string", "fast", /options must be an object/],
  ["an array", [], /options must be an object/],
  ["a signal that is not an AbortSignal", { signal: "stop" }, /options\.signal must be an AbortSignal/],
  ["headers that are not an object of strings", { headers: 5 }, /options\.headers must be/],
  ["a header with a bad value", { headers: { "x-a": "a\nb" } }, /options\.headers/],
  ["a deadline that is not a whole number", { deadlineMs: -1 }, /options\.deadlineMs must be a whole number/],
];

/** Retries on, with millisecond backoff, so retry tests take milliseconds. */
export function fastClient(baseUrl: string, overrides: Partial<ConnectorClientOptions> = {}) {
  return createConnectorClient({ apiKey: API_KEY, baseUrl, timeoutMs: 2_000, retry: { baseDelayMs: 1, maxDelayMs: 4 }, ...overrides });
}

/** The ConnectorApiError `promise` rejects with (fails the test if it resolves or rejects otherwise). */
export async function failure(promise: Promise<unknown>): Promise<ConnectorApiError> {
  const outcome = await promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!("error" in outcome)) throw new Error(`expected a ConnectorApiError, but the call resolved to ${JSON.stringify(outcome.value)}`);
  expect(outcome.error).toBeInstanceOf(ConnectorApiError);
  return outcome.error as ConnectorApiError;
}

/** A timer the client's own code started: how long it was set for, and how it ended. */
export interface ClientTimer {
  ms: number;
  fired: boolean;
  cleared: boolean;
}

const CLIENT_SOURCE = `${sep}src${sep}client${sep}`;

/**
 * Records the timers the client's own code starts (its waits between attempts and its attempts'
 * timers) until `restore()`, so that a test can tell which mechanism ended a call (a timer of the
 * long duration fired, was cleared, or was never started) instead of timing the call, which a busy
 * machine stretches. `order` holds each firing as "fired <ms>"; a test's server handlers may push
 * their own marks into it to prove what happened before what.
 */
export function watchClientTimers(): { timers: ClientTimer[]; order: string[]; restore(): void } {
  const realSetTimeout = globalThis.setTimeout;
  const realClearTimeout = globalThis.clearTimeout;
  const timers: ClientTimer[] = [];
  const order: string[] = [];
  const byHandle = new Map<unknown, ClientTimer>();
  globalThis.setTimeout = ((callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    // Only the client's own: vitest and Node start timers of their own in this worker.
    const fromClient = new Error().stack?.split("\n").slice(2).some((frame) => frame.includes(CLIENT_SOURCE)) === true;
    if (!fromClient) return realSetTimeout(callback, ms, ...args);
    const timer: ClientTimer = { ms: ms ?? 0, fired: false, cleared: false };
    timers.push(timer);
    const handle = realSetTimeout(() => {
      timer.fired = true;
      order.push(`fired ${timer.ms}`);
      callback(...args);
    }, ms);
    byHandle.set(handle, timer);
    return handle;
  }) as typeof setTimeout;
  globalThis.clearTimeout = ((handle: Parameters<typeof clearTimeout>[0]) => {
    const timer = byHandle.get(handle);
    if (timer !== undefined && !timer.fired) timer.cleared = true;
    realClearTimeout(handle);
  }) as typeof clearTimeout;
  return {
    timers,
    order,
    restore() {
      globalThis.setTimeout = realSetTimeout;
      globalThis.clearTimeout = realClearTimeout;
    },
  };
}

/** Every way a person or a logger could look at an error. */
export function representations(error: ConnectorApiError): string[] {
  return [
    error.message,
    String(error.stack),
    String(error),
    JSON.stringify(error),
    inspect(error, { depth: Infinity, showHidden: true }),
    inspect(error.cause, { depth: Infinity, showHidden: true }),
    JSON.stringify(error.cause ?? null, Object.getOwnPropertyNames(error.cause ?? {})),
  ];
}

/** One answer of a scriptedFetch: wait for the attempt's abort (a timeout), fail as fetch does, or answer. */
export type FetchStep = "hang" | Error | (() => Response);

/**
 * A fetch that answers the n-th attempt with the n-th step (every later one with the last) and
 * counts the attempts as they are made: no server, so nothing depends on how fast one answers.
 */
export function scriptedFetch(...steps: FetchStep[]): ((request: Request) => Promise<Response>) & { requests: Request[] } {
  const requests: Request[] = [];
  const fetch = async (request: Request): Promise<Response> => {
    requests.push(request);
    const step = steps[Math.min(requests.length - 1, steps.length - 1)]!;
    if (step === "hang") {
      return new Promise<Response>((_, reject) => {
        if (request.signal.aborted) reject(request.signal.reason);
        request.signal.addEventListener("abort", () => reject(request.signal.reason), { once: true });
      });
    }
    if (step instanceof Error) throw step;
    return step();
  };
  return Object.assign(fetch, { requests });
}

/** How undici's fetch fails on a socket error: a TypeError whose cause carries the code. */
export const fetchFailed = (code: string, message = code) => new TypeError("fetch failed", { cause: Object.assign(new Error(message), { code }) });

/** A JSON answer for scriptedFetch. */
export const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => () =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
