// Per-bucket rate limits on the fake's clock: each of the contract's buckets (RATE_LIMIT_BUCKETS)
// has its own window, every operation counts in its registry bucket (reads included), a 429 in one
// bucket leaves the others answering, and the X-RateLimit-* headers of an answer are its own
// bucket's. Through all three doors: startFakeApi (HTTP), fake.fetch, and createFakeHandlers (MSW).
// Every answer is judged by the operation's compiled validator for its status, and its headers by
// the contract's header schemas (whole numbers).
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { OPERATIONS, RATE_LIMIT_BUCKETS, type OperationId, type RateLimitBucket } from "../../../generated/operations.js";
import { operationValidators } from "../../../generated/validators.js";
import { documentedStatusKey } from "../../../src/documented-status.js";
import { compilePath } from "../../../src/path-template.js";
import { createEngine, checkFakeOptions } from "../../../src/testing/fake/engine.js";
import { handleAdmin } from "../../../src/testing/fake/admin.js";
import { createFake, startFakeApi, type Fake, type FakeOptions } from "../../../src/testing/index.js";
import { createFakeHandlers } from "../../../src/testing/msw.js";

const ADDRESS = { uid: 123456, connectorId: 1 }; // the contract's reference EVSE, a socket
const HEADERS = ["X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"] as const;

/** A request for each operation that the fake answers 200 (no session runs, so remote stop is `Rejected`, still a 200). */
const SENT: { [K in OperationId]: { query?: string; body?: unknown } } = {
  updateConnector: { body: { maxAmperage: 16 } },
  getEvse: {},
  listEvses: { query: "?limit=1" },
  changeConnectorAvailability: { body: { type: "Operative" } },
  unlockConnector: {},
  remoteStopTransaction: { body: { transactionId: 1 } },
};

interface Judged {
  status: number;
  headers: Headers;
  body: unknown;
}

/** The answer, judged by the contract: a documented status, a body its validator accepts, the rate-limit headers on a 200 and a 429. */
async function judged(id: OperationId, response: Response): Promise<Judged> {
  const op = OPERATIONS[id];
  const key = documentedStatusKey(response.status, op.documentedStatuses);
  expect(key, `${id}: ${response.status} is not documented`).toBeDefined();
  const body: unknown = JSON.parse(await response.text());
  const validate = (operationValidators[id].responses as Record<string, (value: unknown) => boolean>)[key!]!;
  expect(validate(body), `${id} ${response.status}: ${JSON.stringify(body)}`).toBe(true);
  if (response.status === 200 || response.status === 429) {
    for (const name of HEADERS) expect(response.headers.get(name), `${id} ${response.status} ${name}`).toMatch(/^\d+$/);
  }
  if (response.status === 429) expect(response.headers.get("Retry-After")).toMatch(/^\d+$/);
  return { status: response.status, headers: response.headers, body };
}

const limitsOf = (answer: Judged) => [answer.status, answer.headers.get("X-RateLimit-Limit"), answer.headers.get("X-RateLimit-Remaining")];

/** One way in to a fake: how a request reaches it. */
interface Door {
  fake: Fake;
  send(id: OperationId): Promise<Judged>;
  close(): Promise<void>;
}

