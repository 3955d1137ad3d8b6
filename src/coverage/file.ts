// Coverage files: one JSON document per run (each test worker writes its own), read back with a
// clear error naming the file when it is missing, not JSON, not coverage, of another contract or of
// a coverage format this version does not read. A file of format 1 (before coverage was per
// operation; all its items were updateConnector's) is migrated, with a notice saying so.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { COVERAGE_KINDS, CONTRACT_ITEMS, type CoverageKind } from "./items.js";
import { FORMAT1_OPERATION, idFromFormat1 } from "./format1.js";
import { itemMismatch } from "./merge.js";
import { COVERAGE_FORMAT_VERSION, mergeOutside, summarize, type ContractCoverage, type CoverageItem, type OutsideContract } from "./model.js";

/** A coverage file could not be used; `file` names it. */
export class CoverageFileError extends Error {
  override readonly name = "CoverageFileError";
  constructor(
    readonly file: string,
    message: string,
    options?: { cause: unknown },
  ) {
    super(message, options);
  }
}

const HOW_TO_WRITE = "write one with mock.writeCoverage(file), startMockServer({ coverageFile }) or `spirii-contract coverage --json`";
const RECORD_AGAIN = "record it again with this version of spirii-connector-contract";

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** An item of either format: `operation` is required from format 2 on. */
function asItem(value: unknown, withOperation: boolean): (Omit<CoverageItem, "operation"> & { operation?: string }) | undefined {
  if (!isRecord(value)) return undefined;
  const { id, operation, kind, covered, count } = value;
  if (typeof id !== "string" || !COVERAGE_KINDS.includes(kind as CoverageKind) || typeof covered !== "boolean") return undefined;
  if (typeof count !== "number" || !Number.isInteger(count) || count < 0) return undefined;
  if (withOperation && typeof operation !== "string") return undefined;
  return { id, kind: kind as CoverageKind, covered, count, ...(withOperation ? { operation: operation as string } : {}) };
}

function asOutside(value: unknown): OutsideContract | undefined {
  if (value === undefined) return { count: 0, requests: [] };
  if (!isRecord(value) || typeof value["count"] !== "number" || !Number.isInteger(value["count"]) || value["count"] < 0) return undefined;
  const requests = value["requests"];
  if (!Array.isArray(requests)) return undefined;
  const parsed = requests.map((r) =>
    isRecord(r) && typeof r["method"] === "string" && typeof r["path"] === "string" && Number.isInteger(r["count"]) && (r["count"] as number) > 0
      ? { method: r["method"], path: r["path"], count: r["count"] as number }
      : undefined,
  );
  return parsed.every((r) => r !== undefined) ? { count: value["count"], requests: parsed } : undefined;
}

/** A file read: its coverage, and a notice when it had to be migrated from an older format. */
export interface LoadedCoverageFile {
  coverage: ContractCoverage;
  notice?: string;
}

const NOT_COVERAGE = `expected {"formatVersion": ${COVERAGE_FORMAT_VERSION}, "items": [{"id", "operation", "kind", "covered", "count"}, ...], ...}`;

