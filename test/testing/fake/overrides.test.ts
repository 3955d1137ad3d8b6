// fake.use(override(...)): per-test answers typed from the contract (compile-time, in
// overrides.consumer.ts) and checked against it at run time, with MSW's semantics (newest first,
// `once`, gone on reset()).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createConnectorClient } from "../../../src/index.js";
import { createFake, OffContractAnswerError, override, startFakeApi, type Fake } from "../../../src/testing/index.js";
import { compile, repoOptions, ROOT } from "../../typescript.js";

const PATH = "/v2/evses/{uid}/connectors/{connectorId}";
const URL_1 = "https://api.spirii.com/v2/evses/123456/connectors/1";
const conflict = { error: { type: "invalid_request_error", code: "conflict", message: "The connector is busy.", param: null, request_id: "req_1" } };
const patch = (fake: Fake, body: unknown = { maxAmperage: 16 }, key = "k") =>
  fake.fetch(URL_1, { method: "PATCH", headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" }, body: JSON.stringify(body) });

let fake: Fake;
beforeEach(() => {
  fake = createFake();
});
afterEach(() => fake.close());

// A program over the repository's sources is seconds of CPU: room for a busy machine.
const COMPILE_TIMEOUT = 120_000;

describe("types", () => {
  const consumer = join(ROOT, "test/testing/fake/overrides.consumer.ts");
  it("a wrong path, method, status or body is a compile error (each @ts-expect-error is a real one)", () => {
    expect([...compile([consumer], repoOptions())]).toEqual([]);
  }, COMPILE_TIMEOUT);

  it.each([
    ["// @ts-expect-error a path that is not in the contract\n", "connector/{connectorId}"],
    ["// @ts-expect-error a status the contract does not document (418)\n", "418"],
  ])("the check can fail: without %j the line is reported", (directive, named) => {
    const copy = join(ROOT, "test/testing/fake/__without_one_directive__.ts");
    const source = readFileSync(consumer, "utf8").replace(directive, "");
    const diagnostics = compile([], repoOptions(), { virtual: { [copy]: source } });
    expect([...diagnostics.keys()]).toEqual([copy]);
    // Reported on the very line the directive guarded (1-based). With the EVSE family in the
    // contract, TypeScript may sum the overloads up as "No overload matches this call" instead of
    // naming the value, so the message names it or says that.
    const line = readFileSync(consumer, "utf8").slice(0, readFileSync(consumer, "utf8").indexOf(directive)).split("\n").length;
    const reported = diagnostics.get(copy) ?? [];
    expect(reported.some((d) => d.startsWith(`${line}: `)), reported.join("\n")).toBe(true);
    expect(reported.join("\n")).toMatch(new RegExp(`${named.replace(/[{}]/g, "\\$&")}|No overload matches this call`));
  }, COMPILE_TIMEOUT);
});

describe("answers", () => {
  it("a fixed answer replaces the fake's; nothing is applied and no write is counted", async () => {
    fake.use(override("PATCH", PATH, { status: 409, body: conflict }));
    const answer = await patch(fake);
    expect([answer.status, answer.headers.get("content-type"), await answer.json()]).toEqual([409, "application/json", conflict]);
    expect((await patch(fake)).status).toBe(409); // until reset
    expect(fake.evse(123456)?.connectors[0]?.maxAmperage).not.toBe(16);
    fake.reset();
    expect((await patch(fake)).status).toBe(200);
  });

  it("a function gets the typed params and body; { once } answers once; the newest override wins", async () => {
    const seen: unknown[] = [];
    fake.use(override("PATCH", PATH, { status: 409, body: conflict }));
    fake.use(
      override(
        "PATCH",
        PATH,
        async ({ params, body }) => {
          seen.push({ params, body });
          return { status: 503, body: { error: { message: `down for ${params.uid}` } }, headers: { "Retry-After": "0" } };
        },
        { once: true },
      ),
    );
    const client = createConnectorClient({ apiKey: "k", fetch: fake.fetch, retry: false });
    await expect(client.updateConnector({ uid: 123456, connectorId: 1 }, { maxAmperage: 16 })).rejects.toMatchObject({ status: 503 });
    expect(seen).toEqual([{ params: { uid: 123456, connectorId: 1 }, body: { maxAmperage: 16 } }]);
    expect((await patch(fake)).status).toBe(409);
  });

  it("answers only what the API would take: a bad key, address or body gets the fake's own error", async () => {
    const strict = createFake({ apiKeys: ["good"] });
    strict.use(override("PATCH", PATH, { status: 409, body: conflict }));
    expect((await patch(strict, { maxAmperage: 16 }, "bad")).status).toBe(401);
    expect((await patch(strict, { maxAmperage: 0 }, "good")).status).toBe(422);
    expect((await strict.fetch("https://x.test/v2/evses/123456/connectors/0", { method: "PATCH", headers: { Authorization: "Bearer good" }, body: "{\"maxAmperage\":1}" })).status).toBe(404);
    expect((await patch(strict, { maxAmperage: 16 }, "good")).status).toBe(409);
    await strict.close();
  });
});

describe("a request an override does not take is checked once", () => {
  it("its error's request_id is the next one, as without an override: none is spent on a check whose answer is thrown away", async () => {
    const requestIds = async (f: Fake) => {
      const ids: string[] = [];
      for (const body of [{ maxAmperage: 0 }, "not json", { maxAmperage: 0 }]) {
        const answer = await f.fetch(URL_1, { method: "PATCH", headers: { Authorization: "Bearer k" }, body: typeof body === "string" ? body : JSON.stringify(body) });
        ids.push(((await answer.json()) as { error: { request_id: string } }).error.request_id);
      }
      const badAddress = await f.fetch("https://x.test/v2/evses/123456/connectors/0", { method: "PATCH", headers: { Authorization: "Bearer k" }, body: '{"maxAmperage":1}' });
      ids.push(((await badAddress.json()) as { error: { request_id: string } }).error.request_id);
      return ids;
    };
    const plain = await requestIds(fake);
    fake.reset();
    fake.use(override("PATCH", PATH, { status: 409, body: conflict }));
    expect(await requestIds(fake)).toEqual(plain);
    expect(plain).toEqual(["req_fake_1", "req_fake_2", "req_fake_3", "req_fake_4"]);
  });
});

describe("answers off the contract fail the test, naming the JSON pointer", () => {
  it("a fixed answer, at override()", () => {
    const broken = { error: { message: 42 } };
    expect(() => override("PATCH", PATH, { status: 409, body: broken as never })).toThrow(
      new OffContractAnswerError(`override(PATCH ${PATH}): the 409 body breaks the contract's ApiError at /error/message: /error/message must be of type string, got 42.`, "/error/message"),
    );
  });

  it("a function's answer, when it answers: fake.fetch rejects with the error", async () => {
    fake.use(override("PATCH", PATH, () => ({ status: 200, body: { ...fake.evse(654321)!, connectors: [{ id: 1, maxAmperage: -3 }] } as never })));
    const failure = await patch(fake).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OffContractAnswerError);
    expect(failure).toMatchObject({ pointer: "/connectors/0/standard", message: expect.stringContaining("the 200 body breaks the contract's Evse at /connectors/0/standard") });
  });

  it("over startFakeApi, a 500 whose message names it", async () => {
    const served = await startFakeApi();
    try {
      served.use(override("PATCH", PATH, () => ({ status: 409, body: { error: {} } as never })));
      const answer = await fetch(`${served.url}/v2/evses/123456/connectors/1`, { method: "PATCH", headers: { Authorization: "Bearer k" }, body: '{"maxAmperage":16}' });
      expect(answer.status).toBe(500);
      expect(((await answer.json()) as { error: { message: string } }).error.message).toContain("breaks the contract's ApiError at /error/message: /error/message is required");
    } finally {
      await served.close();
    }
  });

  it.each([
    [["PATCH", "/v2/evses/{uid}/connector/{connectorId}", { status: 409, body: conflict }], /PATCH \/v2\/evses\/\{uid\}\/connector\/\{connectorId\} is not an operation of the contract; the operations are PATCH \/v2\/evses\/\{uid\}\/connectors\/\{connectorId\}/],
    [["patch", PATH, { status: 409, body: conflict }], /patch .* is not an operation of the contract/],
    [["PATCH", PATH, { status: 418, body: conflict }], /status 418 is not documented for this operation; the contract documents 200, 400, 401, 403, 404, 409, 422, 429, 5XX/],
    [["PATCH", PATH, { status: 409, body: conflict, extra: 1 }], /an answer takes status, body and headers, not extra/],
    [["PATCH", PATH, { status: 409, body: conflict, headers: { "Retry-After": 1 } }], /headers must be an object of strings/],
    [["PATCH", PATH, { status: 409, body: conflict }, { times: 2 }], /options are \{ once\?: boolean \}/],
  ])("from untyped code: override(%j) is refused", (args, message) => {
    expect(() => (override as (...a: unknown[]) => unknown)(...args)).toThrow(message);
  });

  it("fake.use refuses anything that is not an override, and keeps the ones it had", async () => {
    fake.use(override("PATCH", PATH, { status: 409, body: conflict }));
    expect(() => fake.use({ method: "PATCH", path: PATH, once: false, answer: () => ({}) })).toThrow(/fake.use: argument 1 is not an override; make one with override\(method, path, answer\)/);
    expect((await patch(fake)).status).toBe(409);
  });
});
