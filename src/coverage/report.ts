// Coverage for people: the table `spirii-contract coverage` prints (per operation a line with its
// percent, then its items, as istanbul lists files), the names of what is missing, and a percent
// shown so that it never rounds up past a threshold it is under.
import { COVERAGE_KINDS, localId, type CoverageKind } from "./items.js";
import type { ContractCoverage, CoverageItem, OperationCoverage } from "./model.js";

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

/** An operation's items grouped by kind, in COVERAGE_KINDS order (kinds it has none of are left out). */
export function itemsByKind(c: ContractCoverage, operation: string): { kind: CoverageKind; items: CoverageItem[] }[] {
  const own = c.items.filter((item) => item.operation === operation);
  return COVERAGE_KINDS.map((kind) => ({ kind, items: own.filter((item) => item.kind === kind) })).filter((group) => group.items.length > 0);
}

/** `updateConnector  PATCH /v2/evses/{uid}/connectors/{connectorId}`. */
export const operationTitle = (o: OperationCoverage): string => `${o.operation}  ${o.method} ${o.path}`;

/** The requests for no operation of the contract, as one line (empty when there were none). */
export function formatOutside(c: ContractCoverage): string {
  const { count, requests } = c.outsideContract;
  if (count === 0) return "";
  const listed = requests.map((r) => `${r.method} ${r.path} ×${r.count}`).join(", ");
  const more = count - requests.reduce((n, r) => n + r.count, 0);
  return `Outside the contract (no operation for the method and path): ${count} request${count === 1 ? "" : "s"}: ${listed}${more > 0 ? `, and ${more} more` : ""}`;
}

/** Per operation its percent, then every item, covered or not, with its count, grouped by kind; then the total. */
export function formatCoverageTable(c: ContractCoverage): string {
  const width = Math.max(0, ...c.items.map((item) => localId(item.id).length));
  const lines: string[] = [];
  for (const operation of c.operations) {
    lines.push(`${operationTitle(operation)}: ${operation.covered} of ${operation.total} items, ${formatPercent(operation.percent)}`);
    for (const { kind, items } of itemsByKind(c, operation.operation)) {
      lines.push(`  ${KIND_TITLES[kind]}: ${items.filter((i) => i.covered).length} of ${items.length}`);
      for (const item of items) lines.push(`    ${item.covered ? "✓" : "✗"} ${localId(item.id).padEnd(width)} ${String(item.count).padStart(6)}`);
    }
    lines.push("");
  }
  const outside = formatOutside(c);
  if (outside) lines.push(outside, "");
  const nameWidth = Math.max(...c.operations.map((o) => o.operation.length), "All operations".length);
  for (const o of c.operations) lines.push(`${o.operation.padEnd(nameWidth)}  ${formatPercent(o.percent).padStart(6)}  ${o.covered} of ${o.total}`);
  lines.push(`${"All operations".padEnd(nameWidth)}  ${formatPercent(c.percent).padStart(6)}  ${c.covered} of ${c.total}`);
  lines.push("", `Covered ${c.covered} of ${c.total} items: ${formatPercent(c.percent)}`);
  return `${lines.join("\n")}\n`;
}

/**
 * The uncovered items, one line per operation and kind that has any, full ids (as --require takes
 * them): for a gate's failure message. `operations` limits it to those operations (a per-operation gate).
 */
export function formatUncovered(c: ContractCoverage, operations?: readonly string[]): string {
  return c.operations
    .filter((o) => operations === undefined || operations.includes(o.operation))
    .flatMap((o) =>
      itemsByKind(c, o.operation)
        .map(({ kind, items }) => ({ kind, ids: items.filter((i) => !i.covered).map((i) => i.id) }))
        .filter(({ ids }) => ids.length > 0)
        .map(({ kind, ids }) => `  ${kind}: ${ids.join(", ")}`),
    )
    .join("\n");
}
