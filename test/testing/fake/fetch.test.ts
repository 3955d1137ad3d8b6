// fake.fetch: the same engine as startFakeApi, reached in memory. The client is handed the fetch and
// no socket is opened: node:net's listen and connect are watched, and the control case (the same
// flow over startFakeApi) shows the watch sees a socket when there is one.
import net from "node:net";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ConnectorApiError, createConnectorClient } from "../../../src/index.js";
import { createFake, startFakeApi, type Fake } from "../../../src/testing/index.js";

const connector = { uid: 123456, connectorId: 1 };

function watchSockets() {
  const listen = vi.spyOn(net.Server.prototype, "listen");
  const connect = vi.spyOn(net.Socket.prototype, "connect");
  return { calls: () => listen.mock.calls.length + connect.mock.calls.length, restore: () => (listen.mockRestore(), connect.mockRestore()) };
}

let fake: Fake;
beforeEach(() => {
  fake = createFake();
});
afterEach(() => fake.close());

describe("fake.fetch", () => {
  it("serves the client with no socket: update, read-back, 422, 429 with the clock advanced, a 503 fault", async () => {
    const sockets = watchSockets();
    try {
      const limited = createFake({ rateLimit: { limit: 2, windowMs: 60_000 } });
      const client = createConnectorClient({ apiKey: "test-key", fetch: limited.fetch, retry: false });
      const evse = await client.updateConnector(connector, { maxAmperage: 16 });
      expect(evse.connectors[0]?.maxAmperage).toBe(16);
      expect(limited.evse(123456)?.connectors[0]?.maxAmperage).toBe(16);
      const read = await limited.fetch("https://api.spirii.com/v2/evses/123456", { headers: { Authorization: "Bearer test-key" } });
      expect(((await read.json()) as { connectors: { maxAmperage: number }[] }).connectors[0]?.maxAmperage).toBe(16);
      await expect(client.updateConnector(connector, { maxAmperage: 0 } as never)).rejects.toMatchObject({ kind: "invalid-request", attempts: 0 }); // refused by the client, never sent
      const invalid = await limited.fetch("https://api.spirii.com/v2/evses/123456/connectors/1", { method: "PATCH", headers: { Authorization: "Bearer k" }, body: '{"maxAmperage":0}' });
      expect(invalid.status).toBe(422);
      const refused = await client.updateConnector(connector, { maxAmperage: 10 }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(ConnectorApiError);
      expect(refused).toMatchObject({ kind: "rate-limited", status: 429 });
      limited.advance(60_000);
      limited.failNext({ status: 503 });
      await expect(client.updateConnector(connector, { maxAmperage: 10 })).rejects.toMatchObject({ status: 503 });
      await expect(client.updateConnector(connector, { maxAmperage: 10 })).resolves.toMatchObject({ uid: 123456 });
      expect(limited.requests.map((r) => r.status)).toEqual([200, 200, 422, 429, 503, 200]);
      await limited.close();
      expect(sockets.calls()).toBe(0);

      // The control: the same client over startFakeApi does open sockets, and the watch sees them.
      const served = await startFakeApi();
      try {
        await createConnectorClient({ apiKey: "test-key", baseUrl: served.url }).updateConnector(connector, { maxAmperage: 16 });
      } finally {
        await served.close();
      }
      expect(sockets.calls()).toBeGreaterThan(0);
    } finally {
      sockets.restore();
    }
  });

  it("takes a URL, a string or a Request, and answers by path whatever the origin", async () => {
    const init = { headers: { Authorization: "Bearer k" } };
    for (const input of ["http://anything.test/v2/evses/123456", new URL("https://api.spirii.com/v2/evses/123456"), new Request("https://x.test/v2/evses/123456", init)]) {
      const answer = await fake.fetch(input, input instanceof Request ? undefined : init);
      expect(answer.status).toBe(200);
      expect(answer.headers.get("content-type")).toBe("application/json");
    }
    expect((await fake.fetch("https://x.test/v1/other", init)).status).toBe(404);
  });

  it("a { reset: true } fault rejects as a dropped connection; the client reports a network error", async () => {
    fake.failNext({ reset: true });
    await expect(fake.fetch("https://x.test/v2/evses/123456")).rejects.toThrow(expect.objectContaining({ name: "TypeError", message: "fetch failed", cause: expect.objectContaining({ code: "ECONNRESET" }) }));
    fake.failNext({ reset: true });
    const client = createConnectorClient({ apiKey: "k", fetch: fake.fetch, retry: false });
    await expect(client.updateConnector(connector, { maxAmperage: 16 })).rejects.toMatchObject({ kind: "network" });
    expect(fake.evse(123456)?.connectors[0]?.maxAmperage).not.toBe(16);
  });

  it("an abort rejects at once, as fetch does; the late answer is recorded as dropped", async () => {
    fake.failNext({ delayMs: 60_000 });
    const controller = new AbortController();
    const pending = fake.fetch("https://x.test/v2/evses/123456/connectors/1", { method: "PATCH", headers: { Authorization: "Bearer k" }, body: '{"maxAmperage":16}', signal: controller.signal });
    controller.abort(new Error("the test gave up"));
    await expect(pending).rejects.toThrow("the test gave up");
    await fake.close(); // drops the late answer rather than leaving it pending
    expect(fake.requests.map((r) => r.status)).toEqual([undefined]);
  });

  it("after close(), fetch refuses with what happened", async () => {
    await fake.close();
    await expect(fake.fetch("https://x.test/v2/evses/123456")).rejects.toThrow(/the fake is closed/);
  });

  it("the key stays out of the request log", async () => {
    await fake.fetch("https://x.test/v2/evses/123456?k=sk-secret-9", { headers: { Authorization: "Bearer sk-secret-9" } });
    expect(JSON.stringify(fake.requests)).not.toContain("sk-secret-9");
  });
});

describe("apiKeys: \"first-sent\"", () => {
  it("accepts the first key it is sent, refuses others with 401, and forgets it on reset()", async () => {
    const strict = createFake({ apiKeys: "first-sent" });
    const get = (key: string) => strict.fetch("https://x.test/v2/evses/123456", { headers: { Authorization: `Bearer ${key}` } }).then((r) => r.status);
    expect(await get("key-a")).toBe(200);
    expect(await get("key-b")).toBe(401);
    expect(await get("key-a")).toBe(200);
    strict.reset();
    expect(await get("key-b")).toBe(200);
    expect(await get("key-a")).toBe(401);
  });

  it("createFake refuses other values, and unknown options", () => {
    expect(() => createFake({ apiKeys: "first" as never })).toThrow(/apiKeys must be a non-empty array .* or "first-sent"/);
    expect(() => createFake({ port: 0 } as never)).toThrow(/createFake: unknown option "port" \(createFake listens on nothing; startFakeApi\(\{ port \}\) does\)/);
    expect(() => createFake({ apiKey: "k" } as never)).toThrow(/createFake: unknown option "apiKey" \(did you mean "apiKeys"\?\)/);
  });
});
