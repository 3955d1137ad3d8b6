// JUnit XML for CI systems: one test case per exchange, in the order sent; failures carry the
// request and each broken rule with its JSON Pointer. Findings about the run as a whole go in a
// second suite, so the exchange suite keeps exactly one case per exchange.
import type { ExchangeResult, Finding, VerifyReport } from "./types.js";

// Characters XML 1.0 cannot carry at all, even escaped.
// eslint-disable-next-line no-control-regex
const NOT_XML = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export const escapeXml = (text: string) =>
  text
    .replace(NOT_XML, "\uFFFD")
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&apos;");

const seconds = (ms: number) => (ms / 1000).toFixed(3);

const MARK = { violation: "✗", warning: "!", notice: "·" } as const;
export const describeFinding = (f: Finding) => `${MARK[f.severity]} [${f.check}/${f.rule}] ${f.pointer || "(response)"} ${f.message} (${f.source})`;

export function describeExchange(e: ExchangeResult): string {
  const answer = e.response
    ? `${e.response.status} ${e.response.contentType ?? "(no content type)"} in ${e.response.durationMs} ms`
    : (e.error ?? e.outcome);
  return [
    `case: ${e.case.id} — ${e.case.title}`,
    `request: ${e.request.method} ${e.request.url}`,
    `body: ${e.request.body}`,
    `answer: ${answer}`,
    ...e.findings.map(describeFinding),
    ...e.notes.map((n) => `note: ${n}`),
  ].join("\n");
}

function testcase(e: ExchangeResult): string {
  const violations = e.findings.filter((f) => f.severity === "violation");
  const warnings = e.findings.filter((f) => f.severity === "warning");
  const notices = e.findings.filter((f) => f.severity === "notice");
  // CI summaries list test names and failures, and rarely system-out: a warning goes in the name too.
  const flagged = warnings.length > 0 ? ` [warning: ${[...new Set(warnings.map((f) => f.check))].join(", ")}]` : "";
  const open = `    <testcase classname="spirii-contract.${e.case.kind}" name="${escapeXml(`${e.case.id}: ${e.case.title}${flagged}`)}" time="${seconds(e.durationMs)}"`;
  const parts: string[] = [];
  if (violations.length > 0) {
    const message = violations.map((f) => `[${f.check}] ${f.pointer || "(response)"} ${f.message}`).join("; ");
    parts.push(`      <failure message="${escapeXml(message)}" type="${escapeXml(violations[0]!.check)}">${escapeXml(describeExchange(e))}</failure>`);
  } else if (e.outcome === "not-judged") {
    parts.push(`      <skipped message="${escapeXml(e.notes.join("; "))}"/>`);
  }
  if (warnings.length > 0) parts.push(`      <system-err>${escapeXml([...warnings.map(describeFinding), `request: ${e.request.method} ${e.request.url} ${e.request.body}`].join("\n"))}</system-err>`);
  if (notices.length > 0 || e.notes.length > 0) {
    parts.push(`      <system-out>${escapeXml([...notices.map(describeFinding), ...e.notes.map((n) => `note: ${n}`)].join("\n"))}</system-out>`);
  }
  return parts.length === 0 ? `${open}/>` : `${open}>\n${parts.join("\n")}\n    </testcase>`;
}

