// Provider verification: sends the contract's examples, the auth probe, the fixed cases at the
// schema's edges, then generated valid and invalid patches, one at a time through Prism's
// validation proxy, judges every answer, and puts the connector back on every way out of the run.
import { UPDATE_CONNECTOR } from "../../../generated/values.js";
import { createCoverageRecorder, type ContractCoverage } from "../../coverage/index.js";
import { createRedactor, type Redactor } from "../../redact.js";
import { formatIssues, validateConnectorPath } from "../../validation.js";
import { contractVersion, requestBody } from "../contract-document.js";
import { sendHttp, type HttpOutcome } from "../http-exchange.js";
import { patchRules } from "../patch-model.js";
import { loadPrism } from "../peers.js";
import { CASE_HEADER, targetUrl } from "../upstream-recorder.js";
import { startValidationProxy, type ValidationProxy } from "../validation-proxy.js";
import { judgeExchange, mediaTypeOf, type PrismView, type PrismViolation } from "./judge.js";
import { connectorPath, evsePath, type ConnectorAddress } from "./paths.js";
import { planCases } from "./plan.js";
import { ConnectorBaseline, connectorIn } from "./restore.js";
import { assertTargetAllowed, parseBaseUrl } from "./safety.js";
import { SetupError } from "./setup-error.js";
import type { ExchangeResult, Finding, HookError, RestoreResult, UnrestorableField, VerifyCase, VerifyReport } from "./types.js";

export interface VerifyOptions {
  /** The provider's base URL, e.g. `http://127.0.0.1:8080` or the sandbox. */
  baseUrl: string;
  uid: number;
  connectorId: number;
  /** Sent as `Authorization: Bearer ...`; never written to output or reports by verify. */
  apiKey: string;
  /** How many valid and how many invalid patches to generate (each). */
  runs?: number;
  /** Seed for the generated patches; the same seed sends the same patches. Random when absent. */
  seed?: number;
  /** Deadline for each exchange with the provider, headers and body. */
  timeoutMs?: number;
  /** verify refuses the production API unless this is set. */
  allowProduction?: boolean;
  /** Send the key over plain http to a host that is not loopback (a CI job's private service host). */
  allowInsecureHttp?: boolean;
  /** Stop after this many timeouts in a row: the provider is not answering. */
  maxConsecutiveTimeouts?: number;
  /** Aborting stops the run after the exchange in flight; the connector is still put back. */
  signal?: AbortSignal;
  /** Send one valid patch without Authorization and one with a wrong key, expecting 401/403 (default true). */
  authProbe?: boolean;
  /** Fail the verdict when the run covered less than this percent of the contract (0–100; see `report.coverage`). */
  failUnder?: number;
}

/**
 * What `verifyProvider` rejects with when a run that sent a write ends in an error: the error as
 * thrown, with the outcome of putting the connector back. A run that never wrote has no `restore`.
 */
export type VerifyError = Error & { restore?: RestoreResult };

export const VERIFY_DEFAULTS = { runs: 20, timeoutMs: 10_000, maxConsecutiveTimeouts: 3 } as const;

/** What a run is about to do, announced before the first request. */
export interface VerifyPlan {
  operation: string;
  connectorUrl: string;
  cases: readonly VerifyCase[];
  /** The connector fields the run may change. */
  fields: readonly string[];
  seed: number;
  runs: number;
  timeoutMs: number;
}

/**
 * Observers of a run. A hook that throws (or returns a rejected promise) is caught and reported in
 * `report.hookErrors`; it never stops the run or keeps the connector from being put back.
 */
export interface VerifyEvents {
  onPlan?(plan: VerifyPlan): void;
  /** The result of reading the connector before writing (to learn what to restore). */
  onRead?(learned: boolean, detail: string): void;
  onExchange?(result: ExchangeResult, done: number, total: number): void;
}

