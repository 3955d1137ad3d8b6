// The README's recipe "Integration tests against the fake", as written there (readme-recipes.test.ts
// checks that the README shows exactly this code, with the package's import paths).
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { ConnectorApiError, createConnectorClient } from "../../src/index.js";
import { startFakeApi, type FakeApi } from "../../src/testing/index.js";

let fake: FakeApi;
beforeAll(async () => { fake = await startFakeApi(); }); // the contract's example EVSEs, e.g. 123456
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const connector = { uid: 123456, connectorId: 1 };

it("sets the connector to 16 A, and the EVSE then shows 16 A", async () => {
  const client = createConnectorClient({ apiKey: "test-key", baseUrl: fake.url });
  const evse = await client.updateConnector(connector, { maxAmperage: 16 });
  expect(evse.connectors[0]?.maxAmperage).toBe(16);
  expect(fake.evse(123456)?.connectors[0]?.maxAmperage).toBe(16); // read back what the fake holds
});

it("retries a 503", async () => {
  fake.failNext({ status: 503, headers: { "Retry-After": "0" } });
  const client = createConnectorClient({ apiKey: "test-key", baseUrl: fake.url });
  await client.updateConnector(connector, { maxAmperage: 16 });
  expect(fake.requests.map((r) => r.status)).toEqual([503, 200]);
});

it("waits out a 429, in no real time", async () => {
  const limited = await startFakeApi({ rateLimit: { limit: 1, windowMs: 60_000 } });
  try {
    // retry: false, so the test sees the 429 (the client would otherwise wait Retry-After itself)
    const client = createConnectorClient({ apiKey: "test-key", baseUrl: limited.url, retry: false });
    await client.updateConnector(connector, { maxAmperage: 16 });
    const refused = await client.updateConnector(connector, { maxAmperage: 10 }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ConnectorApiError);
    expect(refused).toMatchObject({ kind: "rate-limited", status: 429, retryAfterMs: 60_000 });
    limited.advance(60_000); // the fake's clock, not the test's
    await expect(client.updateConnector(connector, { maxAmperage: 10 })).resolves.toMatchObject({ uid: 123456 });
  } finally {
    await limited.close();
  }
});
