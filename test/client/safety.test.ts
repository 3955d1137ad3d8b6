// Issue 9's client defects, each pinned: redaction that a short key cannot break and an outside
// value cannot fool (3), options that are null or of the wrong type (4), and one deadline for the
// whole call (5).
import { inspect } from "node:util";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConnectorApiError, createConnectorClient, type ClientEvent } from "../../src/index.js";
import { EXAMPLE_EVSE, json, ok, reset, type Handler, useFaultServer } from "./fault-server.js";
import { BAD_OPTIONS, NAMED_CALLS, PATH, failure, representations, watchClientTimers } from "./helpers.js";

const server = useFaultServer();

const PATCH = { maxVoltage: 400 };


/** Answers with the key the request carried, as text, as a property name and in headers. */
const echo =
  (status: number): Handler =>
  (res, req) => {
    const key = (req.headers.authorization ?? "").slice("Bearer ".length);
    res.writeHead(status, { "content-type": "application/json", "x-ratelimit-reset": key, "retry-after": "0" });
    res.end(JSON.stringify({ error: { message: `bad key ${key}`, code: key, request_id: key }, [key]: { [key]: key } }));
  };

describe("redaction (issue 9, defect 3)", () => {
  // A key of one character, one that is part of the URL, one of the digits in it, and a 4 KB one.
  const keys = ["t", "1", "v2", "h", "e", "P", "A", "s", "x".repeat(4096)];

  it.each(keys.map((key) => [key.length > 8 ? `${key.length} characters` : JSON.stringify(key), key]))(
    "key %s: every kind's own text stays intact and the key appears nowhere, for every named method",
    async (_name, key) => {
      const client = createConnectorClient({ apiKey: key, baseUrl: server.url, retry: false });
      for (const named of NAMED_CALLS) {
        const errors: ConnectorApiError[] = [];
        // http, rate-limited, invalid-response, timeout, network, aborted, invalid-request
        for (const [handler, options] of [[echo(404)], [echo(429)], [json(200, "not json {")], [() => {}, { deadlineMs: 150 }], [reset]] as const) {
          server.script(handler);
          errors.push(await failure(named.call(client, options)));
        }
        errors.push(await failure(named.call(client, { signal: AbortSignal.abort(new Error(`stop ${key}`)) })));
        errors.push(await failure(named.invalid(client)));
        expect(errors.map((e) => e.kind)).toEqual(["http", "rate-limited", "invalid-response", "timeout", "network", "aborted", "invalid-request"]);
        for (const error of errors) {
          const url = `${server.url}${error.kind === "invalid-request" ? named.invalidPath : named.concrete}`;
          expect(error.url).toBe(url);
          expect(error.method).toBe(named.method);
          expect(error.operationId).toBe(named.operationId);
          expect(error.message.startsWith(`${named.method} ${url} `)).toBe(true);
          if (key.length > 2) for (const text of representations(error)) expect(text).not.toContain(key);
        }
        // The server's echoes (a value, a property name, a header) are replaced, the client's words are not.
        const http = errors[0]!;
        expect(http.kind === "http" && http.code).toBe("[redacted]");
        expect(http.kind === "http" && http.status).toBe(404);
        expect(http.kind === "http" && Object.keys(http.body as object)).toContain("[redacted]");
        const limited = errors[1]!;
        expect(limited.kind === "rate-limited" && limited.rateLimit.reset).toBe("[redacted]");
      }
    },
  );

  it("a caller's abort reason that is a class instance holding the key is redacted in every view", async () => {
    const key = "sk_live_abcdef123456";
    class Cancel {
      constructor(readonly token: string) {}
    }
    const error = await failure(
      createConnectorClient({ apiKey: key, baseUrl: server.url }).updateConnector(PATH, PATCH, { signal: AbortSignal.abort(new Cancel(key)) }),
    );
    expect(error.kind).toBe("aborted");
    for (const text of representations(error)) expect(text).not.toContain(key);
    expect(error.kind === "aborted" && error.reason).toEqual({ token: "[redacted]" });
  });

  it("an abort reason with a cycle or a getter that throws neither throws nor leaks", async () => {
    const key = "sk_live_cyclic98765";
    const reason: Record<string, unknown> = { key };
    reason.self = reason;
    Object.defineProperty(reason, "boom", { enumerable: true, get: () => { throw new Error(key); } });
    const error = await failure(createConnectorClient({ apiKey: key, baseUrl: server.url }).updateConnector(PATH, PATCH, { signal: AbortSignal.abort(reason) }));
    expect(error.kind).toBe("aborted");
    for (const text of representations(error)) expect(text).not.toContain(key);
  });

  it("a server echoing the key as a property name, in a 2xx that breaks the contract, leaks nowhere (events included)", async () => {
    const key = "sk_live_propname4242";
    const events: ClientEvent[] = [];
    server.script((res) => {
      res.writeHead(200, { "content-type": "application/json" });
      // The key as a status (a value the contract does not list: an unknown-value event) and as a
      // chargeboxId (a string where a number belongs: a contract violation).
      res.end(JSON.stringify({ ...EXAMPLE_EVSE, status: key, chargeboxId: key, [key]: key }));
    });
    const client = createConnectorClient({ apiKey: key, baseUrl: server.url, validateResponses: "strict", onEvent: (e) => events.push(e) });
    const error = await failure(client.updateConnector(PATH, PATCH));
    expect(error).toMatchObject({ kind: "invalid-response", problem: "contract" });
    for (const text of representations(error)) expect(text).not.toContain(key);
    expect(events.map((e) => e.type)).toEqual(["request", "response", "unknown-value", "contract-violation"]);
    expect(events[2]).toMatchObject({ type: "unknown-value", path: "/status", value: "[redacted]" });
    for (const event of events) {
      expect(JSON.stringify(event)).not.toContain(key);
      expect(inspect(event, { depth: Infinity })).not.toContain(key);
    }
  });

  it("a fetch whose error cause chain holds the key in fields, Maps and class instances is redacted", async () => {
    const key = "sk_live_causechain77";
    class Socket {
      headers = new Map([["authorization", `Bearer ${key}`]]);
    }
    const fetch = async () => {
      throw new TypeError("fetch failed", { cause: Object.assign(new Error(`reset by ${key}`), { code: "ECONNRESET", socket: new Socket(), [key]: true }) });
    };
    const error = await failure(createConnectorClient({ apiKey: key, fetch, retry: false }).updateConnector(PATH, PATCH));
    expect(error.kind).toBe("network");
    expect(error.kind === "network" && error.detail).toBe("ECONNRESET: reset by [redacted]");
    for (const text of representations(error)) expect(text).not.toContain(key);
  });
});

