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
}

export interface ScoredResult extends Result {
  /** This project's figure over the baseline's. */
  ratio: number;
  /** Whether the budget holds, or null when there is no budget. */
  withinBudget: boolean | null;
}

export function score(result: Result): ScoredResult {
  const ratio = result.value / result.baselineValue;
  const checks: boolean[] = [];
  if (result.budgetRatio !== undefined) checks.push(result.better === "higher" ? ratio >= result.budgetRatio : ratio <= result.budgetRatio);
  if (result.budgetValue !== undefined) checks.push(result.better === "higher" ? result.value >= result.budgetValue : result.value <= result.budgetValue);
  return { ...result, ratio, withinBudget: checks.length ? checks.every(Boolean) : null };
}
