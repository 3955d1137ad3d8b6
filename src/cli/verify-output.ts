// What `verify` tells a person: the plan before the first request, progress while it runs, and a
// result readable at a glance (verdict first, then each broken rule once, then the first failing
// exchanges in full, then the restore).
import { formatPercent, formatUncovered } from "../coverage/report.js";
import { EXIT } from "./exit-codes.js";
import { describeFinding } from "../testing/verify/junit.js";
import type { ExchangeResult, Finding, OperationScopeReport, RestoreResult, VerifyReport } from "../testing/verify/types.js";
import type { VerifyBaseline, VerifyPlan } from "../testing/verify/verify.js";

const DETAILED_FAILURES = 5;
// Long messages (an enum of 42 OCPI standards) are cut on screen; the JSON report keeps them whole.
const SCREEN_MESSAGE = 200;
const show = (value: unknown) => JSON.stringify(value);
const clip = (text: string) => (text.length > SCREEN_MESSAGE ? `${text.slice(0, SCREEN_MESSAGE)}…` : text);

export function describePlan(plan: VerifyPlan, address: { uid: number; connectorId: number }): string {
  const count = (kind: string, fixed?: boolean) =>
    plan.cases.filter((c) => c.kind === kind && (fixed === undefined || /^(cover|boundary)#/.test(c.id) === fixed)).length;
  const auth = count("auth");
  const unknown = count("unknown");
  const { writes, maxWritesPerMinute, estimatedSeconds } = plan.pace;
  return [
    `spirii-contract verify · seed ${plan.seed} (repeat this run with --seed ${plan.seed})`,
    `Target: ${plan.connectorUrl}`,
    `This run CHANGES connector ${address.connectorId} of EVSE ${address.uid}: ${plan.cases.length} requests ` +
      `(${count("example")} examples${auth > 0 ? `, ${auth} without a valid key (the auth probe)` : ""}${unknown > 0 ? `, ${unknown} of something that does not exist` : ""}, ` +
      `${count("valid", true)} valid and ${count("invalid", true)} invalid patches sent on every run, ` +
      `${count("valid", false)} valid and ${count("invalid", false)} invalid generated from seed ${plan.seed}) that may set ${plan.fields.join(", ")}.`,
    maxWritesPerMinute === null
      ? `Budget: ${writes} writes, not capped (a provider on loopback: only its X-RateLimit headers and 429s pace the run; --max-writes-per-minute caps it). The EVSE is also read before and after each write.`
      : `Budget: ${writes} writes; at ${maxWritesPerMinute} a minute this takes about ${estimatedSeconds} s (the EVSE is also read before and after each write). A 429 makes a request wait and go again.`,
    `After them, whatever ends the run, one more request puts back the values read below, and reads them back. Timeout per request: ${plan.timeoutMs} ms.`,
    ...describeOperations(plan.operations),
    ``,
  ].join("\n");
}

/** Which operations a run verifies, and which it skips and why (the flag that allows each). */
export function describeOperations(operations: readonly OperationScopeReport[] | undefined): string[] {
  if (!operations || operations.length === 0) return [];
  const verified = operations.filter((o) => o.mode === "verified").map((o) => `${o.operationId} (${o.effect})`);
  const skipped = operations.filter((o) => o.mode !== "verified").map((o) => `${o.operationId} (${o.reason ?? o.mode})`);
  return [
    `Operations verified: ${verified.join(", ")}.`,
    ...(skipped.length > 0 ? [`skipped: ${skipped.join("; ")}. For these only requests that cannot act are sent (a malformed body, an EVSE just read as absent), and judged.`] : []),
  ];
}

/** The values read before the first write: printed first, so a run that is killed leaves them in the log. */
export function describeBaseline(baseline: VerifyBaseline, address: { uid: number; connectorId: number }): string {
  return `Read connector ${address.connectorId} of EVSE ${address.uid} before writing (${baseline.detail}). If this run is killed, set it back to: ${show(baseline.values)}\n`;
}

/**
 * A run that ends without its restore (a second Ctrl-C): the values to set by hand, on the connector
 * under test and on every other connector of the EVSE (a provider may have changed one).
 */
export function describeLostRestore(baseline: VerifyBaseline | undefined, address: { uid: number; connectorId: number }, why: string): string {
  if (baseline === undefined) return `\n${why}; nothing had been written.\n`;
  const others = (baseline.otherConnectors ?? []).filter((c) => Object.keys(c.values).length > 0);
  const rest = others.length === 0 ? "" : `\nIf the provider changed another connector, set ${others.map((c) => `connector ${c.connectorId} to ${show(c.values)}`).join("; ")}.`;
  return `\n${why}. The connector may NOT be as it was. Set connector ${address.connectorId} of EVSE ${address.uid} back to: ${show(baseline.values)}${rest}\nExit ${EXIT.restoreIncomplete}: restore not done.\n`;
}

/** One progress line; on a terminal it rewrites itself, in a CI log it appears every 10 exchanges. */
export function progressLine(result: ExchangeResult, done: number, total: number, failedSoFar: number): string {
  const mark = result.findings.some((f) => f.severity === "violation") ? "✗" : "✓";
  return `[${done}/${total}] ${failedSoFar} failing · last: ${result.case.id} ${mark}`;
}

const ruleKey = (f: Finding) => `${f.check}/${f.rule} at ${f.pointer || "(response)"}`;

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
export function describeFailedRun(error: unknown, address?: { uid: number; connectorId: number }): string | undefined {
  const restore = (error as { restore?: RestoreResult } | null | undefined)?.restore;
  return restore ? `\nThe run stopped on an error (below).\n${describeRestore(restore, address).join("\n")}\n` : undefined;
}

/** What was put back and what could not be: after a run, and after a run that ended in an error. */
export function describeRestore(restore: RestoreResult, address?: { uid: number; connectorId: number }): string[] {
  const lines: string[] = [];
  const fields = Object.keys(restore.patch);
  const which = address ? `connector ${address.connectorId} of EVSE ${address.uid}` : "the connector";
  const others = restore.otherConnectors ?? [];
  const assignments = (patch: Record<string, unknown>) => Object.keys(patch).map((f) => `${f}=${show(patch[f])}`).join(", ");
  if (restore.complete === true) {
    const alsoBack = others.filter((o) => Object.keys(o.patch).length > 0).map((o) => `connector ${o.connectorId}: ${assignments(o.patch)}`);
    lines.push(
      fields.length > 0 || alsoBack.length > 0
        ? `Restore: put back ${[...(fields.length > 0 ? [assignments(restore.patch)] : []), ...alsoBack.map((o) => `and, changed by the run, ${o}`)].join(", ")} (read before the first patch) in ${restore.attempts} attempt(s); ${which} reads back as before the run${alsoBack.length > 0 ? ", and so does every other connector" : ""}.`
        : `Restore: nothing to put back; ${which} reads back as before the run.`,
    );
  } else if (restore.complete === false) {
    const ownToSet = Object.keys(restore.toSet).length > 0 || others.length === 0 ? ` Set ${which} back to: ${show(restore.toSet)}` : "";
    lines.push(`Restore INCOMPLETE: ${restore.error ?? "the connector does not read back as before the run"}.${ownToSet}`);
    const evse = address ? ` of EVSE ${address.uid}` : "";
    for (const o of others.filter((x) => !x.complete)) lines.push(`Set connector ${o.connectorId}${evse} back to: ${show(o.toSet)}`);
    for (const u of restore.unrestorable) {
      const now = "lastSeen" in u ? `; it reads ${show(u.lastSeen)} now` : "";
      const where = u.connectorId !== undefined && u.connectorId !== address?.connectorId ? `connector ${u.connectorId} ` : "";
      const value = "valueToSet" in u ? `set to ${show(u.valueToSet)}` : "remove it (absent before the run)";
      lines.push(`  ${where}${u.field}: ${value}${now} (${u.reason})`);
    }
  } else {
    lines.push("Restore: nothing was written.");
  }
  if (restore.differences.length > 0) {
    lines.push("Also different from before the run (no connector patch can set these back):");
    for (const d of restore.differences) lines.push(`  ${d.pointer}: was ${show(d.before)}, now ${show(d.now)}`);
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
    lines.push(`Result: the contract HOLDS. ${sent}, no violations, ${report.counts.warnings} warnings, ${report.counts.notices} notices (${seconds} s).`);
  } else if (report.verdict === "incomplete") {
    lines.push(`Result: NO VERDICT: ${report.counts.notJudged} cases stayed rate-limited (429) past their deadline and were not judged; no violation among the others (${seconds} s).`);
  } else if (report.verdict === "interrupted") {
    lines.push(`Result: INTERRUPTED after ${sent} with no violation so far; no verdict (${seconds} s).`);
  } else if (report.reasons.includes("contract violated")) {
    lines.push(`Result: the contract is VIOLATED. ${failing.length} of ${sent} break it (${seconds} s).`);
  } else {
    lines.push(`Result: FAILED: ${report.reasons.join(" and ")}. ${sent}, no violations, ${report.counts.warnings} warnings (${seconds} s).`);
  }
  if (report.stoppedEarly) lines.push(`Stopped early: ${report.stoppedEarly}; ${report.counts.notRun} requests were not sent.`);
  lines.push(
    `Wall time ${seconds} s: ${report.pace.writes} writes ${report.pace.maxWritesPerMinute === null ? "uncapped" : `at up to ${report.pace.maxWritesPerMinute} a minute`} and ${report.counts.reads} reads; ` +
      `${report.counts.rateLimited} answers of 429, each waited out and sent again${report.counts.notJudged > 0 ? `, ${report.counts.notJudged} cases not judged` : ""}.`,
  );
  lines.push(...describeOperations(report.operations));
  if ((report.counts.operations ?? 0) > 0) lines.push(`Beside the PATCH: ${report.counts.operations} requests of those operations, judged by the same checks.`);
  for (const f of report.runFindings) lines.push(`  ${f.severity === "violation" ? "✗" : f.severity === "warning" ? "!" : "·"} ${f.message}`);

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
  const notices = groupFindings(report.exchanges, "notice");
  if (notices.length > 0) {
    lines.push("", "Notices:");
    for (const g of notices) lines.push(`  · ${ruleKey(g.finding)}: ${clip(g.finding.message)} (${g.count}×, first in ${g.first})`);
  }
  lines.push("", ...describeRestore(report.restore, { uid: report.uid, connectorId: report.connectorId }), "", ...describeCoverage(report), "");
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
