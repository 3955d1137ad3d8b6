// startMockServer: the contract served in-process on an ephemeral port, fast, and gone after close().
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { validateApiError, validateEvse } from "../../src/index.js";
import { startMockServer, type MockServer } from "../../src/testing/index.js";

const PATH = "/v2/evses/123456/connectors/1";
const patch = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${url}${PATH}`, {
    method: "PATCH",
    headers: { authorization: "Bearer test-key", "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

/** Resources that hold a port or a connection: what a leak would leave behind. */
const netHandles = () => process.getActiveResourcesInfo().filter((r) => r === "TCPServerWrap" || r === "TCPSocketWrap").length;

const portIsFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const probe = net.createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });

const open: MockServer[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((m) => m.close()));
});

describe("startMockServer", () => {
  it("answers a valid patch with the contract's example, on a loopback ephemeral port", async () => {
    const mock = await startMockServer();
    open.push(mock);
    expect(mock.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(mock.url).not.toMatch(/:4010$/);
    const response = await patch(mock.url, { maxElectricPower: 11 });
    expect(response.status).toBe(200);
    const body: unknown = await response.json();
    expect(validateEvse(body)).toMatchObject({ ok: true });
    expect(body).toMatchObject({ uid: 123456, evseId: "DK.12343*1" }); // the reference page's example
  });

  it("checks security and validates requests, answering with the documented errors", async () => {
    const mock = await startMockServer();
    open.push(mock);
    const noKey = await fetch(`${mock.url}${PATH}`, { method: "PATCH", headers: { "content-type": "application/json" }, body: '{"maxVoltage":400}' });
    expect(noKey.status).toBe(401);
    expect(validateApiError(await noKey.json())).toMatchObject({ ok: true });
    const empty = await patch(mock.url, {});
    expect(empty.status).toBe(422);
    expect(validateApiError(await empty.json())).toMatchObject({ ok: true });
    const asked = await patch(mock.url, { maxVoltage: 400 }, { prefer: "code=404" });
    expect(asked.status).toBe(404);
  });

  it("starts and closes 20 times in one process without leaking handles or ports", async () => {
    const before = netHandles();
    const ports: number[] = [];
    for (let i = 0; i < 20; i++) {
      const mock = await startMockServer();
      open.push(mock); // closed by afterEach if an expectation below fails (close() is idempotent)
      // A keep-alive client (fetch pools its sockets) must not hold the port after close().
      expect((await patch(mock.url, { maxVoltage: 230 })).status).toBe(200);
      await mock.close();
      ports.push(Number(new URL(mock.url).port));
    }
    // Closed sockets are reaped a turn or more later, later on a busy machine: look again until they
    // are, up to 200 looks (5 s and more, 100x what an idle machine needs), not for a fixed time.
    for (let looks = 0; netHandles() > before && looks < 200; looks++) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(netHandles()).toBeLessThanOrEqual(before);
    for (const port of ports) expect(await portIsFree(port)).toBe(true);
    // How fast a start is (the contract is parsed once per process) is a speed goal: bench/mock.bench.ts.
  });

  it("runs two mocks at once on different ports", async () => {
    const [a, b] = await Promise.all([startMockServer(), startMockServer({ dynamic: true, seed: 1 })]);
    open.push(a, b);
    expect(a.url).not.toBe(b.url);
    const [ra, rb] = await Promise.all([patch(a.url, { maxVoltage: 230 }), patch(b.url, { maxVoltage: 230 })]);
    expect([ra.status, rb.status]).toEqual([200, 200]);
    expect(await ra.json()).not.toEqual(await rb.json()); // example vs generated body
  });

  it("generates the same dynamic bodies for the same seed", async () => {
    const bodies = [];
    for (const seed of ["s1", "s1"]) {
      const mock = await startMockServer({ dynamic: true, seed });
      open.push(mock);
      bodies.push(await (await patch(mock.url, { format: "CABLE" })).json());
    }
    expect(bodies[0]).toEqual(bodies[1]);
    expect(validateEvse(bodies[0])).toMatchObject({ ok: true });
  });

  it("close() is safe to call twice", async () => {
    const mock = await startMockServer();
    await mock.close();
    await expect(mock.close()).resolves.toBeUndefined();
  });

  it("rejects options that cannot work, saying why", async () => {
    await expect(startMockServer({ seed: 3 })).rejects.toThrow(/seed.*dynamic: true/);
    await expect(startMockServer({ port: 70000 })).rejects.toThrow(/port must be an integer from 0 to 65535/);
    const taken = await startMockServer();
    open.push(taken);
    await expect(startMockServer({ port: Number(new URL(taken.url).port) })).rejects.toThrow(/could not listen on 127\.0\.0\.1:\d+/);
  });
});
