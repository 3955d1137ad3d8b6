// startFakeApi in-process: state, PATCH and GET as the contract says, rate limit, faults,
// inspection and bad options. Every answer (but the deliberately broken faults) is judged by the
// compiled validators in checkedFetch.
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Evse } from "../../../src/contract.js";
import { startFakeApi, type FakeApi } from "../../../src/testing/index.js";
import { CONTRACT_PATH } from "../../../src/testing/contract-file.js";
import { formatIssues, validateConnectorUpdate } from "../../../src/validation.js";
import { AUTH, checkedFetch, patch, read } from "./checked-fetch.js";

const contract = JSON.parse(readFileSync(CONTRACT_PATH, "utf8"));
const REFERENCE: Evse = contract.components.examples.EvseReferencePage.value;
const HEALTHY: Evse = contract.components.examples.EvseHealthyAc.value;

let fake: FakeApi;
beforeAll(async () => {
  fake = await startFakeApi();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

describe("state", () => {
  it("starts with the contract's example EVSEs, served by GET", async () => {
    expect(fake.evse(REFERENCE.uid)).toEqual(REFERENCE);
    expect(fake.evse(HEALTHY.uid)).toEqual(HEALTHY);
    expect(fake.evse(1)).toBeUndefined();
    const answer = await read(fake.url, REFERENCE.uid);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(REFERENCE);
  });

  it("gives copies: changing one does not change the fake", () => {
    const copy = fake.evse(REFERENCE.uid)!;
    copy.connectors[0]!.maxAmperage = 1;
    expect(fake.evse(REFERENCE.uid)).toEqual(REFERENCE);
  });

  it("starts with the EVSEs given, and a copy of them", async () => {
    const mine: Evse = { ...structuredClone(HEALTHY), uid: 777, connectors: [{ ...structuredClone(HEALTHY.connectors[0]!), id: 2 }] };
    const other = await startFakeApi({ evses: [mine] });
    try {
      mine.status = "REMOVED";
      expect(other.evse(777)?.status).toBe(HEALTHY.status);
      expect(other.evse(REFERENCE.uid)).toBeUndefined();
      const answer = await patch(other.url, 777, 2, { maxAmperage: 16 });
      expect(answer.body.connectors[0].maxAmperage).toBe(16);
    } finally {
      await other.close();
    }
  });
});

describe("PATCH", () => {
  it("applies the patch, answers 200 with the whole EVSE as it now is and the rate-limit headers", async () => {
    const answer = await patch(fake.url, REFERENCE.uid, 1, { maxAmperage: 16, format: "CABLE" });
    expect(answer.status).toBe(200);
    const expected = structuredClone(REFERENCE);
    Object.assign(expected.connectors[0]!, { maxAmperage: 16, format: "CABLE" });
    expect(answer.body).toEqual(expected);
    expect(fake.evse(REFERENCE.uid)).toEqual(expected);
    expect((await read(fake.url, REFERENCE.uid)).body).toEqual(expected);
    for (const name of ["X-RateLimit-Limit", "X-RateLimit-Remaining"]) expect(answer.headers.get(name)).toMatch(/^\d+$/);
    expect(answer.headers.get("X-RateLimit-Reset")).toMatch(/^\d+$/);
  });

  it("401 without Authorization: Bearer, nothing applied", async () => {
    for (const headers of [{ "Content-Type": "application/json" }, { ...AUTH, Authorization: "Basic abc" }, { ...AUTH, Authorization: "Bearer " }]) {
      const answer = await patch(fake.url, REFERENCE.uid, 1, { maxAmperage: 16 }, headers);
      expect(answer.status).toBe(401);
      expect(answer.body.error).toMatchObject({ type: "authentication_error", code: "missing_authorization" });
    }
    expect(fake.evse(REFERENCE.uid)).toEqual(REFERENCE);
  });

  it("with apiKeys, accepts those keys and answers 401 to any other", async () => {
    const strict = await startFakeApi({ apiKeys: ["key-a", "key-b"] });
    try {
      expect((await patch(strict.url, REFERENCE.uid, 1, { maxAmperage: 10 }, { ...AUTH, Authorization: "Bearer key-b" })).status).toBe(200);
      const refused = await patch(strict.url, REFERENCE.uid, 1, { maxAmperage: 12 }, { ...AUTH, Authorization: "Bearer key-c" });
      expect(refused.status).toBe(401);
      expect(refused.body.error.code).toBe("invalid_api_key");
      expect(strict.evse(REFERENCE.uid)?.connectors[0]?.maxAmperage).toBe(10);
      expect((await read(strict.url, REFERENCE.uid, { Authorization: "Bearer key-c" })).status).toBe(401);
    } finally {
      await strict.close();
    }
  });

  it.each([[{}], [{ maxPower: 11 }], [{ maxAmperage: 0 }], [{ standard: "TESLA_S" }], [[1]], [null], ["CABLE"]])(
    "422 for %j, with validateConnectorUpdate's issues in the message, nothing applied",
    async (body) => {
      const answer = await patch(fake.url, REFERENCE.uid, 1, JSON.stringify(body));
      expect(answer.status).toBe(422);
      const issues = validateConnectorUpdate(body);
      expect(issues.ok).toBe(false);
      expect(answer.body.error.message).toContain(formatIssues(issues.ok ? [] : issues.issues));
      expect(fake.evse(REFERENCE.uid)).toEqual(REFERENCE);
    },
  );

  it.each([["not json"], [""], ['{"maxAmperage": 16']])("400 for a body that is not JSON (%j), nothing applied", async (body) => {
    const answer = await patch(fake.url, REFERENCE.uid, 1, body);
    expect(answer.status).toBe(400);
    expect(answer.body.error.message).toContain("not JSON");
    expect(fake.evse(REFERENCE.uid)).toEqual(REFERENCE);
  });

  it.each([
    [999, 1, "No EVSE 999.", "uid"],
    [REFERENCE.uid, 9, `No connector 9 on EVSE ${REFERENCE.uid}.`, "connectorId"],
    [REFERENCE.uid, "abc", 'connectorId must be of type integer, got "abc"', "connectorId"],
    [REFERENCE.uid, "0", "/connectorId must be 1 or more, got 0", "connectorId"],
    [REFERENCE.uid, "1.5", 'connectorId must be of type integer, got "1.5"', "connectorId"],
    ["1e5", 1, 'uid must be of type integer, got "1e5"', "uid"],
  ])("404 for EVSE %j connector %j, nothing applied", async (uid, connectorId, message, param) => {
    const answer = await patch(fake.url, uid, connectorId, { maxAmperage: 16 });
    expect(answer.status).toBe(404);
    expect(answer.body.error).toMatchObject({ code: "resource_not_found", param });
    expect(answer.body.error.message).toContain(message);
    expect(fake.evse(REFERENCE.uid)).toEqual(REFERENCE);
  });

  it("404 for an unknown EVSE on GET, and for what the fake does not serve", async () => {
    expect((await read(fake.url, 999)).status).toBe(404);
    expect((await read(fake.url, "abc")).status).toBe(404);
    const put = await patch(fake.url, REFERENCE.uid, 1, { maxAmperage: 16 }); // baseline: PATCH works
    expect(put.status).toBe(200);
    const wrongMethod = await checkedFetch(`${fake.url}/v2/evses/${REFERENCE.uid}/connectors/1`, { method: "PUT", headers: AUTH, body: "{}" });
    expect(wrongMethod.status).toBe(404);
    expect(wrongMethod.body.error.message).toContain("The fake serves PATCH /v2/evses/{uid}/connectors/{connectorId}, GET /v2/evses/{uid}, GET /v2/evses");
    expect((await checkedFetch(`${fake.url}/v1/other`, { headers: AUTH })).status).toBe(404);
  });
});

describe("rate limit", () => {
  it("is off by default: the headers say the window never runs out", async () => {
    const answers = await Promise.all([1, 2, 3].map((n) => patch(fake.url, REFERENCE.uid, 1, { maxAmperage: n })));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(answers.map((a) => Number(a.headers.get("X-RateLimit-Remaining"))).sort((a, b) => b - a)).toEqual([2147483646, 2147483645, 2147483644]);
  });

  it("with { limit, windowMs }: writes beyond the limit get 429 with Retry-After until advance() moves the clock past the window", async () => {
    const limited = await startFakeApi({ rateLimit: { limit: 2, windowMs: 60_000 } });
    try {
      const first = await patch(limited.url, REFERENCE.uid, 1, { maxAmperage: 10 });
      expect([first.headers.get("X-RateLimit-Limit"), first.headers.get("X-RateLimit-Remaining")]).toEqual(["2", "1"]);
      expect((await read(limited.url, REFERENCE.uid)).status).toBe(200); // reads are not writes
      expect((await patch(limited.url, REFERENCE.uid, 1, { maxAmperage: 11 })).headers.get("X-RateLimit-Remaining")).toBe("0");
      const refused = await patch(limited.url, REFERENCE.uid, 1, { maxAmperage: 12 });
      expect(refused.status).toBe(429);
      expect(refused.body.error.code).toBe("rate_limit_exceeded");
      expect([refused.headers.get("Retry-After"), refused.headers.get("X-RateLimit-Remaining"), refused.headers.get("X-RateLimit-Limit")]).toEqual(["60", "0", "2"]);
      expect(refused.headers.get("X-RateLimit-Reset")).toBe(first.headers.get("X-RateLimit-Reset"));
      expect(limited.evse(REFERENCE.uid)?.connectors[0]?.maxAmperage).toBe(11);
      limited.advance(59_000);
      expect((await patch(limited.url, REFERENCE.uid, 1, { maxAmperage: 12 })).headers.get("Retry-After")).toBe("1");
      limited.advance(1_000);
      const again = await patch(limited.url, REFERENCE.uid, 1, { maxAmperage: 12 });
      expect(again.status).toBe(200);
      expect(Number(again.headers.get("X-RateLimit-Reset"))).toBe(Number(first.headers.get("X-RateLimit-Reset")) + 60);
      expect(limited.evse(REFERENCE.uid)?.connectors[0]?.maxAmperage).toBe(12);
    } finally {
      await limited.close();
    }
  });
});

describe("faults", () => {
  it("answers the next requests with the status, headers and body given, then behaves again", async () => {
    fake.failNext({ status: 503, headers: { "Retry-After": "1" } }, 2);
    for (let i = 0; i < 2; i++) {
      const answer = await patch(fake.url, REFERENCE.uid, 1, { maxAmperage: 16 }); // the envelope by default
      expect(answer.status).toBe(503);
      expect(answer.headers.get("Retry-After")).toBe("1");
      expect(answer.body.error.code).toBe("internal_error");
    }
    expect(fake.evse(REFERENCE.uid)).toEqual(REFERENCE);
    expect((await patch(fake.url, REFERENCE.uid, 1, { maxAmperage: 16 })).status).toBe(200);
    expect(fake.requests.map((r) => r.status)).toEqual([503, 503, 200]);
  });

  it("a broken 200: the body as given", async () => {
    fake.failNext({ body: "not json", status: 200 });
    const broken = await fetch(`${fake.url}/v2/evses/${REFERENCE.uid}/connectors/1`, { method: "PATCH", headers: AUTH, body: "{}" });
    expect([broken.status, broken.headers.get("content-type"), await broken.text()]).toEqual([200, "application/json", "not json"]);
    fake.failNext({ status: 200, body: { uid: 1 }, headers: { "Content-Type": "text/plain" } });
    const other = await fetch(`${fake.url}/v2/evses/${REFERENCE.uid}`, { headers: AUTH });
    expect([other.headers.get("content-type"), await other.text()]).toEqual(["text/plain", '{"uid":1}']);
  });

  it("{ reset: true } drops the connection; nothing is applied", async () => {
    fake.failNext({ reset: true });
    await expect(fetch(`${fake.url}/v2/evses/${REFERENCE.uid}/connectors/1`, { method: "PATCH", headers: AUTH, body: '{"maxAmperage":16}' })).rejects.toThrow(
      "fetch failed",
    );
    expect(fake.evse(REFERENCE.uid)).toEqual(REFERENCE);
    expect(fake.requests.map((r) => r.status)).toEqual([undefined]);
  });

  it("{ delayMs } answers late, as usual otherwise", async () => {
    fake.failNext({ delayMs: 40 });
    const started = performance.now();
    const answer = await patch(fake.url, REFERENCE.uid, 1, { maxAmperage: 16 });
    // A lower bound only: load can make the answer later, never earlier (35, not 40: Node may fire a
    // timer up to a millisecond early by this clock). No upper bound: how late is the machine's.
    expect(performance.now() - started).toBeGreaterThanOrEqual(35);
    expect(answer.status).toBe(200);
    expect(answer.body.connectors[0].maxAmperage).toBe(16);
  });

  it.each([
    [{ kind: "timeout" }, /unknown fault kind "kind"/],
    [{ status: 503, retry: true }, /unknown fault kind "retry"/],
    [{ reset: false }, /reset must be true/],
    [{ reset: true, status: 500 }, /takes nothing else/],
    [{ delayMs: -1 }, /delayMs must be a whole number of milliseconds, 0 or more, got -1/],
    [{ status: 99 }, /status must be a whole number from 200 to 599, got 99/],
    [{ status: 200 }, /a 200 fault needs a body/],
    [{ body: "x" }, /body and headers need a status/],
    [{ status: 503, headers: { "Retry-After": 1 } }, /headers must be an object of strings/],
    [{}, /a fault is one of/],
    ["503", /a fault is one of/],
  ])("refuses the fault %j at the call", (fault, message) => {
    expect(() => fake.failNext(fault as never)).toThrow(message);
  });

  it("refuses a bad count", () => {
    expect(() => fake.failNext({ status: 503 }, 0)).toThrow(/times must be a whole number from 1 to 10000, got 0/);
  });
});

describe("inspection", () => {
  it("records each request, the key redacted", async () => {
    await patch(fake.url, REFERENCE.uid, 1, { maxAmperage: 16 }, { ...AUTH, Authorization: "Bearer sk-secret-123" });
    await patch(fake.url, REFERENCE.uid, 1, "not json");
    await read(fake.url, HEALTHY.uid);
    await patch(fake.url, REFERENCE.uid, 1, { note: "sk-secret-123" }, { ...AUTH, Authorization: "Bearer sk-secret-123" });
    const [update, broken, get, echoed] = fake.requests;
    expect(echoed?.body).toEqual({ note: "[redacted]" }); // the key, wherever it appears
    expect(update).toMatchObject({ method: "PATCH", path: `/v2/evses/${REFERENCE.uid}/connectors/1`, body: { maxAmperage: 16 }, status: 200 });
    expect(update?.headers["authorization"]).toBe("Bearer [redacted]");
    expect(update?.headers["content-type"]).toBe("application/json");
    expect(JSON.stringify(fake.requests)).not.toContain("sk-secret-123");
    expect(broken).toMatchObject({ body: "not json", status: 400 });
    expect(get).toMatchObject({ method: "GET", path: `/v2/evses/${HEALTHY.uid}`, body: undefined, status: 200 });
    expect(update?.durationMs).toBeGreaterThanOrEqual(0);
  });

  it("reset() puts back the seed and clears the requests and the queued faults", async () => {
    await patch(fake.url, REFERENCE.uid, 1, { maxAmperage: 16 });
    fake.failNext({ status: 500 });
    fake.reset();
    expect(fake.evse(REFERENCE.uid)).toEqual(REFERENCE);
    expect(fake.requests).toEqual([]);
    expect((await read(fake.url, REFERENCE.uid)).status).toBe(200);
  });

  it("reset() gives a fresh rate-limit window", async () => {
    const limited = await startFakeApi({ rateLimit: { limit: 1, windowMs: 1_000 } });
    try {
      expect((await patch(limited.url, REFERENCE.uid, 1, { maxAmperage: 1 })).status).toBe(200);
      expect((await patch(limited.url, REFERENCE.uid, 1, { maxAmperage: 1 })).status).toBe(429);
      limited.reset();
      expect((await patch(limited.url, REFERENCE.uid, 1, { maxAmperage: 1 })).status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it("close() frees the port, even with a keep-alive connection and a late answer pending", async () => {
    const other = await startFakeApi();
    expect(other.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await read(other.url, REFERENCE.uid); // leaves a keep-alive connection
    other.failNext({ delayMs: 60_000 });
    const late = fetch(`${other.url}/v2/evses/${REFERENCE.uid}`, { headers: AUTH }).catch((error: Error) => error);
    await other.close(); // within the test's 5 s, not the answer's 60 s

    expect(await late).toBeInstanceOf(Error);
    const port = Number(new URL(other.url).port);
    const server = createServer();
    await new Promise<void>((resolve, reject) => server.once("error", reject).listen(port, "127.0.0.1", resolve));
    await new Promise((resolve) => server.close(resolve));
  });

  it("listens on the port and host given", async () => {
    const probe = createServer();
    const port = await new Promise<number>((resolve) => probe.listen(0, "127.0.0.1", () => resolve((probe.address() as { port: number }).port)));
    await new Promise((resolve) => probe.close(resolve));
    const other = await startFakeApi({ port, host: "localhost" });
    try {
      expect(new URL(other.url).port).toBe(String(port));
      expect((await read(other.url, REFERENCE.uid)).status).toBe(200);
    } finally {
      await other.close();
    }
  });
});

describe("bad options are refused at the call, and nothing starts", () => {
  const invalid = structuredClone(REFERENCE) as unknown as Record<string, any>;
  // A known standard in another casing: a provider bug (a new standard such as "USB_C" is fine: response enums are open).
  invalid["connectors"][0]["standard"] = "Chademo";
  const twin = { ...structuredClone(HEALTHY), connectors: [HEALTHY.connectors[0], HEALTHY.connectors[0]] };
  it.each([
    [{ evses: { uid: 1 } }, /evses must be an array of EVSEs, got an object/],
    [{ evses: [HEALTHY, invalid] }, /evses\[1\] is not a contract-valid Evse: at \/connectors\/0\/standard must be one of "CHADEMO"/],
    [{ evses: [HEALTHY, { uid: 5 }] }, /evses\[1\] is not a contract-valid Evse: at \/evseId is required \(and 3 more\)/],
    [{ evses: [HEALTHY, REFERENCE, HEALTHY] }, /evses\[2\] at \/uid: uid 654321 is already the uid of evses\[0\]/],
    [{ evses: [twin] }, /evses\[0\] at \/connectors\/1\/id: connector id 1 is also \/connectors\/0\/id/],
    [{ rateLimit: { limit: -1, windowMs: 1000 } }, /rateLimit.limit must be a whole number of requests from 0 to 2147483647, got -1/],
    [{ rateLimit: { limit: 1, windowMs: 0 } }, /rateLimit.windowMs must be a whole number of milliseconds, at least 1, got 0/],
    [{ rateLimit: { limit: 1, window: 1000 } }, /rateLimit takes only limit and windowMs, not window/],
    [{ rateLimit: 120 }, /rateLimit must be \{ limit, windowMs \}/],
    [{ apiKeys: [] }, /apiKeys must be a non-empty array/],
    [{ apiKeys: "key" }, /apiKeys must be a non-empty array/],
    [{ port: -1 }, /port must be a whole number from 0 to 65535/],
    [{ evse: [] }, /startFakeApi: unknown option "evse" \(did you mean "evses"\?\)/],
    [{ coverage: "x.json" }, /unknown option "coverage" \(did you mean "coverageFile"\?\)/],
  ])("%j", async (options, message) => {
    await expect(startFakeApi(options as never)).rejects.toThrow(message);
  });

  it("advance() refuses a negative or non-finite time", () => {
    expect(() => fake.advance(-1)).toThrow(/ms must be a finite number of milliseconds, 0 or more, got -1/);
    expect(() => fake.advance(Number.NaN)).toThrow(/got NaN/);
  });
});
