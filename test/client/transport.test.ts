// The transport's paths with an injected fetch, where the client cannot count on undici: bodies
// read chunk by chunk under the cap and the deadline, the Request each attempt gets (its signal,
// its body), and what reaches updateConnector (decoding as response.text() would).
import { describe, expect, it } from "vitest";
import { createConnectorClient, type ConnectorClientOptions } from "../../src/index.js";
import { EXAMPLE_EVSE } from "./fault-server.js";
import { API_KEY, PATH, failure } from "./helpers.js";

const PATCH = { maxVoltage: 400 };
const JSON_HEADERS = { "content-type": "application/json" };
const encoder = new TextEncoder();

function client(fetch: (request: Request) => Promise<Response>, overrides: Partial<ConnectorClientOptions> = {}) {
  return createConnectorClient({ apiKey: API_KEY, baseUrl: "https://api.example.test", fetch, retry: false, timeoutMs: 2_000, ...overrides });
}

/** A body stream that sends `chunks`, then ends, keeps sending (`endless`) or waits for ever (`stall`, telling `onStall`); it records a cancel. */
function streamOf(chunks: Uint8Array[], options: { endless?: boolean; stall?: boolean; onStall?: () => void } = {}) {
  const state = { cancelled: false, pulled: 0 };
  let index = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      state.pulled++;
      if (index < chunks.length) controller.enqueue(chunks[index++]!);
      else if (options.endless) controller.enqueue(new Uint8Array(64 * 1024).fill(0x20));
      else if (options.stall) {
        options.onStall?.();
        return new Promise<void>(() => {}); // never more, never the end
      }
      else controller.close();
      return undefined;
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { stream, state };
}

describe("reading the body with an injected fetch", () => {
  it("an endless body without Content-Length is cut at maxResponseBytes (too-large), and the stream is cancelled", async () => {
    const { stream, state } = streamOf([], { endless: true });
    const error = await failure(client(async () => new Response(stream, { headers: JSON_HEADERS }), { maxResponseBytes: 100_000 }).updateConnector(PATH, PATCH));
    expect(error).toMatchObject({ kind: "invalid-response", problem: "too-large", status: 200 });
    expect(state.cancelled).toBe(true);
    // Read up to the cap and no further: about 100 000 bytes in 64 KiB chunks.
    expect(state.pulled).toBeLessThanOrEqual(3);
  });

  it("a Content-Length above the cap is refused before reading", async () => {
    const { stream, state } = streamOf([encoder.encode(JSON.stringify(EXAMPLE_EVSE))]);
    const error = await failure(
      client(async () => new Response(stream, { headers: { ...JSON_HEADERS, "content-length": "5000000" } })).updateConnector(PATH, PATCH),
    );
    expect(error).toMatchObject({ kind: "invalid-response", problem: "too-large" });
    expect(state.cancelled).toBe(true);
  });

  it("a body that stalls is a timeout even when the fetch ignores its signal", async () => {
    // The body never ends and ignores the abort: only the attempt's timer can end this call (the
    // test's own timeout is the guard against a client that would wait for the body).
    const { stream } = streamOf([encoder.encode("{")], { stall: true });
    const error = await failure(client(async () => new Response(stream, { headers: JSON_HEADERS }), { timeoutMs: 60 }).updateConnector(PATH, PATCH));
    expect(error).toMatchObject({ kind: "timeout", timeoutMs: 60, limit: "timeoutMs", attempts: 1 });
  });

  it("the caller's abort during the body read is reported as aborted", async () => {
    const controller = new AbortController();
    // The caller gives up once the read waits at the stall (an event, not a timer that a busy machine
    // could fire before the read began; a turn later, so that the read is under way, not starting);
    // timeoutMs is longer than the test may run, so only the abort can end the call.
    const { stream } = streamOf([encoder.encode("{")], { stall: true, onStall: () => setImmediate(() => controller.abort(new Error("gave up"))) });
    const error = await failure(client(async () => new Response(stream, { headers: JSON_HEADERS }), { timeoutMs: 60_000 }).updateConnector(PATH, PATCH, { signal: controller.signal }));
    expect(error).toMatchObject({ kind: "aborted", attempts: 1 });
  });

  it("a body in many chunks, split inside a character, is put together before decoding", async () => {
    const bytes = encoder.encode(JSON.stringify({ ...EXAMPLE_EVSE, evseId: "Ærøskøbing-Ø1" }));
    const at = bytes.indexOf(0xc3); // the first byte of a two-byte character
    const { stream } = streamOf([bytes.subarray(0, at + 1), bytes.subarray(at + 1, at + 5), bytes.subarray(at + 5)]);
    const evse = await client(async () => new Response(stream, { headers: JSON_HEADERS })).updateConnector(PATH, PATCH);
    expect(evse.evseId).toBe("Ærøskøbing-Ø1");
  });

  it("decodes as response.text() does: a leading UTF-8 BOM is dropped", async () => {
    const body = new Uint8Array([0xef, 0xbb, 0xbf, ...encoder.encode(JSON.stringify(EXAMPLE_EVSE))]);
    const evse = await client(async () => new Response(body, { headers: JSON_HEADERS })).updateConnector(PATH, PATCH);
    expect(evse).toEqual(EXAMPLE_EVSE);
  });

  it("a fetch that answers after the deadline has its body cancelled, not read", async () => {
    const { stream, state } = streamOf([encoder.encode(JSON.stringify(EXAMPLE_EVSE))]);
    let answered!: () => void;
    const late = new Promise<void>((resolve) => (answered = resolve));
    const fetch = () =>
      new Promise<Response>((resolve) =>
        setTimeout(() => {
          resolve(new Response(stream, { headers: JSON_HEADERS }));
          answered();
        }, 80),
      );
    const error = await failure(client(fetch, { timeoutMs: 20 }).updateConnector(PATH, PATCH));
    expect(error.kind).toBe("timeout");
    await late;
    await new Promise((resolve) => setImmediate(resolve));
    expect(state.cancelled).toBe(true);
  });
});