export function toJUnit(report: VerifyReport): string {
  const failures = report.counts.failed;
  const underCovered = report.reasons.find((r) => r.startsWith("coverage"));
  const restoreFailed = report.restore.complete === false;
  const runViolations = report.runFindings.filter((f) => f.severity === "violation");
  const runFailures = runViolations.length + (report.stoppedEarly ? 1 : 0) + (underCovered ? 1 : 0) + (restoreFailed ? 1 : 0);
  const total = seconds(report.durationMs);
  const runCases = [
    ...report.runFindings.map((f) =>
      f.severity === "violation"
        ? `    <testcase classname="spirii-contract.run" name="${escapeXml(f.rule)}" time="0"><failure message="${escapeXml(f.message)}" type="${escapeXml(f.rule)}"/></testcase>`
        : `    <testcase classname="spirii-contract.run" name="${escapeXml(`${f.rule} [${f.severity}: ${f.check}]`)}" time="0"><system-err>${escapeXml(describeFinding(f))}</system-err></testcase>`,
    ),
    ...(report.stoppedEarly
      ? [`    <testcase classname="spirii-contract.run" name="stopped-early" time="0"><failure message="${escapeXml(report.stoppedEarly)}" type="timeout"/></testcase>`]
      : []),
    // An incomplete restore needs a person: its own failed test case, with the values to set.
    ...(restoreFailed
      ? [
          `    <testcase classname="spirii-contract.run" name="restore" time="0"><failure message="${escapeXml(
            `the connector was not put back: set ${JSON.stringify(report.restore.toSet)}${(report.restore.otherConnectors ?? [])
              .filter((o) => !o.complete)
              .map((o) => `; connector ${o.connectorId}: set ${JSON.stringify(o.toSet)}`)
              .join("")}`,
          )}" type="restore-incomplete">${escapeXml(
            report.restore.unrestorable
              .map((u) => `${u.connectorId !== undefined && u.connectorId !== report.connectorId ? `connector ${u.connectorId} ` : ""}${u.field}: ${"valueToSet" in u ? `set to ${JSON.stringify(u.valueToSet)}` : "remove it (absent before the run)"} (${u.reason})`)
              .join("\n"),
          )}</failure></testcase>`,
        ]
      : []),
    // The coverage gate fails the run as a whole, so a CI that reads only JUnit sees it too.
    ...(underCovered
      ? [
          `    <testcase classname="spirii-contract.run" name="coverage" time="0"><failure message="${escapeXml(`${underCovered}: ${report.coverage.covered} of ${report.coverage.total} items covered`)}" type="coverage"/></testcase>`,
        ]
      : []),
  ];
  // Each operation of the contract: verified (its exchanges are above), or skipped with why and the flag that allows it.
  const operations = report.operations ?? [];
  const skippedOperations = operations.filter((o) => o.mode !== "verified").length;
  const operationCases = operations.map((o) =>
    o.mode === "verified"
      ? `    <testcase classname="spirii-contract.operations" name="${escapeXml(`${o.operationId} (${o.effect}): verified`)}" time="0"/>`
      : `    <testcase classname="spirii-contract.operations" name="${escapeXml(`${o.operationId} (${o.effect}): ${o.mode === "harmless-only" ? "only requests that cannot act" : "skipped"}`)}" time="0"><skipped message="${escapeXml(`skipped: ${o.operationId} (${o.reason ?? o.mode})`)}"/></testcase>`,
  );
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="spirii-contract verify" tests="${report.exchanges.length + runCases.length + operationCases.length}" failures="${failures + runFailures}" errors="0" time="${total}">`,
    `  <testsuite name="${escapeXml(`${report.operation} at ${report.target}`)}" tests="${report.exchanges.length}" failures="${failures}" errors="0" skipped="${report.counts.notJudged}" time="${total}" timestamp="${report.startedAt}">`,
    `    <properties><property name="seed" value="${report.seed}"/><property name="runs" value="${report.runs}"/><property name="contractVersion" value="${escapeXml(report.contractVersion)}"/></properties>`,
    ...report.exchanges.map(testcase),
    `  </testsuite>`,
    ...(runCases.length > 0
      ? [`  <testsuite name="run" tests="${runCases.length}" failures="${runFailures}" errors="0" skipped="0" time="0">`, ...runCases, `  </testsuite>`]
      : []),
    ...(operationCases.length > 0
      ? [`  <testsuite name="operations" tests="${operationCases.length}" failures="0" errors="0" skipped="${skippedOperations}" time="0">`, ...operationCases, `  </testsuite>`]
      : []),
    `</testsuites>`,
    ``,
  ].join("\n");
}
