// `spirii-contract coverage`: merges coverage files, prints every item, writes --json and --html,
// and exits 0, 1 (under --fail-under, or a --require item not covered) or 2 (a bad file or flag).
// In-process through runCli, like usage.test.ts; one child process checks what a pipeline sees.
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { compiled } from "../dist.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run.js";
import { GET_EVSE, OPERATIONS, UPDATE_CONNECTOR } from "../../src/contract.js";
import { createCoverageRecorder, mergeCoverage, readCoverageFile, writeCoverageFile, type ContractCoverage } from "../../src/coverage/index.js";
import { CONTRACT_ITEMS, localId } from "../../src/coverage/items.js";
import { captureOutput } from "./captured-output.js";

const output = captureOutput();
const OP = UPDATE_CONNECTOR.operationId;
const U = (local: string) => `${OP} ${local}`;

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
let dir: string;
let first: string;
let second: string;
let both: ContractCoverage;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "coverage-cli-"));
  const a = createCoverageRecorder();
  a.request({ standard: "CHADEMO" });
  a.response(200, { status: "AVAILABLE", connectors: [{ standard: "CHADEMO", error: null }] });
  const b = createCoverageRecorder();
  b.request({ maxVoltage: -1 });
  b.response(422, {});
  b.response(200, {});
  first = join(dir, "worker-1.json");
  second = join(dir, "worker-2.json");
  await writeCoverageFile(first, a.coverage());
  await writeCoverageFile(second, b.coverage());
  both = mergeCoverage(a.coverage(), b.coverage());
});
afterAll(() => rm(dir, { recursive: true, force: true }));


/** The table's line of an item of updateConnector (listed under its operation by the part after the operation). */
const line = (local: string) => {
  const own = output.stdout.slice(output.stdout.indexOf(`${OP}  ${UPDATE_CONNECTOR.method}`));
  return own.split("\n").find((l) => l.trim().split(/\s+/)[1] === local)?.trim().replace(/\s+/g, " ");
};

