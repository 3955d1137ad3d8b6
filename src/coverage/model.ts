// The coverage model: which items of the contract a run exercised, and how often.
import type { CoverageKind } from "./items.js";

/** One thing the contract allows that a run may or may not have exercised. */
export interface CoverageItem {
  /** Stable and readable: `status:429`, `request:standard=CHADEMO`, `rule:enum /standard`, `response:connectors/error=null`. */
  id: string;
  kind: CoverageKind;
  covered: boolean;
  /** How many requests or responses exercised it. */
  count: number;
}

export interface ContractCoverage {
  /** Every item of the contract, covered or not, grouped by kind in the contract's order. */
  items: CoverageItem[];
  covered: number;
  total: number;
  /** Percent of items covered, 0–100. */
  percent: number;
}

/** The totals of a list of items. */
export function summarize(items: CoverageItem[]): ContractCoverage {
  const covered = items.filter((item) => item.covered).length;
  return { items, covered, total: items.length, percent: items.length === 0 ? 100 : (covered / items.length) * 100 };
}
