// `spirii-contract fake`'s admin routes, from outside: the README's curl lines run as written
// against the CLI (503 once, 429, the clock moved past it, reset), bad calls refused with state
// unchanged, no key ever shown, and --coverage-file. The loopback check: admin.test.ts, in-process.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readCoverageFile } from "../../src/coverage/index.js";
import { startFake } from "./fake-process.js";

const README = new URL("../../README.md", import.meta.url);
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "spirii-contract-fake-admin-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const admin = (url: string, route: string, init: RequestInit = {}) =>
  fetch(`${url}/__admin${route}`, init).then(async (r) => ({ status: r.status, type: r.headers.get("content-type"), body: (await r.json()) as any }));

describe.concurrent("spirii-contract fake, driven over HTTP", () => {
  it("the README's curl lines: 503 once, 200, 429, the clock moved past it, 200, reset", async () => {
    const block = /<!-- section: fake-admin-curl -->\n```sh\n([\s\S]*?)```\n<!-- \/section: fake-admin-curl -->/.exec(await readFile(README, "utf8"))?.[1];
    expect(block).toBeDefined();
    const fake = await startFake(["--rate-limit", "1/60000"]);
    const { stdout } = await promisify(execFile)("bash", ["-e", "-c", block!], { env: { ...process.env, URL: fake.url }, timeout: 30_000 });
    expect(stdout.split("\n").filter((line) => /^\d{3}$/.test(line))).toEqual(["503", "200", "429", "200"]);
    // The admin answers it printed: the fault queued, the clock moved a minute, the reset, an empty log.
    const documents = stdout.split("\n").filter((line) => !/^\d{3}$/.test(line)).join("\n");
    expect(documents).toContain('"queued": 1');
    expect(documents).toMatch(/"advancedMs": 60000/);
    expect(documents).toContain('"reset": true');
    expect(documents.trimEnd().endsWith("[]")).toBe(true);
    expect(documents).not.toContain("made-up-key");
    // After the reset: the seed EVSE, and the key forgotten (another one is now the first).
    const state = await admin(fake.url, "/state");
    expect(state.body.evses[0].connectors[0].maxAmperage).not.toBe(10);
    expect((await fetch(`${fake.url}/v2/evses/123456`, { headers: { Authorization: "Bearer another-key" } })).status).toBe(200);
    fake.child.kill("SIGTERM");
    expect(await fake.exited).toBe(0);
  });

  it("bad calls get one 400 each, saying what was wrong, and change nothing", async () => {
    const fake = await startFake(["--rate-limit", "1/60000"]);
    // The state but for the clock's real-time part (the CLI's clock follows real time).
    const stateNow = async () => {
      const { clock, ...rest } = (await admin(fake.url, "/state")).body;
      return { ...rest, advancedMs: clock.advancedMs };
    };
    const before = await stateNow();
    const cases: [string, RequestInit, RegExp][] = [
      ["/faults", { method: "POST", body: "{status:503" }, /POST \/__admin\/faults: the body is not JSON \(.*\); send e\.g\. \{"status":503.*Nothing was changed\./],
      ["/faults", { method: "POST", body: '{"kind":"timeout"}' }, /POST \/__admin\/faults: unknown fault kind "kind"; a fault is one of .* Nothing was queued\./],
      ["/faults?times=0", { method: "POST", body: '{"status":503}' }, /times must be a whole number from 1 to 10000, got 0/],
      ["/faults?times=abc", { method: "POST", body: '{"status":503}' }, /times must be a whole number from 1 to 10000, got NaN/],
      ["/clock", { method: "POST", body: '{"advanceMs":-5}' }, /POST \/__admin\/clock takes \{"advanceMs": N\}.*The clock did not move\./],
      ["/clock", { method: "POST", body: '{"ms":5}' }, /takes \{"advanceMs": N\}/],
      ["/clock", { method: "POST", body: "soon" }, /the body is not JSON/],
      ["/coverage", { method: "POST" }, /writes --coverage-file, and the fake was started without one/],
    ];
    for (const [route, init, message] of cases) {
      const answer = await admin(fake.url, route, init);
      expect({ route, status: answer.status, type: answer.type }).toEqual({ route, status: 400, type: "application/json" });
      expect(answer.body.error.message).toMatch(message);
    }
    expect((await admin(fake.url, "/nowhere")).status).toBe(404);
    expect((await admin(fake.url, "/reset")).status).toBe(405); // GET on a POST route
    expect(await stateNow()).toEqual(before);
    const patch = await fetch(`${fake.url}/v2/evses/123456/connectors/1`, { method: "PATCH", headers: { Authorization: "Bearer k" }, body: '{"maxAmperage":16}' });
    expect(patch.status).toBe(200); // no fault was queued, the window is as it was
    fake.child.kill("SIGTERM");
    await fake.exited;
  });

  it("never shows the keys it accepts, and --coverage-file is written on request and on stop", async () => {
    const file = join(dir, "fake-coverage.json");
    const fake = await startFake(["--api-key", "secret-key-1", "--coverage-file", file]);
    await fetch(`${fake.url}/v2/evses/123456/connectors/1`, { method: "PATCH", headers: { Authorization: "Bearer secret-key-1" }, body: '{"maxAmperage":16}' });
    const everything = await Promise.all(["", "/state", "/requests", "/coverage"].map((route) => fetch(`${fake.url}/__admin${route}`).then((r) => r.text())));
    expect(everything.join("\n")).not.toContain("secret-key-1");
    expect(fake.output().stdout).not.toContain("secret-key-1");
    const written = await admin(fake.url, "/coverage", { method: "POST" });
    expect(written).toMatchObject({ status: 200, body: { written: file } });
    const covered = (await readCoverageFile(file)).items.filter((i) => i.kind === "status" && i.covered).map((i) => i.id);
    expect(covered.some((id) => id.endsWith("200"))).toBe(true);
    await rm(file);
    fake.child.kill("SIGTERM");
    expect(await fake.exited).toBe(0);
    expect(fake.output().stderr).toContain(`Contract coverage written to ${file}.`);
    // Written again on stop, with what the run covered (the 200 seen before).
    const onStop = (await readCoverageFile(file)).items.filter((i) => i.kind === "status" && i.covered).map((i) => i.id);
    expect(onStop.some((id) => id.endsWith("200"))).toBe(true);
  });
});
