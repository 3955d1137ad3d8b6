// The client against a local server that misbehaves on purpose: every fault maps to one exact
// `kind`, retries happen only where they are safe and useful, and every case ends by the mechanism
// meant to end it (told by the error's kind and limit, the requests the server saw and the client's
// timers: which fired, which were cleared, which were never started), never by a stopwatch.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ClientEvent } from "../../src/index.js";
import { EXAMPLE_EVSE, json, ok, reset, stall, startFaultServer, useFaultServer } from "./fault-server.js";
import { API_KEY, PATH, failure, fastClient, watchClientTimers } from "./helpers.js";

const server = useFaultServer();
let clock: ReturnType<typeof watchClientTimers>;
beforeEach(() => {
  clock = watchClientTimers();
});
afterEach(() => clock.restore());

const envelope = (message: string, extra: Record<string, unknown> = {}) => ({ error: { message, ...extra } });
const PATCH = { maxElectricPower: 22 };

describe("a successful update", () => {
  it("sends the patch once, with the key, and resolves to the EVSE", async () => {
    const evse = await fastClient(server.url).updateConnector(PATH, { standard: "CHADEMO", maxVoltage: 400 });
    expect(evse).toEqual(EXAMPLE_EVSE);
    expect(server.received).toHaveLength(1);
    const [request] = server.received;
    expect(request?.method).toBe("PATCH");
    expect(request?.url).toBe("/v2/evses/123456/connectors/1");
    expect(request?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request?.headers["content-type"]).toBe("application/json");
    expect(request?.headers["user-agent"]).toBe("spirii-connector-contract");
    expect(JSON.parse(request?.body ?? "")).toEqual({ standard: "CHADEMO", maxVoltage: 400 });
  });
});

describe("HTTP errors", () => {
  it("500 is an http error and is not retried (the issue retries 502/503/504 only)", async () => {
    server.script(json(500, envelope("Internal error", { code: "internal", request_id: "req_500" })));
    const error = await failure(fastClient(server.url).updateConnector(PATH, PATCH));
    expect(error.kind).toBe("http");
    if (error.kind !== "http") return;
    expect(error).toMatchObject({ status: 500, attempts: 1, code: "internal", requestId: "req_500", apiMessage: "Internal error" });
    expect(error.message).toContain("PATCH http://127.0.0.1");
    expect(error.message).toContain("req_500");
    expect(server.received).toHaveLength(1);
  });

  it.each([400, 401, 403, 404, 409, 422])("%i is an http error, never retried", async (status) => {
    server.script(json(status, envelope(`status ${status}`)));
    const error = await failure(fastClient(server.url).updateConnector(PATH, PATCH));
    expect(error).toMatchObject({ kind: "http", status, attempts: 1, apiMessage: `status ${status}` });
    expect(server.received).toHaveLength(1);
  });

  it("keeps a non-JSON error body as text", async () => {
    server.script((res) => {
      res.writeHead(502, { "content-type": "text/html" });
      res.end("<html>Bad gateway</html>");
    });
    const error = await failure(fastClient(server.url, { retry: false }).updateConnector(PATH, PATCH));
    expect(error).toMatchObject({ kind: "http", status: 502, body: "<html>Bad gateway</html>", attempts: 1 });
  });

  it("does not follow a redirect, so the key is not sent on", async () => {
    const elsewhere = await startFaultServer();
    try {
      server.script(json(307, {}, { location: `${elsewhere.url}/v2/evses/123456/connectors/1` }));
      const error = await failure(fastClient(server.url).updateConnector(PATH, PATCH));
      expect(error).toMatchObject({ kind: "http", status: 307 });
      expect(error.message).toContain("does not follow redirects");
      expect(elsewhere.received).toHaveLength(0);
    } finally {
      await elsewhere.close();
    }
  });
});

