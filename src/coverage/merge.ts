// Merging coverage from several runs (test workers, a verify run): an item is covered if covered
// in any part, and counts add, as istanbul merges code coverage.
import { COVERAGE_KINDS, CONTRACT_ITEMS, type CoverageKind } from "./items.js";
import { summarize, type ContractCoverage } from "./model.js";

/**
 * Why `coverage` cannot be merged with this contract's coverage (its item ids differ: another
 * version of the contract wrote it), or undefined when it can.
 */
export function itemMismatch(coverage: ContractCoverage): string | undefined {
  const ids = coverage.items.map((item) => item.id);
  const unknown = ids.filter((id) => !CONTRACT_ITEMS.ids.has(id));
  const present = new Set(ids);
  const missing = CONTRACT_ITEMS.definitions.map((d) => d.id).filter((id) => !present.has(id));
  const repeated = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (unknown.length + missing.length + repeated.length === 0) return undefined;
  const list = (label: string, values: string[]) =>
    values.length === 0 ? [] : [`${label} ${values.slice(0, 5).join(", ")}${values.length > 5 ? `, ... (${values.length})` : ""}`];
  return [...list("items this contract does not have:", unknown), ...list("items missing:", missing), ...list("items repeated:", repeated)].join("; ");
}

/** Adds up coverage parts (counts add; covered if covered in any). Throws when a part is not of this contract. */
export function mergeCoverage(...parts: ContractCoverage[]): ContractCoverage {
  parts.forEach((part, i) => {
    const mismatch = Array.isArray(part?.items) ? itemMismatch(part) : "it has no `items` list";
    if (mismatch) {
      throw new TypeError(
        `mergeCoverage: part ${i + 1} of ${parts.length} is not coverage of this contract (${mismatch}). ` +
          "Coverage written by another version of spirii-connector-contract cannot be merged; record it again with this version.",
      );
    }
  });
  const byId = new Map(parts.flatMap((part) => part.items.map((item) => item)).map((item) => [item.id, { covered: false, count: 0 }]));
  for (const part of parts) {
    for (const item of part.items) {
      const sum = byId.get(item.id)!;
      sum.count += item.count;
      sum.covered ||= item.covered || item.count > 0;
    }
  }
  return summarize(
    CONTRACT_ITEMS.definitions.map(({ id, kind }) => {
      const sum = byId.get(id);
      return { id, kind, covered: sum?.covered ?? false, count: sum?.count ?? 0 };
    }),
  );
}

/** The ids not covered, by kind (every kind present, empty when all of it is covered). */
export function uncoveredByKind(c: ContractCoverage): Record<CoverageKind, string[]> {
  const out = Object.fromEntries(COVERAGE_KINDS.map((kind) => [kind, [] as string[]])) as Record<CoverageKind, string[]>;
  for (const item of c.items) if (!item.covered) out[item.kind].push(item.id);
  return out;
}
