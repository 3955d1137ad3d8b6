// Nothing outlives a call: every timer the client starts is cleared or has fired when the call
// settles, whatever the outcome, and no promise is left to reject unhandled.
import { sep } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConnectorApiErrorKind } from "../../src/index.js";
import { createConnectorClient } from "../../src/index.js";
import { EXAMPLE_EVSE } from "./fault-server.js";
import { API_KEY, PATH } from "./helpers.js";

const pending = new Set<unknown>();
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;
const CLIENT_SOURCE = `${sep}src${sep}client${sep}`;
const startedByTheClient = (stack: string | undefined) => stack !== undefined && stack.split("\n").slice(2).some((frame) => frame.includes(CLIENT_SOURCE));

beforeAll(() => {
  process.on("unhandledRejection", onUnhandled);
  // Track the timers started from here on (vitest keeps its own references to the real ones).
  // Only the client's own timers count: vitest and Node start timers of their own in this worker
  // (task-update batching, RPC), more of them on a busy machine, and those are not ours to judge.
  globalThis.setTimeout = ((callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const timer = realSetTimeout(() => {
      pending.delete(timer);
      callback(...args);
    }, ms);
    if (startedByTheClient(new Error().stack)) pending.add(timer);
    return timer;
  }) as typeof setTimeout;
  globalThis.clearTimeout = ((timer: Parameters<typeof clearTimeout>[0]) => {
    pending.delete(timer);
    realClearTimeout(timer);
  }) as typeof clearTimeout;
});
afterAll(() => {
  globalThis.setTimeout = realSetTimeout;
  globalThis.clearTimeout = realClearTimeout;
  process.off("unhandledRejection", onUnhandled);
});

const evse = () => new Response(JSON.stringify(EXAMPLE_EVSE), { headers: { "content-type": "application/json" } });
const status = (code: number, headers: Record<string, string> = {}) => new Response("{}", { status: code, headers: { "content-type": "application/json", ...headers } });
/** A fetch that never answers and ignores the abort signal: the client must not wait for it. */
const never = () => new Promise<Response>(() => {});
/** Headers at once, then a body that never ends (and ignores the signal too). */
const stalledBody = () => new Response(new ReadableStream({ pull: () => new Promise<void>(() => {}) }), { headers: { "content-type": "application/json" } });

/** A fetch that answers with `script` in turn (the last one repeated). */
function scripted(...script: (() => Promise<Response> | Response)[]) {
  let calls = 0;
  return async (_request: Request) => {
    const next = script[Math.min(calls++, script.length - 1)];
    if (!next) throw new Error("empty script");
    return next();
  };
}

async function settle(promise: Promise<unknown>): Promise<ConnectorApiErrorKind | "ok"> {
  try {
    await promise;
    return "ok";
  } catch (error) {
    return (error as { kind: ConnectorApiErrorKind }).kind;
  }
}

describe("after a call settles", () => {
  const cases: [string, ReturnType<typeof scripted>, ConnectorApiErrorKind | "ok", (() => AbortSignal)?][] = [
    ["success", scripted(evse), "ok"],
    ["503, 503, success (two backoff waits)", scripted(() => status(503), () => status(503), evse), "ok"],
    ["a fetch that never answers (timeout, retried)", scripted(never), "timeout"],
    ["a body that never ends (timeout while reading, retried)", scripted(stalledBody), "timeout"],
    ["a rejecting fetch (network, retried)", scripted(() => Promise.reject(new TypeError("fetch failed"))), "network"],
    ["404", scripted(() => status(404)), "http"],
    ["429 with a Retry-After beyond the cap", scripted(() => status(429, { "retry-after": "3600" })), "rate-limited"],
    ["abort during a Retry-After wait", scripted(() => status(503, { "retry-after": "30" })), "aborted", () => AbortSignal.timeout(60)],
  ];

  it.each(cases)("%s: no timer is left and nothing rejects unhandled", async (_name, fetch, expected, signal) => {
    const client = createConnectorClient({ apiKey: API_KEY, fetch, timeoutMs: 40, retry: { baseDelayMs: 2, maxRetryAfterMs: 60_000 } });
    const outcome = await settle(client.updateConnector(PATH, { maxVoltage: 400 }, signal ? { signal: signal() } : {}));
    expect(outcome).toBe(expected);
    expect(pending.size).toBe(0);
    // Let any stray rejection surface before checking.
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(unhandled).toEqual([]);
  });
});

describe("hooks", () => {
  it("a hook that throws or rejects changes nothing and leaves no unhandled rejection", async () => {
    let calls = 0;
    const throwing = () => {
      calls++;
      throw new Error("hook bug");
    };
    const rejecting = async () => {
      calls++;
      throw new Error("async hook bug");
    };
    for (const onEvent of [throwing, rejecting]) {
      const client = createConnectorClient({ apiKey: API_KEY, fetch: scripted(() => status(503), evse), retry: { baseDelayMs: 1 }, onEvent });
      await expect(client.updateConnector(PATH, { maxVoltage: 400 })).resolves.toEqual(EXAMPLE_EVSE);
    }
    expect(calls).toBe(2 * 5); // request, response, retry, request, response
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(unhandled).toEqual([]);
    expect(pending.size).toBe(0);
  });
});