describe("retries", () => {
  it("retries 503, then resolves", async () => {
    const events: ClientEvent[] = [];
    server.script(json(503, envelope("busy")), ok());
    const evse = await fastClient(server.url, { onEvent: (e) => events.push(e) }).updateConnector(PATH, PATCH);
    expect(evse).toEqual(EXAMPLE_EVSE);
    expect(server.received).toHaveLength(2);
    expect(server.received[1]?.body).toBe(server.received[0]?.body);
    expect(events.filter((e) => e.type === "retry")).toMatchObject([{ attempt: 1, reason: "503" }]);
  });

  it("retries 502 and 504 too, within maxAttempts", async () => {
    server.script(json(502, {}), json(504, {}), ok());
    await expect(fastClient(server.url).updateConnector(PATH, PATCH)).resolves.toEqual(EXAMPLE_EVSE);
    expect(server.received).toHaveLength(3);
  });

  it("gives up after maxAttempts with the last status", async () => {
    server.script(json(503, {}));
    const error = await failure(fastClient(server.url, { retry: { maxAttempts: 2, baseDelayMs: 1 } }).updateConnector(PATH, PATCH));
    expect(error).toMatchObject({ kind: "http", status: 503, attempts: 2 });
    expect(error.message).toContain("after 2 attempts");
    expect(server.received).toHaveLength(2);
  });

  it("retry: false sends once", async () => {
    server.script(json(503, {}), ok());
    const error = await failure(fastClient(server.url, { retry: false }).updateConnector(PATH, PATCH));
    expect(error).toMatchObject({ kind: "http", status: 503, attempts: 1 });
    expect(server.received).toHaveLength(1);
  });

  it("honours a 429's Retry-After in seconds, then resolves", async () => {
    const events: ClientEvent[] = [];
    const mark = (handler: ReturnType<typeof ok>, name: string): ReturnType<typeof ok> => (res, req) => {
      clock.order.push(name);
      handler(res, req);
    };
    server.script(mark(json(429, envelope("slow down"), { "retry-after": "1" }), "429"), mark(ok(), "retry arrived"));
    const result = await fastClient(server.url, { onEvent: (e) => events.push(e) }).updateConnector(PATH, PATCH);
    expect(result).toEqual(EXAMPLE_EVSE);
    expect(events.find((e) => e.type === "retry")).toMatchObject({ reason: "429", delayMs: 1000 });
    // The retry was sent when a wait of the Retry-After's second ended, not before (an order of
    // events, which a busy machine cannot change; the backoff of this client would be 1-4 ms).
    expect(clock.order).toEqual(["429", "fired 1000", "retry arrived"]);
  });

  it("does not wait for a Retry-After beyond the cap: rate-limited at once, with the wait and the headers", async () => {
    server.script(
      json(429, envelope("slow down", { code: "rate_limited", request_id: "req_429" }), {
        "retry-after": "120",
        "x-ratelimit-limit": "120",
        "x-ratelimit-remaining": "0",
        "x-ratelimit-reset": "1767225600",
      }),
    );
    const events: ClientEvent[] = [];
    const error = await failure(fastClient(server.url, { retry: { maxRetryAfterMs: 5_000 }, onEvent: (e) => events.push(e) }).updateConnector(PATH, PATCH));
    // At once: no wait was announced, and no timer of the Retry-After (nor of the cap) was started.
    expect(events.filter((e) => e.type === "retry")).toEqual([]);
    expect(clock.timers.filter((t) => t.ms === 120_000 || t.ms === 5_000)).toEqual([]);
    expect(error.kind).toBe("rate-limited");
    if (error.kind !== "rate-limited") return;
    expect(error).toMatchObject({ status: 429, attempts: 1, retryAfterMs: 120_000, code: "rate_limited", requestId: "req_429" });
    expect(error.rateLimit).toEqual({ limit: 120, remaining: 0, reset: "1767225600" });
    expect(error.message).toContain("wait 120 s");
    expect(server.received).toHaveLength(1);
  });

  it("reports a 429 that persists as rate-limited after the retries", async () => {
    server.script(json(429, envelope("slow down")));
    const error = await failure(fastClient(server.url, { retry: { maxAttempts: 2, baseDelayMs: 1 } }).updateConnector(PATH, PATCH));
    expect(error).toMatchObject({ kind: "rate-limited", attempts: 2 });
    expect(server.received).toHaveLength(2);
  });

  it("500 is retried when the caller lists it", async () => {
    server.script(json(500, {}), ok());
    await expect(fastClient(server.url, { retry: { statuses: [500], baseDelayMs: 1 } }).updateConnector(PATH, PATCH)).resolves.toEqual(EXAMPLE_EVSE);
    expect(server.received).toHaveLength(2);
  });
});

