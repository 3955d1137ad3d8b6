// Coverage files: one JSON document per run (each test worker writes its own), read back with a
// clear error naming the file when it is missing, not JSON, not coverage, or of another contract.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { COVERAGE_KINDS, type CoverageKind } from "./items.js";
import { itemMismatch } from "./merge.js";
import { summarize, type ContractCoverage, type CoverageItem } from "./model.js";

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

function asItem(value: unknown): CoverageItem | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const { id, kind, covered, count } = value as Record<string, unknown>;
  if (typeof id !== "string" || !COVERAGE_KINDS.includes(kind as CoverageKind) || typeof covered !== "boolean") return undefined;
  if (typeof count !== "number" || !Number.isInteger(count) || count < 0) return undefined;
  return { id, kind: kind as CoverageKind, covered, count };
}

/** The coverage in a parsed document: a coverage file, or a verify report carrying `coverage`. */
function coverageIn(document: unknown): CoverageItem[] | undefined {
  if (typeof document !== "object" || document === null) return undefined;
  const record = document as Record<string, unknown>;
  const source = Array.isArray(record["items"]) ? record : (record["coverage"] as Record<string, unknown> | undefined);
  const items = source?.["items"];
  if (!Array.isArray(items)) return undefined;
  const parsed = items.map(asItem);
  return parsed.every((item): item is CoverageItem => item !== undefined) ? parsed : undefined;
}

/** Reads a coverage file (or a verify `--report-json` report, whose `coverage` it takes). */
export async function readCoverageFile(path: string): Promise<ContractCoverage> {
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
  const items = coverageIn(document);
  if (!items) {
    throw new CoverageFileError(
      path,
      `coverage file ${path} is not a coverage file: expected {"items": [{"id", "kind", "covered", "count"}, ...], ...}; ${HOW_TO_WRITE}.`,
    );
  }
  // Totals are recomputed from the items, so a hand-edited total cannot disagree with them.
  const coverage = summarize(items);
  const mismatch = itemMismatch(coverage);
  if (mismatch) {
    throw new CoverageFileError(
      path,
      `coverage file ${path} was written for another version of the contract (${mismatch}); record it again with this version.`,
    );
  }
  return coverage;
}

/** Writes coverage as JSON (creating the directory), for `spirii-contract coverage` to merge. */
export async function writeCoverageFile(path: string, c: ContractCoverage): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(c, null, 2)}\n`);
}
