// updateConnectors against the package's own stateful fake (startFakeApi) with its documented write
// limit on the real clock: the batch is paced by the fake's X-RateLimit-* headers and Retry-After,
// every update is applied (read back from the fake's state), and the fake answers few 429s. The
// fake's Reset is whole epoch seconds (as the contract's example), so with 250 ms windows the batch
// waits for the next second: this pins correctness, not pace (the fleet-update benchmark does that).
import { afterEach, describe, expect, it } from "vitest";
import { createConnectorClient, type ConnectorUpdateItem } from "../../src/index.js";
import { startFakeApi, type FakeApi } from "../../src/testing/index.js";
import type { Evse } from "../../src/contract.js";

let fake: FakeApi | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const LIMIT = 10;
const WINDOW_MS = 250;
const N = 40;

describe("updateConnectors against the fake", () => {
  it("applies a batch of 4 windows' worth, in order, with at most about one 429 per window", async () => {
    // The contract's example EVSE as the template of a fleet of N EVSEs.
    const template = await startFakeApi().then(async (probe) => {
      const evse = probe.evse(123456);
      await probe.close();
      return evse!;
    });
    const evses: Evse[] = Array.from({ length: N }, (_, i) => ({ ...structuredClone(template), uid: 5000 + i }));
    fake = await startFakeApi({ evses, rateLimit: { limit: LIMIT, windowMs: WINDOW_MS }, clock: Date.now });
    const connectorId = template.connectors[0]!.id;
    const updates: ConnectorUpdateItem[] = evses.map((evse, i) => ({ path: { uid: evse.uid, connectorId }, patch: { maxAmperage: 6 + i } }));

    const client = createConnectorClient({ apiKey: "fake-key", baseUrl: fake.url });
    const results = await client.updateConnectors(updates);

    expect(results.map((r) => r.path)).toEqual(updates.map((u) => u.path));
    expect(results.filter((r) => !r.ok)).toEqual([]);
    for (const [i, evse] of evses.entries()) {
      expect(fake.evse(evse.uid)!.connectors[0]!.maxAmperage).toBe(6 + i);
      const result = results[i]!;
      expect(result.ok && result.evse.connectors[0]!.maxAmperage).toBe(6 + i);
    }
    const statuses = fake.requests.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(N);
    const rejected = statuses.filter((s) => s === 429).length;
    // N / LIMIT windows are needed at the least; a 429 at the start of each is the most we allow.
    expect(rejected).toBeLessThanOrEqual(N / LIMIT + 1);
  });
});
