// npm run bench [-- --only id,id]: runs every benchmark group, prints a table and writes
// bench/results.json. Benchmarks assert nothing; a missed budget is reported, not hidden.
import { writeFileSync } from "node:fs";
import { cpus, totalmem, type as osType, release } from "node:os";
import { clientOverhead, loopbackRoundTrip } from "./client.bench.js";
import { coverageRecording } from "./coverage.bench.js";
import { mockStart } from "./mock.bench.js";
import { footprint, pipeline } from "./pipeline.bench.js";
import { score, type Result, type ScoredResult } from "./result.js";
import { validators } from "./validators.bench.js";

const GROUPS: Record<string, () => Promise<Result[]>> = { clientOverhead, loopbackRoundTrip, validators, mockStart, footprint, pipeline, coverageRecording };

const onlyAt = process.argv.indexOf("--only");
const only = onlyAt === -1 ? null : new Set((process.argv[onlyAt + 1] ?? "").split(","));
if (only && ![...only].every((g) => g in GROUPS)) {
  console.error(`bench: --only takes groups from: ${Object.keys(GROUPS).join(", ")}`);
  process.exit(2);
}

const format = (r: ScoredResult, v: number) =>
  r.unit === "ops/s" ? `${Math.round(v).toLocaleString("en")} ops/s` : r.unit === "ms" ? `${v.toFixed(v < 100 ? 1 : 0)} ms` : `${(v / 1024).toFixed(1)} KiB`;

const results: ScoredResult[] = [];
const failures: { group: string; error: string }[] = [];
for (const [group, run] of Object.entries(GROUPS)) {
  if (only && !only.has(group)) continue;
  process.stderr.write(`bench: ${group}…\n`);
  try {
    for (const result of await run()) results.push(score(result));
  } catch (error) {
    // One broken group must not hide the others' figures; it is reported and fails the run.
    failures.push({ group, error: error instanceof Error ? error.message : String(error) });
    process.stderr.write(`bench: ${group} failed: ${failures.at(-1)!.error}\n`);
  }
}

const machine = {
  os: `${osType()} ${release()}`,
  cpu: cpus()[0]?.model ?? "unknown",
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  date: new Date().toISOString(),
};
// Only a full run replaces bench/results.json, so that the file always holds one whole run.
if (!only) writeFileSync(new URL("./results.json", import.meta.url), `${JSON.stringify({ machine, results, ...(failures.length ? { failures } : {}) }, null, 2)}\n`);

console.log(`\n${machine.cpu}, ${machine.cores} cores, Node ${machine.node}\n`);
console.table(
  Object.fromEntries(
    results.map((r) => [
      r.id,
      {
        value: format(r, r.value),
        baseline: `${format(r, r.baselineValue)} (${r.baseline})`,
        ratio: `${r.ratio.toFixed(2)}x`,
        better: r.better,
        budget: r.withinBudget === null ? "" : r.withinBudget ? "met" : "MISSED",
      },
    ]),
  ),
);
console.log(only ? "a partial run (--only): bench/results.json left as it was" : "written to bench/results.json");
if (failures.length) {
  console.error(`bench: ${failures.length} group(s) failed: ${failures.map((f) => f.group).join(", ")}`);
  process.exitCode = 1;
}