describe("options (issue 9, defect 4)", () => {
  it.each([null, undefined])("options %s mean no options", async (options) => {
    server.script(ok());
    const client = createConnectorClient({ apiKey: "k3y", baseUrl: server.url });
    await expect(client.updateConnector(PATH, PATCH, options as never)).resolves.toEqual(EXAMPLE_EVSE);
  });

  it.each(NAMED_CALLS.flatMap((named) => BAD_OPTIONS.map(([name, options, message]) => [named.operationId, name, named, options, message] as const)))(
    "%s: options that are %s are an invalid-request naming the argument, with nothing sent",
    async (_id, _name, named, options, message) => {
      const error = await failure(named.call(createConnectorClient({ apiKey: "k3y", baseUrl: server.url }), options));
      expect(error.kind).toBe("invalid-request");
      expect(error.message).toMatch(message);
      expect(error.kind === "invalid-request" && error.attempts).toBe(0);
      expect(server.received).toHaveLength(0);
    },
  );

  it("no input makes updateConnector or getEvse throw or reject anything but a ConnectorApiError", async () => {
    const fetch = async () => new Response(JSON.stringify(EXAMPLE_EVSE), { headers: { "content-type": "application/json" } });
    const client = createConnectorClient({ apiKey: "k3y", fetch, retry: false });
    await fc.assert(
      fc.asyncProperty(fc.anything({ withNullPrototype: true, withMap: true, withSet: true, withBigInt: true }), fc.anything(), fc.anything({ withNullPrototype: true }), async (path, patch, options) => {
        const outcome = async (call: () => Promise<unknown>) => {
          try {
            await call();
            return "resolved";
          } catch (error) {
            return error;
          }
        };
        const update = await outcome(() => client.updateConnector(path as never, patch as never, options as never));
        const read = await outcome(() => client.getEvse(path as never, options as never));
        return (update === "resolved" || update instanceof ConnectorApiError) && (read === "resolved" || read instanceof ConnectorApiError);
      }),
      { numRuns: 300 },
    );
  });
});

