// verify through runCli in this process: the same command a pipeline runs (cli.test.ts runs it
// as a child process for the exit code and streams), without loading Prism again per case.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { XMLParser } from "fast-xml-parser";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { runCli } from "../../src/cli/run.js";
import { FAKE_CONNECTOR_ID, FAKE_KEY, FAKE_UID, startFakeProvider, type FakeProvider } from "../fakes/provider.js";

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with only `env`'s key in the environment, capturing what it prints. */
async function cli(args: string[], env: Record<string, string>): Promise<Run> {
  let stdout = "";
  let stderr = "";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => ((stderr += String(chunk)), true));
  vi.stubEnv("SPIRII_API_KEY", undefined);
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  try {
    const code = await runCli(args);
    return { code, stdout, stderr };
  } finally {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  }
}

const verifyArgs = (url: string, ...more: string[]) => ["verify", "--base-url", url, "--uid", String(FAKE_UID), "--connector-id", String(FAKE_CONNECTOR_ID), "--runs", "3", "--seed", "9", ...more];

let dir: string;
const fakes: FakeProvider[] = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "spirii-contract-verify-"));
});
afterEach(() => vi.restoreAllMocks());
afterAll(async () => {
  await Promise.all(fakes.map((fake) => fake.close()));
  await rm(dir, { recursive: true, force: true });
});
async function fakeProvider(...args: Parameters<typeof startFakeProvider>): Promise<FakeProvider> {
  const fake = await startFakeProvider(...args);
  fakes.push(fake);
  return fake;
}

describe("spirii-contract verify", () => {
  it("a short key that is also an ordinary word is redacted from values without breaking the reports", async () => {
    // Redacting "test" from finished text once turned <testcase> into <[redacted]case>.
    const fake = await fakeProvider({ echoKey: true, key: "test" });
    const junit = join(dir, "short-key/junit.xml");
    const json = join(dir, "short-key/verify.json");
    const run = await cli(verifyArgs(fake.url, "--report-junit", junit, "--report-json", json), { SPIRII_API_KEY: "test" });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Result: the contract HOLDS");
    const report = JSON.parse(await readFile(json, "utf8"));
    expect(report.verdict).toBe("holds");
    expect(new XMLParser().parse(await readFile(junit, "utf8")).testsuites.testsuite.testcase).toHaveLength(report.exchanges.length);
    expect(JSON.stringify(report)).toContain("request made with Bearer [redacted]"); // the echo, removed
  });

  it("exits 1 on a provider that breaks the contract, naming the rule, the case and the request", async () => {
    const fake = await fakeProvider({ breakage: "wrong-enum" });
    const run = await cli(verifyArgs(fake.url), { SPIRII_API_KEY: FAKE_KEY });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("Result: the contract is VIOLATED");
    expect(run.stdout).toMatch(/✗ enum at \/status: must be one of "AVAILABLE"/);
    expect(run.stdout).toMatch(/✗ example:powerOnly: .*\n +sent +PATCH http:\/\/127\.0\.0\.1:\d+\/v2\/evses\/123456\/connectors\/1 +\{"maxElectricPower":11\}/);
    expect(run.stdout).toContain("Exit 1: contract violated.");
  });

});
