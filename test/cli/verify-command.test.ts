// verify through runCli in this process: the same command a pipeline runs (cli.test.ts runs it
// as a child process for the exit code and streams), without loading Prism again per case.
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
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

const verifyArgs = (url: string, ...more: string[]) =>
  ["verify", "--base-url", url, "--uid", String(FAKE_UID), "--connector-id", String(FAKE_CONNECTOR_ID), "--runs", "3", "--seed", "9", "--max-writes-per-minute", "100000", ...more];

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
/** A directory under the run's temporary one, made first: verify writes reports only into a directory that exists. */
const madeDir = async (name: string) => {
  await mkdir(join(dir, name), { recursive: true });
  return join(dir, name);
};
async function fakeProvider(...args: Parameters<typeof startFakeProvider>): Promise<FakeProvider> {
  const fake = await startFakeProvider(...args);
  fakes.push(fake);
  return fake;
}

describe("spirii-contract verify", () => {
  it("a short key that is also an ordinary word is redacted from values without breaking the reports", async () => {
    // Redacting "test" from finished text once turned <testcase> into <[redacted]case>.
    const fake = await fakeProvider({ echoKey: true, key: "test" });
    const junit = join(await madeDir("short-key"), "junit.xml");
    const json = join(await madeDir("short-key"), "verify.json");
    const run = await cli(verifyArgs(fake.url, "--report-junit", junit, "--report-json", json), { SPIRII_API_KEY: "test" });
    expect(run.code).toBe(1); // the echo is a violation (key-not-echoed); the reports must still be whole
    expect(run.stdout).toContain("Result: the contract is VIOLATED");
    const report = JSON.parse(await readFile(json, "utf8"));
    expect(report.verdict).toBe("violated");
    // The first suite holds the exchanges; the "operations" suite after it says what was verified or skipped.
    expect([new XMLParser().parse(await readFile(junit, "utf8")).testsuites.testsuite].flat()[0].testcase).toHaveLength(report.exchanges.length);
    expect(JSON.stringify(report)).toContain("request made with Bearer [redacted]"); // the echo, removed
  });

  it("exits 1 on a provider that breaks the contract, naming the rule, the case and the request", async () => {
    const fake = await fakeProvider({ breakage: "wrong-enum" });
    const run = await cli(verifyArgs(fake.url), { SPIRII_API_KEY: FAKE_KEY });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("Result: the contract is VIOLATED");
    expect(run.stdout).toMatch(/✗ enum-value\/enum at \/status: must be one of "AVAILABLE"/);
    expect(run.stdout).toMatch(/✗ example:powerOnly: .*\n +sent +PATCH http:\/\/127\.0\.0\.1:\d+\/v2\/evses\/123456\/connectors\/1 +\{"maxElectricPower":11\}/);
    expect(run.stdout).toContain("Exit 1: contract violated.");
  });


  it("--check turns a check off or sets its severity; an unknown check is a usage error", async () => {
    const fake = await fakeProvider({ echoKey: true });
    const off = await cli(verifyArgs(fake.url, "--check", "key-not-echoed=off"), { SPIRII_API_KEY: FAKE_KEY });
    expect(off.code).toBe(0);
    const warned = await cli(verifyArgs(fake.url, "--check", "key-not-echoed=warning"), { SPIRII_API_KEY: FAKE_KEY });
    expect(warned.code).toBe(0);
    expect(warned.stdout).toMatch(/! key-not-echoed\/key-echoed at \(response\): the answer contains the API key/);
    const unknown = await cli(verifyArgs(fake.url, "--check", "no-such-check=off"), { SPIRII_API_KEY: FAKE_KEY });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown check "no-such-check"; the checks are responds,');
  });
});