// Which mechanism ended each call is read off its error (kind, limit), the requests the server saw,
// the retry events and the client's timers: a stopwatch would judge the machine's speed instead.
describe("deadlineMs (issue 9, defect 5)", () => {
  let clock: ReturnType<typeof watchClientTimers>;
  beforeEach(() => {
    clock = watchClientTimers();
  });
  afterEach(() => clock.restore());
  const retries = (events: ClientEvent[]) => events.filter((e) => e.type === "retry");

  it("a client with deadlineMs 3000 against a server that always answers 503 (Retry-After: 1) stops retrying before the deadline, as the 503", async () => {
    // Waits of a whole second against a 3 s deadline: the second or third wait would end past it and
    // is not started, however slowly a busy machine runs the attempts in between.
    server.script(json(503, { error: { message: "overloaded" } }, { "retry-after": "1" }));
    const events: ClientEvent[] = [];
    const client = createConnectorClient({ apiKey: "k3y", baseUrl: server.url, deadlineMs: 3_000, retry: { maxAttempts: 1000 }, onEvent: (e) => events.push(e) });
    const error = await failure(client.updateConnector(PATH, PATCH));
    // The 503, not a timeout: the call stopped before its deadline rather than running into it.
    expect(error).toMatchObject({ kind: "http", status: 503 });
    expect(error.attempts).toBeGreaterThan(1);
    expect(error.attempts).toBeLessThanOrEqual(3);
    expect(server.received).toHaveLength(error.attempts);
    // One wait of the Retry-After between attempts, all of them within the 3 s, each one run out.
    expect(retries(events).map((e) => e.delayMs)).toEqual(Array(error.attempts - 1).fill(1_000));
    expect(clock.timers.filter((t) => t.ms === 1_000)).toEqual(Array(error.attempts - 1).fill({ ms: 1_000, fired: true, cleared: false }));
  });

  it("a wait that would end past the deadline is not started: the 503 at once", async () => {
    server.script(json(503, {}, { "retry-after": "5" }));
    const events: ClientEvent[] = [];
    const error = await failure(createConnectorClient({ apiKey: "k3y", baseUrl: server.url, deadlineMs: 2_000, onEvent: (e) => events.push(e) }).updateConnector(PATH, PATCH));
    // Had the 5 s wait run, the next attempt would have found the deadline gone: a timeout, not the 503.
    expect(error).toMatchObject({ kind: "http", status: 503, attempts: 1 });
    expect(retries(events)).toEqual([]);
    expect(clock.timers.filter((t) => t.ms === 5_000)).toEqual([]);
    expect(server.received).toHaveLength(1);
  });

  it("a 429 whose Retry-After ends past the deadline is rate-limited at once, with retryAfterMs", async () => {
    server.script(json(429, {}, { "retry-after": "3" }));
    const events: ClientEvent[] = [];
    const error = await failure(createConnectorClient({ apiKey: "k3y", baseUrl: server.url, onEvent: (e) => events.push(e) }).updateConnector(PATH, PATCH, { deadlineMs: 2_000 }));
    expect(error).toMatchObject({ kind: "rate-limited", status: 429, retryAfterMs: 3_000, attempts: 1 });
    expect(retries(events)).toEqual([]);
    expect(clock.timers.filter((t) => t.ms === 3_000)).toEqual([]);
    expect(server.received).toHaveLength(1);
  });

  it("updateConnector(..., { deadlineMs: 500 }) against a server that never answers settles as a timeout of the deadline", async () => {
    // The server never answers and the client's timeoutMs (30 s default) is longer than the test may
    // run: only the deadline can end this call.
    server.script(() => {});
    const client = createConnectorClient({ apiKey: "k3y", baseUrl: server.url });
    const error = await failure(client.updateConnector(PATH, PATCH, { deadlineMs: 500 }));
    expect(error).toMatchObject({ kind: "timeout", timeoutMs: 500, limit: "deadlineMs", attempts: 1 });
    expect(clock.timers).toMatchObject([{ fired: true, cleared: false }]); // the one timer, bounded by the deadline
  });

  it("the deadline covers attempts and the waits between them", async () => {
    // Attempts of 100 ms, without end but for the deadline of 10 of them: without the deadline, the
    // 1000 attempts would outlast the test. The first attempt ends long before the deadline (10x),
    // so more than one attempt fits even on a busy machine.
    server.script(() => {});
    const events: ClientEvent[] = [];
    const client = createConnectorClient({ apiKey: "k3y", baseUrl: server.url, timeoutMs: 100, deadlineMs: 1_000, retry: { maxAttempts: 1000, baseDelayMs: 1, maxDelayMs: 2 }, onEvent: (e) => events.push(e) });
    const error = await failure(client.updateConnector(PATH, PATCH));
    expect(error).toMatchObject({ kind: "timeout" });
    expect(error.attempts).toBeGreaterThanOrEqual(2);
    expect(error.attempts).toBeLessThanOrEqual(11); // 10 attempts fill the deadline; one more may start in its last millisecond
    // Each attempt but the last reached the server; the deadline may cut the last before it arrives.
    expect(server.received.length).toBeGreaterThanOrEqual(error.attempts - 1);
    expect(server.received.length).toBeLessThanOrEqual(error.attempts);
    expect(retries(events)).toHaveLength(error.attempts - 1);
  });

  it("deadlineMs on the client is checked like timeoutMs", () => {
    expect(() => createConnectorClient({ apiKey: "k3y", deadlineMs: 0 })).toThrow(/deadlineMs must be a whole number/);
  });
});