// Prism itself answers within the relay's deadline; this margin only guards against a stuck Prism.
const PRISM_GRACE_MS = 5_000;
const SETUP_STATUSES: Record<number, string> = {
  401: "the provider rejects the API key (401): check the key in the environment variable",
  403: "the API key lacks permission for this connector (403)",
  404: "the provider knows no such EVSE or connector (404): check --uid and --connector-id",
};
const UNREACHABLE = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

function checkOptions(options: VerifyOptions) {
  const target = parseBaseUrl(options.baseUrl, options.allowInsecureHttp ?? false);
  assertTargetAllowed(options.baseUrl, options.allowProduction ?? false);
  const address = { uid: options.uid, connectorId: options.connectorId };
  const path = validateConnectorPath(address);
  if (!path.ok) throw new SetupError(`the connector address is not valid: ${formatIssues(path.issues)}`);
  const runs = options.runs ?? VERIFY_DEFAULTS.runs;
  if (!Number.isInteger(runs) || runs < 0 || runs > 10_000) throw new SetupError(`runs must be a whole number from 0 to 10000, got ${runs}`);
  const timeoutMs = options.timeoutMs ?? VERIFY_DEFAULTS.timeoutMs;
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) throw new SetupError(`the timeout must be a positive number of milliseconds, got ${timeoutMs}`);
  if (!options.apiKey) throw new SetupError("no API key: verify sends it as Authorization: Bearer <key>");
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  if (!Number.isSafeInteger(seed)) throw new SetupError(`the seed must be a whole number, got ${seed}`);
  if (options.authProbe !== undefined && typeof options.authProbe !== "boolean") throw new SetupError(`authProbe must be true or false, got ${JSON.stringify(options.authProbe)}`);
  const { failUnder } = options;
  if (failUnder !== undefined && (typeof failUnder !== "number" || !(failUnder >= 0 && failUnder <= 100))) {
    throw new SetupError(`failUnder must be a percentage from 0 to 100, got ${JSON.stringify(failUnder)}`);
  }
  return { target, address, runs, timeoutMs, seed, failUnder, authProbe: options.authProbe ?? true, maxTimeouts: options.maxConsecutiveTimeouts ?? VERIFY_DEFAULTS.maxConsecutiveTimeouts };
}

function parseViolations(header: string | string[] | undefined): PrismViolation[] {
  if (typeof header !== "string") return [];
  try {
    return JSON.parse(header) as PrismViolation[];
  } catch {
    return []; // Prism truncates a long list ("Too many violations! ...") into something unparseable
  }
}

const answeredOk = (outcome: HttpOutcome) => outcome.kind === "answered" && outcome.status >= 200 && outcome.status < 300;

const MAX_HOOK_ERRORS = 20;

/** Calls the caller's hooks so that one that throws or rejects is recorded, never propagated. */
function guardedHooks(events: VerifyEvents, redact: Redactor, hookErrors: HookError[]): Required<VerifyEvents> {
  const record = (hook: HookError["hook"], error: unknown) => {
    if (hookErrors.length < MAX_HOOK_ERRORS) hookErrors.push({ hook, message: redact.error(error).message });
  };
  const call = (hook: HookError["hook"], run: () => unknown) => {
    try {
      const returned = run();
      if (returned instanceof Promise) returned.catch((error: unknown) => record(hook, error));
    } catch (error) {
      record(hook, error);
    }
  };
  return {
    onPlan: (plan) => call("onPlan", () => events.onPlan?.(plan)),
    onRead: (learned, detail) => call("onRead", () => events.onRead?.(learned, detail)),
    onExchange: (result, done, total) => call("onExchange", () => events.onExchange?.(result, done, total)),
  };
}

/**
 * Verifies a provider against the contract. Everything that comes from the provider is redacted as
 * it arrives, so the API key appears in nothing this returns, announces or throws, a provider's
 * echo of it included. Once a write was sent, the connector is put back however the run ends; when
 * it ends in an error, the error carries that outcome as `restore` (see {@link VerifyError}).
 */
