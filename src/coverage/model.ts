// The coverage model: which items of the contract a run exercised, and how often, per operation.
import { CONTRACT_ITEMS, type ContractItems, type CoverageKind } from "./items.js";

/**
 * The version of the coverage model and file. 1 (no `formatVersion`): the items of the one PATCH,
 * ids without an operation (`status:429`). 2: items per operation (`updateConnector status:429`),
 * per-operation totals, and the requests outside the contract.
 */
export const COVERAGE_FORMAT_VERSION = 2;

/** One thing the contract allows that a run may or may not have exercised. */
export interface CoverageItem {
  /**
   * Stable and readable, its operation first: `updateConnector status:429`,
   * `updateConnector request:standard=CHADEMO`, `updateConnector rule:enum /standard`,
   * `getEvse response:200 connectors/error=null`.
   */
  id: string;
  /** The operationId the item belongs to. */
  operation: string;
  kind: CoverageKind;
  covered: boolean;
  /** How many requests or responses exercised it. */
  count: number;
}

/** The totals of one operation's items. */
export interface OperationCoverage {
  operation: string;
  /** `PATCH`. */
  method: string;
  /** The path template, `/v2/evses/{uid}/connectors/{connectorId}`. */
  path: string;
  covered: number;
  total: number;
  /** Percent of the operation's items covered, 0–100. */
  percent: number;
}

/** Requests for no operation of the contract (a path it does not have, or a method it does not give the path). */
export interface OutsideContract {
  /** How many such requests. */
  count: number;
  /** The first distinct ones (at most OUTSIDE_LISTED), with how many of each; the query is not kept. */
  requests: { method: string; path: string; count: number }[];
}

/** How many distinct requests outside the contract are listed by method and path; the count keeps counting after. */
export const OUTSIDE_LISTED = 20;

export interface ContractCoverage {
  /** COVERAGE_FORMAT_VERSION: what a reader of a written file checks first. */
  formatVersion: typeof COVERAGE_FORMAT_VERSION;
  /** Every item of the contract, covered or not, operation by operation, each grouped by kind in the contract's order. */
  items: CoverageItem[];
  /** Per operation, in the contract's order. */
  operations: OperationCoverage[];
  outsideContract: OutsideContract;
  covered: number;
  total: number;
  /** Percent of items covered, 0–100. */
  percent: number;
}

const percentOf = (covered: number, total: number) => (total === 0 ? 100 : (covered / total) * 100);

/** The totals of a list of items (per operation and in all), with the requests outside the contract. */
export function summarize(
  items: CoverageItem[],
  outsideContract: OutsideContract = { count: 0, requests: [] },
  contract: Pick<ContractItems, "operations"> = CONTRACT_ITEMS,
): ContractCoverage {
  const operations = contract.operations.map(({ operationId, method, path }) => {
    const own = items.filter((item) => item.operation === operationId);
    const covered = own.filter((item) => item.covered).length;
    return { operation: operationId, method, path, covered, total: own.length, percent: percentOf(covered, own.length) };
  });
  const covered = items.filter((item) => item.covered).length;
  return { formatVersion: COVERAGE_FORMAT_VERSION, items, operations, outsideContract, covered, total: items.length, percent: percentOf(covered, items.length) };
}

/** Requests outside the contract from several runs: counts add, the listing keeps OUTSIDE_LISTED distinct ones. */
export function mergeOutside(parts: readonly OutsideContract[]): OutsideContract {
  const out: OutsideContract = { count: 0, requests: [] };
  for (const part of parts) {
    out.count += part.count;
    for (const request of part.requests) {
      const listed = out.requests.find((r) => r.method === request.method && r.path === request.path);
      if (listed) listed.count += request.count;
      else if (out.requests.length < OUTSIDE_LISTED) out.requests.push({ ...request });
    }
  }
  return out;
}
