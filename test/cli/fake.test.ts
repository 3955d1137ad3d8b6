// `spirii-contract fake` as a person or a pipeline runs it: a child process, judged by its exit
// code and what it prints; and `spirii-contract verify` run against the fake.
import { once } from "node:events";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeApi, type FakeApi } from "../../src/testing/index.js";
import { CONTRACT_PATH } from "../../src/testing/contract-file.js";
import { AUTH, checkedFetch, patch, read } from "../testing/fake/checked-fetch.js";
import { cli, logged, startFake } from "./fake-process.js";

const HEALTHY = JSON.parse(await readFile(CONTRACT_PATH, "utf8")).components.examples.EvseHealthyAc.value;

const fakes: FakeApi[] = [];
afterAll(() => Promise.all(fakes.map((f) => f.close())));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "spirii-contract-fake-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe.concurrent("spirii-contract fake", () => {
  it("--help describes the options", async () => {
    const run = await cli(["fake", "--help"]);
    expect(run.code).toBe(0);
    for (const option of ["--port N", "--host H", "--evses FILE", "--api-key KEY", "--rate-limit N/WINDOW_MS", "--rate-limit BUCKET=N/WINDOW_MS", "--rate-limit documented", "read, write, remote-control", "read 600, write 120, remote-control 30", "--coverage-file FILE", "--admin-remote", "POST /__admin/faults"]) expect(run.stdout).toContain(option);
    expect(run.stdout).toMatch(/The windows run on the fake's\s+clock: real time, plus whatever\s+POST \/__admin\/clock advanced it/);
    expect((await cli(["--help"])).stdout).toContain("spirii-contract fake [--port N]");
  });

  it.each(["SIGTERM", "SIGINT"] as const)("serves the contract's EVSEs, prints a curl that works, logs each request, and stops cleanly on %s", async (signal) => {
    const fake = await startFake();
    expect(fake.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(fake.output().stdout).toContain("Holds 2 EVSEs: 123456 (connector 1), 654321 (connector 1)");
    const curl = /curl -sS -X (\w+) '([^']+)' \\\n\s+-H "([^"]+)" -H '([^']+)' \\\n\s+-d '([^']+)'/.exec(fake.output().stdout);
    expect(curl).not.toBeNull();
    const [, method, url, auth, type, body] = curl!;
    expect(auth).toBe("Authorization: Bearer $SPIRII_API_KEY"); // run as the shell would, with a made-up key
    const header = (line: string) => line.replace("$SPIRII_API_KEY", "made-up-key").split(": ") as [string, string];
    const answer = await checkedFetch(url!, { method: method!, headers: [header(auth!), header(type!)], body: body! });
    expect(answer.status).toBe(200);
    // The patch stayed: the fake remembers it. The first key sent is now the one it accepts.
    const after = await read(fake.url, 123456, { Authorization: "Bearer made-up-key" });
    expect((await read(fake.url, 123456, { Authorization: "Bearer another-key" })).status).toBe(401);
    expect(after.body.connectors[0]).toMatchObject(JSON.parse(body!));
    expect((await patch(fake.url, 123456, 9, { maxAmperage: 16 }, { ...AUTH, Authorization: "Bearer made-up-key" })).status).toBe(404);
    const lines = await logged(fake, 4);
    expect(lines[0]).toMatch(/^PATCH \/v2\/evses\/123456\/connectors\/1 200 \d+\.\d ms$/);
    expect(lines[1]).toMatch(/^GET \/v2\/evses\/123456 200 \d+\.\d ms$/);
    expect(lines[2]).toMatch(/^GET \/v2\/evses\/123456 401 \d+\.\d ms$/);
    expect(lines[3]).toMatch(/^PATCH \/v2\/evses\/123456\/connectors\/9 404 \d+\.\d ms$/);
    fake.child.kill(signal);
    expect(await fake.exited).toBe(0);
    expect(fake.output().stderr).toContain(`${signal}: stopping the fake.`);
    expect(fake.output().stderr).not.toContain("exiting anyway"); // it closed, not the 2 s fallback
  });

  it("a client holding a request open does not keep it from exiting: the fake closes that connection and exits 0", async () => {
    const fake = await startFake();
    const { port } = new URL(fake.url);
    // Headers that promise a body which never comes: the server waits for it, so close() cannot finish.
    // Its "100 Continue" says it has read them: only then is the request open, so only then the signal.
    const socket = connect(Number(port), "127.0.0.1");
    socket.write(`PATCH /v2/evses/123456/connectors/1 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\nExpect: 100-continue\r\n\r\n`);
    const [first] = (await once(socket, "data")) as [Buffer];
    expect(first.toString("latin1")).toMatch(/^HTTP\/1\.1 100 Continue/);
    const closed = once(socket, "close");
    fake.child.kill("SIGTERM");
    expect(await fake.exited).toBe(0);
    await closed; // by the fake: the held request did not hold it up
    expect(fake.output().stderr).toContain("SIGTERM: stopping the fake.");
    expect(fake.output().stderr).not.toContain("exiting anyway");
  });

  it("--evses FILE, --api-key and --rate-limit", async () => {
    const file = join(dir, "evses.json");
    await writeFile(file, JSON.stringify([{ ...HEALTHY, uid: 777, connectors: [{ ...HEALTHY.connectors[0], id: 2 }] }]));
    const fake = await startFake(["--evses", file, "--api-key", "key-1", "--api-key", "key-2", "--rate-limit", "2/60000"]);
    const { stdout } = fake.output();
    expect(stdout).toContain("Holds 1 EVSE: 777 (connector 2)");
    expect(stdout).toContain("Accepts the 2 keys given with --api-key; rate limits read off, write 2 per 60000 ms, remote-control off, on real time plus what /__admin/clock advanced.");
    expect(stdout).toContain(`'${fake.url}/v2/evses/777/connectors/2'`);
    expect(stdout).toContain(`-H "Authorization: Bearer $SPIRII_API_KEY"`);
    expect(stdout).not.toContain("key-1");
    expect((await patch(fake.url, 777, 2, { maxAmperage: 8 }, { ...AUTH, Authorization: "Bearer key-3" })).status).toBe(401);
    expect((await patch(fake.url, 777, 2, { maxAmperage: 8 }, { ...AUTH, Authorization: "Bearer key-2" })).status).toBe(200);
    expect((await patch(fake.url, 777, 2, { maxAmperage: 9 }, { ...AUTH, Authorization: "Bearer key-1" })).status).toBe(200);
    const refused = await patch(fake.url, 777, 2, { maxAmperage: 10 }, { ...AUTH, Authorization: "Bearer key-1" });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect((await read(fake.url, 777, { Authorization: "Bearer key-1" })).body.connectors[0].maxAmperage).toBe(9);
    fake.child.kill("SIGTERM");
    expect(await fake.exited).toBe(0);
  });

  it("--rate-limit BUCKET=N/WINDOW_MS, repeated: each bucket its own window; a spent remote-control bucket leaves the PATCH and reads answering", async () => {
    const fake = await startFake(["--rate-limit", "remote-control=1/60000", "--rate-limit", "read=2/60000"]);
    expect(fake.output().stdout).toContain("rate limits read 2 per 60000 ms, write off, remote-control 1 per 60000 ms, on real time plus what /__admin/clock advanced.");
    const unlock = () => fetch(`${fake.url}/v2/evses/123456/connectors/1/unlock`, { method: "POST", headers: { Authorization: "Bearer key-1" } });
    const first = await unlock();
    expect([first.status, first.headers.get("X-RateLimit-Limit"), first.headers.get("X-RateLimit-Remaining")]).toEqual([200, "1", "0"]);
    const refused = await unlock();
    expect([refused.status, refused.headers.get("X-RateLimit-Limit")]).toEqual([429, "1"]);
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(0);
    const patched = await patch(fake.url, 123456, 1, { maxAmperage: 8 }, { ...AUTH, Authorization: "Bearer key-1" });
    expect([patched.status, patched.headers.get("X-RateLimit-Limit")]).toEqual([200, "2147483647"]);
    const reads = [await read(fake.url, 123456, { Authorization: "Bearer key-1" }), await read(fake.url, 123456, { Authorization: "Bearer key-1" }), await read(fake.url, 123456, { Authorization: "Bearer key-1" })];
    expect(reads.map((r) => [r.status, r.headers.get("X-RateLimit-Remaining")])).toEqual([[200, "1"], [200, "0"], [429, "0"]]);
    const state = (await (await fetch(`${fake.url}/__admin/state`)).json()) as { rateLimits: Record<string, { limit: number; remaining: number } | null> };
    expect(state.rateLimits).toMatchObject({ read: { limit: 2, remaining: 0 }, write: null, "remote-control": { limit: 1, remaining: 0 } });
    // The clock moved a window on: every bucket full again.
    await fetch(`${fake.url}/__admin/clock`, { method: "POST", body: '{"advanceMs":60000}' });
    expect((await unlock()).status).toBe(200);
    fake.child.kill("SIGTERM");
    expect(await fake.exited).toBe(0);
  });

  it("--rate-limit documented: every bucket at the contract's figure a minute, one replaced by a BUCKET=N/WINDOW_MS beside it", async () => {
    const fake = await startFake(["--rate-limit", "documented", "--rate-limit", "write=5/1000"]);
    expect(fake.output().stdout).toContain("rate limits read 600 per 60000 ms, write 5 per 1000 ms, remote-control 30 per 60000 ms,");
    const answer = await read(fake.url, 123456, { Authorization: "Bearer key-1" });
    expect([answer.headers.get("X-RateLimit-Limit"), answer.headers.get("X-RateLimit-Remaining")]).toEqual(["600", "599"]);
    fake.child.kill("SIGTERM");
    expect(await fake.exited).toBe(0);
  });

  it("bad input exits 2 with what is wrong, before listening (the other cases: fake-usage.test.ts, in-process)", async () => {
    await writeFile(join(dir, "invalid-evse.json"), JSON.stringify([{ ...HEALTHY, status: "Charging" }]));
    const run = await cli(["fake", "--evses", join(dir, "invalid-evse.json")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--evses .*invalid-evse.json: evses\[0\] is not a contract-valid Evse: at \/status must be one of "AVAILABLE"/);
    expect(run.stdout).not.toContain("listening on");
  });
});