export async function verifyProvider(options: VerifyOptions, events: VerifyEvents = {}): Promise<VerifyReport> {
  const redact = createRedactor(typeof options?.apiKey === "string" ? options.apiKey : "");
  try {
    return await runVerification(options, events, redact);
  } catch (error) {
    // Our own errors (SetupError) are built from our words and redacted parts; anything else may
    // carry outside text, so it is scrubbed, keeping its class and its restore outcome.
    if (error instanceof Error && !(error instanceof SetupError)) {
      error.message = redact.text(error.message);
      if (error.stack !== undefined) error.stack = redact.text(error.stack);
    }
    throw error;
  }
}

async function runVerification(options: VerifyOptions, events: VerifyEvents, redact: Redactor): Promise<VerifyReport> {
  const started = Date.now();
  const { target, address, runs, timeoutMs, seed, failUnder, authProbe, maxTimeouts } = checkOptions(options);
  const hookErrors: HookError[] = [];
  const hooks = guardedHooks(events, redact, hookErrors);
  const authorization = `Bearer ${options.apiKey}`;
  const fields = patchRules().fields.map((f) => f.name);
  const baseline = new ConnectorBaseline(fields, address.connectorId);
  const recorder = createCoverageRecorder();
  const context: ExchangeContext = { target, address, authorization, wrongAuthorization: `Bearer ${wrongKey(options.apiKey)}`, timeoutMs, redact, recorder };
  // The read doubles as the reachability check, before the slow load of Prism: a wrong URL fails fast.
  const read = await readBeforeWriting(context);
  if (read.unreachable) throw new SetupError(`cannot reach ${target.origin}: ${read.detail}`);
  const learned = read.evse !== undefined && baseline.learnFromRead(read.evse);

  loadPrism(); // fail on a missing peer before announcing anything
  const cases = await planCases({ runs, seed, authProbe });
  const connectorUrl = targetUrl(target, connectorPath(address)).href;
  const operation = `${UPDATE_CONNECTOR.method} ${UPDATE_CONNECTOR.path}`;
  hooks.onPlan({ operation, connectorUrl, cases, fields, seed, runs, timeoutMs });
  hooks.onRead(learned, read.detail);

  const exchanges: ExchangeResult[] = [];
  let stoppedEarly: string | undefined;
  let interrupted = false;
  let wrote = false;
  let failure: { error: unknown } | undefined;
  let restore: RestoreResult | undefined;

  const proxy = await startValidationProxy({ target, timeoutMs });
  try {
    try {
      let timeoutsInARow = 0;
      for (const [index, kase] of cases.entries()) {
        if (options.signal?.aborted) {
          interrupted = true;
          stoppedEarly = "interrupted before every request was sent";
          break;
        }
        baseline.willSend(kase.body);
        wrote = true;
        const { result, outcome, rawBody } = await exchange(proxy, kase, context);
        exchanges.push(result);
        if (index === 0) assertMeaningfulStart(outcome, target, context.redact);
        if (answeredOk(outcome) && rawBody !== undefined) baseline.learnFromAnswer(rawBody);
        hooks.onExchange(result, exchanges.length, cases.length);
        timeoutsInARow = outcome.kind === "timeout" ? timeoutsInARow + 1 : 0;
        if (timeoutsInARow >= maxTimeouts) {
          stoppedEarly = `stopped after ${timeoutsInARow} timeouts in a row: the provider is not answering`;
          break;
        }
      }
    } catch (error) {
      failure = { error };
    }
    // Every way out of the loop comes here: the end, an interruption, an error of ours or a hook's,
    // a provider that stopped answering. Only a run that never wrote has nothing to put back.
    if (wrote) restore = await putBack(proxy, baseline, context, exchanges);
  } finally {
    await proxy.close();
  }
  if (failure) throw withRestore(failure.error, restore);
  restore ??= nothingWritten(baseline);

  const runFindings = judgeRun(exchanges);
  const failed = exchanges.filter((e) => e.findings.some((f) => f.severity === "violation")).length;
  const warnings = exchanges.reduce((n, e) => n + e.findings.filter((f) => f.severity === "warning").length, 0);
  const requests = exchanges.filter((e) => e.case.kind !== "restore").length;
  // Timeouts that stop a run are a violation; an interruption with nothing wrong so far is no verdict.
  const violated = failed > 0 || runFindings.length > 0 || (stoppedEarly !== undefined && !interrupted);
  const coverage = recorder.coverage();
  const underCovered = failUnder !== undefined && !interrupted && coverage.percent < failUnder;
  const reasons = [...(violated ? ["contract violated"] : []), ...(underCovered ? [`coverage under ${failUnder}%`] : [])];
  const broken = reasons.length > 0;
  return {
    tool: "spirii-contract verify",
    contractVersion: contractVersion(),
    operation,
    target: target.href,
    uid: address.uid,
    connectorId: address.connectorId,
    seed,
    runs,
    timeoutMs,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    verdict: broken ? "violated" : interrupted ? "interrupted" : "holds",
    counts: { requests, exchanges: exchanges.length, failed, warnings, notRun: cases.length - requests },
    exchanges,
    runFindings,
    stoppedEarly,
    restore,
    hookErrors,
    coverage,
    ...(failUnder === undefined ? {} : { failUnder }),
    reasons,
  };
}

