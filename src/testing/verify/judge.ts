// Judges one exchange against the contract: the status must be documented, a 200 must carry a
// contract-valid EVSE as JSON, an invalid patch must not be accepted, and error bodies should carry
// the error envelope. The compiled 2020-12 validators decide; Prism's findings are added where they
// see something the validators did not (Prism 5 reads 3.1 schemas with draft-07 semantics).
//
// Everything the provider sent is redacted as it arrives (src/redact.ts): the body is kept as a
// redacted copy, and a finding's text quotes that copy, never the raw value. Verify's own words
// (the rule, the contract's field names in a pointer) are never rewritten.
import { OCPP_TO_OCPI_STATUS, UPDATE_CONNECTOR } from "../../../generated/values.js";
import type { Redactor } from "../../redact.js";
import { escapePointer, unescapePointer, valueAtPointer } from "../../json-pointer.js";
import { judgeEnumValues } from "../../enum-values.js";
import { toIssues, type ContractIssue } from "../../validation.js";
import { documentedStatusKey } from "../../documented-status.js";
import { OPERATIONS, type OperationId } from "../../../generated/operations.js";
import { operationValidators, type CompiledValidator } from "../../../generated/validators.js";
import { contractDocument, responseProvenance } from "../contract-document.js";
import type { HttpOutcome } from "../http-exchange.js";
import { checkOfRule, severityOf } from "./checks.js";
import { runExchangeChecks } from "./exchange-checks.js";
import type { Finding, ReceivedResponse, Severity, VerifyCase } from "./types.js";

/** A finding before it is filed under its check (see checks.ts). */
type Found = Omit<Finding, "check"> & { check?: string };

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
  /** The answer as reported: its body and content type redacted. */
  response?: ReceivedResponse;
  /** The parsed body before redaction, for comparing with the model (never reported). */
  rawBody?: unknown;
  findings: Finding[];
  notes: string[];
}

const BODY_EXCERPT = 500;

export const mediaTypeOf = (contentType: string | undefined) => contentType?.split(";")[0]?.trim().toLowerCase();

type ParsedBody = { json: true; value: unknown; redacted: unknown } | { json: false; text: string };

function parseBody(body: Buffer, redact: Redactor): ParsedBody {
  const text = body.toString("utf8");
  try {
    const value: unknown = JSON.parse(text);
    return { json: true, value, redacted: redact.value(value) };
  } catch {
    // Redacted whole, then cut: a cut first could leave a piece of the key behind.
    const safe = redact.text(text);
    return { json: false, text: safe.length > BODY_EXCERPT ? `${safe.slice(0, BODY_EXCERPT)}…` : safe };
  }
}

let contractNames: ReadonlySet<string> | undefined;
/** Every property name the contract defines: verify's own vocabulary, safe to show as it is. */
function namesInContract(): ReadonlySet<string> {
  if (contractNames) return contractNames;
  const names = new Set<string>();
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== "object") return;
    if (Array.isArray(node)) return node.forEach(walk);
    for (const [key, value] of Object.entries(node)) {
      if (key === "properties" && value !== null && typeof value === "object") for (const name of Object.keys(value)) names.add(name);
      walk(value);
    }
  };
  walk(contractDocument());
  contractNames = names;
  return names;
}


/** A pointer into the provider's body, shown safely: array indexes and the contract's names as they are, any other name redacted. */
function safePointer(tokens: readonly string[], redact: Redactor): string {
  return tokens.map((token) => `/${escapePointer(/^\d+$/.test(token) || namesInContract().has(token) ? token : redact.text(token))}`).join("");
}
const tokensOf = (pointer: string) => (pointer === "" ? [] : pointer.split("/").slice(1).map(unescapePointer));


