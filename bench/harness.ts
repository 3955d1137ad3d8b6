// The bench command's job, apart from which groups exist (bench/run.ts): read the arguments, run
// the chosen groups, score their rows, print the table and write the results file. Separate from
// run.ts so that a test can drive it with a tiny fake group and a temporary results file.
import { writeFileSync } from "node:fs";
import { cpus, release, totalmem, type as osType } from "node:os";
import { parseArgs } from "node:util";
import { score, type Result, type ScoredResult } from "./result.js";

export type Group = () => Promise<Result[]>;

/** What bench/results.json (or an `--out` file) holds. */
export interface BenchReport {
  machine: { os: string; cpu: string; cores: number; memoryGiB: number; node: string; date: string };
  /** The groups this file's rows come from, in run order (all of them for a full run). */
  groups: string[];
  results: ScoredResult[];
  failures?: { group: string; error: string }[];
}

export const USAGE = "npm run bench [-- --only group,group] [--out FILE]";

/** Bad arguments: the message says what was wrong and what to pass instead. */
export class BenchUsageError extends Error {}

export interface BenchArgs {
  /** Groups to run, or null for all. */
  only: string[] | null;
  /** Where to write the report, or null for the default (a full run only). */
  out: string | null;
}

export function parseBenchArgs(argv: string[], groupNames: string[]): BenchArgs {
  let values: { only?: string; out?: string };
  try {
    ({ values } = parseArgs({ args: argv, options: { only: { type: "string" }, out: { type: "string" } }, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new BenchUsageError(`bench: ${(error as Error).message}. Usage: ${USAGE}`);
  }
  let only: string[] | null = null;
  if (values.only !== undefined) {
    only = values.only.split(",").map((g) => g.trim()).filter(Boolean);
    const unknown = only.filter((g) => !groupNames.includes(g));
    if (only.length === 0 || unknown.length) {
      throw new BenchUsageError(`bench: --only ${unknown.length ? `names unknown group(s) ${unknown.join(", ")}` : "needs at least one group"}; groups are: ${groupNames.join(", ")}`);
    }
  }
  if (values.out !== undefined && values.out.trim() === "") throw new BenchUsageError(`bench: --out needs a file path. Usage: ${USAGE}`);
  return { only, out: values.out ?? null };
}

const format = (r: ScoredResult, v: number) =>
  r.unit === "ops/s" ? `${Math.round(v).toLocaleString("en")} ops/s` : r.unit === "ms" ? `${v.toFixed(v < 100 ? 1 : 0)} ms` : `${(v / 1024).toFixed(1)} KiB`;

const VERDICT_LABEL = { met: "met", missed: "MISSED", inconclusive: "inconclusive" } as const;

function table(results: ScoredResult[]): Record<string, Record<string, string>> {
  return Object.fromEntries(
    results.map((r) => [
      r.id,
      {
        value: format(r, r.value),
        baseline: `${format(r, r.baselineValue)} (${r.baseline})`,
        ratio: `${r.ratio.toFixed(2)}x`,
        spread: r.spread ? `${r.spread[0].toFixed(2)}–${r.spread[1].toFixed(2)}x` : "",
        cv: r.cv === null ? "" : `${(r.cv * 100).toFixed(1)}% of ${r.rounds}`,
        better: r.better,
        budget: r.verdict === null ? "" : VERDICT_LABEL[r.verdict],
      },
    ]),
  );
}

export interface RunBenchOptions {
  /** Where a full run without `--out` writes (bench/results.json). */
  resultsFile: string | URL;
  /** Progress and errors (default stderr). */
  log?: (line: string) => void;
  /** The summary table (default console.table on stdout). */
  print?: (rows: Record<string, Record<string, string>>, footer: string) => void;
}

/**
 * Runs the groups `argv` chooses and returns the exit code: 0, 1 when a group failed (the others'
 * rows are still written) or 2 for bad arguments (nothing runs, nothing is written). A partial run
 * (`--only`) writes only to `--out`, never to `resultsFile`, so that file always holds one whole run.
 */
export async function runBench(groups: Record<string, Group>, argv: string[], options: RunBenchOptions): Promise<number> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const print =
    options.print ??
    ((rows, footer) => {
      console.table(rows);
      console.log(footer);
    });
  let args: BenchArgs;
  try {
    args = parseBenchArgs(argv, Object.keys(groups));
  } catch (error) {
    if (!(error instanceof BenchUsageError)) throw error;
    log(error.message);
    return 2;
  }
  const ran: string[] = [];
  const results: ScoredResult[] = [];
  const failures: { group: string; error: string }[] = [];
  for (const [group, run] of Object.entries(groups)) {
    if (args.only && !args.only.includes(group)) continue;
    log(`bench: ${group}…`);
    ran.push(group);
    try {
      // Score the whole group before keeping any of its rows: a group counts whole or not at all.
      results.push(...(await run()).map(score));
    } catch (error) {
      // One broken group must not hide the others' figures; it is reported and fails the run.
      failures.push({ group, error: error instanceof Error ? error.message : String(error) });
      log(`bench: ${group} failed: ${failures.at(-1)!.error}`);
    }
  }
  const report: BenchReport = {
    machine: {
      os: `${osType()} ${release()}`,
      cpu: cpus()[0]?.model ?? "unknown",
      cores: cpus().length,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      date: new Date().toISOString(),
    },
    groups: ran,
    results,
    ...(failures.length ? { failures } : {}),
  };
  const target = args.out ?? (args.only ? null : options.resultsFile);
  if (target !== null) writeFileSync(target, `${JSON.stringify(report, null, 2)}\n`);
  const where = target === null ? "a partial run (--only): nothing written; add --out FILE to keep its rows" : `written to ${target instanceof URL ? target.pathname : target}`;
  print(table(results), `\n${report.machine.cpu}, ${report.machine.cores} cores, Node ${report.machine.node}; ${where}`);
  if (failures.length) {
    log(`bench: ${failures.length} group(s) failed: ${failures.map((f) => f.group).join(", ")}`);
    return 1;
  }
  return 0;
}