/** The error a run ended with, carrying the restore outcome; something thrown that is not an Error becomes one. */
function withRestore(error: unknown, restore: RestoreResult | undefined): VerifyError {
  const failure: VerifyError = error instanceof Error ? error : new Error(`verify stopped: ${String(error)}`);
  if (restore) failure.restore = restore;
  return failure;
}

/** A key that is certainly not the caller's, for the auth probe. */
function wrongKey(apiKey: string): string {
  const wrong = "spirii-contract-verify-wrong-key";
  return wrong === apiKey ? `${wrong}-2` : wrong;
}

interface ExchangeContext {
  target: URL;
  address: ConnectorAddress;
  authorization: string;
  /** What the auth probe sends instead of the key. */
  wrongAuthorization: string;
  timeoutMs: number;
  redact: Redactor;
  /** Records what each exchange exercised of the contract. */
  recorder: ReturnType<typeof createCoverageRecorder>;
}

interface Exchanged {
  result: ExchangeResult;
  outcome: HttpOutcome;
  /** The provider's parsed body before redaction, for learning the connector's values only. */
  rawBody?: unknown;
}

function credentialsOf(kase: VerifyCase, context: ExchangeContext): Record<string, string> {
  if (kase.credentials === "none") return {};
  return { authorization: kase.credentials === "wrong-key" ? context.wrongAuthorization : context.authorization };
}

