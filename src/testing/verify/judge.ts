// Judges one exchange against the contract: the status must be documented, a 200 must carry a
// contract-valid EVSE as JSON, an invalid patch must not be accepted, and error bodies should carry
// the error envelope. The compiled 2020-12 validators decide; Prism's findings are added where they
// see something the validators did not (Prism 5 reads 3.1 schemas with draft-07 semantics).
import { UPDATE_CONNECTOR } from "../../../generated/values.js";
import { pointerFrom } from "../../json-pointer.js";
import { validateApiError, validateEvse, type ContractIssue } from "../../validation.js";
import { documentedResponse, type DocumentedResponse } from "../contract-document.js";
import type { HttpOutcome } from "../http-exchange.js";
import type { Finding, ReceivedResponse, Severity, VerifyCase } from "./types.js";

/** What Prism's proxy answered: its status and the `sl-violations` it attached. */
export interface PrismView {
  status: number;
  violations: PrismViolation[];
}

export interface PrismViolation {
  location: string[];
  severity: string;
  code?: string | number;
  message: string;
}

export interface Judgement {
  response?: ReceivedResponse;
  findings: Finding[];
  notes: string[];
}

const BODY_EXCERPT = 500;
/** A response without `x-provenance` is published on the endpoint's own page: certain. */
const isCertain = (documented: DocumentedResponse) => documented.provenance === undefined;

export const mediaTypeOf = (contentType: string | undefined) => contentType?.split(";")[0]?.trim().toLowerCase();

function parseBody(body: Buffer): { json: true; value: unknown } | { json: false; text: string } {
  const text = body.toString("utf8");
  try {
    return { json: true, value: JSON.parse(text) };
  } catch {
    return { json: false, text: text.length > BODY_EXCERPT ? `${text.slice(0, BODY_EXCERPT)}…` : text };
  }
}

const fromIssue = (severity: Severity, issue: ContractIssue): Finding => ({
  severity,
  rule: issue.keyword,
  pointer: issue.path,
  message: issue.message,
  source: "contract",
});

/** Prism's location `["response", "body", "connectors", "0"]` as a JSON Pointer into the body. */
const pointerOf = (location: readonly string[]) =>
  location[1] === "body" ? pointerFrom(location.slice(2)) : "";

/** A Prism finding adds nothing when the validators already flagged the same value or one inside it. */
function coveredBy(findings: readonly Finding[], pointer: string, prismLocation: readonly string[]): boolean {
  if (prismLocation.length <= 1) return findings.some((f) => f.pointer === "" && f.source === "contract");
  if (prismLocation[1] !== "body") return false;
  return findings.some((f) => f.pointer === pointer || f.pointer.startsWith(`${pointer}/`) || f.rule === "json");
}

/** Checks of meaning the schema cannot express: the EVSE and connector asked for, with the patch applied. */
function meaningChecks(evse: Record<string, unknown>, kase: VerifyCase, path: { uid: number; connectorId: number }): Finding[] {
  const warn = (rule: string, pointer: string, message: string): Finding => ({ severity: "warning", rule, pointer, message, source: "verify" });
  const findings: Finding[] = [];
  if (evse["uid"] !== path.uid) findings.push(warn("same-evse", "/uid", `is ${JSON.stringify(evse["uid"])}, but the request was for EVSE ${path.uid}`));
  const connectors = Array.isArray(evse["connectors"]) ? (evse["connectors"] as Array<Record<string, unknown>>) : [];
  const index = connectors.findIndex((c) => c?.["id"] === path.connectorId);
  if (index < 0) {
    findings.push(warn("patched-connector", "/connectors", `has no connector with id ${path.connectorId}, the one the request patched`));
  } else if (kase.kind !== "invalid" && kase.body !== null && typeof kase.body === "object") {
    for (const [field, value] of Object.entries(kase.body)) {
      const shown = connectors[index]?.[field];
      if (shown !== value) {
        findings.push(warn("patch-applied", `/connectors/${index}/${field}`, `is ${JSON.stringify(shown)} after a patch that set it to ${JSON.stringify(value)}`));
      }
    }
  }
  return findings;
}

