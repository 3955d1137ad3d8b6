// The README's recipe "Integration tests against the fake", as written there (readme-recipes.test.ts
// checks that the README shows exactly this code, with the package's import paths; test/package runs
// it in a project that installed the packed package and msw).
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { createConnectorClient } from "../../src/index.js";
import { createFake, override } from "../../src/testing/index.js";
import { createFakeHandlers } from "../../src/testing/msw.js";

// The contract's example EVSEs (e.g. 123456), 1 write a minute; close() writes the contract coverage.
const fake = createFake({ rateLimit: { limit: 1, windowMs: 60_000 }, coverageFile: "coverage/fake.json" });
const server = setupServer(...createFakeHandlers(fake));
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => (fake.reset(), server.resetHandlers()));
afterAll(() => (server.close(), fake.close()));

const client = createConnectorClient({ apiKey: "test-key", retry: false }); // retry: false, so tests see each answer
const connector = { uid: 123456, connectorId: 1 };
const status = (maxAmperage: number) => client.updateConnector(connector, { maxAmperage }).then(() => 200, (error) => error.status);

it("sets the connector to 16 A, and the EVSE then shows 16 A", async () => {
  const evse = await client.updateConnector(connector, { maxAmperage: 16 });
  expect(evse.connectors[0]?.maxAmperage).toBe(16);
  expect(fake.evse(123456)?.connectors[0]?.maxAmperage).toBe(16); // read back what the fake holds
});

it("answers 422 to a patch that breaks the contract", async () => {
  const { response } = await client.raw.PATCH("/v2/evses/{uid}/connectors/{connectorId}", { params: { path: connector }, body: { maxAmperage: 0 } });
  expect(response.status).toBe(422);
});

it("answers 429 past the limit, until the fake's clock moves (no real time passes)", async () => {
  expect([await status(16), await status(10)]).toEqual([200, 429]);
  fake.advance(60_000);
  expect(await status(10)).toBe(200);
});

it("fails as told: a 503 fault, then a per-test answer typed from the contract", async () => {
  fake.failNext({ status: 503 });
  fake.use(override("PATCH", "/v2/evses/{uid}/connectors/{connectorId}", { status: 409, body: { error: { message: "busy" } } }));
  expect([await status(16), await status(16)]).toEqual([503, 409]);
});