async function exchange(proxy: ValidationProxy, kase: VerifyCase, context: ExchangeContext): Promise<Exchanged> {
  const path = connectorPath(context.address);
  const body = JSON.stringify(kase.body);
  // Prism forwards only objects and arrays faithfully: it drops a falsy body (null, false, 0)
  // but keeps its Content-Length, so the provider waits for bytes that never come, and it sends a
  // JSON string unquoted. Other bodies go around Prism, through the relay alone.
  const aroundPrism = typeof kase.body !== "object" || kase.body === null;
  const viaPrism = await sendHttp({
    method: UPDATE_CONNECTOR.method,
    url: new URL(path, aroundPrism ? proxy.relayUrl : proxy.url),
    headers: { ...credentialsOf(kase, context), "content-type": requestBody().mediaType, accept: "application/json", [CASE_HEADER]: kase.id },
    body,
    timeoutMs: context.timeoutMs + PRISM_GRACE_MS,
  });
  const recorded = proxy.take(kase.id);
  const request = { method: UPDATE_CONNECTOR.method, url: targetUrl(context.target, path).href, body };
  if (!recorded) {
    // Prism answered without asking the provider; nothing the provider did can be judged.
    const outcome: HttpOutcome = { kind: "failed", error: "Prism did not forward the request to the provider", code: undefined, durationMs: viaPrism.durationMs };
    const finding: Finding = { severity: "violation", rule: "not-forwarded", pointer: "", message: describeUnforwarded(viaPrism, context.redact), source: "verify" };
    return { outcome, result: { case: kase, request, outcome: "failed", durationMs: viaPrism.durationMs, findings: [finding], notes: [] } };
  }
  const prism: PrismView | undefined =
    viaPrism.kind === "answered" && !aroundPrism ? { status: viaPrism.status, violations: parseViolations(viaPrism.headers["sl-violations"]) } : undefined;
  const judged = judgeExchange({ kase, outcome: recorded.outcome, prism, path: context.address, redact: context.redact });
  if (aroundPrism) judged.notes.push(`sent around Prism, which cannot forward a body of ${body}; judged by the compiled validators alone`);
  if (recorded.request.body !== body) judged.notes.push(`the provider received ${JSON.stringify(recorded.request.body)}, not the body sent`);
  const outcome = recorded.outcome;
  // Coverage counts only contract items, so the raw body can be given: nothing of it is kept.
  context.recorder.request(kase.body);
  if (outcome.kind === "answered") context.recorder.response(outcome.status, judged.rawBody);
  const result: ExchangeResult = {
    case: kase,
    request,
    outcome: outcome.kind,
    ...(judged.response ? { response: judged.response } : {}),
    ...(outcome.kind === "timeout" ? { error: `no answer within ${outcome.timeoutMs} ms` } : outcome.kind === "failed" ? { error: context.redact.text(outcome.error) } : {}),
    durationMs: outcome.durationMs,
    findings: judged.findings,
    notes: judged.notes,
  };
  return { result, outcome, ...(judged.rawBody === undefined ? {} : { rawBody: judged.rawBody }) };
}

// Prism's answer may quote the provider's: outside text, redacted before it is cut.
const describeUnforwarded = (viaPrism: HttpOutcome, redact: Redactor) =>
  viaPrism.kind === "answered"
    ? `Prism answered ${viaPrism.status} itself without forwarding the request: ${redact.text(viaPrism.body.toString("utf8")).slice(0, 300)}`
    : `Prism did not answer: ${viaPrism.kind === "timeout" ? "timeout" : redact.text(viaPrism.error)}`;

/** A first answer that says the set-up is wrong (unreachable, bad key, unknown connector) ends the run as exit 2. */
function assertMeaningfulStart(outcome: HttpOutcome, target: URL, redact: Redactor): void {
  if (outcome.kind === "failed" && outcome.code !== undefined && UNREACHABLE.has(outcome.code)) {
    throw new SetupError(`cannot reach ${target.origin}: ${redact.text(outcome.error)}`);
  }
  if (outcome.kind === "answered" && SETUP_STATUSES[outcome.status]) {
    throw new SetupError(`${SETUP_STATUSES[outcome.status]}; nothing was changed`);
  }
}

/** Reads the EVSE (a sibling endpoint, not this contract) to learn the connector's values before any write. */
async function readBeforeWriting({ target, address, authorization, timeoutMs, redact }: ExchangeContext) {
  const url = targetUrl(target, evsePath(address));
  const outcome = await sendHttp({ method: "GET", url, headers: { authorization, accept: "application/json" }, timeoutMs });
  if (outcome.kind === "failed") {
    return { evse: undefined, unreachable: outcome.code !== undefined && UNREACHABLE.has(outcome.code), detail: redact.text(outcome.error) };
  }
  if (outcome.kind === "timeout") return { evse: undefined, unreachable: false, detail: `GET ${url.pathname}: no answer within ${timeoutMs} ms` };
  const detail = `GET ${url.pathname} answered ${outcome.status}`;
  if (outcome.status !== 200 || mediaTypeOf(outcome.headers["content-type"]) !== "application/json") return { evse: undefined, unreachable: false, detail };
  try {
    return { evse: JSON.parse(outcome.body.toString("utf8")) as unknown, unreachable: false, detail };
  } catch {
    return { evse: undefined, unreachable: false, detail: `${detail} with a body that is not JSON` };
  }
}

