// What `verify` tells a person: the plan before the first request, progress while it runs, and a
// result readable at a glance (verdict first, then each broken rule once, then the first failing
// exchanges in full, then the restore).
import { formatPercent, formatUncovered } from "../coverage/report.js";
import { describeFinding } from "../testing/verify/junit.js";
import type { ExchangeResult, Finding, RestoreResult, VerifyReport } from "../testing/verify/types.js";
import type { VerifyPlan } from "../testing/verify/verify.js";

const DETAILED_FAILURES = 5;
// Long messages (an enum of 42 OCPI standards) are cut on screen; the JSON report keeps them whole.
const SCREEN_MESSAGE = 200;
const show = (value: unknown) => JSON.stringify(value);
const clip = (text: string) => (text.length > SCREEN_MESSAGE ? `${text.slice(0, SCREEN_MESSAGE)}…` : text);

export function describePlan(plan: VerifyPlan, address: { uid: number; connectorId: number }): string {
  const count = (kind: string, fixed?: boolean) =>
    plan.cases.filter((c) => c.kind === kind && (fixed === undefined || /^(cover|boundary)#/.test(c.id) === fixed)).length;
  const auth = count("auth");
  return [
    `spirii-contract verify · seed ${plan.seed} (repeat this run with --seed ${plan.seed})`,
    `Target: ${plan.connectorUrl}`,
    `This run CHANGES connector ${address.connectorId} of EVSE ${address.uid}: ${plan.cases.length} requests ` +
      `(${count("example")} examples${auth > 0 ? `, ${auth} without a valid key (the auth probe)` : ""}, ` +
      `${count("valid", true)} valid and ${count("invalid", true)} invalid patches sent on every run, ` +
      `${count("valid", false)} valid and ${count("invalid", false)} invalid generated from seed ${plan.seed}) that may set ${plan.fields.join(", ")}.`,
    `After them, whatever ends the run, one more request puts back the values it found, where it can learn them. Timeout per request: ${plan.timeoutMs} ms.`,
    ``,
  ].join("\n");
}

export function describeRead(learned: boolean, detail: string): string {
  return learned
    ? `Read the connector's current values first (${detail}): all of them can be put back.\n`
    : `Could not read the connector's current values first (${detail}); they will be learned from the answers along the way, which may not recover every field.\n`;
}

/** One progress line; on a terminal it rewrites itself, in a CI log it appears every 10 exchanges. */
export function progressLine(result: ExchangeResult, done: number, total: number, failedSoFar: number): string {
  const mark = result.findings.some((f) => f.severity === "violation") ? "✗" : "✓";
  return `[${done}/${total}] ${failedSoFar} failing · last: ${result.case.id} ${mark}`;
}

const ruleKey = (f: Finding) => `${f.rule} at ${f.pointer || "(response)"}`;

function groupFindings(exchanges: readonly ExchangeResult[], severity: Finding["severity"]) {
  const groups = new Map<string, { finding: Finding; count: number; first: string }>();
  for (const e of exchanges) {
    for (const f of e.findings.filter((x) => x.severity === severity)) {
      const key = ruleKey(f);
      const group = groups.get(key);
      if (group) group.count++;
      else groups.set(key, { finding: f, count: 1, first: e.case.id });
    }
  }
  return [...groups.values()];
}

function describeExchangeBriefly(e: ExchangeResult): string[] {
  const answer = e.response ? `${e.response.status} ${e.response.contentType ?? "(no content type)"} in ${e.response.durationMs} ms` : (e.error ?? e.outcome);
  return [
    `  ✗ ${e.case.id}: ${e.case.title}`,
    `      sent   ${e.request.method} ${e.request.url}  ${e.request.body}`,
    `      got    ${answer}`,
    ...e.findings.filter((f) => f.severity === "violation").map((f) => `      ${clip(describeFinding(f))}`),
    ...e.notes.map((n) => `      note: ${n}`),
  ];
}

/** For a run that wrote and then failed: what was put back before the error, or undefined. */
export function describeFailedRun(error: unknown): string | undefined {
  const restore = (error as { restore?: RestoreResult } | null | undefined)?.restore;
  return restore ? `\nThe run stopped on an error (below).\n${describeRestore(restore).join("\n")}\n` : undefined;
}

/** What was put back and what could not be: after a run, and after a run that ended in an error. */
export function describeRestore(restore: RestoreResult): string[] {
  const lines: string[] = [];
  const fields = Object.keys(restore.patch);
  const from = restore.source === "read-before-writing" ? "read before the first patch" : "learned from the answers";
  if (restore.accepted === true) lines.push(`Restore: put back ${fields.map((f) => `${f}=${show(restore.patch[f])}`).join(", ")} (${from}); the provider accepted it.`);
  else if (restore.accepted === false) {
    const why = restore.error === undefined ? "the provider did not accept the restoring patch" : `the restoring patch could not be sent (${restore.error})`;
    // Only answered refusals prove a patch was not applied; a timeout may have applied it.
    lines.push(
      restore.mayHaveChanged
        ? `Restore FAILED: ${why}. Set these values by hand: ${show(restore.patch)}`
        : `Restore: the provider accepted no patch during the run, so the connector is probably unchanged; ${why} either. If in doubt, set: ${show(restore.patch)}`,
    );
  } else if (restore.unrestorable.length === 0) {
    lines.push(restore.mayHaveChanged ? "Restore: nothing to put back (no patch changed a field)." : "Restore: nothing to put back (the provider refused every patch).");
  }
  for (const u of restore.unrestorable) {
    const now = "lastSeen" in u ? ` It is now ${show(u.lastSeen)} (per the last answer); set it by hand if that is wrong.` : "";
    lines.push(`Could NOT restore ${u.field}: ${u.reason}.${now}`);
  }
  return lines;
}

export function describeResult(report: VerifyReport): string {
  const seconds = (report.durationMs / 1000).toFixed(1);
  const failing = report.exchanges.filter((e) => e.findings.some((f) => f.severity === "violation"));
  const lines: string[] = [""];
  // Counted as the plan counts: the planned requests, the restore apart.
  const { requests, exchanges } = report.counts;
  const sent = `${exchanges} exchanges (${requests} requests${exchanges > requests ? " and the restore" : ""})`;
  if (report.verdict === "holds") {
    lines.push(`Result: the contract HOLDS. ${sent}, no violations, ${report.counts.warnings} warnings (${seconds} s).`);
  } else if (report.verdict === "interrupted") {
    lines.push(`Result: INTERRUPTED after ${sent} with no violation so far; no verdict (${seconds} s).`);
  } else if (report.reasons.includes("contract violated")) {
    lines.push(`Result: the contract is VIOLATED. ${failing.length} of ${sent} break it (${seconds} s).`);
  } else {
    lines.push(`Result: FAILED: ${report.reasons.join(" and ")}. ${sent}, no violations, ${report.counts.warnings} warnings (${seconds} s).`);
  }
  if (report.stoppedEarly) lines.push(`Stopped early: ${report.stoppedEarly}; ${report.counts.notRun} requests were not sent.`);
  for (const f of report.runFindings) lines.push(`  ✗ ${f.message}`);

  const violations = groupFindings(report.exchanges, "violation");
  if (violations.length > 0) {
    lines.push("", "Broken rules:");
    for (const g of violations) lines.push(`  ✗ ${ruleKey(g.finding)}: ${clip(g.finding.message)} [${g.finding.source}] (${g.count}×, first in ${g.first})`);
    lines.push("", `Failing exchanges${failing.length > DETAILED_FAILURES ? ` (first ${DETAILED_FAILURES} of ${failing.length}; all in --report-json)` : ""}:`);
    for (const e of failing.slice(0, DETAILED_FAILURES)) lines.push(...describeExchangeBriefly(e));
  }
  const warnings = groupFindings(report.exchanges, "warning");
  if (warnings.length > 0) {
    lines.push("", "Warnings (reported, not failing):");
    for (const g of warnings) lines.push(`  ! ${ruleKey(g.finding)}: ${clip(g.finding.message)} [${g.finding.source}] (${g.count}×, first in ${g.first})`);
    const notes = new Set(report.exchanges.flatMap((e) => e.notes));
    for (const note of notes) lines.push(`  note: ${note}`);
  }
  if (report.hookErrors.length > 0) {
    lines.push("", "Event hooks that threw (the run went on without them):");
    for (const h of report.hookErrors) lines.push(`  ! ${h.hook}: ${clip(h.message)}`);
  }
  lines.push("", ...describeRestore(report.restore), "", ...describeCoverage(report), "");
  return lines.join("\n");
}

/** The coverage summary: the percent, against the gate if one was set, then what was not covered by kind. */
export function describeCoverage(report: VerifyReport): string[] {
  const { coverage, failUnder } = report;
  const gate = failUnder === undefined ? "" : coverage.percent < failUnder ? ` — UNDER the required ${failUnder}%` : ` (required: ${failUnder}%)`;
  const lines = [`Contract coverage: ${formatPercent(coverage.percent)} (${coverage.covered} of ${coverage.total} items)${gate}.`];
  if (coverage.covered < coverage.total) lines.push("Not covered:", formatUncovered(coverage));
  return lines;
}