// Each verify run loads Prism in a child process (seconds of CPU): one at a time, so that they do
// not starve each other on a 2-core machine, with room for a machine that is busy with other work.
const VERIFY_TIMEOUT = 120_000;

describe("spirii-contract verify against the fake", () => {
  it("verify (the CLI) against a default `spirii-contract fake`: HOLDS, with no flag to remember", async () => {
    const fake = await startFake();
    const run = await cli(["verify", "--base-url", fake.url, "--uid", "123456", "--connector-id", "1", "--runs", "5", "--seed", "3"], { SPIRII_API_KEY: "any-made-up-key" });
    expect(run.stdout).toMatch(/Result: the contract HOLDS\. \d+ exchanges .*no violations, 0 warnings/);
    expect(run.code).toBe(0);
    // The auth probe's wrong key got the 401 the API gives (it would get a 200 from a fake that takes any key).
    expect(fake.output().stdout).toMatch(/^PATCH \/v2\/evses\/123456\/connectors\/1 401 /m);
    fake.child.kill("SIGTERM");
    expect(await fake.exited).toBe(0);
  }, VERIFY_TIMEOUT);

  it("the control: verify against a fake that takes any key reports the auth probe's 200 as a violation", async () => {
    const fake = await startFakeApi(); // in-process default: any non-empty key
    fakes.push(fake);
    const run = await cli(["verify", "--base-url", fake.url, "--uid", "123456", "--connector-id", "1", "--runs", "1", "--seed", "3"], { SPIRII_API_KEY: "any-made-up-key" });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("auth:wrong-key");
  }, VERIFY_TIMEOUT);

  it("verify (the CLI) against the fake: HOLDS with no warnings, and the connector is back as it started", async () => {
    const fake = await startFakeApi({ apiKeys: ["cli-verify-key"] });
    fakes.push(fake);
    const before = fake.evse(123456);
    const run = await cli(["verify", "--base-url", fake.url, "--uid", "123456", "--connector-id", "1", "--runs", "10", "--seed", "3"], { SPIRII_API_KEY: "cli-verify-key" });
    expect(run.stdout).toMatch(/Result: the contract HOLDS\. \d+ exchanges \(\d+ requests and the restore\), no violations, 0 warnings/);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Restore: put back .*\(read before the first patch\) in 1 attempt\(s\); connector 1 of EVSE 123456 reads back as before the run\./);
    expect(fake.evse(123456)).toEqual(before);
    expect(fake.requests.filter((r) => r.method === "PATCH").length).toBeGreaterThan(20);
  }, VERIFY_TIMEOUT);
});