/** Whether any patch so far may have changed the connector: a 2xx, or no answer at all. */
const mayHaveChanged = (exchanges: readonly ExchangeResult[]) =>
  exchanges.some((e) => e.case.kind !== "restore" && (e.response === undefined || (e.response.status >= 200 && e.response.status < 300)));

/** For a run that never wrote: nothing to put back. */
function nothingWritten(baseline: ConnectorBaseline): RestoreResult {
  return { source: baseline.learnedFrom, patch: {}, accepted: undefined, unrestorable: [], mayHaveChanged: false };
}

/** Sends the patch that puts the connector back. Never throws: a failure is part of the outcome. */
async function putBack(proxy: ValidationProxy, baseline: ConnectorBaseline, context: ExchangeContext, exchanges: ExchangeResult[]): Promise<RestoreResult> {
  let base: Omit<RestoreResult, "accepted" | "unrestorable"> = { source: baseline.learnedFrom, patch: {}, mayHaveChanged: true };
  let unrestorable: UnrestorableField[] = [];
  try {
    const changed = mayHaveChanged(exchanges);
    const planned = baseline.plan();
    const { patch } = planned;
    // A field no patch can have changed (every one was refused) is not lost, whatever its earlier value.
    unrestorable = changed ? planned.unrestorable : [];
    base = { source: baseline.learnedFrom, patch, mayHaveChanged: changed };
    if (Object.keys(patch).length === 0) return { ...base, accepted: undefined, unrestorable: withLastSeen(unrestorable, exchanges, context.address) };
    const kase: VerifyCase = { id: "restore", kind: "restore", title: `put back ${Object.keys(patch).join(", ")}`, body: patch };
    const { result, outcome } = await exchange(proxy, kase, context);
    exchanges.push(result);
    return { ...base, accepted: answeredOk(outcome), unrestorable: withLastSeen(unrestorable, exchanges, context.address) };
  } catch (error) {
    // Planning the restore or sending it failed: say so, with what is known, rather than lose the run's outcome.
    return { ...base, accepted: false, unrestorable, error: context.redact.error(error).message };
  }
}

/** Adds each field's value in the last answer that showed the connector. */
function withLastSeen(fields: UnrestorableField[], exchanges: readonly ExchangeResult[], address: ConnectorAddress): UnrestorableField[] {
  const last = exchanges
    .map((e) => (e.response && e.response.status >= 200 && e.response.status < 300 ? connectorIn(e.response.body, address.connectorId) : undefined))
    .filter((c) => c !== undefined)
    .at(-1);
  return fields.map((f) => (last && f.field in last ? { ...f, lastSeen: last[f.field] } : f));
}

/** Findings about the run as a whole. */
function judgeRun(exchanges: readonly ExchangeResult[]): Finding[] {
  const validOnes = exchanges.filter((e) => e.case.kind === "example" || e.case.kind === "valid");
  const answered = validOnes.filter((e) => e.response !== undefined);
  if (answered.length === 0 || answered.some((e) => e.response!.status >= 200 && e.response!.status < 300)) return [];
  const statuses = new Map<number, number>();
  for (const e of answered) statuses.set(e.response!.status, (statuses.get(e.response!.status) ?? 0) + 1);
  const summary = [...statuses].map(([status, n]) => `${status} ×${n}`).join(", ");
  return [
    {
      severity: "violation",
      rule: "no-success",
      pointer: "",
      message: `none of the ${validOnes.length} valid patches was accepted (answers: ${summary}), so the shape of a 200 answer was never checked`,
      source: "verify",
    },
  ];
}
