// The bench command's arguments and files, driven with tiny fake groups (not the real benchmarks).
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runBench, type BenchReport, type Group } from "../../bench/harness.js";
import { compareThroughput, compareTime } from "../../bench/measure.js";
import type { Result } from "../../bench/result.js";

const row = (id: string): Result => ({
  id,
  name: `fake ${id}`,
  unit: "ops/s",
  value: 95,
  baseline: "fake baseline",
  baselineValue: 100,
  better: "higher",
  budgetRatio: 0.9,
  rounds: { value: [93, 95, 97], baseline: [100, 100, 100] },
});

let dir: string;
let resultsFile: string;
let ran: string[];
let logged: string[];
const SENTINEL = '{"results":"left alone"}\n';

const groups: Record<string, Group> = {
  clientOverhead: async () => (ran.push("clientOverhead"), [row("fake-overhead")]),
  loopbackRoundTrip: async () => (ran.push("loopbackRoundTrip"), [row("fake-loopback")]),
  broken: async () => {
    ran.push("broken");
    throw new Error("the fake group broke");
  },
};
const run = (...argv: string[]) => runBench(groups, argv, { resultsFile, log: (line) => logged.push(line), print: () => {} });
const read = (file: string) => JSON.parse(readFileSync(file, "utf8")) as BenchReport;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "bench-harness-"));
  resultsFile = join(dir, "results.json");
  writeFileSync(resultsFile, SENTINEL);
  ran = [];
  logged = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("runBench", () => {
  it("--only … --out FILE writes the rows it ran to FILE and leaves the results file alone", async () => {
    const out = join(dir, "b1.json");
    expect(await run("--only", "clientOverhead,loopbackRoundTrip", "--out", out)).toBe(0);
    expect(ran).toEqual(["clientOverhead", "loopbackRoundTrip"]);
    expect(readFileSync(resultsFile, "utf8")).toBe(SENTINEL);
    const report = read(out);
    expect(report.groups).toEqual(["clientOverhead", "loopbackRoundTrip"]);
    expect(report.results.map((r) => r.id)).toEqual(["fake-overhead", "fake-loopback"]);
    expect(report.results[0]).toMatchObject({ ratio: 0.95, spread: [0.93, 0.97], rounds: 3, verdict: "met", budgetRatio: 0.9 });
    expect(report.results[0]).not.toHaveProperty("withinBudget");
    expect(report.machine.cores).toBeGreaterThan(0);
    expect(report).not.toHaveProperty("failures");
  });

  it("--only without --out writes nothing at all", async () => {
    expect(await run("--only", "loopbackRoundTrip")).toBe(0);
    expect(ran).toEqual(["loopbackRoundTrip"]);
    expect(readdirSync(dir)).toEqual(["results.json"]);
    expect(readFileSync(resultsFile, "utf8")).toBe(SENTINEL);
  });

  it("a full run writes the results file, with a failed group reported and exit code 1", async () => {
    expect(await run()).toBe(1);
    expect(ran).toEqual(["clientOverhead", "loopbackRoundTrip", "broken"]);
    const report = read(resultsFile);
    expect(report.groups).toEqual(["clientOverhead", "loopbackRoundTrip", "broken"]);
    expect(report.results.map((r) => r.id)).toEqual(["fake-overhead", "fake-loopback"]);
    expect(report.failures).toEqual([{ group: "broken", error: "the fake group broke" }]);
    expect(logged).toContain("bench: broken failed: the fake group broke");
  });

  it("a full run with --out writes only FILE", async () => {
    const out = join(dir, "full.json");
    await run("--out", out);
    expect(readFileSync(resultsFile, "utf8")).toBe(SENTINEL);
    expect(read(out).groups).toEqual(["clientOverhead", "loopbackRoundTrip", "broken"]);
  });

  it.each([
    [["--only", "clientOverhead,nope"], /unknown group\(s\) nope; groups are: clientOverhead, loopbackRoundTrip, broken/],
    [["--only", ","], /--only needs at least one group/],
    [["--out"], /--out.*argument missing|argument missing.*--out|Option '--out <value>' argument missing/],
    [["--out", " "], /--out needs a file path/],
    [["--outt", "x.json"], /Unknown option '--outt'.*Usage: npm run bench/],
    [["clientOverhead"], /Unexpected argument 'clientOverhead'.*Usage/],
  ])("bad arguments %j: exit code 2, a message, nothing run or written", async (argv, message) => {
    expect(await run(...argv)).toBe(2);
    expect(logged.join("\n")).toMatch(message);
    expect(ran).toEqual([]);
    expect(readdirSync(dir)).toEqual(["results.json"]);
    expect(readFileSync(resultsFile, "utf8")).toBe(SENTINEL);
  });
});

describe("compareThroughput", () => {
  it("alternates the contenders within every round, after warming each up, and pairs their rounds", async () => {
    const calls: string[] = [];
    const r = await compareThroughput({ a: () => calls.push("a"), b: () => calls.push("b") }, { sync: true, rounds: 3, roundMs: 6, slices: 3, warmupMs: 1, clock: "wall" });
    expect(r.a!.rounds).toHaveLength(3);
    expect(r.b!.rounds).toHaveLength(3);
    expect([...r.a!.rounds, ...r.b!.rounds].every((ops) => ops > 0)).toBe(true);
    // Runs of one name in call order: the warm-ups (a, b), then 9 slice pairs whose order rotates
    // (ab ba ab …), so neighbouring slices of one contender join: a strict alternation of 12 runs.
    const runs = calls.reduce<string[]>((acc, name) => (acc.at(-1) === name ? acc : [...acc, name]), []);
    expect(runs).toEqual(Array.from({ length: 12 }, (_, i) => (i % 2 ? "b" : "a")));
  });

  it("rejects options that cannot measure", async () => {
    await expect(compareThroughput({}, {})).rejects.toThrow(/at least one contender/);
    await expect(compareThroughput({ a: () => 1 }, { rounds: 0 })).rejects.toThrow(/rounds 0/);
    await expect(compareThroughput({ a: () => 1 }, { roundMs: -1 })).rejects.toThrow(/roundMs -1/);
  });
});

describe("compareTime", () => {
  it("times each action once per round, the order rotating, in medianTime's shape", async () => {
    const calls: string[] = [];
    const r = await compareTime({ cold: async () => calls.push("cold"), cli: async () => calls.push("cli") }, 3);
    expect(calls).toEqual(["cold", "cli", "cli", "cold", "cold", "cli"]);
    expect(r.cold!.runs).toHaveLength(3);
    expect(r.cli!.runs).toHaveLength(3);
    expect([...r.cold!.runs, ...r.cli!.runs].every((ms) => ms >= 0)).toBe(true);
  });
});
