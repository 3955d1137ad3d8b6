// The README's consumer recipe, as written there: the mock in five lines, the client pointed at it.
import { afterAll, beforeAll, expect, it } from "vitest";
import { ConnectorApiError, createConnectorClient } from "../../src/index.js";
import { startMockServer, type MockServer } from "../../src/testing/index.js";

let mock: MockServer;
beforeAll(async () => { mock = await startMockServer(); });
afterAll(() => mock.close());

it("lets the package's own client update a connector against the mock", async () => {
  const client = createConnectorClient({ apiKey: "test-key", baseUrl: mock.url });
  const evse = await client.updateConnector({ uid: 123456, connectorId: 1 }, { maxElectricPower: 22 });
  expect(evse).toMatchObject({ uid: 123456, status: "CHARGING" });
});

it("lets a consumer test its error handling with a documented error picked by Prefer", async () => {
  const client = createConnectorClient({ apiKey: "test-key", baseUrl: mock.url, retry: false });
  const failure = client.updateConnector({ uid: 123456, connectorId: 9 }, { format: "CABLE" }, { headers: { Prefer: "code=404" } });
  await expect(failure).rejects.toBeInstanceOf(ConnectorApiError);
  await expect(failure).rejects.toMatchObject({ status: 404 });
});