describe("a restore that does not complete", () => {
  it("exits 3 whatever the verdict, printing every field and the value to set, and fails JUnit's restore case", async () => {
    const fake = await fakeProvider({ rateLimitsRestore: true }); // 429 (Retry-After: 1) to every restoring patch
    const junit = join(await madeDir("restore"), "junit.xml");
    const run = await cli(verifyArgs(fake.url, "--runs", "0", "--restore-deadline-ms", "1500", "--report-junit", junit), { SPIRII_API_KEY: FAKE_KEY });
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/Restore INCOMPLETE: the restoring patch was still rate-limited \(429\) at the restore's deadline\. Set connector 1 of EVSE 123456 back to: \{.*"maxAmperage":16.*\}/);
    expect(run.stdout).toMatch(/\n  maxAmperage: set to 16; it reads [\d.e+-]+ now/);
    expect(run.stdout).toMatch(/Exit 3: a connector was not put back as it was; set the values above \(the verdict was: holds\)\./);
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(await readFile(junit, "utf8"));
    expect(parsed.testsuites.testsuite[1].testcase).toMatchObject({ name: "restore", failure: { type: "restore-incomplete" } });
  });
});

describe("set-up mistakes are set-up errors: exit 2, one sentence, no stack trace, nothing sent", () => {
  let fifoDir: string;
  let fifo: string;
  beforeAll(async () => {
    fifoDir = await mkdtemp(join(tmpdir(), "spirii-contract-paths-"));
    fifo = join(fifoDir, "report.fifo");
    execFileSync("mkfifo", [fifo]);
    await writeFile(join(fifoDir, "plain.txt"), "a regular file\n");
  });
  afterAll(() => rm(fifoDir, { recursive: true, force: true }));
  const nothingSent = (fake: FakeProvider) => expect(fake.requests).toEqual([]);
  const oneSentence = (run: Run) => {
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  };

  it("https against a plain-http provider", async () => {
    const fake = await fakeProvider();
    const run = await cli(verifyArgs(fake.url.replace("http:", "https:")), { SPIRII_API_KEY: FAKE_KEY });
    oneSentence(run);
    expect(run.stderr).toMatch(/https:\/\/127\.0\.0\.1:\d+ does not answer https \(is it a plain http provider\? then use http:\/\/127\.0\.0\.1:\d+\); nothing was sent/);
    expect(fake.requests.filter((r) => r.method === "PATCH")).toEqual([]);
  });

  it.each([
    ["a path under /proc", () => "/proc/spirii-contract-report.xml", /--report-junit \/proc\/spirii-contract-report\.xml: a report must go to a regular file, not under \/proc; nothing was sent/],
    ["a directory", () => ".", /--report-junit \.: is a directory: name a file in it, e\.g\. junit\.xml; nothing was sent/],
    // Opening a FIFO for writing waits for a reader: only looked at, it is refused at once.
    ["a FIFO", () => fifo, /--report-junit .*report\.fifo: is a FIFO \(named pipe\), not a regular file: a report is written to a regular file \(an existing one is replaced\) or a new one; nothing was sent/],
    ["a new file in a directory that does not exist", () => join(dir, "no-such-dir", "junit.xml"), /--report-junit .*junit\.xml: the directory .*no-such-dir does not exist: create it first \(mkdir -p .*no-such-dir\) or choose another path; nothing was sent/],
    ["a new file under a regular file", () => join(fifoDir, "plain.txt", "junit.xml"), /--report-junit .*junit\.xml: .*plain\.txt is a regular file, not a directory: choose another path; nothing was sent/],
  ])("a report path that cannot be written: %s", async (_, path, message) => {
    const fake = await fakeProvider();
    const run = await cli(verifyArgs(fake.url, "--report-junit", path()), { SPIRII_API_KEY: FAKE_KEY });
    oneSentence(run);
    expect(run.stderr).toMatch(message);
    nothingSent(fake);
  });

  it("--report-json names its own flag, and an existing regular file or a new one in an existing directory is accepted", async () => {
    const fake = await fakeProvider();
    const refused = await cli(verifyArgs(fake.url, "--report-json", fifoDir), { SPIRII_API_KEY: FAKE_KEY });
    oneSentence(refused);
    expect(refused.stderr).toMatch(/--report-json .*: is a directory: name a file in it, e\.g\. .*verify\.json; nothing was sent/);
    nothingSent(fake);
    const existing = join(fifoDir, "plain.txt");
    const fresh = join(fifoDir, "fresh.json");
    const run = await cli(verifyArgs(fake.url, "--runs", "0", "--report-junit", existing, "--report-json", fresh), { SPIRII_API_KEY: FAKE_KEY });
    expect(run.code).toBe(0);
    expect(await readFile(existing, "utf8")).toMatch(/^<\?xml/);
    expect(JSON.parse(await readFile(fresh, "utf8")).verdict).toBe("holds");
  });

  it("a key with a newline (read from a file with its line end)", async () => {
    const fake = await fakeProvider();
    const run = await cli(verifyArgs(fake.url), { SPIRII_API_KEY: `${FAKE_KEY}\n` });
    oneSentence(run);
    expect(run.stderr).toContain("the key in SPIRII_API_KEY contains a line break or another control character");
    expect(run.stderr).not.toContain(FAKE_KEY);
    nothingSent(fake);
  });
});