describe("spirii-contract coverage", () => {
  it("merges the files and prints per operation its percent, then every item with its count, grouped by kind, then the total (exit 0)", async () => {
    expect(await runCli(["coverage", first, second])).toBe(0);
    const operations = CONTRACT_ITEMS.operations.length;
    expect(output.stdout).toContain(`Contract coverage of ${operations} operation${operations === 1 ? "" : "s"}, from 2 files`);
    const pct = (p: number) => `${(Math.floor(p * 10) / 10).toFixed(1)}%`;
    for (const o of both.operations) expect(output.stdout).toContain(`${o.operation}  ${o.method} ${o.path}: ${o.covered} of ${o.total} items, ${pct(o.percent)}\n`);
    expect(line("status:200")).toBe("✓ status:200 2"); // counts add
    expect(line("status:422")).toBe("✓ status:422 1");
    expect(line("status:429")).toBe("✗ status:429 0");
    expect(output.stdout).toMatch(/✓ rule:exclusiveMinimum \/maxVoltage +1\n/);
    expect(output.stdout).toMatch(/ {2}Statuses answered: 2 of 9\n/);
    expect(output.stdout).toMatch(/ {2}Request rules broken \(by an invalid request\): 1 of 13\n/);
    for (const item of both.items) expect(output.stdout).toContain(localId(item.id));
    // Operations in the contract's order, each followed by its own items only.
    const headings = both.operations.map((o) => output.stdout.indexOf(`${o.operation}  ${o.method} ${o.path}:`));
    expect(headings).toEqual([...headings].sort((a, b) => a - b));
    expect(output.stdout).toMatch(new RegExp(`All operations +${pct(both.percent).replace(".", "\\.")} +${both.covered} of ${both.total}\n`));
    expect(output.stdout).toContain(`Covered ${both.covered} of ${both.total} items: ${pct(both.percent)}`);
    expect(output.stdout).not.toContain("Outside the contract");
    expect(output.stderr).toBe("");
  });

  it("lists the requests that were for no operation of the contract", async () => {
    const r = createCoverageRecorder();
    r.record({ method: "GET", path: "/v2/chargers/9" });
    r.record({ method: "GET", path: "/v2/chargers/9" });
    const file = join(dir, "outside.json");
    await writeCoverageFile(file, r.coverage());
    expect(await runCli(["coverage", first, file])).toBe(0);
    expect(output.stdout).toContain("Outside the contract (no operation for the method and path): 2 requests: GET /v2/chargers/9 ×2\n");
  });

  it("--json writes the merged model, itself a coverage file; --html writes the page", async () => {
    const json = join(dir, "out", "merged.json");
    const html = join(dir, "out", "report.html");
    expect(await runCli(["coverage", first, second, "--json", json, "--html", html])).toBe(0);
    expect(await readCoverageFile(json)).toEqual(both);
    const page = await readFile(html, "utf8");
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain(`<li class="uncovered" data-id="${U("status:429")}" title="${U("status:429")}">✗ status:429 <b>0×</b></li>`);
    for (const o of both.operations) expect(page).toContain(`<section class="operation" data-operation="${o.operation}">`);
    expect(page).toContain(`${both.covered} of ${both.total} items covered`);
    expect(page).not.toMatch(/<script|<link|https?:\/\//);
  });

  it("--fail-under N exits 1 under N, naming what was not covered, and 0 at or above it", async () => {
    expect(await runCli(["coverage", first, second, "--fail-under", "50"])).toBe(1);
    expect(output.stdout).toContain(
      `is under --fail-under 50%. Not covered:\n  status: ${["400", "401", "403", "404", "409", "429", "5XX"].map((s) => U(`status:${s}`)).join(", ")}\n`,
    );
    expect(output.stdout).toContain(`  rule: ${U("rule:type /")}, ${U("rule:minProperties /")}`);
    output.stdout = "";
    expect(await runCli(["coverage", first, second, `--fail-under=${both.percent}`])).toBe(0);
    expect(output.stdout).not.toContain("Not covered");
  });

  describe("--fail-under OPERATION=N gates one operation, as istanbul gates a file", () => {
    const own = (operation: string) => both.operations.find((o) => o.operation === operation)!;
    const GET = GET_EVSE.operationId;

    it("passes at the operation's own percent though all operations are under it, and fails just above it", async () => {
      const { percent } = own(OP);
      expect(own(GET).percent).toBe(0); // another operation at 0 %
      expect(both.percent).toBeLessThan(percent);
      expect(await runCli(["coverage", first, second, "--fail-under", `${OP}=${percent}`])).toBe(0);
      expect(output.stdout).not.toContain("under --fail-under");
      output.stdout = "";
      // The same figure as a global gate fails: the other operations pull the total down.
      expect(await runCli(["coverage", first, second, "--fail-under", String(percent)])).toBe(1);
      output.stdout = "";
      expect(await runCli(["coverage", first, second, `--fail-under=${OP}=${percent + 0.1}`])).toBe(1);
      const pct = (p: number) => `${(Math.floor(p * 10) / 10).toFixed(1)}%`;
      expect(output.stdout).toContain(`\n${OP}: coverage ${pct(percent)} is under --fail-under ${OP}=${percent + 0.1}%. Not covered:\n  status: ${U("status:400")}, `);
      // Only that operation's items are named.
      const failure = output.stdout.slice(output.stdout.indexOf(`${OP}: coverage`));
      expect(failure).not.toContain(`${GET} `);
      expect(failure).not.toContain("All operations");
    });

    it("an operation at 0 % passes --fail-under OP=0 and fails OP=1, naming its own items; the other gates are judged apart", async () => {
      expect(await runCli(["coverage", first, second, "--fail-under", `${GET}=0`])).toBe(0);
      output.stdout = "";
      expect(await runCli(["coverage", first, second, "--fail-under", `${GET}=1`, "--fail-under", `${OP}=10`, "--fail-under", "5"])).toBe(1);
      expect(output.stdout).toContain(`\n${GET}: coverage 0.0% is under --fail-under ${GET}=1%. Not covered:\n  status: ${GET} status:200, `);
      expect(output.stdout).not.toContain(`${OP}: coverage`); // 17 % is not under 10
      expect(output.stdout).not.toContain("is under --fail-under 5%"); // 6 % is not under 5
      const failure = output.stdout.slice(output.stdout.indexOf(`${GET}: coverage`));
      expect(failure).not.toContain(`${OP} `);
    });

    it("--help and the README describe it", async () => {
      expect(await runCli(["coverage", "--help"])).toBe(0);
      expect(output.stdout).toContain("--fail-under [OPERATION=]N");
      expect(output.stdout).toContain(`--fail-under ${OP}=90`);
      const readme = await readFile(join(ROOT, "README.md"), "utf8");
      expect(readme).toContain("`--fail-under OPERATION=N`");
    });

    const known = Object.keys(OPERATIONS).join(", ");
    it.each([
      [["--fail-under", "=abc"], `--fail-under "=abc" names no operation before "="; write OPERATION=N (e.g. ${OP}=90), or N alone for all operations`],
      [["--fail-under", "unknownOp=50"], `--fail-under "unknownOp=50": unknownOp is not an operation of this contract; its operations are ${known}`],
      [["--fail-under", "updateconnector=50"], `--fail-under "updateconnector=50": updateconnector is not an operation of this contract (did you mean ${OP}?); its operations are ${known}`],
      [["--fail-under", "150"], `--fail-under must be a percentage from 0 to 100, got "150"`],
      [["--fail-under", `${OP}=150`], `--fail-under ${OP}=N must be a percentage from 0 to 100, got "150"`],
      [["--fail-under", `${OP}=abc`], `--fail-under ${OP}=N must be a percentage from 0 to 100, got "abc"`],
      [["--fail-under", `${OP}=`], `--fail-under ${OP}=N must be a percentage from 0 to 100, got ""`],
      [["--fail-under", `${OP}=90`, "--fail-under", `${OP}=80`], `--fail-under ${OP}= is given twice (90 and 80); give each operation one threshold`],
      [["--fail-under", "50", "--fail-under", "60"], `--fail-under N (all operations) is given twice (50 and 60); give it once`],
    ])("%j exits 2 with a clear message, before reading any file", async (flags, message) => {
      expect(await runCli(["coverage", first, ...flags])).toBe(2);
      expect(output.stderr).toContain(`spirii-contract coverage: ${message}`);
      expect(output.stdout).toBe("");
    });
  });

  it("--require ITEM exits 1 when that item was never covered", async () => {
    expect(await runCli(["coverage", first, second, "--require", U("status:422"), "--require", U("status:429")])).toBe(1);
    expect(output.stdout).toContain(`Required but not covered (--require): ${U("status:429")}\n`);
    output.stdout = "";
    expect(await runCli(["coverage", first, second, "--require", U("status:422")])).toBe(0);
    expect(output.stdout).not.toContain("Required but not covered");
    expect(output.stderr).toBe("");
  });

  it("--require takes the old spelling of an updateConnector item, with a hint naming the new id", async () => {
    expect(await runCli(["coverage", first, second, "--require", "status:429", "--require", "response:status=AVAILABLE"])).toBe(1);
    expect(output.stderr).toContain(`--require status:429: read as "${U("status:429")}"; item ids now name their operation, so write --require "${U("status:429")}".`);
    expect(output.stderr).toContain(`--require response:status=AVAILABLE: read as "${U("response:200 status=AVAILABLE")}"`);
    expect(output.stdout).toContain(`Required but not covered (--require): ${U("status:429")}\n`);
  });

  it("reads a file of the old format (ids without an operation) as updateConnector's, with a note on stderr", async () => {
    const old = join(dir, "format-1.json");
    const items = both.items
      .filter((i) => i.operation === OP)
      .map(({ id, kind, covered, count }) => ({ id: localId(id).replace(/^response:\S+ /, "response:"), kind, covered, count }));
    await writeFile(old, JSON.stringify({ items, covered: 0, total: items.length, percent: 0 }));
    const json = join(dir, "out", "from-format-1.json");
    expect(await runCli(["coverage", old, "--json", json])).toBe(0);
    expect(output.stderr).toContain(`spirii-contract coverage: note: coverage file ${old} is of coverage format 1 (ids without an operation): read its items as ${OP}'s`);
    expect(await readCoverageFile(json)).toEqual(both);
  });

  it("--require of an unknown item exits 2, suggesting the near ones", async () => {
    expect(await runCli(["coverage", first, "--require", "updateConnecter status:429", "--require", "status:4xx"])).toBe(2);
    expect(output.stderr).toContain(`--require "updateConnecter status:429": not an item of this contract; did you mean "${U("status:429")}"`);
    expect(output.stderr).toContain(`--require "status:4xx": not an item of this contract; did you mean "${U("status:5XX")}", "${GET_EVSE.operationId} status:5XX"`);
    expect(output.stderr).toContain(`Items are an operation and what it covers, e.g. ${CONTRACT_ITEMS.operations.map((o) => JSON.stringify(o.definitions[0]!.id)).join(", ")}`);
    expect(output.stdout).toBe("");
  });

  it("exits 2 naming a file that is missing or not a coverage file", async () => {
    const missing = join(dir, "missing.json");
    expect(await runCli(["coverage", first, missing])).toBe(2);
    expect(output.stderr).toContain(`spirii-contract coverage: coverage file ${missing}: cannot read it (no such file)`);
    expect(output.stdout).toBe(""); // nothing half-printed
    const junit = join(dir, "junit.xml");
    await writeFile(junit, "<testsuites/>");
    output.stderr = "";
    expect(await runCli(["coverage", junit])).toBe(2);
    expect(output.stderr).toContain(`coverage file ${junit} is not a coverage file: it is not JSON`);
    const pkg = join(dir, "package.json");
    await writeFile(pkg, JSON.stringify({ name: "x" }));
    output.stderr = "";
    expect(await runCli(["coverage", pkg])).toBe(2);
    expect(output.stderr).toContain(`coverage file ${pkg} is not a coverage file: expected {"formatVersion": 2, "items"`);
    const future = join(dir, "future.json");
    await writeFile(future, JSON.stringify({ formatVersion: 9, items: [] }));
    output.stderr = "";
    expect(await runCli(["coverage", first, future])).toBe(2);
    expect(output.stderr).toContain(`coverage file ${future} is of coverage format 9, newer than this version`);
    expect(output.stdout).toBe("");
  });

  it.each([
    [[], /spirii-contract coverage: name at least one coverage file/],
    [["--fail-under", "abc", "x.json"], /--fail-under must be a percentage from 0 to 100, got "abc"/],
    [["--fail-under", "101", "x.json"], /--fail-under must be a percentage from 0 to 100, got "101"/],
    [["--fail-under=-5", "x.json"], /--fail-under must be a percentage from 0 to 100, got "-5"/],
    [["--require", "status:418", "x.json"], /--require "status:418": not an item of this contract/],
    [["--html", "", "x.json"], /--html needs a file path/],
    [["--fail", "50", "x.json"], /Unknown option '--fail'/],
  ])("%j exits 2 and says what is wrong", async (args, message) => {
    expect(await runCli(["coverage", ...args])).toBe(2);
    expect(output.stderr).toMatch(message);
    expect(output.stderr).toContain('Run "spirii-contract coverage --help" for usage.');
  });

  it("mock --coverage-file needs a path", async () => {
    expect(await runCli(["mock", "--coverage-file", ""])).toBe(2);
    expect(output.stderr).toContain("spirii-contract mock: --coverage-file needs a file path");
  });

  it("--help describes the command and its exit codes; the main help lists it", async () => {
    expect(await runCli(["coverage", "--help"])).toBe(0);
    expect(output.stdout).toContain("spirii-contract coverage FILE... [--fail-under [OPERATION=]N]... [--require ITEM]... [--html FILE] [--json FILE]");
    expect(output.stdout).toMatch(/1 +under a --fail-under \(of all operations or of one\), or a --require item not covered\n +2 +usage error, or a file missing or not a coverage file/);
    output.stdout = "";
    expect(await runCli(["--help"])).toBe(0);
    expect(output.stdout).toContain("spirii-contract coverage FILE... [--fail-under [OPERATION=]N]... [--html FILE] [--json FILE]");
  });
});

const children = new Set<ReturnType<typeof spawn>>();
afterAll(() => {
  for (const child of children) child.kill("SIGKILL");
});
const startCli = (args: string[]) => {
  const child = spawn(process.execPath, [compiled("src/cli/main.js"), ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  children.add(child);
  child.on("exit", () => children.delete(child));
  return child;
};

// Child processes of the CLI (the mock loads Prism): past vitest's 30 s at load 14 on two cores. The
// timeout guards a hang, not a speed: generous, as for the CLI's other child processes (cli.test.ts).
describe("spirii-contract coverage as a pipeline runs it", { timeout: 120_000 }, () => {
  it("exits 1 under --fail-under and 2 for a missing file, from a child process", async () => {
    const run = (args: string[]) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = startCli(["coverage", ...args]);
        let out = "";
        let err = "";
        child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
        child.on("close", (code) => resolve({ code, stdout: out, stderr: err }));
      });
    const [under, missing] = await Promise.all([run([first, second, "--fail-under", "100"]), run([join(dir, "nope.json")])]);
    expect(under.code).toBe(1);
    expect(under.stdout).toContain("is under --fail-under 100%. Not covered:");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`coverage file ${join(dir, "nope.json")}: cannot read it (no such file)`);
  });

  it("mock --coverage-file writes what the mock answered when it is stopped, for the gate to read", async () => {
    const file = join(dir, "cli-mock", "coverage.json");
    const child = startCli(["mock", "--coverage-file", file]);
    let out = "";
    let err = "";
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        const found = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (found) resolve(found[1]!);
      });
      child.on("exit", (code) => reject(new Error(`the mock exited (${code}) before listening: ${err}`)));
    });
    const answer = await fetch(`${url}/v2/evses/123456/connectors/1`, {
      method: "PATCH",
      headers: { authorization: "Bearer k", "content-type": "application/json", prefer: "code=429" },
      body: JSON.stringify({ maxVoltage: 400 }),
    });
    expect(answer.status).toBe(429);
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(err).toContain(`Contract coverage written to ${file}.`);
    const coverage = await readCoverageFile(file);
    expect(coverage.items.filter((i) => i.covered).map((i) => `${i.id} ${i.count}`)).toEqual([U("status:429 1"), U("request:maxVoltage 1")]);
  });
});
