// Coverage for people: the table `spirii-contract coverage` prints, the names of what is missing,
// and a percent shown so that it never rounds up past a threshold it is under.
import { COVERAGE_KINDS, type CoverageKind } from "./items.js";
import { uncoveredByKind } from "./merge.js";
import type { ContractCoverage } from "./model.js";

/** What each kind is, as a heading. */
export const KIND_TITLES: Record<CoverageKind, string> = {
  status: "Statuses answered",
  "request-field": "Request fields sent",
  "request-value": "Request values sent",
  rule: "Request rules broken (by an invalid request)",
  "response-value": "Response values seen (in a 2xx)",
  "response-field": "Response field shapes seen (in a 2xx)",
};

/** `39.1%`, rounded down: 59.96 shows as 59.9, never as the 60.0 it fails to reach. */
export const formatPercent = (percent: number): string => `${(Math.floor(percent * 10) / 10).toFixed(1)}%`;

/** Every item, covered or not, with its count, grouped by kind, then the total. */
export function formatCoverageTable(c: ContractCoverage): string {
  const width = Math.max(...c.items.map((item) => item.id.length));
  const lines: string[] = [];
  for (const kind of COVERAGE_KINDS) {
    const items = c.items.filter((item) => item.kind === kind);
    if (items.length === 0) continue;
    lines.push(`${KIND_TITLES[kind]}: ${items.filter((i) => i.covered).length} of ${items.length}`);
    for (const item of items) lines.push(`  ${item.covered ? "✓" : "✗"} ${item.id.padEnd(width)} ${String(item.count).padStart(6)}`);
    lines.push("");
  }
  lines.push(`Covered ${c.covered} of ${c.total} items: ${formatPercent(c.percent)}`);
  return `${lines.join("\n")}\n`;
}

/** The uncovered items, one line per kind that has any: for a gate's failure message. */
export function formatUncovered(c: ContractCoverage): string {
  const uncovered = uncoveredByKind(c);
  return COVERAGE_KINDS.filter((kind) => uncovered[kind].length > 0)
    .map((kind) => `  ${kind}: ${uncovered[kind].join(", ")}`)
    .join("\n");
}
