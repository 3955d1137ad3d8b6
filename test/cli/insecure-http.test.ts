// The one base-URL policy as verify applies it: plain http to a host that is not loopback is
// refused before any request, unless --allow-insecure-http says the network is private.
// [::ffff:127.0.0.1] is such a host by the policy's reading (only 127.0.0.0/8, ::1 and localhost
// count as loopback), yet its traffic stays on this machine, so the test can watch what arrives.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { runCli } from "../../src/cli/run.js";
import { FAKE_CONNECTOR_ID, FAKE_KEY, FAKE_UID, startFakeProvider, type FakeProvider } from "../fakes/provider.js";
import { captureOutput } from "./captured-output.js";

const output = captureOutput();

let fake: FakeProvider;
beforeAll(async () => {
  fake = await startFakeProvider();
});
afterAll(() => fake.close());
beforeEach(() => {
  vi.stubEnv("SPIRII_API_KEY", FAKE_KEY);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

const mappedUrl = () => fake.url.replace("127.0.0.1", "[::ffff:127.0.0.1]");
const args = (baseUrl: string, ...more: string[]) => ["verify", "--base-url", baseUrl, "--uid", String(FAKE_UID), "--connector-id", String(FAKE_CONNECTOR_ID), "--runs", "0", "--max-writes-per-minute", "100000", ...more];

describe("verify and plain http", () => {
  it("refuses a host that is not loopback with exit 2, naming the flag, before any request", async () => {
    const before = fake.requests.length;
    expect(await runCli(args(mappedUrl()))).toBe(2);
    expect(output.stderr).toMatch(/is plain http to a host that is not loopback, so the API key would be sent in clear text.*--allow-insecure-http/);
    expect(fake.requests.length).toBe(before);
  });

  it("proceeds with --allow-insecure-http, and warns that the key travels in clear text", async () => {
    const before = fake.requests.length;
    expect(await runCli(args(mappedUrl(), "--allow-insecure-http"))).toBe(0);
    expect(output.stderr).toContain("warning: --allow-insecure-http: the API key is sent in clear text to http://[::ffff:7f00:1]");
    expect(fake.requests.length).toBeGreaterThan(before);
    expect(output.stdout + output.stderr).not.toContain(FAKE_KEY);
  });

  it("needs no flag and prints no warning for loopback", async () => {
    expect(await runCli(args(fake.url))).toBe(0);
    expect(output.stderr).not.toContain("allow-insecure-http");
  });
});
