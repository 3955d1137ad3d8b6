// `spirii-contract coverage FILE...`: merges coverage files (from the mock, or verify's report),
// prints every item with its count, optionally writes the merged JSON and an HTML page, and gates.
import { writeFile, mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { UPDATE_CONNECTOR } from "../../generated/values.js";
import { CONTRACT_ITEMS } from "../coverage/items.js";
import { CoverageFileError, mergeCoverage, readCoverageFile, writeCoverageFile } from "../coverage/index.js";
import { coverageHtml } from "../coverage/html.js";
import { formatCoverageTable, formatPercent, formatUncovered } from "../coverage/report.js";
import { parseCommandArgsAndOperands, percentage } from "./args.js";
import { EXIT, UsageError } from "./exit-codes.js";
import { COVERAGE_HELP } from "./help.js";

export async function coverageCommand(args: string[]): Promise<number> {
  const { values, operands: files } = parseCommandArgsAndOperands("coverage", args, {
    "fail-under": { type: "string" },
    require: { type: "string", multiple: true },
    html: { type: "string" },
    json: { type: "string" },
  });
  if (values.help) {
    process.stdout.write(COVERAGE_HELP);
    return EXIT.holds;
  }
  if (files.length === 0) throw new UsageError("name at least one coverage file (for example coverage/*.json)", "coverage");
  const failUnder = values["fail-under"] === undefined ? undefined : percentage("coverage", "--fail-under", values["fail-under"]);
  const required = values.require ?? [];
  const unknown = required.filter((id) => !CONTRACT_ITEMS.ids.has(id));
  if (unknown.length > 0) {
    throw new UsageError(`--require ${unknown.join(", ")}: not an item of this contract (items look like status:429, request:format=CABLE, rule:enum /standard)`, "coverage");
  }
  for (const [flag, path] of [["--html", values.html], ["--json", values.json]] as const) {
    if (path === "") throw new UsageError(`${flag} needs a file path`, "coverage");
  }

  const parts = [];
  for (const file of files) {
    try {
      parts.push(await readCoverageFile(file));
    } catch (error) {
      if (error instanceof CoverageFileError) {
        process.stderr.write(`spirii-contract coverage: ${error.message}\n`);
        return EXIT.setup;
      }
      throw error;
    }
  }
  const merged = mergeCoverage(...parts);
  const operation = `${UPDATE_CONNECTOR.method} ${UPDATE_CONNECTOR.path}`;
  process.stdout.write(`Contract coverage of ${operation}, from ${files.length} file${files.length === 1 ? "" : "s"}\n\n${formatCoverageTable(merged)}`);
  if (values.json) {
    await writeCoverageFile(values.json, merged);
    process.stdout.write(`Merged coverage written to ${values.json}\n`);
  }
  if (values.html) {
    await mkdir(dirname(values.html), { recursive: true });
    await writeFile(values.html, coverageHtml(merged, { operation, sources: files }));
    process.stdout.write(`HTML report written to ${values.html}\n`);
  }

  let code: number = EXIT.holds;
  if (failUnder !== undefined && merged.percent < failUnder) {
    process.stdout.write(`\nCoverage ${formatPercent(merged.percent)} is under --fail-under ${failUnder}%. Not covered:\n${formatUncovered(merged)}\n`);
    code = EXIT.violated;
  }
  const missing = required.filter((id) => !merged.items.some((item) => item.id === id && item.covered));
  if (missing.length > 0) {
    process.stdout.write(`\nRequired but not covered (--require): ${missing.join(", ")}\n`);
    code = EXIT.violated;
  }
  return code;
}
