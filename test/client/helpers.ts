// Shared bits of the client tests: a fast client against a local server, and a way to get the
// ConnectorApiError a call rejects with.
import { inspect } from "node:util";
import { expect } from "vitest";
import { ConnectorApiError, createConnectorClient, type ConnectorClientOptions } from "../../src/index.js";

/** A key that looks real, different in every run, so a leak cannot hide behind a fixed string. */
export const API_KEY = `sk_test_${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;

export const PATH = { uid: 123456, connectorId: 1 } as const;

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

/** Runs `fn` and returns its result with the elapsed milliseconds. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await fn();
  return { result, ms: performance.now() - started };
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
