// The CLI as a pipeline runs it: a child process, judged by its exit code and what it prints.
// It runs the compiled CLI (dist/, checked to be newer than src/): through tsx every child spent
// about half a second of CPU transpiling before it did anything.
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { XMLParser } from "fast-xml-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compiled } from "../dist.js";
import { FAKE_CONNECTOR_ID, FAKE_KEY, FAKE_UID, INITIAL_CONNECTOR, startFakeProvider, type FakeProvider } from "../fakes/provider.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const MAIN = compiled("src/cli/main.js");

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Every CLI still running. A test that fails half-way must not leave its CLI (a mock, a long
 * verify) behind; the tests run concurrently, so they are swept after all of them, not per test.
 */
const children = new Set<ReturnType<typeof spawn>>();
afterAll(() => {
  for (const child of children) child.kill("SIGKILL");
});

/** Starts the CLI; the environment holds no API key unless the test gives one. */
function start(args: string[], env: Record<string, string> = {}) {
  const { SPIRII_API_KEY: _, ...inherited } = process.env;
  const child = spawn(process.execPath, [MAIN, ...args], { cwd: ROOT, env: { ...inherited, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  children.add(child);
  child.on("exit", () => children.delete(child));
  return child;
}

function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const child = start(args, env);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

const verifyArgs = (url: string, ...more: string[]) =>
  ["verify", "--base-url", url, "--uid", String(FAKE_UID), "--connector-id", String(FAKE_CONNECTOR_ID), "--runs", "1", "--seed", "9", "--max-writes-per-minute", "100000", ...more];

/**
 * A guard, not a budget: a verify child loads Prism and reads the EVSE around every write, and
 * these tests run concurrently; on a machine with every core busy one takes far longer than idle.
 */
const VERIFY_CHILD_TIMEOUT_MS = 120_000;
/** The same guard for a mock child: it loads Prism (1.6-3 s of CPU idle, many times that on a busy machine). */
const CHILD_PRISM_TIMEOUT_MS = 120_000;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "spirii-contract-cli-"));
  // verify writes a report only into a directory that exists (it makes none).
  await mkdir(join(dir, "reports"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));
/**
 * A fake provider, closed after all tests. Not per test: the tests run concurrently, and vitest's
 * global onTestFinished does not know which concurrent test is calling it.
 */
const fakes: FakeProvider[] = [];
afterAll(() => Promise.all(fakes.map((fake) => fake.close())));
async function fakeProvider(...args: Parameters<typeof startFakeProvider>): Promise<FakeProvider> {
  const fake = await startFakeProvider(...args);
  fakes.push(fake);
  return fake;
}

// Independent child processes: run them side by side. Every other usage error is covered
// in-process by usage.test.ts; these check what a pipeline sees.
describe.concurrent("spirii-contract as a pipeline runs it", () => {
  // help and usage (exit 0 for help, 2 for usage errors)
  it("--help prints the commands and the exit codes", async () => {
    const run = await cli(["--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("spirii-contract mock");
    expect(run.stdout).toContain("spirii-contract verify --base-url URL --uid N --connector-id N");
    expect(run.stdout).toMatch(/0 +the contract holds.*\n +1 +the contract is violated.*\n +2 +usage or set-up error.*\n +3 +a connector \(the one under test, or another the run changed\) could not be put back/);
  });

  it("mock --help and verify --help describe each command's options", async () => {
    const [mock, verify] = await Promise.all([cli(["mock", "--help"]), cli(["verify", "--help"])]);
    expect(mock.code).toBe(0);
    expect(mock.stdout).toMatch(/--port N +port to listen on; 0 \(the default\) picks a free one/);
    expect(verify.code).toBe(0);
    for (const option of ["--base-url URL", "--report-junit FILE", "--report-json FILE", "--api-key-env NAME", "--allow-production", "--timeout-ms N", "--no-auth-probe", "--fail-under N"]) {
      expect(verify.stdout).toContain(option);
    }
  });

  it.each([
    [[], /Usage:/, "stdout"],
    [["deploy"], /unknown command "deploy"; the commands are mock, verify/, "stderr"],
    [["verify", "--bogus"], /Unknown option '--bogus'[\s\S]*Run "spirii-contract verify --help"/, "stderr"],
  ] as const)("%j exits 2 and says what is wrong", async (args, message, stream) => {
    const run = await cli([...args]);
    expect(run.code).toBe(2);
    expect(run[stream]).toMatch(message);
  });

  // verify's safety rules (exit 2 before any request)
  it("never takes the key as a flag", async () => {
    const run = await cli(["verify", "--base-url", "http://127.0.0.1:9", "--uid", "1", "--connector-id", "1", "--api-key", "secret"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("the API key is never passed as a flag; put it in SPIRII_API_KEY");
  });

  it("refuses the production host unless --allow-production", async () => {
    const run = await cli(["verify", "--base-url", "https://api.spirii.com", "--uid", "1", "--connector-id", "1"], { SPIRII_API_KEY: "k" });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/https:\/\/api\.spirii\.com is the production API.*--allow-production/);
  });

  it("needs the key in the environment", async () => {
    const run = await cli(verifyArgs("http://127.0.0.1:9", "--api-key-env", "MY_SPIRII_KEY"));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("no API key: set the environment variable MY_SPIRII_KEY");
  });

  it("exits 2 when the provider cannot be reached", async () => {
    const fake = await startFakeProvider();
    await fake.close();
    const run = await cli(verifyArgs(fake.url), { SPIRII_API_KEY: FAKE_KEY });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/cannot reach http:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED/);
  });

  // verify against fake providers
  it("exits 0 on a provider that keeps the contract, says what it changes first, writes both reports", async () => {
    const fake = await fakeProvider();
    const junit = join(dir, "reports/junit.xml");
    const json = join(dir, "reports/verify.json");
    const run = await cli(verifyArgs(fake.url, "--report-junit", junit, "--report-json", json, "--api-key-env", "CUSTOM_KEY"), { CUSTOM_KEY: FAKE_KEY });
    expect(run.code).toBe(0);
    const planned = /This run CHANGES connector 1 of EVSE 123456: (\d+) requests \(2 examples, 2 without a valid key \(the auth probe\), 2 of something that does not exist, \d+ valid and \d+ invalid patches sent on every run, 1 valid and 1 invalid generated from seed 9\)/.exec(run.stdout);
    expect(planned).not.toBeNull();
    const plan = planned!.index;
    expect(run.stdout).toMatch(/Budget: \d+ writes; at 100000 a minute this takes about 1 s/);
    expect(run.stdout).toMatch(/If this run is killed, set it back to: \{"standard":"IEC_62196_T2","format":"SOCKET","maxElectricPower":11,"maxAmperage":16,"maxVoltage":400\}/);
    expect(run.stdout.indexOf("Result: the contract HOLDS")).toBeGreaterThan(plan);
    expect(run.stdout).toContain("seed 9 (repeat this run with --seed 9)");
    expect(run.stdout).toMatch(/Restore: put back .*\(read before the first patch\) in 1 attempt\(s\); connector 1 of EVSE 123456 reads back as before the run\./);
    expect(run.stdout).toMatch(/Wall time \d+\.\d s: /);
    expect(run.stderr).toContain(`[${planned![1]}/${planned![1]}] 0 failing`); // progress, once every 10 exchanges and at the end
    const report = JSON.parse(await readFile(json, "utf8"));
    expect(report.verdict).toBe("holds");
    const xml = await readFile(junit, "utf8");
    expect(new XMLParser().parse(xml).testsuites.testsuite[0].testcase).toHaveLength(report.exchanges.length);
  }, VERIFY_CHILD_TIMEOUT_MS);

  it("exits 1 on a provider that echoes the key (key-not-echoed), and never shows the key itself", async () => {
    const fake = await fakeProvider({ echoKey: true }); // quotes the key back in its 400 bodies
    const junit = join(dir, "reports/echo-junit.xml");
    const json = join(dir, "reports/echo.json");
    const run = await cli(verifyArgs(fake.url, "--report-junit", junit, "--report-json", json, "--api-key-env", "CUSTOM_KEY"), { CUSTOM_KEY: FAKE_KEY });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/✗ key-not-echoed\/key-echoed at \(response\): the answer contains the API key it was sent/);
    const report = JSON.parse(await readFile(json, "utf8"));
    expect(report.verdict).toBe("violated");
    const xml = await readFile(junit, "utf8");
    expect(new XMLParser().parse(xml).testsuites.testsuite[0].testcase).toHaveLength(report.exchanges.length);
    for (const text of [run.stdout, run.stderr, xml, JSON.stringify(report)]) expect(text).not.toContain(FAKE_KEY);
    expect(JSON.stringify(report)).toContain("[redacted]"); // the echoed key, removed
  }, VERIFY_CHILD_TIMEOUT_MS);

  it("on Ctrl-C stops after the request in flight, still puts the connector back, and exits 2 without a verdict", async () => {
    const fake = await fakeProvider();
    const child = start(["verify", "--base-url", fake.url, "--uid", String(FAKE_UID), "--connector-id", String(FAKE_CONNECTOR_ID), "--runs", "2000", "--max-writes-per-minute", "100000"], { SPIRII_API_KEY: FAKE_KEY });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    while (fake.requests.filter((r) => r.method === "PATCH").length < 5) {
      if (child.exitCode !== null) throw new Error("verify exited before sending 5 patches");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    child.kill("SIGINT");
    expect(await exited).toBe(2);
    expect(stderr).toContain("SIGINT: stopping after the current request and putting the connector back");
    expect(stdout).toMatch(/Result: INTERRUPTED after \d+ exchanges \(\d+ requests and the restore\) with no violation so far; no verdict/);
    expect(stdout).toMatch(/Restore: put back .* reads back as before the run\./);
    expect(fake.connector()).toEqual(INITIAL_CONNECTOR);
  }, VERIFY_CHILD_TIMEOUT_MS);

  it("on a second Ctrl-C quits without the restore, printing every value to set, and exits 3", async () => {
    const fake = await fakeProvider();
    // One write a second: the restore waits for its turn long enough for the second Ctrl-C to land in it.
    const child = start(["verify", "--base-url", fake.url, "--uid", String(FAKE_UID), "--connector-id", String(FAKE_CONNECTOR_ID), "--runs", "0", "--max-writes-per-minute", "60"], { SPIRII_API_KEY: FAKE_KEY });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    while (fake.requests.filter((r) => r.method === "PATCH").length < 2) {
      if (child.exitCode !== null) throw new Error("verify exited before sending 2 patches");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    child.kill("SIGINT");
    while (!stderr.includes("SIGINT: stopping")) await new Promise((resolve) => setTimeout(resolve, 10));
    child.kill("SIGINT");
    expect(await exited).toBe(3);
    const values = '{"standard":"IEC_62196_T2","format":"SOCKET","maxElectricPower":11,"maxAmperage":16,"maxVoltage":400}';
    expect(stdout).toContain(`If this run is killed, set it back to: ${values}`);
    expect(stdout).toContain(`SIGINT again: quitting without waiting for the restore. The connector may NOT be as it was. Set connector 1 of EVSE 123456 back to: ${values}`);
    expect(stdout).toContain("Exit 3: restore not done.");
  }, VERIFY_CHILD_TIMEOUT_MS);

  // mock
  async function startMock(args: string[] = []) {
    const child = start(["mock", ...args]);
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /listening on (http:\/\/\S+)/.exec(stdout);
        if (match && stdout.includes("Stop with Ctrl-C.")) resolve(match[1]!);
      });
      child.on("exit", (code) => reject(new Error(`mock exited ${code}: ${stderr}`)));
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    return { child, url, exited, output: () => ({ stdout, stderr }) };
  }

  it.each(["SIGTERM", "SIGINT"] as const)("serves on a free port, prints a curl that works, and stops cleanly on %s", async (signal) => {
    const mock = await startMock();
    expect(mock.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const { stdout } = mock.output();
    // The printed curl, run by fetch: same URL, headers and body.
    const curl = /curl -sS -X (\w+) '([^']+)' \\\n\s+-H '([^']+)' -H '([^']+)' \\\n\s+-d '([^']+)'/.exec(stdout);
    expect(curl).not.toBeNull();
    const [, method, url, auth, type, body] = curl!;
    const header = (line: string) => line.split(": ") as [string, string];
    const response = await fetch(url!, { method: method!, headers: [header(auth!), header(type!)], body: body! });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ uid: 123456 });
    mock.child.kill(signal);
    expect(await mock.exited).toBe(0);
    expect(mock.output().stderr).toContain(`${signal}: stopping the mock.`);
    expect(mock.output().stderr).not.toContain("exiting anyway"); // it closed, not the 2 s fallback
  }, CHILD_PRISM_TIMEOUT_MS);
});