/** Reads a coverage file (or a verify `--report-json` report, whose `coverage` it takes), migrating format 1. */
export async function loadCoverageFile(path: string): Promise<LoadedCoverageFile> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : String((error as Error).message);
    throw new CoverageFileError(path, `coverage file ${path}: cannot read it (${why}); ${HOW_TO_WRITE}.`, { cause: error });
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new CoverageFileError(path, `coverage file ${path} is not a coverage file: it is not JSON (${(error as Error).message}).`, { cause: error });
  }
  const notCoverage = () => new CoverageFileError(path, `coverage file ${path} is not a coverage file: ${NOT_COVERAGE}; ${HOW_TO_WRITE}.`);
  if (!isRecord(document)) throw notCoverage();
  // A verify report carries the coverage under `coverage`.
  const source = Array.isArray(document["items"]) ? document : isRecord(document["coverage"]) ? document["coverage"] : undefined;
  if (!source || !Array.isArray(source["items"])) throw notCoverage();

  const version = source["formatVersion"];
  if (version === undefined) return format1(path, source["items"], notCoverage);
  if (version !== COVERAGE_FORMAT_VERSION) {
    const newer = typeof version === "number" && Number.isInteger(version) && version > COVERAGE_FORMAT_VERSION;
    throw new CoverageFileError(
      path,
      newer
        ? `coverage file ${path} is of coverage format ${version}, newer than this version of spirii-connector-contract reads (${COVERAGE_FORMAT_VERSION}); ` +
            `merge it with the version that wrote it (upgrade this one), or ${RECORD_AGAIN}.`
        : `coverage file ${path} has formatVersion ${JSON.stringify(version)}, which no version of spirii-connector-contract writes (this one reads ${COVERAGE_FORMAT_VERSION}, and 1 without a formatVersion); ${RECORD_AGAIN}.`,
    );
  }
  const items = source["items"].map((item) => asItem(item, true));
  const outside = asOutside(source["outsideContract"]);
  if (!items.every((item): item is CoverageItem => item !== undefined) || !outside) throw notCoverage();
  // Totals are recomputed from the items, so a hand-edited total cannot disagree with them.
  const coverage = summarize(items, mergeOutside([outside]));
  const mismatch = itemMismatch(coverage);
  if (mismatch) {
    throw new CoverageFileError(path, `coverage file ${path} was written for another version of the contract (${mismatch}); ${RECORD_AGAIN}.`);
  }
  return { coverage };
}

/** A format-1 file: every id gets its operation (updateConnector's, the only one then); other operations' items start uncovered. */
function format1(path: string, rawItems: unknown[], notCoverage: () => CoverageFileError): LoadedCoverageFile {
  const items = rawItems.map((item) => asItem(item, false));
  if (!items.every((item): item is NonNullable<typeof item> => item !== undefined)) throw notCoverage();
  const unknown = items.filter((item) => idFromFormat1(item.id) === undefined).map((item) => item.id);
  const migrated = items.map((item) => ({ ...item, id: idFromFormat1(item.id) ?? item.id, operation: FORMAT1_OPERATION }));
  const mismatch =
    unknown.length > 0
      ? `items this contract does not have: ${unknown.slice(0, 5).join(", ")}${unknown.length > 5 ? `, ... (${unknown.length})` : ""}`
      : itemMismatch({ items: migrated }, new Set([FORMAT1_OPERATION]));
  if (mismatch) {
    throw new CoverageFileError(
      path,
      `coverage file ${path} is of coverage format 1 (ids without an operation, written before coverage was per operation) ` +
        `and for another version of the contract (${mismatch}); ${RECORD_AGAIN}.`,
    );
  }
  const byId = new Map(migrated.map((item) => [item.id, item]));
  const coverage = summarize(
    CONTRACT_ITEMS.definitions.map(({ id, operation, kind }) => {
      const item = byId.get(id);
      return { id, operation, kind, covered: item?.covered ?? false, count: item?.count ?? 0 };
    }),
  );
  const others = CONTRACT_ITEMS.operations.filter((o) => o.operationId !== FORMAT1_OPERATION).map((o) => o.operationId);
  return {
    coverage,
    notice:
      `coverage file ${path} is of coverage format 1 (ids without an operation): read its items as ${FORMAT1_OPERATION}'s ` +
      `${migrated[0] ? `(${items[0]!.id} is now ${migrated[0].id})` : ""}${others.length > 0 ? `; it covers nothing of ${others.join(", ")}` : ""}. ` +
      "Record it again with this version to drop this notice.",
  };
}

/** Reads a coverage file (or a verify `--report-json` report, whose `coverage` it takes); a format-1 file is migrated. */
export async function readCoverageFile(path: string): Promise<ContractCoverage> {
  return (await loadCoverageFile(path)).coverage;
}

/** Writes coverage as JSON (creating the directory), for `spirii-contract coverage` to merge. */
export async function writeCoverageFile(path: string, c: ContractCoverage): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(c, null, 2)}\n`);
}
