#!/usr/bin/env node
// Prints the closing "N passed, N failed[, N skipped]" line from vitest's JSON reports (one per
// suite: npm test, npm run test:release), added up. Exits 1 when a report is missing or unreadable,
// when they count no test at all, or when anything failed.
import { readFileSync } from "node:fs";

const files = process.argv.length > 2 ? process.argv.slice(2) : ["test-results/vitest.json"];
let passed = 0;
let failed = 0;
let skipped = 0;
let unreadable = false;
for (const file of files) {
  let report;
  try {
    report = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    console.error(`test-summary: cannot read vitest's JSON report at ${file} (${error.message}); did vitest start?`);
    unreadable = true;
    continue;
  }
  if ((report.numTotalTests ?? (report.testResults ?? []).length) === 0) {
    // One suite that ran nothing (a config that matched no file) must not hide behind the other.
    console.error(`test-summary: ${file} counts no test at all; did the suite's config match its files?`);
    unreadable = true;
  }
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  // A file can fail without a failed test: it did not load, or a beforeAll threw and its tests
  // were skipped. Each such file counts as one failure, so the tally never says 0 failed for it.
  const brokenFiles = (report.testResults ?? []).filter((f) => f.status === "failed" && !(f.assertionResults ?? []).some((a) => a.status === "failed"));
  for (const f of brokenFiles) console.error(`test-summary: ${f.name} failed outside its tests (it did not load, or a hook threw): ${(f.message || "see vitest's output above").split("\n")[0]}`);
  failed += brokenFiles.length;
}
if (unreadable) process.exit(1);
const failedTotal = failed;
console.log(`${passed} passed, ${failedTotal} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(passed + failedTotal === 0 || failedTotal > 0 ? 1 : 0);