describe("spirii-contract verify and the operations that act on a charger", () => {
  it("without the consent flags: says what it skipped and why, in the plan, the result and JUnit, and sends no unlock of the connector", async () => {
    const fake = await fakeProvider();
    const junit = join(await madeDir("consent"), "junit.xml");
    const run = await cli(verifyArgs(fake.url, "--report-junit", junit), { SPIRII_API_KEY: FAKE_KEY });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Operations verified: updateConnector (restorable), getEvse (read-only), listEvses (read-only).");
    expect(run.stdout).toContain("skipped: changeConnectorAvailability (restorable: pass --allow-availability); unlockConnector (physical: pass --allow-physical); remoteStopTransaction (destructive: pass --allow-destructive)");
    expect(fake.requests.filter((r) => r.path === `/v2/evses/${FAKE_UID}/connectors/${FAKE_CONNECTOR_ID}/unlock`)).toEqual([]);
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(await readFile(junit, "utf8"));
    const suites = parsed.testsuites.testsuite as Array<{ name: string; skipped: string; testcase: Array<{ name: string; skipped?: { message: string } }> }>;
    const operations = suites.find((s) => s.name === "operations")!;
    expect(operations.skipped).toBe("3");
    expect(operations.testcase.map((c) => c.skipped?.message).filter(Boolean)).toContain("skipped: unlockConnector (physical: pass --allow-physical)");
  });

  it("with them: unlock and remote stop are sent to the connector, and nothing is skipped", async () => {
    const fake = await fakeProvider();
    const run = await cli(verifyArgs(fake.url, "--allow-physical", "--allow-destructive", "--transaction-id", "42", "--stop-settle-ms", "500", "--allow-availability"), { SPIRII_API_KEY: FAKE_KEY });
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain("skipped:");
    const own = `/v2/evses/${FAKE_UID}/connectors/${FAKE_CONNECTOR_ID}`;
    expect(fake.requests.filter((r) => r.path === `${own}/unlock`)).toHaveLength(1);
    expect(fake.requests.filter((r) => r.path === `${own}/remote-stop-transaction`).map((r) => r.body)).toContain('{"transactionId":42}');
  });

  it("--transaction-id without --allow-destructive is a usage error, nothing sent", async () => {
    const fake = await fakeProvider();
    const run = await cli(verifyArgs(fake.url, "--transaction-id", "42"), { SPIRII_API_KEY: FAKE_KEY });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("only with --allow-destructive");
    expect(fake.requests).toEqual([]);
  });

  it("--stop-settle-ms: a whole number of ms from 1, and only with --allow-destructive; each mistake a usage error, nothing sent", async () => {
    const fake = await fakeProvider();
    const alone = await cli(verifyArgs(fake.url, "--stop-settle-ms", "500"), { SPIRII_API_KEY: FAKE_KEY });
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain("--stop-settle-ms is how long a consented remote stop is read back: it takes effect only with --allow-destructive");
    for (const bad of ["0", "abc", "1.5"]) {
      const run = await cli(verifyArgs(fake.url, "--allow-destructive", "--transaction-id", "42", "--stop-settle-ms", bad), { SPIRII_API_KEY: FAKE_KEY });
      expect(run.code, bad).toBe(2);
      expect(run.stderr, bad).toContain("--stop-settle-ms");
    }
    expect(fake.requests).toEqual([]);
  });
});
