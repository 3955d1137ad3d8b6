// test/connector.test.ts (consumer)
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createConnectorClient } from "../../../src/index.js";
import { startMockServer, type MockServer } from "../../../src/testing/index.js";

let mock: MockServer;
beforeAll(async () => {
  // One coverage file per test file (and so per worker); `spirii-contract coverage` merges them.
  mock = await startMockServer({ coverageFile: `test-results/contract-coverage/${randomUUID()}.json` });
});
afterAll(() => mock.close()); // writes the coverage file

it("reports a rate limit instead of retrying forever", async () => {
  const client = createConnectorClient({ apiKey: "test-key", baseUrl: mock.url, retry: false });
  const update = client.updateConnector({ uid: 123456, connectorId: 1 }, { maxElectricPower: 22 }, { headers: { Prefer: "code=429" } });
  await expect(update).rejects.toMatchObject({ kind: "rate-limited", status: 429 });
});
