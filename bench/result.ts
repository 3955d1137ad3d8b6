import { median } from "./measure.js";

/** One figure of bench/results.json (see README "Benchmarks"). */
export interface Result {
  /** Stable identifier that tools read. */
  id: string;
  name: string;
  unit: "ops/s" | "ms" | "bytes";
  value: number;
  /** What the figure is compared with, measured in the same run. */
  baseline: string;
  baselineValue: number;
  better: "higher" | "lower";
  /** The goal as a ratio to the baseline (e.g. 0.8 = at least 0.8x its throughput), when there is one. */
  budgetRatio?: number;
  /** The goal as an absolute figure in `unit`, when there is one. */
  budgetValue?: number;
  /**
   * The figure and the baseline per interleaved round (round i of both ran together), when the row
   * was measured in rounds (`versus` in bench/measure.ts fills it). Without it the row is one point.
   */
  rounds?: { value: number[]; baseline: number[] };
}

/** Whether a budget holds: `inconclusive` when the measured spread lies on both sides of it. */
export type Verdict = "met" | "missed" | "inconclusive";

/** What bench/results.json holds per row: the `Result` without its raw rounds, plus the scores. */
export interface ScoredResult extends Omit<Result, "rounds"> {
  /** This project's figure over the baseline's: the median of the per-round ratios, or value / baselineValue for a one-point row. */
  ratio: number;
  /** [lowest, highest] per-round ratio, or null for a one-point row. */
  spread: [number, number] | null;
  /** Coefficient of variation (stdev / mean) of the per-round ratios, or null for a one-point row. */
  cv: number | null;
  /** How many rounds the ratio comes from (1 for a one-point row). */
  rounds: number;
  /** The budget's verdict, or null when the row has no budget. */
  verdict: Verdict | null;
}

/**
 * The verdict of a budget on a measured range [low, high] (a one-point figure is [v, v]): met only
 * when the whole range is on the budget's good side, missed only when all of it is on the bad side.
 */
export function verdict([low, high]: readonly [number, number], budget: number, better: "higher" | "lower"): Verdict {
  if (!(low <= high) || !Number.isFinite(budget)) throw new Error(`verdict: needs a range [low ≤ high] and a finite budget (got [${low}, ${high}] and ${budget})`);
  if (better === "higher") return low >= budget ? "met" : high < budget ? "missed" : "inconclusive";
  return high <= budget ? "met" : low > budget ? "missed" : "inconclusive";
}

/** Several budgets of one row: any missed is missed, else any inconclusive is inconclusive. */
function combine(verdicts: Verdict[]): Verdict | null {
  if (verdicts.length === 0) return null;
  return verdicts.includes("missed") ? "missed" : verdicts.includes("inconclusive") ? "inconclusive" : "met";
}

const range = (values: number[]): [number, number] => [Math.min(...values), Math.max(...values)];

function coefficientOfVariation(values: number[]): number {
  const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
  const variance = values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / values.length;
  return Math.sqrt(variance) / mean;
}

export function score(result: Result): ScoredResult {
  const { rounds, ...row } = result;
  if (rounds && (rounds.value.length === 0 || rounds.value.length !== rounds.baseline.length)) {
    throw new Error(`score: ${result.id} has ${rounds.value.length} rounds of its figure against ${rounds.baseline.length} of its baseline; they must pair up`);
  }
  // Rounds where either side got no measurement (NaN) say nothing about the ratio.
  const paired = rounds ? rounds.value.map((v, i) => [v, rounds.baseline[i]!] as const).filter(([v, b]) => Number.isFinite(v) && Number.isFinite(b) && b !== 0) : [];
  if (rounds && paired.length === 0) throw new Error(`score: ${result.id} has no round with a finite figure and baseline`);
  const ratios = paired.map(([v, b]) => v / b);
  const ratio = rounds ? median(ratios) : result.value / result.baselineValue;
  const spread = rounds ? range(ratios) : null;
  const verdicts: Verdict[] = [];
  if (result.budgetRatio !== undefined) verdicts.push(verdict(spread ?? [ratio, ratio], result.budgetRatio, result.better));
  if (result.budgetValue !== undefined) verdicts.push(verdict(rounds ? range(paired.map(([v]) => v)) : [result.value, result.value], result.budgetValue, result.better));
  // One key order for every row of results.json, whatever order the bench file wrote them in.
  const { id, name, unit, value, baseline, baselineValue, better, budgetRatio, budgetValue, ...rest } = row;
  return {
    id,
    name,
    unit,
    value,
    baseline,
    baselineValue,
    better,
    ...(budgetRatio === undefined ? {} : { budgetRatio }),
    ...(budgetValue === undefined ? {} : { budgetValue }),
    ...rest,
    ratio,
    spread,
    cv: rounds ? coefficientOfVariation(ratios) : null,
    rounds: rounds ? ratios.length : 1,
    verdict: combine(verdicts),
  };
}
