// updateConnectors through a local provider that allows 20 writes per 200 ms window and answers
// 429 beyond: every valid update applied, results in input order, an invalid update failing alone,
// progress after each update, abort, and few 429s. (The pace itself is a benchmark: fleet-update.)
import { afterEach, describe, expect, it } from "vitest";
import { ConnectorApiError, createConnectorClient, type ConnectorUpdateItem, type UpdateConnectorsProgress } from "../../src/index.js";
import { EXAMPLE_EVSE } from "./fault-server.js";
import { failure } from "./helpers.js";
import { startRateLimitedProvider, type RateLimitedProvider } from "./rate-limited-provider.js";

let provider: RateLimitedProvider | undefined;
afterEach(async () => {
  await provider?.close();
  provider = undefined;
});

const LIMIT = 20;
const WINDOW_MS = 200;

/** N updates to N connectors, each with its own value, so that "applied" can be checked one by one. */
const fleet = (n: number): ConnectorUpdateItem[] => Array.from({ length: n }, (_, i) => ({ path: { uid: 1000 + i, connectorId: 1 + (i % 3) }, patch: { maxElectricPower: 10 + i } }));
const windowsSpanned = (p: RateLimitedProvider) => {
  const used = Object.keys(p.stats.perWindow).map(Number);
  return Math.max(...used) - Math.min(...used) + 1;
};

describe("updateConnectors", () => {
  it("applies every valid update of a batch 5x the window, in input order, the invalid one failing alone, with few 429s", async () => {
    provider = await startRateLimitedProvider({ limit: LIMIT, windowMs: WINDOW_MS });
    const client = createConnectorClient({ apiKey: "k3y", baseUrl: provider.url });
    const updates = fleet(100);
    updates[37] = { path: { uid: 1037, connectorId: 1 }, patch: { maxElectricPower: "lots" } as never };
    const progress: UpdateConnectorsProgress[] = [];
    const results = await client.updateConnectors(updates, { onProgress: (p) => progress.push(p) });

    expect(results).toHaveLength(100);
    results.forEach((result, i) => expect(result.path).toEqual(updates[i]!.path));
    const invalid = results[37]!;
    expect(invalid.ok).toBe(false);
    expect(!invalid.ok && invalid.error).toBeInstanceOf(ConnectorApiError);
    expect(!invalid.ok && invalid.error).toMatchObject({ kind: "invalid-request", attempts: 0 });
    expect(provider.connectors.has("1037/2")).toBe(false);
    for (const [i, result] of results.entries()) {
      if (i === 37) continue;
      expect(result).toMatchObject({ ok: true, evse: { ...EXAMPLE_EVSE, uid: 1000 + i } });
      expect(provider.connectors.get(`${1000 + i}/${1 + (i % 3)}`)).toEqual({ maxElectricPower: 10 + i });
    }
    expect(provider.stats.applied).toBe(99);
    // Paced by the headers: at most about one 429 per window, where unpaced calls get hundreds.
    expect(provider.stats.rejected).toBeLessThanOrEqual(windowsSpanned(provider));
    // Never more than the limit in a window (the provider enforces it; this checks the counting).
    for (const count of Object.values(provider.stats.perWindow)) expect(count).toBeLessThanOrEqual(LIMIT);

    expect(progress).toHaveLength(100);
    expect(progress.map((p) => p.done)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(progress.every((p) => p.total === 100)).toBe(true);
    expect(progress.at(-1)).toEqual({ done: 100, total: 100, failed: 1 });
  });

  it("with only Retry-After to go by, a 429 pauses the batch and the update is sent again, not failed", async () => {
    // A 1 s window: Retry-After has whole seconds only.
    provider = await startRateLimitedProvider({ limit: LIMIT, windowMs: 1_000, sendHeaders: false });
    const client = createConnectorClient({ apiKey: "k3y", baseUrl: provider.url, retry: { maxAttempts: 1 } });
    const results = await client.updateConnectors(fleet(30), { concurrency: 3 });
    expect(results.every((r) => r.ok)).toBe(true);
    expect(provider.stats.applied).toBe(30);
    expect(provider.stats.rejected).toBeGreaterThan(0); // the provider did push back, and it cost no update
    expect(provider.stats.rejected).toBeLessThanOrEqual(3 * windowsSpanned(provider));
  });

  it("abort resolves with the results so far and aborted errors for the rest", async () => {
    provider = await startRateLimitedProvider({ limit: LIMIT, windowMs: WINDOW_MS });
    const client = createConnectorClient({ apiKey: "k3y", baseUrl: provider.url });
    const controller = new AbortController();
    const results = await client.updateConnectors(fleet(200), {
      signal: controller.signal,
      onProgress: ({ done }) => {
        if (done === 30) controller.abort(new Error("operator stopped it"));
      },
    });
    expect(results).toHaveLength(200);
    const applied = results.filter((r) => r.ok).length;
    expect(applied).toBeGreaterThanOrEqual(30);
    expect(applied).toBeLessThan(200);
    // Those in flight at the abort may have been applied without the client seeing the answer.
    expect(provider.stats.applied).toBeGreaterThanOrEqual(applied);
    expect(provider.stats.applied).toBeLessThanOrEqual(applied + 4);
    for (const result of results) {
      if (result.ok) continue;
      expect(result.error).toMatchObject({ kind: "aborted" });
      expect(result.error.kind === "aborted" && (result.error.reason as Error).message).toBe("operator stopped it");
    }
  });

  it("a failure other than 429 fails that update alone", async () => {
    let calls = 0;
    const fetch = async (request: Request) => {
      calls++;
      const status = request.url.endsWith("/1001/connectors/2") ? 404 : 200;
      return new Response(JSON.stringify(status === 200 ? EXAMPLE_EVSE : { error: { message: "no such connector" } }), { status, headers: { "content-type": "application/json" } });
    };
    const results = await createConnectorClient({ apiKey: "k3y", fetch }).updateConnectors(fleet(5), { concurrency: 2 });
    expect(results.map((r) => r.ok)).toEqual([true, false, true, true, true]);
    expect(!results[1]!.ok && results[1]!.error).toMatchObject({ kind: "http", status: 404, apiMessage: "no such connector" });
    expect(calls).toBe(5);
  });

  it("an empty batch resolves to no results", async () => {
    await expect(createConnectorClient({ apiKey: "k3y" }).updateConnectors([])).resolves.toEqual([]);
  });

  it.each([
    ["updates that are not an array", { not: "an array" }, undefined, /updates must be an array/],
    ["a concurrency of 0", [], { concurrency: 0 }, /options\.concurrency must be a whole number from 1 to 64/],
    ["onProgress that is not a function", [], { onProgress: "bar" }, /options\.onProgress must be a function/],
    ["options that are a number", [], 3, /options must be an object/],
  ])("%s is an invalid-request", async (_name, updates, options, message) => {
    const error = await failure(createConnectorClient({ apiKey: "k3y" }).updateConnectors(updates as never, options as never));
    expect(error.kind).toBe("invalid-request");
    expect(error.message).toMatch(message);
  });

  it("an update that is not an object fails alone", async () => {
    const fetch = async () => new Response(JSON.stringify(EXAMPLE_EVSE), { headers: { "content-type": "application/json" } });
    const results = await createConnectorClient({ apiKey: "k3y", fetch }).updateConnectors([null, fleet(1)[0]] as never);
    expect(results[0]).toMatchObject({ ok: false, error: { kind: "invalid-request" } });
    expect(results[1]).toMatchObject({ ok: true });
  });
});