const GOT = ", got ";
const GOT_LENGTH = 60;
/** An issue in the raw body, told safely: the value it quotes comes from the redacted copy. */
function fromIssue(severity: Severity, issue: ContractIssue, raw: unknown, redact: Redactor): Found {
  const tokens = tokensOf(issue.path);
  let message = issue.message;
  const got = message.lastIndexOf(GOT);
  if (got >= 0) {
    const value = valueAtPointer(raw, issue.path);
    const shown = JSON.stringify(redact.value(value)) ?? "undefined";
    message = `${message.slice(0, got)}${GOT}${shown.length > GOT_LENGTH ? `${shown.slice(0, GOT_LENGTH - 3)}...` : shown}${ocppHint(issue, value)}`;
  }
  return { severity, rule: issue.keyword, pointer: safePointer(tokens, redact), message, source: "contract" };
}

/** OCPP 1.6's casing where the OCPI status belongs is the likeliest provider bug: say so, and where the mapping lives. */
function ocppHint(issue: ContractIssue, value: unknown): string {
  if (issue.keyword !== "enum" || typeof value !== "string" || !Object.hasOwn(OCPP_TO_OCPI_STATUS, value)) return "";
  const ocpi = OCPP_TO_OCPI_STATUS[value as keyof typeof OCPP_TO_OCPI_STATUS];
  return (
    `. ${JSON.stringify(value)} is an OCPP 1.6 connector status, not the OCPI status this API reports: the likeliest provider bug. ` +
    `Map it with ocppToOcpiStatus (spirii-connector-contract), from the table in the contract's EvseStatus: ${JSON.stringify(value)} -> ${JSON.stringify(ocpi)}`
  );
}

/** Prism's location `["response", "body", "connectors", "0"]` as a JSON Pointer into the body. */
const pointerOf = (location: readonly string[], redact: Redactor) => (location[1] === "body" ? safePointer(location.slice(2), redact) : "");

/** A Prism finding adds nothing when the validators already flagged the same value or one inside it. */
function coveredBy(findings: readonly Found[], pointer: string, prismLocation: readonly string[]): boolean {
  if (prismLocation.length <= 1) return findings.some((f) => f.pointer === "" && f.source === "contract");
  if (prismLocation[1] !== "body") return false;
  return findings.some((f) => f.pointer === pointer || f.pointer.startsWith(`${pointer}/`) || f.rule === "json");
}

/** Checks of meaning the schema cannot express: the answer shows the EVSE and connector asked for (whether it shows the patch applied is judged against the model, in state.ts). */
function meaningChecks(evse: Record<string, unknown>, path: { uid: number; connectorId: number }, redact: Redactor): Found[] {
  const wrong = (rule: string, pointer: string, message: string): Found => ({ check: "patch-applied", severity: "violation", rule, pointer, message, source: "verify" });
  const show = (value: unknown) => JSON.stringify(redact.value(value));
  const findings: Found[] = [];
  if (evse["uid"] !== path.uid) findings.push(wrong("same-evse", "/uid", `is ${show(evse["uid"])}, but the request was for EVSE ${path.uid}`));
  const connectors = Array.isArray(evse["connectors"]) ? (evse["connectors"] as Array<Record<string, unknown>>) : [];
  if (!connectors.some((c) => c?.["id"] === path.connectorId)) {
    findings.push(wrong("patched-connector", "/connectors", `has no connector with id ${path.connectorId}, the one the request patched`));
  }
  return findings;
}

/**
 * The body of a documented answer: its content type, JSON, the documented schema (each issue at its
 * pointer), and the open enums (a look-alike of a known value is an issue, a new value a notice).
 * Judged as violations only when certain: the operation's own page publishes it and, for an error,
 * the response itself is not marked as documented nearby; otherwise as warnings, with a note why.
 */
