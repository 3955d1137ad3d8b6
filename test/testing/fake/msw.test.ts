// createFakeHandlers: the fake behind Mock Service Worker (msw 2 here, on this Node; msw 3 on Node 24
// in msw3.test.ts). The client makes real fetch calls; MSW intercepts them and the fake answers.
import { setupServer } from "msw/node";
import { http, HttpResponse } from "msw";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ConnectorApiError, createConnectorClient } from "../../../src/index.js";
import { createFake, override } from "../../../src/testing/index.js";
import { createFakeHandlers } from "../../../src/testing/msw.js";

const fake = createFake({ rateLimit: { limit: 3, windowMs: 60_000 } });
const server = setupServer(...createFakeHandlers(fake));
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => {
  fake.reset();
  server.resetHandlers();
});
afterAll(() => {
  server.close();
  return fake.close();
});

const connector = { uid: 123456, connectorId: 1 };
const client = createConnectorClient({ apiKey: "test-key", retry: false }); // the production URL: MSW answers it

describe("createFakeHandlers", () => {
  it("update, read-back, 422, 429 until the clock moves, a 503 fault, and coverage", async () => {
    await expect(client.updateConnector(connector, { maxAmperage: 16 })).resolves.toMatchObject({ uid: 123456 });
    expect(fake.evse(123456)?.connectors[0]?.maxAmperage).toBe(16);
    const invalid = await fetch("https://api.spirii.com/v2/evses/123456/connectors/1", { method: "PATCH", headers: { Authorization: "Bearer test-key" }, body: '{"standard":"TESLA_S"}' });
    expect(invalid.status).toBe(422);
    await client.updateConnector(connector, { maxAmperage: 10 });
    const refused = await client.updateConnector(connector, { maxAmperage: 12 }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ConnectorApiError);
    expect(refused).toMatchObject({ kind: "rate-limited", status: 429 });
    fake.advance(60_000);
    fake.failNext({ status: 503 });
    await expect(client.updateConnector(connector, { maxAmperage: 12 })).rejects.toMatchObject({ status: 503 });
    await expect(client.updateConnector(connector, { maxAmperage: 12 })).resolves.toMatchObject({ uid: 123456 });
    expect(fake.requests.map((r) => r.status)).toEqual([200, 422, 200, 429, 503, 200]);
    const statuses = fake.coverage().items.filter((item) => item.kind === "status" && item.covered).map((item) => item.id);
    // Ids end in the status key ("status:422"; a per-operation prefix may come before it).
    for (const key of ["200", "422", "429", "5XX"]) expect(statuses.filter((id) => id.endsWith(`status:${key}`)), key).toHaveLength(1);
  });

  it("per-test overrides, through the fake or through MSW's own server.use", async () => {
    fake.use(override("PATCH", "/v2/evses/{uid}/connectors/{connectorId}", { status: 409, body: { error: { message: "busy" } } }, { once: true }));
    await expect(client.updateConnector(connector, { maxAmperage: 16 })).rejects.toMatchObject({ status: 409 });
    await expect(client.updateConnector(connector, { maxAmperage: 16 })).resolves.toMatchObject({ uid: 123456 });
    // MSW's own override still goes first: the handlers are plain MSW handlers.
    server.use(http.patch("https://api.spirii.com/v2/evses/:uid/connectors/:connectorId", () => HttpResponse.json({ error: { message: "msw says no" } }, { status: 403 })));
    await expect(client.updateConnector(connector, { maxAmperage: 16 })).rejects.toMatchObject({ status: 403 });
  });

  it("a { reset: true } fault is a network error", async () => {
    fake.failNext({ reset: true });
    await expect(client.updateConnector(connector, { maxAmperage: 16 })).rejects.toMatchObject({ kind: "network" });
  });

  it("an override that answers off the contract fails the call, and the error names the pointer", async () => {
    fake.use(override("PATCH", "/v2/evses/{uid}/connectors/{connectorId}", () => ({ status: 409, body: { error: { message: 7 } } as never })));
    const failure = await fetch("https://api.spirii.com/v2/evses/123456/connectors/1", { method: "PATCH", headers: { Authorization: "Bearer k" }, body: '{"maxAmperage":16}' });
    // MSW turns an exception in a handler into a 500 that carries the error.
    expect(failure.status).toBe(500);
    expect(await failure.text()).toContain("breaks the contract's ApiError at /error/message");
  });

  it("a sandbox base URL is answered too; another origin is not the fake's", async () => {
    const sandbox = createConnectorClient({ apiKey: "k", baseUrl: "https://sandbox.api.spirii.com" });
    await expect(sandbox.updateConnector(connector, { maxAmperage: 16 })).resolves.toMatchObject({ uid: 123456 });
    expect(createFakeHandlers(fake, { baseUrl: "http://127.0.0.1:9" })).toHaveLength(1);
  });
});

describe("bad input", () => {
  it.each([
    [undefined, /createFakeHandlers: expected a fake from createFake\(\) or startFakeApi\(\), got undefined/],
    [{ fetch: () => undefined }, /expected a fake from createFake\(\) or startFakeApi\(\), got object/],
  ])("createFakeHandlers(%j) is refused", (value, message) => {
    expect(() => createFakeHandlers(value as never)).toThrow(message);
  });

  it("a closed fake is refused with what to do", async () => {
    const closed = createFake();
    await closed.close();
    expect(() => createFakeHandlers(closed)).toThrow(/the fake is closed; create the handlers from a fake that is open/);
  });

  it.each([
    [{ baseUrl: "https://api.spirii.com/v2" }, /must be an origin only \(the client's baseUrl\), e\.g\. "https:\/\/api\.spirii\.com"/],
    [{ baseUrl: "api.spirii.com" }, /is not a URL/],
    [{ baseUrl: [] }, /baseUrl must be a URL or a non-empty array/],
    [{ baseURL: "https://x.test" }, /createFakeHandlers: unknown option "baseURL" \(did you mean "baseUrl"\?\)/],
  ])("options %j are refused", (options, message) => {
    expect(() => createFakeHandlers(fake, options as never)).toThrow(message);
  });
});
