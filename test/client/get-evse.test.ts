// client.getEvse: the EVSE read through the client's one call path. What it shares with
// updateConnector (redaction of every error kind, bad options) is covered for both in
// safety.test.ts; here is what is the read's own: the request it sends, the uids it refuses, the
// answers it cannot use, and errors that speak of a read (never of an update).
import { describe, expect, it } from "vitest";
import contract from "../../generated/openapi.json" with { type: "json" };
import { GET_EVSE, createConnectorClient, type ClientEvent } from "../../src/index.js";
import { json, ok, useFaultServer } from "./fault-server.js";
import { API_KEY, PATH, answer, failure, fastClient, fetchFailed, representations, scriptedFetch } from "./helpers.js";

const server = useFaultServer();

/** getEvse's own example answer (not the update's). */
const EVSE = contract.components.examples.EvseDcCharging.value;
const UID = { uid: PATH.uid };

describe("client.getEvse", () => {
  it("sends one GET to the contract's path, with the key and no body, and resolves to the EVSE", async () => {
    server.script(ok(EVSE));
    const evse = await fastClient(server.url).getEvse(UID);
    expect(evse).toEqual(EVSE);
    expect(server.received).toHaveLength(1);
    const [request] = server.received;
    expect(request?.method).toBe(GET_EVSE.method);
    expect(request?.url).toBe(`/v2/evses/${PATH.uid}`);
    expect(request?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request?.headers["content-type"]).toBeUndefined();
    expect(request?.body).toBe("");
  });

  it.each([
    ["0", { uid: 0 }, /path \/uid must be 1 or more/],
    ["-1", { uid: -1 }, /path \/uid must be 1 or more/],
    ["1.5", { uid: 1.5 }, /path \/uid must be of type integer/],
    ['"abc"', { uid: "abc" }, /path \/uid must be of type integer/],
    ["missing", {}, /path \/uid is required/],
    ["no path at all", undefined, /path \(the whole value\) must be of type object/],
    ["an unknown parameter", { uid: 1, connectorId: 1 }, /path \/connectorId is not a field the contract allows here/],
  ])("a uid %s is an invalid-request naming it, with nothing sent", async (_name, path, message) => {
    const error = await failure(fastClient(server.url).getEvse(path as never));
    expect(error).toMatchObject({ kind: "invalid-request", method: "GET", attempts: 0, operationId: "getEvse" });
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/v2\/evses\/\S+ was not sent because the request breaks the contract/);
    expect(server.received).toHaveLength(0);
  });

  it("an answer larger than maxResponseBytes is an invalid-response (too-large) that speaks of no update", async () => {
    server.script(ok({ ...EVSE, evseId: "x".repeat(200_000) }));
    const error = await failure(fastClient(server.url, { maxResponseBytes: 100_000 }).getEvse(UID));
    expect(error).toMatchObject({ kind: "invalid-response", problem: "too-large", status: 200, operationId: "getEvse" });
    expect(error.message).not.toMatch(/update|applied|processed/);
  });

  it("an answer that is not JSON, by its content type, is an invalid-response naming the type", async () => {
    server.script((res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<html>captive portal</html>");
    });
    const error = await failure(fastClient(server.url).getEvse(UID));
    expect(error).toMatchObject({ kind: "invalid-response", problem: "content-type", contentType: "text/html" });
    expect(error.message).toContain("something other than the API may have answered");
  });

  it("an answer echoing the key, in a body that breaks the contract, leaks nowhere, in strict mode and in events", async () => {
    const key = "sk_live_getevse_echo42";
    const events: ClientEvent[] = [];
    server.script((res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ ...EVSE, uid: key, [key]: key }));
    });
    const client = createConnectorClient({ apiKey: key, baseUrl: server.url, validateResponses: "strict", onEvent: (e) => events.push(e) });
    const error = await failure(client.getEvse(UID));
    expect(error).toMatchObject({ kind: "invalid-response", problem: "contract", operationId: "getEvse" });
    expect(error.kind === "invalid-response" && error.issues.map((i) => i.path)).toEqual(["/uid"]);
    expect(error.message).not.toMatch(/update|applied/);
    for (const text of [...representations(error), ...events.map((e) => JSON.stringify(e))]) expect(text).not.toContain(key);
  });

  it("validates the answer with getEvse's response schema: report resolves and tells the hook, off says nothing", async () => {
    // An OCPP status where the OCPI one belongs breaks the contract; a status added later does not (open enum).
    const broken = { ...EVSE, status: "Charging" };
    const later = { ...EVSE, status: "SLEEPING" };
    server.script(ok(broken), ok(later), ok(broken));
    const events: ClientEvent[] = [];
    await expect(fastClient(server.url, { onEvent: (e) => events.push(e) }).getEvse(UID)).resolves.toEqual(broken);
    expect(events.find((e) => e.type === "contract-violation")).toMatchObject({ mode: "report", method: "GET", status: 200 });
    const told: ClientEvent[] = [];
    await expect(fastClient(server.url, { validateResponses: "strict", onEvent: (e) => told.push(e) }).getEvse(UID)).resolves.toEqual(later);
    expect(told.filter((e) => e.type !== "request" && e.type !== "response")).toEqual([
      { type: "unknown-value", method: "GET", url: expect.stringMatching(/\/v2\/evses\/\d+$/), status: 200, path: "/status", value: "SLEEPING", enum: "EvseStatus" },
    ]);
    const quiet: ClientEvent[] = [];
    await expect(fastClient(server.url, { validateResponses: "off", onEvent: (e) => quiet.push(e) }).getEvse(UID)).resolves.toEqual(broken);
    expect(quiet.map((e) => e.type)).toEqual(["request", "response"]);
  });

  it("a 404 advises checking the uid; the documented error envelope is read", async () => {
    server.script(json(404, { error: { message: "No EVSE 123456.", code: "resource_not_found", request_id: "req_1" } }));
    const error = await failure(fastClient(server.url).getEvse(UID));
    expect(error).toMatchObject({ kind: "http", status: 404, code: "resource_not_found", requestId: "req_1", attempts: 1 });
    expect(error.message).toContain("check that the uid in the path exists and that this key can see it");
    expect(error.message).not.toMatch(/connector|update|patch/i);
  });

  it("is idempotent (a read): a timeout, a reset and a 503 are retried, and the errors say resending is safe", async () => {
    const fetch = scriptedFetch("hang", fetchFailed("ECONNRESET"), answer(503, { error: { message: "busy" } }), answer(200, EVSE));
    const client = fastClient(server.url, { fetch, timeoutMs: 50, retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 2 } });
    await expect(client.getEvse(UID)).resolves.toEqual(EVSE);
    expect(fetch.requests.map((r) => r.method)).toEqual(["GET", "GET", "GET", "GET"]);

    const timeout = await failure(fastClient(server.url, { fetch: scriptedFetch("hang"), timeoutMs: 50, retry: false }).getEvse(UID));
    expect(timeout.kind).toBe("timeout");
    expect(timeout.message).toContain("it changes nothing, and sending it again is safe because getEvse is idempotent");
    expect(timeout.message).not.toMatch(/update|applied/);
  });
});