function request(origin: string, id: OperationId): [string, RequestInit] {
  const op = OPERATIONS[id];
  const { query = "", body } = SENT[id];
  const headers: Record<string, string> = { Authorization: "Bearer test-key" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const init: RequestInit = { method: op.method, headers };
  if (body !== undefined) init.body = JSON.stringify(body);
  return [`${origin}${compilePath(op.path)(op.pathParameters.length === 1 ? { uid: ADDRESS.uid } : ADDRESS)}${query}`, init];
}

// MSW intercepts this file's global fetch: the fake's handlers answer the contract's production
// origin; the HTTP door's loopback requests pass through; anything else fails the test.
const server = setupServer();
beforeAll(() =>
  server.listen({
    onUnhandledRequest: (req, print) => {
      if (new URL(req.url).hostname !== "127.0.0.1") print.error();
    },
  }),
);
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const DOORS: Record<string, (options: FakeOptions) => Promise<Door>> = {
  "startFakeApi (HTTP)": async (options) => {
    const fake = await startFakeApi(options);
    return { fake, send: (id) => fetch(...request(fake.url, id)).then((r) => judged(id, r)), close: () => fake.close() };
  },
  "fake.fetch": async (options) => {
    const fake = createFake(options);
    return { fake, send: (id) => fake.fetch(...request("http://fake.test", id)).then((r) => judged(id, r)), close: () => fake.close() };
  },
  "createFakeHandlers (MSW)": async (options) => {
    const fake = createFake(options);
    server.use(...createFakeHandlers(fake));
    return { fake, send: (id) => fetch(...request("https://api.spirii.com", id)).then((r) => judged(id, r)), close: () => fake.close() };
  },
};

const BUCKETS = { read: { limit: 3, windowMs: 60_000 }, write: { limit: 2, windowMs: 60_000 }, "remote-control": { limit: 1, windowMs: 60_000 } } satisfies Record<RateLimitBucket, unknown>;

describe.each(Object.keys(DOORS))("per-bucket limits through %s", (doorName) => {
  let door: Door;
  afterEach(() => door?.close());

  it("remote-control exhausted: unlock and remote stop get 429 with Retry-After while a PATCH and the reads still answer 200, each with its own bucket's headers", async () => {
    door = await DOORS[doorName]!({ rateLimit: { buckets: BUCKETS } });
    const unlocked = await door.send("unlockConnector");
    expect(limitsOf(unlocked)).toEqual([200, "1", "0"]);
    const refused = await door.send("unlockConnector");
    expect(limitsOf(refused)).toEqual([429, "1", "0"]);
    expect(refused.headers.get("Retry-After")).toBe("60");
    expect(refused.headers.get("X-RateLimit-Reset")).toBe(unlocked.headers.get("X-RateLimit-Reset"));
    // The same bucket for every remote-control operation: counted by the registry, not by name.
    expect((await door.send("remoteStopTransaction")).status).toBe(429);
    expect((await door.send("changeConnectorAvailability")).status).toBe(429);

    expect(limitsOf(await door.send("updateConnector"))).toEqual([200, "2", "1"]);
    expect(limitsOf(await door.send("getEvse"))).toEqual([200, "3", "2"]);
    expect(limitsOf(await door.send("listEvses"))).toEqual([200, "3", "1"]);
    expect(door.fake.evse(ADDRESS.uid)?.connectors[0]?.maxAmperage).toBe(16);

    // advance() opens a new window for the bucket: the unlock answers again, its reset a minute on.
    door.fake.advance(59_000);
    expect((await door.send("unlockConnector")).headers.get("Retry-After")).toBe("1");
    door.fake.advance(1_000);
    const again = await door.send("unlockConnector");
    expect(limitsOf(again)).toEqual([200, "1", "0"]);
    expect(Number(again.headers.get("X-RateLimit-Reset"))).toBe(Number(unlocked.headers.get("X-RateLimit-Reset")) + 60);
  });

  it("reads exhausted: GETs get 429, the writes and the commands do not", async () => {
    door = await DOORS[doorName]!({ rateLimit: { buckets: { read: { limit: 1, windowMs: 1_000 } } } });
    expect((await door.send("getEvse")).status).toBe(200);
    const refused = await door.send("listEvses");
    expect(limitsOf(refused)).toEqual([429, "1", "0"]);
    expect(refused.headers.get("Retry-After")).toBe("1");
    // The buckets not named are off: their headers say a window that never runs out.
    expect(limitsOf(await door.send("updateConnector"))).toEqual([200, "2147483647", "2147483646"]);
    expect(limitsOf(await door.send("unlockConnector"))).toEqual([200, "2147483647", "2147483646"]);
    door.fake.reset();
    expect((await door.send("getEvse")).status).toBe(200);
  });
});

describe("the rateLimit option's forms", () => {
  let door: Door | undefined;
  afterEach(() => door?.close());

  it("{ limit, windowMs } limits the write bucket (the PATCH) only: the commands, which it used to count too, are in remote-control, off like the reads", async () => {
    door = await DOORS["fake.fetch"]!({ rateLimit: { limit: 1, windowMs: 60_000 } });
    expect(limitsOf(await door.send("updateConnector"))).toEqual([200, "1", "0"]);
    expect(limitsOf(await door.send("updateConnector"))).toEqual([429, "1", "0"]);
    expect(limitsOf(await door.send("unlockConnector"))).toEqual([200, "2147483647", "2147483646"]);
    expect(limitsOf(await door.send("getEvse"))).toEqual([200, "2147483647", "2147483646"]);
  });

  it('"documented": every bucket at the contract\'s figure a minute', async () => {
    door = await DOORS["fake.fetch"]!({ rateLimit: "documented" });
    const read = await door.send("getEvse");
    const write = await door.send("updateConnector");
    const command = await door.send("unlockConnector");
    expect([read, write, command].map((a) => a.headers.get("X-RateLimit-Limit"))).toEqual(
      ["read", "write", "remote-control"].map((b) => String(RATE_LIMIT_BUCKETS[b as RateLimitBucket].requestsPerMinute)),
    );
    const commands = RATE_LIMIT_BUCKETS["remote-control"].requestsPerMinute;
    for (let sent = 1; sent < commands; sent++) expect((await door.send("unlockConnector")).status).toBe(200);
    const refused = await door.send("unlockConnector");
    expect([refused.status, refused.headers.get("Retry-After")]).toEqual([429, "60"]);
    expect((await door.send("updateConnector")).status).toBe(200);
    door.fake.advance(60_000);
    expect((await door.send("unlockConnector")).status).toBe(200);
  });

  it("off by default: every bucket's headers say a window that never runs out", async () => {
    door = await DOORS["fake.fetch"]!({});
    const sent: Partial<Record<RateLimitBucket, number>> = {};
    for (const id of Object.keys(OPERATIONS) as OperationId[]) {
      const bucket = OPERATIONS[id].rateLimitBucket;
      sent[bucket] = (sent[bucket] ?? 0) + 1;
      expect(limitsOf(await door.send(id)), id).toEqual([200, "2147483647", String(2147483647 - sent[bucket]!)]);
    }
  });
});

describe("describe() and the admin state show every bucket; reset() resets every bucket", () => {
  it("each bucket's limit, window and what is left; a bucket that is off is null", async () => {
    const engine = createEngine(checkFakeOptions({ rateLimit: { buckets: { write: { limit: 2, windowMs: 60_000 }, "remote-control": { limit: 1, windowMs: 10_000 } } } }, "test"));
    const send = (id: OperationId) => engine.fetch(...request("http://fake.test", id)).then((r) => judged(id, r));
    const start = engine.describe().clock.now;
    expect(engine.describe().rateLimits).toEqual({
      read: null,
      write: { limit: 2, windowMs: 60_000, remaining: 2, resetAt: start + 60_000 },
      "remote-control": { limit: 1, windowMs: 10_000, remaining: 1, resetAt: start + 10_000 },
    });
    await send("updateConnector");
    await send("unlockConnector");
    expect((await send("unlockConnector")).status).toBe(429);
    expect(engine.describe().rateLimits).toMatchObject({ write: { remaining: 1 }, "remote-control": { remaining: 0 } });
    const state = JSON.parse((await handleAdmin(engine, { remote: false, coverageFile: undefined }, { method: "GET", url: "/__admin/state", text: "", remoteAddress: "127.0.0.1" })).body);
    expect(state.rateLimits).toEqual(engine.describe().rateLimits);
    // The clock past the remote-control window only: that bucket is full again, the write one not.
    engine.advance(10_000);
    expect(engine.describe().rateLimits).toMatchObject({ write: { remaining: 1 }, "remote-control": { remaining: 1, resetAt: start + 20_000 } });
    await send("unlockConnector");
    engine.reset();
    expect(engine.describe().rateLimits).toMatchObject({ write: { remaining: 2 }, "remote-control": { remaining: 1 } });
    expect((await send("unlockConnector")).status).toBe(200);
    await engine.close();
  });
});

// The option's type is the contract's RateLimitBucket: a bucket it does not name does not compile either.
// @ts-expect-error "commands" is not a bucket of the contract
const notABucket: FakeOptions["rateLimit"] = { buckets: { commands: { limit: 1, windowMs: 1000 } } };
// @ts-expect-error "Documented" is not the preset's spelling
const misspeltPreset: FakeOptions["rateLimit"] = "Documented";

describe("bad rateLimit values are refused at the call, naming the option and what to do", () => {
  it.each([
    [notABucket, /rateLimit\.buckets names "commands", not a bucket of the contract; its buckets are "read", "write", "remote-control"/],
    [{ buckets: { read: { limit: 1, windowMs: 1000 }, Read: {} } }, /rateLimit\.buckets names "Read", not a bucket of the contract/],
    [{ buckets: [] }, /rateLimit\.buckets must be an object of \{ limit, windowMs \} by bucket \("read", "write", "remote-control"\), got \[\]/],
    [{ buckets: { write: 120 } }, /rateLimit\.buckets\["write"\] must be \{ limit, windowMs \}, got 120/],
    [{ buckets: { "remote-control": { limit: 1.5, windowMs: 1000 } } }, /rateLimit\.buckets\["remote-control"\]\.limit must be a whole number of requests from 0 to 2147483647, got 1\.5/],
    [{ buckets: { read: { limit: 1, windowMs: -1 } } }, /rateLimit\.buckets\["read"\]\.windowMs must be a whole number of milliseconds, at least 1, got -1/],
    [{ buckets: { read: { limit: 1, windowMs: 1000, burst: 2 } } }, /rateLimit\.buckets\["read"\] takes only limit and windowMs, not burst/],
    [{ buckets: {}, limit: 1, windowMs: 1000 }, /rateLimit takes \{ buckets \} alone, not with limit, windowMs/],
    [misspeltPreset, /rateLimit must be \{ limit, windowMs \} \(the write bucket\), \{ buckets: \{ read, write, "remote-control" \} \} or "documented", got "Documented"/],
    [null, /rateLimit must be \{ limit, windowMs \}/],
  ])("%j", (rateLimit, message) => {
    expect(() => createFake({ rateLimit } as never)).toThrow(message);
  });
});
