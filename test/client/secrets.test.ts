// The API key never leaves through anything the client exposes: error messages, stacks, causes,
// JSON, util.inspect, hook payloads; not even when the server or the fetch echoes it back.
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { createConnectorClient, type ClientEvent, type ConnectorApiError } from "../../src/index.js";
import { EXAMPLE_EVSE, json, ok, reset, type Handler, useFaultServer } from "./fault-server.js";
import { API_KEY, PATH, failure, fastClient, representations } from "./helpers.js";

const server = useFaultServer();


function expectNoKey(texts: string[]) {
  for (const text of texts) expect(text).not.toContain(API_KEY);
}

/** Answers with the request's own Authorization header in the body, the status text and a header. */
const echoKey =
  (status: number, contentType = "application/json"): Handler =>
  (res, req) => {
    const auth = req.headers.authorization ?? "";
    res.writeHead(status, `Echo ${auth}`, { "content-type": contentType, "x-echo": auth });
    res.end(contentType === "application/json" ? JSON.stringify({ error: { message: `you sent ${auth}`, code: auth, request_id: auth } }) : `you sent ${auth}`);
  };

describe("the key never leaks", () => {
  it("the key does reach the server (so the checks below are not vacuous)", async () => {
    await fastClient(server.url).updateConnector(PATH, { maxVoltage: 400 });
    expect(server.received[0]?.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });

  const cases: [string, Handler[], Parameters<typeof fastClient>[1]][] = [
    ["http (server echoes the key)", [echoKey(403)], {}],
    ["rate-limited (server echoes the key)", [echoKey(429)], { retry: false }],
    ["invalid-response, not JSON", [echoKey(200, "text/plain")], {}],
    ["invalid-response, contract (strict)", [json(200, { uid: API_KEY })], { validateResponses: "strict" }],
    ["network (reset)", [reset], { retry: false }],
    ["timeout", [() => {}], { timeoutMs: 50, retry: false }],
  ];

  it.each(cases)("%s: message, stack, cause, JSON and inspect are clean", async (_name, handlers, options) => {
    server.script(...handlers);
    const error = await failure(fastClient(server.url, options).updateConnector(PATH, { maxVoltage: 400 }));
    expectNoKey(representations(error));
  });

  it("an abort reason that contains the key is not repeated in the message", async () => {
    const controller = new AbortController();
    // Aborted once the request has arrived (an event, not a timer a busy machine can outrun).
    server.script(() => controller.abort(new Error(`cancelled ${API_KEY}`)));
    const error = await failure(fastClient(server.url).updateConnector(PATH, { maxVoltage: 400 }, { signal: controller.signal }));
    expect(error.kind).toBe("aborted");
    expectNoKey(representations(error));
    expect(error.kind === "aborted" && error.reason instanceof Error && error.reason.message).toBe("cancelled [redacted]");
  });

  it("a fetch whose error quotes the request, headers and all, is scrubbed", async () => {
    const leakyFetch = async (request: Request): Promise<Response> => {
      const error = new TypeError(`fetch failed for ${request.headers.get("authorization")}`, {
        cause: Object.assign(new Error(`socket said ${request.headers.get("authorization")}`), { code: "ECONNRESET", request }),
      });
      throw error;
    };
    const error = await failure(createConnectorClient({ apiKey: API_KEY, fetch: leakyFetch, retry: false }).updateConnector(PATH, { maxVoltage: 400 }));
    expect(error.kind).toBe("network");
    expectNoKey(representations(error));
    expect(inspect(error, { depth: Infinity })).toContain("[redacted]");
  });

  it("hook payloads never carry the key, though they show the headers", async () => {
    const events: ClientEvent[] = [];
    // The key as a field value of a body that breaks the contract, and as a status the contract does not list.
    server.script(json(503, {}), echoKey(404), ok({ ...EXAMPLE_EVSE, evseId: API_KEY, chargeboxId: "NOT_A_NUMBER", status: API_KEY }));
    const client = fastClient(server.url, { onEvent: (e) => events.push(e) });
    await failure(client.updateConnector(PATH, { maxVoltage: 400 }));
    await client.updateConnector(PATH, { maxVoltage: 400 });
    expect(events.map((e) => e.type)).toEqual(["request", "response", "retry", "request", "response", "request", "response", "unknown-value", "contract-violation"]);
    expect(events.find((e) => e.type === "unknown-value")).toMatchObject({ path: "/status", value: "[redacted]" });
    const request = events.find((e) => e.type === "request");
    expect(request?.type === "request" && request.headers.authorization).toBe("Bearer [redacted]");
    expectNoKey(events.map((e) => JSON.stringify(e)));
    expectNoKey(events.map((e) => inspect(e, { depth: Infinity })));
  });

  it("a one-letter key is redacted from values, not from the error's own fields and names", async () => {
    // Replacing "t" everywhere once made kind "h[redacted][redacted]p" and renamed `status` away.
    server.script(json(404, { error: { message: "Not found", code: "t" } }));
    const error = await failure(createConnectorClient({ apiKey: "t", baseUrl: server.url, retry: false }).updateConnector(PATH, { maxVoltage: 400 }));
    expect(error.kind).toBe("http");
    expect(error.kind === "http" && error.status).toBe(404);
    expect(error.method).toBe("PATCH");
    expect(error.kind === "http" && error.code).toBe("[redacted]"); // the server's echo of the key, removed
  });

  it("a key pasted into the base URL is not quoted back in the error", () => {
    for (const baseUrl of [`https://api.example.test/?api_key=${API_KEY}`, `api.example.test?api_key=${API_KEY}`]) {
      expect(() => createConnectorClient({ apiKey: API_KEY, baseUrl })).toThrow(TypeError);
      try {
        createConnectorClient({ apiKey: API_KEY, baseUrl });
      } catch (error) {
        expect(String((error as Error).message)).not.toContain(API_KEY);
      }
    }
  });

  it("the client object does not show the key", () => {
    const client = createConnectorClient({ apiKey: API_KEY });
    expectNoKey([inspect(client, { depth: Infinity, showHidden: true }), JSON.stringify(client)]);
  });

  it("a bad key is rejected without quoting it", () => {
    const bad = `${API_KEY}\n`;
    expect(() => createConnectorClient({ apiKey: bad })).toThrow(/SPIRII_API_KEY/);
    try {
      createConnectorClient({ apiKey: bad });
    } catch (error) {
      expectNoKey([String(error), inspect(error)]);
    }
  });
});