function bodyFindings(
  operationId: OperationId,
  key: string,
  status: number,
  contentType: string | undefined,
  parsed: ParsedBody,
  redact: Redactor,
): { findings: Found[]; notes: string[]; valid: boolean; certain: boolean } {
  const facts = OPERATIONS[operationId];
  const success = status >= 200 && status < 300;
  const published = facts.provenance === "published";
  const provenance = success ? undefined : responseProvenance(operationId, key);
  const certain = published && provenance === undefined;
  const severity: Severity = certain ? "violation" : "warning";
  const findings: Found[] = [];
  const notes = () => {
    if (certain || findings.every((f) => f.severity === "notice")) return [];
    return [
      published
        ? `error bodies are judged as warnings: the error envelope is ${String(provenance).replaceAll("-", " ")}, not certain`
        : `answers of ${operationId} are judged as warnings: the operation is ${facts.provenance.replaceAll("-", " ")}, not certain`,
    ];
  };
  const mediaType = (facts.responses as Readonly<Record<string, { readonly mediaType: string | null }>>)[key]?.mediaType ?? null;
  if (mediaType === null) return { findings, notes: [], valid: true, certain }; // no body documented: nothing to judge in it
  if (mediaTypeOf(contentType) !== mediaType) {
    findings.push({
      severity,
      rule: "content-type",
      pointer: "",
      message: `content type is ${contentType === undefined ? "missing" : JSON.stringify(contentType)}; the contract documents ${mediaType} for ${operationId} ${key}`,
      source: "contract",
    });
  }
  if (!parsed.json) {
    findings.push({ severity, rule: "json", pointer: "", message: `the body is not JSON: ${JSON.stringify(parsed.text)}`, source: "contract" });
    return { findings, notes: notes(), valid: false, certain };
  }
  const validate = (operationValidators[operationId].responses as Readonly<Record<string, CompiledValidator<unknown> | undefined>>)[key];
  const issues = validate && !validate(parsed.value) ? toIssues(validate.errors, parsed.value) : [];
  // The compiled schema accepts any string in an open enum (new values are non-breaking, Spirii's
  // versioning policy); a known value in another casing or an OCPP status is still a violation of it.
  const enums = judgeEnumValues(parsed.value, { operationId, status });
  issues.push(...enums.violations);
  findings.push(...issues.map((issue) => fromIssue(severity, issue, parsed.value, redact)));
  findings.push(...enums.unknown.map((u) => unknownValueNotice(u.path, u.value, u.enum, redact)));
  return { findings, notes: notes(), valid: issues.length === 0, certain };
}

function unknownValueNotice(pointer: string, value: unknown, enumName: string, redact: Redactor): Found {
  return {
    check: "enum-value",
    severity: "notice",
    rule: "unknown-value",
    pointer: safePointer(tokensOf(pointer), redact),
    message: `${JSON.stringify(redact.value(value))} is not a known ${enumName} value: new enum values are non-breaking (Spirii's versioning policy), so clients must fall back on unknown ones`,
    source: "contract",
  };
}

function prismFindings(prism: PrismView, kase: VerifyCase, contract: readonly Found[], errorSeverity: Severity, redact: Redactor): Found[] {
  const found: Found[] = [];
  for (const v of prism.violations) {
    const severity: Severity = v.severity === "Error" ? errorSeverity : "warning";
    if (v.location[0] === "request") {
      // Invalid cases and the auth probe break the request on purpose; for the others, a disagreement is worth a look.
      if (kase.kind !== "invalid" && kase.kind !== "auth") {
        found.push({ severity: "warning", rule: "prism-request", pointer: "", message: `Prism rejects a patch the compiled validators accept: ${redact.text(String(v.message))}`, source: "prism" });
      }
      continue;
    }
    const pointer = pointerOf(v.location, redact);
    if (coveredBy(contract, pointer, v.location)) continue;
    // Prism's text quotes the provider's body: outside text, redacted whole.
    found.push({ severity, rule: redact.text(String(v.code ?? "prism")), pointer, message: redact.text(String(v.message)), source: "prism" });
  }
  return found;
}