function bodyFindings(
  documented: DocumentedResponse,
  success: boolean,
  mediaType: string | undefined,
  contentType: string | undefined,
  parsed: ReturnType<typeof parseBody>,
): { findings: Finding[]; notes: string[]; validEvse: boolean } {
  // Error bodies are judged as warnings while the envelope is only documented nearby: the contract
  // says clients must cope with error bodies of another shape.
  const certain = success || isCertain(documented);
  const severity: Severity = certain ? "violation" : "warning";
  const findings: Finding[] = [];
  const notes = () =>
    certain || findings.length === 0 ? [] : [`error bodies are judged as warnings: the error envelope is ${String(documented.provenance).replaceAll("-", " ")}, not certain`];
  if (documented.mediaTypes.length > 0 && (mediaType === undefined || !documented.mediaTypes.includes(mediaType))) {
    findings.push({
      severity,
      rule: "content-type",
      pointer: "",
      message: `content type is ${contentType === undefined ? "missing" : JSON.stringify(contentType)}; the contract documents ${documented.mediaTypes.join(", ")} for ${documented.key}`,
      source: "contract",
    });
  }
  if (!parsed.json) {
    findings.push({ severity, rule: "json", pointer: "", message: `the body is not JSON: ${JSON.stringify(parsed.text)}`, source: "contract" });
    return { findings, notes: notes(), validEvse: false };
  }
  const result = success ? validateEvse(parsed.value) : validateApiError(parsed.value);
  if (!result.ok) findings.push(...result.issues.map((issue) => fromIssue(severity, issue)));
  return { findings, notes: notes(), validEvse: success && result.ok };
}

function prismFindings(prism: PrismView, kase: VerifyCase, contract: readonly Finding[], errorSeverity: Severity): Finding[] {
  const found: Finding[] = [];
  for (const v of prism.violations) {
    const severity: Severity = v.severity === "Error" ? errorSeverity : "warning";
    if (v.location[0] === "request") {
      // Invalid cases break the request on purpose; for the others, a disagreement is worth a look.
      if (kase.kind !== "invalid") {
        found.push({ severity: "warning", rule: "prism-request", pointer: "", message: `Prism rejects a patch the compiled validators accept: ${v.message}`, source: "prism" });
      }
      continue;
    }
    const pointer = pointerOf(v.location);
    if (coveredBy(contract, pointer, v.location)) continue;
    found.push({ severity, rule: String(v.code ?? "prism"), pointer, message: v.message, source: "prism" });
  }
  return found;
}

/** Judges the provider's answer to `kase`, with Prism's view of it when Prism passed it through. */
export function judgeExchange(input: {
  kase: VerifyCase;
  outcome: HttpOutcome;
  prism: PrismView | undefined;
  path: { uid: number; connectorId: number };
}): Judgement {
  const { kase, outcome, prism, path } = input;
  if (outcome.kind === "timeout") {
    return { findings: [{ severity: "violation", rule: "timeout", pointer: "", message: `no answer within ${outcome.timeoutMs} ms`, source: "verify" }], notes: [] };
  }
  if (outcome.kind === "failed") {
    return { findings: [{ severity: "violation", rule: "connection", pointer: "", message: `the exchange failed: ${outcome.error}`, source: "verify" }], notes: [] };
  }
  const contentType = outcome.headers["content-type"];
  const mediaType = mediaTypeOf(contentType);
  const parsed = parseBody(outcome.body);
  const response: ReceivedResponse = {
    status: outcome.status,
    contentType,
    body: parsed.json ? parsed.value : parsed.text,
    durationMs: outcome.durationMs,
  };
  const findings: Finding[] = [];
  const notes: string[] = [];
  const success = outcome.status >= 200 && outcome.status < 300;
  const documented = documentedResponse(outcome.status);

  if (!documented) {
    findings.push({
      severity: "violation",
      rule: "status",
      pointer: "",
      message: `${outcome.status} is not a documented status; the contract documents ${UPDATE_CONNECTOR.documentedStatuses.join(", ")}`,
      source: "contract",
    });
  }
  if (kase.kind === "invalid" && success) {
    findings.push({
      severity: "violation",
      rule: "accepts-invalid",
      pointer: kase.breaks?.pointer ?? "",
      message: `answered ${outcome.status} to a patch the contract rejects (${kase.title}); a documented 4xx was expected`,
      source: "contract",
    });
  } else if (kase.kind === "invalid" && outcome.status >= 500) {
    findings.push({
      severity: "warning",
      rule: "invalid-patch-5xx",
      pointer: "",
      message: `answered ${outcome.status} to an invalid patch: the provider failed instead of rejecting it with a documented 4xx`,
      source: "verify",
    });
  }
  let errorSeverity: Severity = "violation";
  if (documented) {
    const judged = bodyFindings(documented, success, mediaType, contentType, parsed);
    findings.push(...judged.findings);
    notes.push(...judged.notes);
    if (!success && !isCertain(documented)) errorSeverity = "warning";
    if (judged.validEvse && parsed.json) {
      findings.push(...meaningChecks(parsed.value as Record<string, unknown>, kase, path));
    }
  }
  if (prism && prism.status === outcome.status) {
    findings.push(...prismFindings(prism, kase, findings, errorSeverity));
  } else if (prism) {
    notes.push(
      `Prism answered ${prism.status} instead of passing on the provider's ${outcome.status} (it re-mocks a 501 and cannot read a JSON-typed body that is not JSON); judged by the compiled validators alone`,
    );
  }
  return { response, findings, notes };
}
