// Merging coverage from several runs (test workers, a verify run): an item is covered if covered
// in any part, and counts add, as istanbul merges code coverage.
import { COVERAGE_KINDS, CONTRACT_ITEMS, type CoverageKind } from "./items.js";
import { COVERAGE_FORMAT_VERSION, mergeOutside, summarize, type ContractCoverage, type OutsideContract } from "./model.js";

/**
 * Why `coverage` cannot be merged with this contract's coverage (its item ids differ: another
 * version of the contract wrote it), or undefined when it can. `only` limits the check to the
 * items of some operations (a file of format 1 holds updateConnector's alone).
 */
export function itemMismatch(coverage: Pick<ContractCoverage, "items">, only?: ReadonlySet<string>): string | undefined {
  const ids = coverage.items.map((item) => item.id);
  const unknown = ids.filter((id) => !CONTRACT_ITEMS.ids.has(id));
  const present = new Set(ids);
  const missing = CONTRACT_ITEMS.definitions.filter((d) => !only || only.has(d.operation)).map((d) => d.id).filter((id) => !present.has(id));
  const repeated = ids.filter((id, i) => ids.indexOf(id) !== i);
  const misfiled = coverage.items.filter((item) => CONTRACT_ITEMS.ids.has(item.id) && !item.id.startsWith(`${item.operation} `)).map((item) => item.id);
  if (unknown.length + missing.length + repeated.length + misfiled.length === 0) return undefined;
  const list = (label: string, values: string[]) =>
    values.length === 0 ? [] : [`${label} ${values.slice(0, 5).join(", ")}${values.length > 5 ? `, ... (${values.length})` : ""}`];
  return [
    ...list("items this contract does not have:", unknown),
    ...list("items missing:", missing),
    ...list("items repeated:", repeated),
    ...list("items filed under another operation:", misfiled),
  ].join("; ");
}

/** Adds up coverage parts (counts add; covered if covered in any). Throws when a part is not of this contract. */
export function mergeCoverage(...parts: ContractCoverage[]): ContractCoverage {
  parts.forEach((part, i) => {
    const version = (part as { formatVersion?: unknown } | undefined)?.formatVersion;
    const mismatch = !Array.isArray(part?.items)
      ? "it has no `items` list"
      : version !== COVERAGE_FORMAT_VERSION
        ? `it is of coverage format ${version === undefined ? "1 (no formatVersion)" : JSON.stringify(version)}, this version merges format ${COVERAGE_FORMAT_VERSION}; read files with readCoverageFile, which migrates format 1`
        : itemMismatch(part);
    if (mismatch) {
      throw new TypeError(
        `mergeCoverage: part ${i + 1} of ${parts.length} is not coverage of this contract (${mismatch}). ` +
          "Coverage written by another version of spirii-connector-contract cannot be merged; record it again with this version.",
      );
    }
  });
  const byId = new Map(CONTRACT_ITEMS.definitions.map((d) => [d.id, { covered: false, count: 0 }]));
  for (const part of parts) {
    for (const item of part.items) {
      const sum = byId.get(item.id)!;
      sum.count += item.count;
      sum.covered ||= item.covered || item.count > 0;
    }
  }
  const outside: OutsideContract[] = parts.map((part) => part.outsideContract ?? { count: 0, requests: [] });
  return summarize(
    CONTRACT_ITEMS.definitions.map(({ id, operation, kind }) => {
      const sum = byId.get(id)!;
      return { id, operation, kind, covered: sum.covered, count: sum.count };
    }),
    mergeOutside(outside),
  );
}

/** The ids not covered, by kind (every kind present, empty when all of it is covered). */
export function uncoveredByKind(c: ContractCoverage): Record<CoverageKind, string[]> {
  const out = Object.fromEntries(COVERAGE_KINDS.map((kind) => [kind, [] as string[]])) as Record<CoverageKind, string[]>;
  for (const item of c.items) if (!item.covered) out[item.kind].push(item.id);
  return out;
}