/**
 * The one judge of an answer, for every operation of the contract: driven by the registry (the
 * operation's documented statuses, each response's media type and compiled validator, its
 * provenance), it finds no answer or a broken connection, an undocumented status, the exchange
 * checks (exchange-checks.ts), and the body's content type, JSON, schema and open enums; for the
 * PATCH also that the answer shows the EVSE and connector asked for, and, when the answer went
 * through Prism, what Prism sees that the validators did not.
 */
export function judgeExchange(input: {
  kase: VerifyCase;
  outcome: HttpOutcome;
  /** Prism's view, for a PATCH sent through its validation proxy (undefined for anything else). */
  prism?: PrismView | undefined;
  path: { uid: number; connectorId: number };
  redact: Redactor;
  /** Whether the answer carries the key anywhere (status text, headers, body). */
  echoesKey: (outcome: Extract<HttpOutcome, { kind: "answered" }>) => boolean;
}): Judgement {
  const { kase, outcome, prism, path, redact } = input;
  // A case names its operation, or is the PATCH under test.
  const operationId = (kase.operation ?? UPDATE_CONNECTOR.operationId) as OperationId;
  if (outcome.kind === "timeout") {
    return { findings: filed([{ severity: "violation", rule: "timeout", pointer: "", message: `no answer within ${outcome.timeoutMs} ms`, source: "verify" }]), notes: [] };
  }
  if (outcome.kind === "failed") {
    return { findings: filed([{ severity: "violation", rule: "connection", pointer: "", message: `the exchange failed: ${redact.text(outcome.error)}`, source: "verify" }]), notes: [] };
  }
  const rawContentType = outcome.headers["content-type"];
  const contentType = rawContentType === undefined ? undefined : redact.text(rawContentType);
  const parsed = parseBody(outcome.body, redact);
  const response: ReceivedResponse = {
    status: outcome.status,
    contentType,
    body: parsed.json ? parsed.redacted : parsed.text,
    durationMs: outcome.durationMs,
  };
  const findings: Found[] = [];
  const notes: string[] = [];
  const success = outcome.status >= 200 && outcome.status < 300;
  const { documentedStatuses } = OPERATIONS[operationId];
  const key = documentedStatusKey(outcome.status, documentedStatuses);

  if (key === undefined) {
    findings.push({
      severity: "violation",
      rule: "status",
      pointer: "",
      message: `${outcome.status} is not a documented status of ${operationId}; the contract documents ${documentedStatuses.join(", ")}`,
      source: "contract",
    });
  }
  findings.push(...runExchangeChecks({ kase, status: outcome.status, path, echoesKey: input.echoesKey(outcome) }, severityOf));
  let errorSeverity: Severity = "violation";
  if (key !== undefined) {
    const judged = bodyFindings(operationId, key, outcome.status, contentType, parsed, redact);
    findings.push(...judged.findings);
    notes.push(...judged.notes);
    if (!success && !judged.certain) errorSeverity = "warning";
    // The PATCH answers with the EVSE it patched: it must be the one asked for.
    if (operationId === UPDATE_CONNECTOR.operationId && success && judged.valid && parsed.json && kase.kind !== "unknown") {
      findings.push(...meaningChecks(parsed.value as Record<string, unknown>, path, redact));
    }
  }
  if (prism && prism.status === outcome.status) {
    findings.push(...prismFindings(prism, kase, findings, errorSeverity, redact));
  } else if (prism) {
    notes.push(
      `Prism answered ${prism.status} instead of passing on the provider's ${outcome.status} (it re-mocks a 501 and cannot read a JSON-typed body that is not JSON); judged by the compiled validators alone`,
    );
  }
  return { response, ...(parsed.json ? { rawBody: parsed.value } : {}), findings: filed(findings), notes };
}

/** Each finding under its check: the one it names, or the one its rule belongs to. */
export const filed = (findings: readonly Found[]): Finding[] => findings.map((f) => ({ ...f, check: f.check ?? checkOfRule(f.rule, f.source) }));
