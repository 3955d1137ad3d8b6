// The checks verify makes, as a registry in the spirit of schemathesis's: each has a stable id, a
// default severity and a sentence saying what it checks; the function that makes it lives in
// exchange-checks.ts (one answer and its case), state.ts (the EVSE read back against the model) or
// judge.ts (the documented status, content type and schema). Every finding names its check, and
// `--check ID=off|warning|violation` (option `checks`) tunes one check without touching the others.
// README's list of checks is generated from this table (scripts/readme-checks.mjs, drift-checked).
import type { Finding, Severity } from "./types.js";

export interface CheckDefinition {
  id: string;
  /** The severity of its findings unless the finding itself says otherwise (e.g. an error body judged against a shape only documented nearby). */
  severity: Severity;
  /** What it checks, in one sentence. */
  checks: string;
}

export const CHECKS = [
  { id: "responds", severity: "violation", checks: "every request gets an answer within --timeout-ms, over a connection that does not break" },
  { id: "status-documented", severity: "violation", checks: "the status is one the contract documents for the operation" },
  { id: "content-type", severity: "violation", checks: "the answer's content type is the one documented for its status" },
  { id: "schema", severity: "violation", checks: "the body matches the documented schema (a 2xx: the EVSE; an error: the error envelope, a warning while that envelope is only documented nearby)" },
  { id: "enum-value", severity: "violation", checks: "a response enum value is a known value or a new one (a notice: new values are non-breaking); a known value in another casing or an OCPP 1.6 status where the OCPI one belongs is a violation" },
  { id: "negative-data-rejected", severity: "violation", checks: "a request that breaks a rule of the contract (a patch or command body, a query parameter such as listEvses' limit 0 or 101) is refused with a documented 4xx, never applied" },
  { id: "not-a-server-error", severity: "violation", checks: "no case is answered with a 5xx (none is built to provoke one)" },
  { id: "auth-not-ignored", severity: "violation", checks: "a patch sent without Authorization or with a wrong key is refused with 401 or 403" },
  { id: "key-not-echoed", severity: "violation", checks: "the API key sent appears nowhere in an answer (status line, headers, body)" },
  { id: "patch-applied", severity: "violation", checks: "a 2xx answer shows the EVSE asked for with the patch applied, not the state before it (stale answer)" },
  { id: "state-persisted", severity: "violation", checks: "read back after an accepted patch, the connector holds exactly the values sent" },
  { id: "no-side-effect", severity: "violation", checks: "read back after any patch, nothing else changed: other connectors, other fields, a refused patch's fields, the EVSE status (another actor may change it: see the tolerance)" },
  { id: "unknown-resource-404", severity: "violation", checks: "a patch or command for an EVSE or connector that does not exist (read as 404 first) is answered 404 and creates nothing" },
  { id: "success-seen", severity: "violation", checks: "at least one valid patch is accepted, so the shape of a 2xx is checked at all" },
  { id: "page-limit-respected", severity: "violation", checks: "a listEvses page asked for with limit 1 or 2 holds at most that many EVSEs" },
  { id: "cursor-round-trip", severity: "violation", checks: "a listEvses nextPageCursor sent back gives the next page (no EVSE of an earlier page again, no empty page that offers another cursor), and page 2's previousPageCursor, when it offers one, gives page 1's EVSEs again" },
  { id: "filter-respected", severity: "violation", checks: "listEvses with uids=<the EVSE under test> answers exactly that EVSE; with chargeboxIds=<its charge box, as read> only EVSEs of that charge box, it among them" },
  // Warnings: the command pages name one effect each (release the cable, end the session) and only
  // imply the rest; and a stop is asynchronous in OCPP, with CHARGING covering Finishing too.
  { id: "command-leaves-settings", severity: "warning", checks: "read back after a consented unlockConnector or remoteStopTransaction, every connector's stored settings (the fields a PATCH sets) and the set of connectors are unchanged" },
  { id: "stop-ends-session", severity: "warning", checks: "after a consented remoteStopTransaction answered Accepted, the EVSE stops showing a session (the statuses of OCPP's in-transaction states) within a few paced reads; Rejected is a typed refusal, not a finding" },
  { id: "prism", severity: "violation", checks: "what Prism's validation proxy sees that the compiled validators did not (Prism 5 reads the 3.1 schemas with draft-07 semantics)" },
] as const satisfies readonly CheckDefinition[];

export type CheckId = (typeof CHECKS)[number]["id"];
/** A check's default severity. */
export const severityOf = (id: string): Severity => CHECKS.find((c) => c.id === id)?.severity ?? "violation";
export const CHECK_IDS: readonly string[] = CHECKS.map((c) => c.id);

/** What a run does with one check: drop its findings, or report them at a fixed severity. */
export type CheckSetting = "off" | Severity;
export type CheckSettings = Partial<Record<string, CheckSetting>>;
const SETTINGS: readonly string[] = ["off", "notice", "warning", "violation"];

/** Problems with `checks` as given, in words (empty when fine). */
export function checkSettingsProblems(settings: unknown): string[] {
  if (settings === undefined) return [];
  if (settings === null || typeof settings !== "object" || Array.isArray(settings)) return ["checks must be an object of check id to off, notice, warning or violation"];
  return Object.entries(settings).flatMap(([id, value]) => [
    ...(CHECK_IDS.includes(id) ? [] : [`unknown check ${JSON.stringify(id)}; the checks are ${CHECK_IDS.join(", ")}`]),
    ...(SETTINGS.includes(value as string) ? [] : [`check ${id}: ${JSON.stringify(value)} is not one of off, notice, warning, violation`]),
  ]);
}

/** `ID=off|notice|warning|violation`, as given to --check. */
export function parseCheckSetting(text: string): [string, CheckSetting] | string {
  const [id = "", value = ""] = text.split("=", 2);
  const problems = checkSettingsProblems({ [id]: value });
  return text.includes("=") && problems.length === 0 ? [id, value as CheckSetting] : `--check ${JSON.stringify(text)}: ${problems[0] ?? "expected ID=off|notice|warning|violation"}`;
}

/** The findings as the run's settings say: a check turned off drops its findings, one set to a severity reports them at it. */
export function applyCheckSettings(findings: Finding[], settings: CheckSettings): Finding[] {
  return findings.flatMap((f) => {
    const setting = settings[f.check];
    if (setting === undefined) return [f];
    return setting === "off" ? [] : [{ ...f, severity: setting }];
  });
}

/** The check a finding of an older rule name belongs to. */
export function checkOfRule(rule: string, source: Finding["source"]): CheckId {
  if (source === "prism") return "prism";
  switch (rule) {
    case "timeout":
    case "connection":
    case "not-forwarded":
      return "responds";
    case "status":
      return "status-documented";
    case "content-type":
      return "content-type";
    case "accepts-invalid":
      return "negative-data-rejected";
    case "auth":
      return "auth-not-ignored";
    case "same-evse":
    case "patched-connector":
    case "patch-applied":
    case "stale-answer":
      return "patch-applied";
    case "no-success":
      return "success-seen";
    case "enum":
    case "unknown-value":
      return "enum-value";
    default:
      return "schema";
  }
}
