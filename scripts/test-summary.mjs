#!/usr/bin/env node
// Prints the closing "N passed, N failed[, N skipped]" line from vitest's JSON report. Exits 1
// when the report is missing or unreadable, or when it counts no test at all.
import { readFileSync } from "node:fs";

const file = process.argv[2] ?? "test-results/vitest.json";
let report;
try {
  report = JSON.parse(readFileSync(file, "utf8"));
} catch (error) {
  console.error(`test-summary: cannot read vitest's JSON report at ${file} (${error.message}); did vitest start?`);
  process.exit(1);
}
const passed = report.numPassedTests ?? 0;
const failed = report.numFailedTests ?? 0;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
const brokenFiles = (report.testResults ?? []).filter((f) => f.status === "failed" && (f.assertionResults ?? []).length === 0);
for (const f of brokenFiles) console.error(`test-summary: ${f.name} failed to run: ${(f.message ?? "").split("\n")[0]}`);
const failedTotal = failed + brokenFiles.length;
console.log(`${passed} passed, ${failedTotal} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(passed + failedTotal === 0 ? 1 : 0);
