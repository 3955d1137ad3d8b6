// `spirii-contract coverage FILE...`: merges coverage files (from the mock, the fake, or verify's
// report), prints per operation its percent and every item with its count, optionally writes the
// merged JSON and an HTML page, and gates: on all operations' percent, on one operation's (as
// istanbul gates a file, so a team that sends only the PATCH can gate on the PATCH), and on items.
import { writeFile, mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { OPERATIONS } from "../../generated/operations.js";
import { CONTRACT_ITEMS, localId } from "../coverage/items.js";
import { idFromFormat1 } from "../coverage/format1.js";
import { CoverageFileError, mergeCoverage, writeCoverageFile } from "../coverage/index.js";
import { loadCoverageFile } from "../coverage/file.js";
import { coverageHtml } from "../coverage/html.js";
import { formatCoverageTable, formatPercent, formatUncovered } from "../coverage/report.js";
import { parseCommandArgsAndOperands, percentage } from "./args.js";
import { EXIT, UsageError } from "./exit-codes.js";
import { COVERAGE_HELP } from "./help.js";

/** Edit distance, for suggesting the item a mistyped --require meant. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}

/** The items closest to what was typed: by its whole id or by the part after the operation. */
export function nearItems(typed: string, limit = 5): string[] {
  const lower = typed.toLowerCase();
  const scored = CONTRACT_ITEMS.definitions.map(({ id }) => {
    const score = Math.min(distance(lower, id.toLowerCase()), distance(lower, localId(id).toLowerCase()));
    return { id, score: id.toLowerCase().includes(lower) ? Math.min(score, 1) : score };
  });
  const near = Math.max(2, Math.floor(typed.length / 4));
  return scored
    .filter((s) => s.score <= near)
    .sort((a, b) => a.score - b.score)
    .slice(0, limit)
    .map((s) => s.id);
}

/** The --require items as ids of this contract: the old spelling of updateConnector's items is read, with a hint. */
function requiredItems(required: readonly string[]): string[] {
  const unknown: string[] = [];
  const ids = required.map((typed) => {
    if (CONTRACT_ITEMS.ids.has(typed)) return typed;
    const now = idFromFormat1(typed);
    if (now !== undefined) {
      process.stderr.write(`spirii-contract coverage: --require ${typed}: read as "${now}"; item ids now name their operation, so write --require "${now}".\n`);
      return now;
    }
    unknown.push(typed);
    return typed;
  });
  if (unknown.length > 0) {
    const examples = CONTRACT_ITEMS.operations.map((o) => o.definitions[0]?.id).filter((id) => id !== undefined);
    const lines = unknown.map((typed) => {
      const near = nearItems(typed);
      return `--require ${JSON.stringify(typed)}: not an item of this contract${near.length > 0 ? `; did you mean ${near.map((id) => JSON.stringify(id)).join(", ")}?` : ""}`;
    });
    throw new UsageError(
      `${lines.join("\n")}\nItems are an operation and what it covers, e.g. ${examples.map((id) => JSON.stringify(id)).join(", ")}; ` +
        "`spirii-contract coverage FILE` lists them all.",
      "coverage",
    );
  }
  return ids;
}

/** The thresholds of --fail-under: `N` for all operations' items together, `OPERATION=N` for one operation's. */
export interface CoverageThresholds {
  all: number | undefined;
  /** operationId -> percent, in the order given. */
  perOperation: Map<string, number>;
}

/**
 * Reads every --fail-under: at most one `N`, and at most one `OPERATION=N` per operation, the
 * operation named as the registry (generated/operations.ts) names it.
 */
export function failUnderThresholds(texts: readonly string[]): CoverageThresholds {
  const thresholds: CoverageThresholds = { all: undefined, perOperation: new Map() };
  const known = Object.keys(OPERATIONS);
  for (const text of texts) {
    const equals = text.indexOf("=");
    if (equals === -1) {
      const percent = percentage("coverage", "--fail-under", text);
      if (thresholds.all !== undefined) throw new UsageError(`--fail-under N (all operations) is given twice (${thresholds.all} and ${percent}); give it once`, "coverage");
      thresholds.all = percent;
      continue;
    }
    const operation = text.slice(0, equals).trim();
    if (operation === "") {
      throw new UsageError(`--fail-under ${JSON.stringify(text)} names no operation before "="; write OPERATION=N (e.g. ${known[0]}=90), or N alone for all operations`, "coverage");
    }
    if (!Object.hasOwn(OPERATIONS, operation)) {
      const meant = known.find((id) => id.toLowerCase() === operation.toLowerCase());
      throw new UsageError(
        `--fail-under ${JSON.stringify(text)}: ${operation} is not an operation of this contract${meant ? ` (did you mean ${meant}?)` : ""}; its operations are ${known.join(", ")}`,
        "coverage",
      );
    }
    const percent = percentage("coverage", `--fail-under ${operation}=N`, text.slice(equals + 1));
    const earlier = thresholds.perOperation.get(operation);
    if (earlier !== undefined) throw new UsageError(`--fail-under ${operation}= is given twice (${earlier} and ${percent}); give each operation one threshold`, "coverage");
    thresholds.perOperation.set(operation, percent);
  }
  return thresholds;
}

export async function coverageCommand(args: string[]): Promise<number> {
  const { values, operands: files } = parseCommandArgsAndOperands("coverage", args, {
    "fail-under": { type: "string", multiple: true },
    require: { type: "string", multiple: true },
    html: { type: "string" },
    json: { type: "string" },
  });
  if (values.help) {
    process.stdout.write(COVERAGE_HELP);
    return EXIT.holds;
  }
  if (files.length === 0) throw new UsageError("name at least one coverage file (for example coverage/*.json)", "coverage");
  const failUnder = failUnderThresholds(values["fail-under"] ?? []);
  for (const [flag, path] of [["--html", values.html], ["--json", values.json]] as const) {
    if (path === "") throw new UsageError(`${flag} needs a file path`, "coverage");
  }
  const required = requiredItems(values.require ?? []);

  const parts = [];
  const notices = [];
  for (const file of files) {
    try {
      const { coverage, notice } = await loadCoverageFile(file);
      parts.push(coverage);
      if (notice) notices.push(notice);
    } catch (error) {
      if (error instanceof CoverageFileError) {
        process.stderr.write(`spirii-contract coverage: ${error.message}\n`);
        return EXIT.setup;
      }
      throw error;
    }
  }
  for (const notice of notices) process.stderr.write(`spirii-contract coverage: note: ${notice}\n`);
  const merged = mergeCoverage(...parts);
  const operations = merged.operations.length;
  process.stdout.write(
    `Contract coverage of ${operations} operation${operations === 1 ? "" : "s"}, from ${files.length} file${files.length === 1 ? "" : "s"}\n\n${formatCoverageTable(merged)}`,
  );
  if (values.json) {
    await writeCoverageFile(values.json, merged);
    process.stdout.write(`Merged coverage written to ${values.json}\n`);
  }
  if (values.html) {
    await mkdir(dirname(values.html), { recursive: true });
    await writeFile(values.html, coverageHtml(merged, { sources: files }));
    process.stdout.write(`HTML report written to ${values.html}\n`);
  }

  let code: number = EXIT.holds;
  if (failUnder.all !== undefined && merged.percent < failUnder.all) {
    process.stdout.write(`\nCoverage ${formatPercent(merged.percent)} is under --fail-under ${failUnder.all}%. Not covered:\n${formatUncovered(merged)}\n`);
    code = EXIT.violated;
  }
  for (const [operation, threshold] of failUnder.perOperation) {
    const own = merged.operations.find((o) => o.operation === operation);
    // The registry and the items come from the same bundled contract, so every named operation has its line.
    if (!own) throw new Error(`coverage has no line for ${operation}, an operation of the registry`);
    if (own.percent >= threshold) continue;
    process.stdout.write(
      `\n${operation}: coverage ${formatPercent(own.percent)} is under --fail-under ${operation}=${threshold}%. Not covered:\n${formatUncovered(merged, [operation])}\n`,
    );
    code = EXIT.violated;
  }
  const missing = required.filter((id) => !merged.items.some((item) => item.id === id && item.covered));
  if (missing.length > 0) {
    process.stdout.write(`\nRequired but not covered (--require): ${missing.join(", ")}\n`);
    code = EXIT.violated;
  }
  return code;
}