describe("the Request an injected fetch receives", () => {
  it("carries the attempt's signal, which aborts when the attempt times out", async () => {
    const signals: AbortSignal[] = [];
    const never = (request: Request) => {
      signals.push(request.signal);
      return new Promise<Response>(() => {});
    };
    const error = await failure(client(never, { timeoutMs: 30, retry: { maxAttempts: 2, baseDelayMs: 1 } }).updateConnector(PATH, PATCH));
    expect(error).toMatchObject({ kind: "timeout", attempts: 2 });
    expect(signals).toHaveLength(2);
    expect(signals[0]).not.toBe(signals[1]);
    for (const signal of signals) {
      expect(signal.aborted).toBe(true);
      expect((signal.reason as Error).name).toBe("TimeoutError");
    }
  });

  it("carries the caller's abort too", async () => {
    let seen: AbortSignal | undefined;
    const never = (request: Request) => {
      seen = request.signal;
      return new Promise<Response>(() => {});
    };
    const controller = new AbortController();
    // Aborted once the fetch has its Request (an event: a timer could fire before the attempt began).
    const fetch = (request: Request) => {
      setImmediate(() => controller.abort(new Error("stop")));
      return never(request);
    };
    const error = await failure(client(fetch, { timeoutMs: 60_000 }).updateConnector(PATH, PATCH, { signal: controller.signal }));
    expect(error.kind).toBe("aborted");
    expect(seen?.aborted).toBe(true);
    expect((seen?.reason as Error).message).toBe("stop");
  });

  it("is a fresh Request with the same body, key and headers on every attempt (after a timeout too)", async () => {
    const seen: { method: string; url: string; body: string; authorization: string | null; prefer: string | null; redirect: string }[] = [];
    let calls = 0;
    const fetch = async (request: Request) => {
      seen.push({
        method: request.method,
        url: request.url,
        body: await request.text(),
        authorization: request.headers.get("authorization"),
        prefer: request.headers.get("prefer"),
        redirect: request.redirect,
      });
      if (++calls === 1) return new Promise<Response>(() => {}); // the first attempt times out
      if (calls === 2) return new Response("{}", { status: 503, headers: JSON_HEADERS });
      return new Response(JSON.stringify(EXAMPLE_EVSE), { headers: JSON_HEADERS });
    };
    const patch = { standard: "CHADEMO", maxVoltage: 400 } as const;
    const evse = await client(fetch, { timeoutMs: 40, retry: { maxAttempts: 3, baseDelayMs: 1 } }).updateConnector(PATH, patch, { headers: { Prefer: "code=200" } });
    expect(evse).toEqual(EXAMPLE_EVSE);
    expect(seen).toHaveLength(3);
    for (const request of seen) {
      expect(request).toEqual({
        method: "PATCH",
        url: "https://api.example.test/v2/evses/123456/connectors/1",
        body: JSON.stringify(patch),
        authorization: `Bearer ${API_KEY}`,
        prefer: "code=200",
        redirect: "manual",
      });
    }
  });

  it("a caller's Authorization or User-Agent header does not replace the client's", async () => {
    let headers: Headers | undefined;
    const fetch = async (request: Request) => {
      headers = request.headers;
      return new Response(JSON.stringify(EXAMPLE_EVSE), { headers: JSON_HEADERS });
    };
    await client(fetch).updateConnector(PATH, PATCH, { headers: { Authorization: "Bearer other", "User-Agent": "other" } });
    expect(headers?.get("authorization")).toBe(`Bearer ${API_KEY}`);
    expect(headers?.get("user-agent")).toBe("spirii-connector-contract");
  });
});

describe("client.raw and updateConnector", () => {
  it("middleware added to client.raw applies to raw only: updateConnector sends what it validated", async () => {
    const seen: (string | null)[] = [];
    const fetch = async (request: Request) => {
      seen.push(request.headers.get("x-middleware"));
      return new Response(JSON.stringify(EXAMPLE_EVSE), { headers: JSON_HEADERS });
    };
    const c = client(fetch);
    c.raw.use({
      onRequest: ({ request }) => {
        request.headers.set("x-middleware", "yes");
        return request;
      },
    });
    await c.raw.PATCH("/v2/evses/{uid}/connectors/{connectorId}", { params: { path: PATH }, body: PATCH });
    await c.updateConnector(PATH, PATCH);
    expect(seen).toEqual(["yes", null]);
  });

  it("raw responses are readable by openapi-fetch, with the body it read and the size it has now", async () => {
    const fetch = async () => new Response(JSON.stringify(EXAMPLE_EVSE), { headers: { ...JSON_HEADERS, "content-length": "999999" } });
    const { data, response } = await client(fetch, { maxResponseBytes: 10_000_000 }).raw.PATCH("/v2/evses/{uid}/connectors/{connectorId}", {
      params: { path: PATH },
      body: PATCH,
    });
    expect(data).toEqual(EXAMPLE_EVSE);
    expect(response.headers.get("content-length")).toBe(String(encoder.encode(JSON.stringify(EXAMPLE_EVSE)).byteLength));
  });
});