describe("timeouts and aborts", () => {
  const silent = () => {}; // never answers

  // The server never answers, so only the client can end these calls (vitest's test timeout is the
  // guard against a client that would wait for ever).
  it("a server that never answers is a timeout after timeoutMs", async () => {
    server.script(silent);
    const error = await failure(fastClient(server.url, { timeoutMs: 100, retry: false }).updateConnector(PATH, PATCH));
    expect(error).toMatchObject({ kind: "timeout", timeoutMs: 100, limit: "timeoutMs", attempts: 1 });
    // Ended by the attempt's timer of timeoutMs, when it fired (not before, not by another mechanism).
    expect(clock.timers).toMatchObject([{ ms: 100, fired: true }]);
  });

  it("a body that stalls after the headers is a timeout too (the deadline covers the body)", async () => {
    server.script(stall);
    const error = await failure(fastClient(server.url, { timeoutMs: 100, retry: false }).updateConnector(PATH, PATCH));
    expect(error).toMatchObject({ kind: "timeout", limit: "timeoutMs", attempts: 1 });
    expect(clock.timers).toMatchObject([{ ms: 100, fired: true }]);
  });

  it("a timeout is retried, each attempt with its own deadline", async () => {
    server.script(silent);
    const error = await failure(fastClient(server.url, { timeoutMs: 80, retry: { maxAttempts: 2, baseDelayMs: 1 } }).updateConnector(PATH, PATCH));
    expect(error).toMatchObject({ kind: "timeout", attempts: 2 });
    expect(server.received).toHaveLength(2);
  });

  it("the caller's abort is reported as aborted, not as a timeout, and is not retried", async () => {
    const controller = new AbortController();
    // The caller gives up once the request has arrived (an event, not a timer a busy machine can outrun).
    server.script(() => controller.abort(new Error("user navigated away")));
    const error = await failure(fastClient(server.url, { timeoutMs: 60_000 }).updateConnector(PATH, PATCH, { signal: controller.signal }));
    expect(error.kind).toBe("aborted");
    if (error.kind !== "aborted") return;
    expect(error.reason).toBeInstanceOf(Error);
    expect(error.message).toContain("user navigated away");
    // The abort ended it, not the attempt's timeout: that timer was cleared, never fired.
    expect(clock.timers).toMatchObject([{ ms: 60_000, fired: false, cleared: true }]); // longer than the test may run
    expect(server.received).toHaveLength(1);
  });

  it("an abort during the wait before a retry ends the wait at once", async () => {
    server.script(json(503, {}, { "retry-after": "100" }));
    const controller = new AbortController();
    // The caller gives up once the wait has begun (the retry event comes just before it starts).
    const onEvent = (event: ClientEvent) => {
      if (event.type === "retry") setImmediate(() => controller.abort(new Error("gave up")));
    };
    const error = await failure(
      fastClient(server.url, { retry: { maxRetryAfterMs: 200_000 }, onEvent }).updateConnector(PATH, PATCH, { signal: controller.signal, deadlineMs: 300_000 }),
    );
    expect(error).toMatchObject({ kind: "aborted", attempts: 1 });
    // The wait of 100 s (longer than the test may run) was started and ended by the abort.
    expect(clock.timers.filter((t) => t.ms === 100_000)).toEqual([{ ms: 100_000, fired: false, cleared: true }]);
    expect(server.received).toHaveLength(1);
  });

  it("an already aborted signal sends nothing", async () => {
    const error = await failure(fastClient(server.url).updateConnector(PATH, PATCH, { signal: AbortSignal.abort() }));
    expect(error).toMatchObject({ kind: "aborted", attempts: 0 });
    expect(server.received).toHaveLength(0);
  });
});

describe("network failures", () => {
  it("a reset connection is a network error, retried", async () => {
    server.script(reset);
    const error = await failure(fastClient(server.url, { retry: { maxAttempts: 2, baseDelayMs: 1 } }).updateConnector(PATH, PATCH));
    expect(error).toMatchObject({ kind: "network", attempts: 2 });
    expect(error.cause).toBeInstanceOf(Error);
    expect(server.received).toHaveLength(2);
  });

  it("a reset followed by success resolves", async () => {
    server.script(reset, ok());
    await expect(fastClient(server.url).updateConnector(PATH, PATCH)).resolves.toEqual(EXAMPLE_EVSE);
  });

  it("a refused connection is a network error naming the cause", async () => {
    const gone = await startFaultServer();
    await gone.close();
    const error = await failure(fastClient(gone.url, { retry: false }).updateConnector(PATH, PATCH));
    expect(error.kind).toBe("network");
    if (error.kind !== "network") return;
    expect(error.detail).toContain("ECONNREFUSED");
    expect(error.message).toContain("ECONNREFUSED");
  });
});

