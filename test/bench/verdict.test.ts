// The bench verdict: a budget is met only when the whole measured spread is on its good side.
import { describe, expect, it } from "vitest";
import { versus } from "../../bench/measure.js";
import { score, verdict, type Result } from "../../bench/result.js";

describe("verdict(spread, budget, better)", () => {
  it("higher is better: met above, missed below, inconclusive across", () => {
    expect(verdict([0.91, 1.02], 0.9, "higher")).toBe("met");
    expect(verdict([0.9, 0.95], 0.9, "higher")).toBe("met"); // the budget itself counts as reached
    expect(verdict([0.7, 0.89], 0.9, "higher")).toBe("missed");
    expect(verdict([0.85, 0.97], 0.9, "higher")).toBe("inconclusive");
  });

  it("lower is better: met below, missed above, inconclusive across", () => {
    expect(verdict([0.01, 0.05], 0.2, "lower")).toBe("met");
    expect(verdict([0.1, 0.2], 0.2, "lower")).toBe("met");
    expect(verdict([0.21, 0.4], 0.2, "lower")).toBe("missed");
    expect(verdict([0.15, 0.25], 0.2, "lower")).toBe("inconclusive");
  });

  it("rejects a reversed range or a budget that is not a number", () => {
    expect(() => verdict([1, 0.5], 0.9, "higher")).toThrow(/low ≤ high/);
    expect(() => verdict([0.5, 1], Number.NaN, "higher")).toThrow(/finite budget/);
  });
});

const row = (over: Partial<Result>): Result => ({
  id: "row",
  name: "a row",
  unit: "ops/s",
  value: 0,
  baseline: "the baseline",
  baselineValue: 0,
  better: "higher",
  ...over,
});

describe("score", () => {
  it("takes the ratio as the median of per-round ratios and the spread as their range", () => {
    // Per-round ratios 0.8, 1.0, 0.9, 0.95, 0.85 (a slow round on both sides cancels out).
    const scored = score(row({ value: 900, baselineValue: 1000, budgetRatio: 0.9, rounds: { value: [80, 200, 90, 95, 85], baseline: [100, 200, 100, 100, 100] } }));
    expect(scored.ratio).toBeCloseTo(0.9, 12);
    expect(scored.spread).toEqual([0.8, 1]);
    expect(scored.rounds).toBe(5);
    expect(scored.cv).toBeCloseTo(Math.sqrt(0.005) / 0.9, 12);
    expect(scored.verdict).toBe("inconclusive");
    expect(scored).not.toHaveProperty("withinBudget");
    expect(JSON.parse(JSON.stringify(scored))).not.toHaveProperty("rounds.value"); // the raw rounds stay out of results.json
    // One key order for readers of results.json, though `...versus()` put value before baseline.
    expect(Object.keys(scored)).toEqual(["id", "name", "unit", "value", "baseline", "baselineValue", "better", "budgetRatio", "ratio", "spread", "cv", "rounds", "verdict"]);
  });

  it("says met or missed when the whole spread is on one side, for both directions", () => {
    const rounds = { value: [95, 99, 97], baseline: [100, 100, 100] };
    expect(score(row({ budgetRatio: 0.9, rounds })).verdict).toBe("met");
    expect(score(row({ budgetRatio: 1, rounds })).verdict).toBe("missed");
    expect(score(row({ unit: "ms", better: "lower", budgetRatio: 1, rounds })).verdict).toBe("met");
    expect(score(row({ unit: "ms", better: "lower", budgetRatio: 0.9, rounds })).verdict).toBe("missed");
    expect(score(row({ unit: "ms", better: "lower", budgetRatio: 0.96, rounds })).verdict).toBe("inconclusive");
  });

  it("judges an absolute budget on the per-round figures, and any missed budget wins", () => {
    const rounds = { value: [900_000, 1_200_000, 1_100_000], baseline: [1e6, 1e6, 1e6] };
    expect(score(row({ budgetValue: 1_000_000, rounds })).verdict).toBe("inconclusive");
    expect(score(row({ budgetValue: 800_000, rounds })).verdict).toBe("met");
    expect(score(row({ budgetValue: 800_000, budgetRatio: 1.5, rounds })).verdict).toBe("missed");
  });

  it("keeps a one-point row (no rounds) as value / baseline, judged on that point", () => {
    const scored = score(row({ unit: "bytes", better: "lower", value: 13_440, baselineValue: 2_598, budgetValue: 15_000 }));
    expect(scored.ratio).toBeCloseTo(13_440 / 2_598, 12);
    expect(scored).toMatchObject({ spread: null, cv: null, rounds: 1, verdict: "met" });
    expect(score(row({ value: 1, baselineValue: 2 })).verdict).toBeNull();
  });

  it("skips rounds without a figure and refuses rounds that do not pair up", () => {
    expect(score(row({ rounds: { value: [Number.NaN, 90, 110], baseline: [100, 100, 100] } })).spread).toEqual([0.9, 1.1]);
    expect(() => score(row({ rounds: { value: [1, 2], baseline: [1] } }))).toThrow(/2 rounds of its figure against 1/);
    expect(() => score(row({ rounds: { value: [Number.NaN], baseline: [1] } }))).toThrow(/no round with a finite figure/);
  });
});

describe("versus", () => {
  it("pairs the rounds of two contenders of one comparison, ops/s or ms", () => {
    expect(versus({ opsPerSecond: 2, rounds: [1, 2, 3] }, { opsPerSecond: 4, rounds: [4, 4, 5] })).toEqual({ value: 2, baselineValue: 4, rounds: { value: [1, 2, 3], baseline: [4, 4, 5] } });
    expect(versus({ ms: 10, runs: [10, 11] }, { ms: 100, runs: [90, 110] })).toEqual({ value: 10, baselineValue: 100, rounds: { value: [10, 11], baseline: [90, 110] } });
    expect(() => versus({ opsPerSecond: 1, rounds: [1] }, { opsPerSecond: 1, rounds: [1, 1] })).toThrow(/1 rounds against 2/);
  });
});