describe("2xx bodies the client cannot use", () => {
  it("malformed JSON is an invalid-response", async () => {
    server.script(json(200, '{"uid": 1, '));
    const error = await failure(fastClient(server.url).updateConnector(PATH, PATCH));
    expect(error).toMatchObject({ kind: "invalid-response", problem: "not-json", status: 200, body: '{"uid": 1, ' });
    expect(server.received).toHaveLength(1);
  });

  it("a text/plain 200 is an invalid-response, even if it parses", async () => {
    server.script((res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end(JSON.stringify(EXAMPLE_EVSE));
    });
    const error = await failure(fastClient(server.url).updateConnector(PATH, PATCH));
    expect(error).toMatchObject({ kind: "invalid-response", problem: "content-type", contentType: "text/plain" });
  });

  it("an empty 200 is an invalid-response", async () => {
    server.script(json(200, ""));
    const error = await failure(fastClient(server.url).updateConnector(PATH, PATCH));
    expect(error).toMatchObject({ kind: "invalid-response", problem: "empty" });
  });

  // An OCPP status where the OCPI one belongs (a provider bug, unlike a new status) and a number as a string.
  const broken = { ...EXAMPLE_EVSE, status: "Charging", chargeboxId: "123" };

  it('strict: a 200 that breaks the contract is an invalid-response listing each issue', async () => {
    const events: ClientEvent[] = [];
    server.script(ok(broken));
    const error = await failure(fastClient(server.url, { validateResponses: "strict", onEvent: (e) => events.push(e) }).updateConnector(PATH, PATCH));
    expect(error.kind).toBe("invalid-response");
    if (error.kind !== "invalid-response") return;
    expect(error.problem).toBe("contract");
    expect(error.issues.map((i) => i.path).sort()).toEqual(["/chargeboxId", "/status"]);
    expect(error.body).toEqual(broken);
    expect(events.find((e) => e.type === "contract-violation")).toMatchObject({ mode: "strict", status: 200 });
  });

  it("report (the default): resolves to the body and tells the hook", async () => {
    const events: ClientEvent[] = [];
    server.script(ok(broken));
    const evse = await fastClient(server.url, { onEvent: (e) => events.push(e) }).updateConnector(PATH, PATCH);
    expect(evse).toEqual(broken);
    const violation = events.find((e) => e.type === "contract-violation");
    expect(violation).toMatchObject({ mode: "report", body: broken });
    expect(violation?.type === "contract-violation" && violation.issues.map((i) => i.path).sort()).toEqual(["/chargeboxId", "/status"]);
  });

  it("off: resolves to the body without checking it", async () => {
    const events: ClientEvent[] = [];
    server.script(ok(broken));
    const evse = await fastClient(server.url, { validateResponses: "off", onEvent: (e) => events.push(e) }).updateConnector(PATH, PATCH);
    expect(evse).toEqual(broken);
    expect(events.map((e) => e.type)).toEqual(["request", "response"]);
  });

  const twoMegabyteEvse = { ...EXAMPLE_EVSE, evseId: "x".repeat(2 * 1024 * 1024) };

  it("a 2 MB body is an invalid-response (too-large) under the default 1 MiB limit", async () => {
    server.script(ok(twoMegabyteEvse));
    const error = await failure(fastClient(server.url).updateConnector(PATH, PATCH));
    expect(error).toMatchObject({ kind: "invalid-response", problem: "too-large", status: 200 });
  });

  it("a 2 MB body without Content-Length is cut at the limit too", async () => {
    server.script((res) => {
      res.writeHead(200, { "content-type": "application/json" }); // chunked: the size is not announced
      const text = JSON.stringify(twoMegabyteEvse);
      for (let i = 0; i < text.length; i += 65_536) res.write(text.slice(i, i + 65_536));
      res.end();
    });
    const error = await failure(fastClient(server.url, { maxResponseBytes: 100_000 }).updateConnector(PATH, PATCH));
    expect(error).toMatchObject({ kind: "invalid-response", problem: "too-large" });
  });

  it("a 2 MB body is accepted when maxResponseBytes allows it", async () => {
    server.script(ok(twoMegabyteEvse));
    const evse = await fastClient(server.url, { maxResponseBytes: 4 * 1024 * 1024 }).updateConnector(PATH, PATCH);
    expect(evse.evseId).toHaveLength(2 * 1024 * 1024);
  });
});

describe("client.raw", () => {
  it("shares the key and returns openapi-fetch's { data, response }", async () => {
    const { data, error, response } = await fastClient(server.url).raw.PATCH("/v2/evses/{uid}/connectors/{connectorId}", {
      params: { path: PATH },
      body: { format: "CABLE" },
    });
    expect(error).toBeUndefined();
    expect(response.status).toBe(200);
    expect(data).toEqual(EXAMPLE_EVSE);
    expect(server.received[0]?.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it("shares the retries and returns a final error as { error }", async () => {
    server.script(json(503, {}), json(404, envelope("no such connector")));
    const { data, error, response } = await fastClient(server.url).raw.PATCH("/v2/evses/{uid}/connectors/{connectorId}", {
      params: { path: PATH },
      body: { format: "CABLE" },
    });
    expect(data).toBeUndefined();
    expect(response.status).toBe(404);
    expect(error).toEqual(envelope("no such connector"));
    expect(server.received).toHaveLength(2);
  });

  it("shares the timeout: a stall rejects with a ConnectorApiError", async () => {
    server.script(() => {});
    const error = await failure(
      fastClient(server.url, { timeoutMs: 80, retry: false }).raw.PATCH("/v2/evses/{uid}/connectors/{connectorId}", {
        params: { path: PATH },
        body: { format: "CABLE" },
      }),
    );
    expect(error.kind).toBe("timeout");
  });
});
