// Provider verification: reads the EVSE first (nothing is written unless every field a patch may
// change can be put back), then sends the contract's examples, the auth probe, the fixed cases at
// the schema's edges, patches of an EVSE and a connector that do not exist, then generated valid
// and invalid patches, one at a time through Prism's validation proxy, paced to the provider's
// rate limit. Each answer is judged by the checks (checks.ts), and the EVSE is read right before
// and right after each write and compared with the model (state.ts). The connector is put back on
// every way out of the run, paced and retried, and verified by reading it back.
import { GET_EVSE, UPDATE_CONNECTOR } from "../../../generated/values.js";
import { parseRetryAfter, RATE_LIMIT_LIMIT } from "../../client/retry.js";
import { sleep } from "../../client/transport.js";
import { createCoverageRecorder } from "../../coverage/index.js";
import { RateLimitPacer } from "../../rate-limit-pacer.js";
import { isLoopbackHost } from "../../base-url.js";
import { createRedactor, type Redactor } from "../../redact.js";
import { formatIssues, validateConnectorPath, validateConnectorUpdate, validateEvse } from "../../validation.js";
import { connectorOf, differences } from "../evse-model.js";
import { contractDocument, contractVersion, deref, requestBody } from "../contract-document.js";
import { sendHttp, type HttpOutcome } from "../http-exchange.js";
import { patchRules } from "../patch-model.js";
import { loadPrism } from "../peers.js";
import { CASE_HEADER, targetUrl } from "../upstream-recorder.js";
import { startValidationProxy, type ValidationProxy } from "../validation-proxy.js";
import { boundaryCases } from "./boundaries.js";
import { OPERATIONS, RATE_LIMIT_BUCKETS } from "../../../generated/operations.js";
import { LIST_REQUESTS, STOP_ACCEPTED, caseUrl, commandCases, judgeCommandEffect, pathOf, rateLimitBucket, judgeFamilyAnswer, operationScopes, same, sessionNotEnded, showsSession, verifyListEvses, type FamilyCase, type FamilyJudge, type SendFamilyCase, type SentFamilyCase } from "./family.js";
import type { OperationConsent, OperationScope } from "./types.js";
import { applyCheckSettings, checkSettingsProblems, type CheckSettings } from "./checks.js";
import { filed, judgeExchange, mediaTypeOf, type PrismView, type PrismViolation } from "./judge.js";
import { connectorPath, evsePath, type ConnectorAddress } from "./paths.js";
import { planCases } from "./plan.js";
import { assertTargetAllowed, parseBaseUrl } from "./safety.js";
import { SetupError } from "./setup-error.js";
import { StateOracle, type WriteOutcome } from "./state.js";
import type { ExchangeResult, Finding, HookError, RestoreResult, UnrestorableField, VerifyCase, VerifyReport } from "./types.js";

export interface VerifyOptions extends OperationConsent {
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
  /**
   * The most writes a minute verify sends. Writes are spread evenly at this pace, and never faster
   * than the provider's X-RateLimit headers and 429s allow. Default: the documented limit (120) for
   * a remote provider; no cap for one on loopback (a local test server), which its own headers
   * still pace. Set it lower for a key other jobs share.
   */
  maxWritesPerMinute?: number;
  /** How long one case may wait out 429s before it is reported as not judged (default 120 000 ms: two windows). */
  rateLimitWaitMs?: number;
  /** How long the restore keeps trying (429s, 5xx, no answer) before it is reported incomplete (default 120 000 ms). */
  restoreDeadlineMs?: number;
  /** Tune a check: `{ "not-a-server-error": "warning", "prism": "off" }` (ids in checks.ts). */
  checks?: CheckSettings;
  /** The transactionId a consented remoteStopTransaction stops; required with `allowDestructive` (verify never guesses one). */
  transactionId?: number;
  /**
   * How long verify keeps reading the EVSE back after a consented remote stop answered `Accepted`
   * (OCPP's stop is asynchronous) before it reports the session as not ended (default 10 000 ms,
   * over a few paced reads).
   */
  stopSettleMs?: number;
}

/**
 * What `verifyProvider` rejects with when a run that sent a write ends in an error: the error as
 * thrown, with the outcome of putting the connector back. A run that never wrote has no `restore`.
 */
export type VerifyError = Error & { restore?: RestoreResult };

export const VERIFY_DEFAULTS = { runs: 20, timeoutMs: 10_000, maxConsecutiveTimeouts: 3, rateLimitWaitMs: 120_000, restoreDeadlineMs: 120_000, stopSettleMs: 10_000 } as const;

/** The write limit the contract documents: the PATCH's rate-limit bucket, in requests a minute. */
export function documentedWritesPerMinute(): number {
  return RATE_LIMIT_BUCKETS[UPDATE_CONNECTOR.rateLimitBucket].requestsPerMinute;
}

/** How long `writes` take at `perMinute` (null: no cap, 0 s), in whole seconds. */
export const estimatedSeconds = (writes: number, perMinute: number | null) => (perMinute === null ? 0 : Math.ceil((Math.max(0, writes - 1) * 60) / perMinute));

/** What a run is about to do, announced before the first request. */
export interface VerifyPlan {
  operation: string;
  /** Every operation of the contract: verified, only sent requests that cannot act, or skipped, and why. */
  operations: readonly OperationScope[];
  connectorUrl: string;
  cases: readonly VerifyCase[];
  /** The connector fields the run may change. */
  fields: readonly string[];
  seed: number;
  runs: number;
  timeoutMs: number;
  /**
   * Writes the run sends (the cases and one restore, more if a 429 sends one again) and how long they
   * take at the pace; `maxWritesPerMinute` null: no cap (a loopback provider by default), only the
   * provider's headers pace the run.
   */
  pace: { writes: number; maxWritesPerMinute: number | null; estimatedSeconds: number };
}

/** The connector as read before the first write: the values the restore puts back. */
export interface VerifyBaseline {
  /** The values of every field the run may change, exactly as read. */
  values: Record<string, unknown>;
  /** The read it came from, e.g. `GET /v2/evses/123456 answered 200`. */
  detail: string;
  /** Every other connector of the EVSE, with the fields a patch may set as read: what to set back if the run changed one and is killed. */
  otherConnectors?: Array<{ connectorId: number; values: Record<string, unknown> }>;
}

/**
 * Observers of a run. A hook that throws (or returns a rejected promise) is caught and reported in
 * `report.hookErrors`; it never stops the run or keeps the connector from being put back.
 */
export interface VerifyEvents {
  onPlan?(plan: VerifyPlan): void;
  /** The connector as read before the first write: what a person sets back if the run is killed. */
  onBaseline?(baseline: VerifyBaseline): void;
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
/** Keys shorter than this are looked for in answers only as `Bearer <key>`. */
const MIN_KEY_FOR_ECHO = 8;
/** How old a read may be and still serve as "right before" the next write. */
const FRESH_READ_MS = 50;
/** The pause between restore attempts that failed without a Retry-After (doubling, up to 8 s). */
const RESTORE_BACKOFF_MS = 500;
const wholeMs = (name: string, value: unknown, fallback: number) => {
  const ms = value ?? fallback;
  if (!Number.isInteger(ms) || (ms as number) <= 0) throw new SetupError(`${name} must be a positive whole number of milliseconds, got ${JSON.stringify(value)}`);
  return ms as number;
};

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
  // eslint-disable-next-line no-control-regex
  if (typeof options.apiKey !== "string" || /[\u0000-\u001f\u007f]/.test(options.apiKey)) {
    throw new SetupError("the API key contains a line break or another control character, which no HTTP header can carry: check how the variable was set (a trailing newline from a file?); nothing was sent");
  }
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  if (!Number.isSafeInteger(seed)) throw new SetupError(`the seed must be a whole number, got ${seed}`);
  if (options.authProbe !== undefined && typeof options.authProbe !== "boolean") throw new SetupError(`authProbe must be true or false, got ${JSON.stringify(options.authProbe)}`);
  const { failUnder } = options;
  if (failUnder !== undefined && (typeof failUnder !== "number" || !(failUnder >= 0 && failUnder <= 100))) {
    throw new SetupError(`failUnder must be a percentage from 0 to 100, got ${JSON.stringify(failUnder)}`);
  }
  const documented = documentedWritesPerMinute();
  const maxWritesPerMinute = options.maxWritesPerMinute ?? (isLoopbackHost(target.hostname) ? null : documented);
  if (maxWritesPerMinute !== null && (typeof maxWritesPerMinute !== "number" || !Number.isFinite(maxWritesPerMinute) || maxWritesPerMinute <= 0)) {
    throw new SetupError(`maxWritesPerMinute must be a positive number, got ${JSON.stringify(options.maxWritesPerMinute)}`);
  }
  for (const name of ["allowPhysical", "allowDestructive", "allowAvailability"] as const) {
    if (options[name] !== undefined && typeof options[name] !== "boolean") throw new SetupError(`${name} must be true or false, got ${JSON.stringify(options[name])}`);
  }
  if (options.transactionId !== undefined && !(Number.isSafeInteger(options.transactionId) && options.transactionId >= 0)) {
    throw new SetupError(`transactionId must be a whole number, got ${JSON.stringify(options.transactionId)}`);
  }
  // A remote stop ends a driver's session: verify never guesses which one.
  if (options.allowDestructive === true && options.transactionId === undefined) {
    throw new SetupError("allowDestructive ends a charging session: name it with transactionId (--transaction-id N); verify does not guess one");
  }
  const problems = checkSettingsProblems(options.checks);
  if (problems.length > 0) throw new SetupError(problems.join("; "));
  return {
    target,
    address,
    runs,
    timeoutMs,
    seed,
    failUnder,
    maxWritesPerMinute,
    checks: options.checks ?? {},
    consent: { allowPhysical: options.allowPhysical === true, allowDestructive: options.allowDestructive === true, allowAvailability: options.allowAvailability === true },
    transactionId: options.transactionId,
    rateLimitWaitMs: wholeMs("rateLimitWaitMs", options.rateLimitWaitMs, VERIFY_DEFAULTS.rateLimitWaitMs),
    restoreDeadlineMs: wholeMs("restoreDeadlineMs", options.restoreDeadlineMs, VERIFY_DEFAULTS.restoreDeadlineMs),
    stopSettleMs: wholeMs("stopSettleMs", options.stopSettleMs, VERIFY_DEFAULTS.stopSettleMs),
    authProbe: options.authProbe ?? true,
    maxTimeouts: options.maxConsecutiveTimeouts ?? VERIFY_DEFAULTS.maxConsecutiveTimeouts,
  };
}

function parseViolations(header: string | string[] | undefined): PrismViolation[] {
  if (typeof header !== "string") return [];
  try {
    return JSON.parse(header) as PrismViolation[];
  } catch {
    return []; // Prism truncates a long list ("Too many violations! ...") into something unparseable
  }
}

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
    onBaseline: (baseline) => call("onBaseline", () => events.onBaseline?.(baseline)),
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

const headersOf = (outcome: HttpOutcome) => {
  const headers = new Headers();
  if (outcome.kind !== "answered") return headers;
  for (const [name, value] of Object.entries(outcome.headers)) if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  return headers;
};

/** The two pacers of a run: writes at the capped pace and within the provider's window, reads within theirs. */
interface Pacing {
  writes: RateLimitPacer;
  reads: RateLimitPacer;
  /** Requests of another bucket (`remote-control`: the commands), each paced at its documented share of the write cap. */
  buckets: Map<string, RateLimitPacer>;
  /** The write cap of the run (null: none, a loopback provider). */
  maxWritesPerMinute: number | null;
  rateLimited: number;
  reads_sent: number;
  /** The first EVSE read (GET) whose body is not a contract-valid EVSE, and how many were not. */
  invalidRead: { count: number; first?: { path: string; issues: string } };
}

async function runVerification(options: VerifyOptions, events: VerifyEvents, redact: Redactor): Promise<VerifyReport> {
  const started = Date.now();
  const o = checkOptions(options);
  const { target, address, runs, timeoutMs, seed, failUnder, authProbe, maxTimeouts } = o;
  const hookErrors: HookError[] = [];
  const hooks = guardedHooks(events, redact, hookErrors);
  const authorization = `Bearer ${options.apiKey}`;
  const apiKey = options.apiKey;
  const fields = patchRules().fields.map((f) => f.name);
  const recorder = createCoverageRecorder();
  const pacing: Pacing = { writes: new RateLimitPacer({ minIntervalMs: o.maxWritesPerMinute === null ? 0 : 60_000 / o.maxWritesPerMinute }), reads: new RateLimitPacer(), buckets: new Map(), maxWritesPerMinute: o.maxWritesPerMinute, rateLimited: 0, reads_sent: 0, invalidRead: { count: 0 } };
  const context: ExchangeContext = {
    target,
    address,
    authorization,
    wrongAuthorization: `Bearer ${wrongKey(apiKey)}`,
    timeoutMs,
    redact,
    recorder,
    pacing,
    // A key this short turns up in ordinary text by chance: then only `Bearer <key>`, the header echoed, counts.
    echoesKey: (outcome) => {
      const needle = apiKey.length >= MIN_KEY_FOR_ECHO ? apiKey : authorization;
      return [outcome.body.toString("latin1"), outcome.body.toString("utf8"), JSON.stringify(outcome.headers)].some((t) => t.includes(needle));
    },
  };

  // The baseline, before anything else: it doubles as the reachability check, and without it nothing is written.
  const read = await readEvse(context, address.uid);
  const baseline = learnBaseline(read, fields, address, target, redact);
  const oracle = new StateOracle(address.connectorId, redact);
  context.seen = { start: read.evse, fields, changed: new Map(), writeUnread: false };

  loadPrism(); // fail on a missing peer before announcing anything
  const cases = [...(await planCases({ runs, seed, authProbe }))];
  // Patches of something that does not exist, placed after the auth probe: each address is read as
  // absent first, so a provider that creates it on a patch creates nothing real.
  const unknown = await unknownCases(context, read.evse, cases);
  const afterAuth = cases.findIndex((c) => c.kind !== "example" && c.kind !== "auth");
  cases.splice(afterAuth < 0 ? cases.length : afterAuth, 0, ...unknown);
  const connectorUrl = targetUrl(target, connectorPath(address)).href;
  const operation = `${UPDATE_CONNECTOR.method} ${UPDATE_CONNECTOR.path}`;
  // The family: what the consent given allows for each operation (family.ts), the commands' requests
  // known now; a valid request without consent goes only to the EVSE just read as absent.
  const scopes = operationScopes(o.consent);
  const absentUid = unknown.find((c) => c.id === "unknown:evse")?.address?.uid;
  const commands = commandCases(scopes, address, absentUid, o.transactionId);
  // Writes: the PATCH's cases and its restore, the commands' requests, and the availability round's two (its restore apart).
  // The availability round runs when it was asked for; the plan counts its writes from the same answer.
  const availabilityVerified = scopes.some((s) => s.effect === "restorable" && s.operationId !== UPDATE_CONNECTOR.operationId && s.mode === "verified");
  const availabilityWrites = availabilityVerified ? 2 : 0;
  const plannedWrites = cases.length + 1 + commands.length + availabilityWrites;
  const pace = { writes: plannedWrites, maxWritesPerMinute: o.maxWritesPerMinute, estimatedSeconds: estimatedSeconds(plannedWrites, o.maxWritesPerMinute) };
  hooks.onPlan({ operation, operations: scopes, connectorUrl, cases, fields, seed, runs, timeoutMs, pace });
  const otherConnectors = restoreTargets(baseline, read.evse, address.connectorId)
    .slice(1)
    .map((t) => ({ connectorId: t.connectorId, values: redact.value(t.before) }));
  hooks.onBaseline({ values: baseline.values, detail: read.detail, otherConnectors });

  const exchanges: ExchangeResult[] = [];
  let stoppedEarly: string | undefined;
  let interrupted = false;
  let wrote = false;
  let failure: { error: unknown } | undefined;
  let restore: RestoreResult | undefined;
  let model: unknown = read.evse;
  let lastRead: EvseRead | undefined = read;
  const createdElsewhere: UnrestorableField[] = [];
  /** The EVSE status the availability round could not put back (or could not read before it): the restore is incomplete. */
  const statusUnrestored: UnrestorableField[] = [];

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
        // The EVSE right before the write: what changed since the last read, another actor did. A
        // read-back of the previous write younger than FRESH_READ_MS serves (a fast pace, a test).
        const before = lastRead !== undefined && Date.now() - lastRead.at < FRESH_READ_MS ? lastRead : await readEvse(context, address.uid);
        const stateFindings: Finding[] = [];
        if (before.evse !== undefined) {
          stateFindings.push(...oracle.betweenWrites(model, before.evse));
          model = before.evse;
        }
        const sent = await sendPaced(proxy, kase, context, o.rateLimitWaitMs, options.signal);
        if (sent === "interrupted") {
          interrupted = true;
          stoppedEarly = "interrupted while waiting for the rate limit";
          break;
        }
        wrote = true;
        const { result, outcome, rawBody } = sent;
        if (index === 0) assertMeaningfulStart(outcome, target, context.redact);
        if (result.outcome !== "not-judged") {
          const after = await readEvse(context, address.uid);
          lastRead = after;
          const writeOutcome: WriteOutcome = outcome.kind !== "answered" || outcome.status >= 500 ? "unclear" : outcome.status < 300 ? "accepted" : "refused";
          if (after.evse !== undefined && before.evse !== undefined) {
            stateFindings.push(...oracle.judgeWrite(kase, writeOutcome, outcome.kind === "answered" ? outcome.status : undefined, before.evse, writeOutcome === "accepted" ? rawBody : undefined, after.evse));
            model = after.evse;
          } else {
            result.notes.push(`the EVSE could not be read ${before.evse === undefined ? "before" : "after"} this write (${after.evse === undefined ? after.detail : before.detail}), so its state was not compared`);
          }
          if (kase.kind === "unknown" && kase.address && kase.address.uid !== address.uid && writeOutcome !== "refused") {
            const check = await readEvse(context, kase.address.uid);
            if (check.status !== 404) createdElsewhere.push({ field: `EVSE ${kase.address.uid}`, reason: `a patch of this unknown EVSE answered ${outcome.kind === "answered" ? outcome.status : outcome.kind}, and it now reads as ${check.detail}: delete it` });
          }
        }
        result.findings = applyCheckSettings([...result.findings, ...filed(stateFindings)], o.checks);
        exchanges.push(result);
        hooks.onExchange(result, exchanges.length, cases.length);
        timeoutsInARow = outcome.kind === "timeout" ? timeoutsInARow + 1 : 0;
        if (timeoutsInARow >= maxTimeouts) {
          stoppedEarly = `stopped after ${timeoutsInARow} timeouts in a row: the provider is not answering`;
          break;
        }
      }
      // The rest of the family, once the PATCH's cases are through (so its model saw no other writer).
      if (stoppedEarly === undefined) {
        const total = cases.length + commands.length + LIST_REQUESTS + availabilityWrites;
        // Each request is judged whole (the exchange checks, then its own check, which may read the
        // EVSE back) and tuned by --check before anyone sees it: the hook, the reports.
        const send: SendFamilyCase = async (kase, judge) => {
          // Right before the send, after any read made for it: an abort that landed meanwhile sends
          // nothing more. A restore is sent all the same: putting back is what an abort asks for.
          if (options.signal?.aborted && kase.kind !== "restore") return "interrupted";
          const sent = await sendFamily(kase, context);
          const answer = { status: sent.result.response?.status, body: sent.body };
          const verdict = judge === undefined ? {} : await judge(answer);
          sent.result.findings = applyCheckSettings([...sent.result.findings, ...(verdict.findings ?? [])], o.checks);
          sent.result.notes.push(...(verdict.notes ?? []));
          exchanges.push(sent.result);
          hooks.onExchange(sent.result, exchanges.length, total);
          return { findings: sent.result.findings, ...answer };
        };
        const evse = read.evse as { chargeboxId?: unknown };
        await verifyListEvses(send, { uid: address.uid, chargeboxId: evse.chargeboxId }, redact, options.signal);
        // The EVSE read as absent before the PATCHes may exist now (a provider that creates what a
        // patch names): read again, and send nothing its way unless it still reads as 404.
        const stillAbsent = absentUid === undefined || options.signal?.aborted || (await readEvse(context, absentUid)).status === 404;
        // A restorable command's malformed bodies to the connector under test (consent given) are the
        // availability round's: it reads the status before any of them, so it puts back what it found.
        const ofRound = (kase: FamilyCase) => availabilityVerified && kase.address === undefined && OPERATIONS[kase.operation].effect === "restorable";
        for (const kase of commands.filter((k) => !ofRound(k))) {
          if (options.signal?.aborted) break;
          if (kase.address && !stillAbsent) continue;
          // A consented command to the connector under test: what it changed is read back, and
          // anything the restore can put back (stored settings) goes through it.
          const acts = kase.kind === "valid" && kase.address === undefined;
          if (acts) wrote = true;
          await send(kase, acts ? await commandEffect(kase, context, fields, { settleMs: o.stopSettleMs, transactionId: o.transactionId, signal: options.signal }) : undefined);
        }
        if (!options.signal?.aborted && availabilityVerified) {
          wrote = true;
          await availabilityRound(send, context, read.evse, o.restoreDeadlineMs, commands.filter(ofRound), statusUnrestored);
        }
        if (options.signal?.aborted) {
          interrupted = true;
          stoppedEarly = "interrupted during the operations beside the PATCH";
        }
      }
    } catch (error) {
      failure = { error };
    }
    // Every way out of the loop comes here: the end, an interruption, an error of ours or a hook's,
    // a provider that stopped answering. Only a run that never wrote has nothing to put back.
    // The restore's exchanges are judged and announced as every other: --check applied, then onExchange.
    const restoreTotal = cases.length + commands.length + LIST_REQUESTS + availabilityWrites + 1;
    const announce = (result: ExchangeResult) => {
      result.findings = applyCheckSettings(result.findings, o.checks);
      exchanges.push(result);
      hooks.onExchange(result, exchanges.length, Math.max(exchanges.length, restoreTotal));
    };
    if (wrote) restore = await putBack(proxy, baseline, read.evse, context, exchanges, announce, o.restoreDeadlineMs, createdElsewhere, statusUnrestored);
  } finally {
    await proxy.close();
  }
  if (failure) throw withRestore(failure.error, restore);
  restore ??= nothingWritten();

  const runFindings = applyCheckSettings([...judgeRun(exchanges), ...judgeReads(pacing.invalidRead, redact)], o.checks);
  const count = (severity: Finding["severity"]) => exchanges.reduce((n, e) => n + e.findings.filter((f) => f.severity === severity).length, 0);
  const failed = exchanges.filter((e) => e.findings.some((f) => f.severity === "violation")).length;
  // Counted as the plan counts: the PATCH's cases; the family's requests apart (counts.operations).
  const patchExchanges = exchanges.filter((e) => e.case.operation === undefined);
  const planned = patchExchanges.filter((e) => e.case.kind !== "restore");
  const writes = exchanges.filter((e) => e.request.method !== "GET");
  const notJudged = planned.filter((e) => e.outcome === "not-judged").length;
  // Timeouts that stop a run are a violation; an interruption with nothing wrong so far is no verdict.
  const violated = failed > 0 || runFindings.some((f) => f.severity === "violation") || (stoppedEarly !== undefined && !interrupted);
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
    verdict: broken ? "violated" : interrupted ? "interrupted" : notJudged > 0 ? "incomplete" : "holds",
    counts: {
      requests: planned.length,
      exchanges: patchExchanges.length,
      operations: exchanges.length - patchExchanges.length,
      failed,
      warnings: count("warning"),
      notices: count("notice"),
      notRun: cases.length - planned.length,
      notJudged,
      rateLimited: pacing.rateLimited,
      reads: pacing.reads_sent,
    },
    exchanges,
    pace: { maxWritesPerMinute: o.maxWritesPerMinute, writes: writes.length + writes.reduce((n, e) => n + (e.resent ?? 0), 0), estimatedSeconds: pace.estimatedSeconds },
    runFindings,
    stoppedEarly,
    restore,
    operations: scopesAsRun(scopes, exchanges, stoppedEarly),
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
  pacing: Pacing;
  echoesKey: (outcome: Extract<HttpOutcome, { kind: "answered" }>) => boolean;
  /** What the run's reads of the EVSE under test showed changed, for a restore that cannot read it. */
  seen?: SeenChanges;
}

/**
 * Each connector field (of those a patch may set) that some read of the run showed different from
 * before the run, and whether a write was sent since the last read that succeeded: then what it did
 * is unknown.
 */
interface SeenChanges {
  start: unknown;
  fields: readonly string[];
  changed: Map<number, Set<string>>;
  writeUnread: boolean;
}

/** Notes what a read of the EVSE under test shows changed since before the run. */
function noteRead(seen: SeenChanges, evse: unknown): void {
  seen.writeUnread = false;
  for (const before of ((seen.start as { connectors?: unknown[] }).connectors ?? []) as Array<{ id?: unknown } | null>) {
    if (typeof before?.id !== "number") continue;
    const now = connectorOf(evse, before.id);
    const fields = seen.fields.filter((f) => !now || !same(now[f], (before as Record<string, unknown>)[f]));
    if (fields.length === 0) continue;
    const set = seen.changed.get(before.id) ?? new Set<string>();
    fields.forEach((f) => set.add(f));
    seen.changed.set(before.id, set);
  }
}

interface Exchanged {
  result: ExchangeResult;
  outcome: HttpOutcome;
  /** The provider's parsed body before redaction, for comparing with the model only. */
  rawBody?: unknown;
}

function credentialsOf(kase: VerifyCase, context: ExchangeContext): Record<string, string> {
  if (kase.credentials === "none") return {};
  return { authorization: kase.credentials === "wrong-key" ? context.wrongAuthorization : context.authorization };
}

async function exchange(proxy: ValidationProxy, kase: VerifyCase, context: ExchangeContext): Promise<Exchanged> {
  const path = connectorPath(kase.address ?? context.address);
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
    const finding: Finding = { check: "responds", severity: "violation", rule: "not-forwarded", pointer: "", message: describeUnforwarded(viaPrism, context.redact), source: "verify" };
    return { outcome, result: { case: kase, request, outcome: "failed", durationMs: viaPrism.durationMs, findings: [finding], notes: [] } };
  }
  const prism: PrismView | undefined =
    viaPrism.kind === "answered" && !aroundPrism ? { status: viaPrism.status, violations: parseViolations(viaPrism.headers["sl-violations"]) } : undefined;
  const judged = judgeExchange({ kase, outcome: recorded.outcome, prism, path: context.address, redact: context.redact, echoesKey: context.echoesKey });
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

const retryAfterOf = (outcome: HttpOutcome) => {
  const value = outcome.kind === "answered" ? outcome.headers["retry-after"] : undefined;
  return parseRetryAfter(typeof value === "string" ? value : null);
};

/**
 * Sends one case when the write pacer lets it, and again after each 429 once the wait it asks for
 * is over: a 429 is never a verdict. A case still rate-limited after `waitMs` is not judged.
 * "interrupted" when the signal stopped a wait (nothing of the case was applied).
 */
async function sendPaced(proxy: ValidationProxy, kase: VerifyCase, context: ExchangeContext, waitMs: number, signal: AbortSignal | undefined): Promise<Exchanged | "interrupted"> {
  const { writes } = context.pacing;
  const first = Date.now();
  for (let resent = 0; ; resent++) {
    if (Date.now() + writes.waitMs() - first > waitMs) return notJudged(kase, context, resent, waitMs);
    try {
      await writes.acquire(signal);
    } catch {
      return "interrupted";
    }
    let sent: Exchanged;
    if (context.seen) context.seen.writeUnread = true;
    try {
      sent = await exchange(proxy, kase, context);
    } finally {
      writes.settled();
    }
    writes.observe(headersOf(sent.outcome), writes.inFlight);
    if (resent > 0) sent.result.resent = resent;
    if (sent.outcome.kind !== "answered" || sent.outcome.status !== 429) return sent;
    context.pacing.rateLimited++;
    writes.pause(retryAfterOf(sent.outcome));
  }
}

/** A case the rate limit did not let through within its deadline: no verdict on it either way. */
function notJudged(kase: VerifyCase, context: ExchangeContext, answered429: number, waitMs: number): Exchanged {
  const request = { method: UPDATE_CONNECTOR.method, url: targetUrl(context.target, connectorPath(kase.address ?? context.address)).href, body: JSON.stringify(kase.body) };
  const why = answered429 > 0 ? `answered 429 ${answered429} time(s), and the wait it asked for` : "the provider's rate limit (X-RateLimit headers, an earlier Retry-After)";
  const result: ExchangeResult = { case: kase, request, outcome: "not-judged", durationMs: 0, findings: [], notes: [`${why} would pass its ${waitMs} ms deadline, so it was not judged`] };
  if (answered429 > 1) result.resent = answered429 - 1;
  const outcome: HttpOutcome = { kind: "failed", error: "not judged: rate-limited", code: undefined, durationMs: 0 };
  return { result, outcome };
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

interface EvseRead {
  /** When the answer arrived (epoch ms). */
  at: number;
  evse: unknown;
  status: number | undefined;
  outcome: HttpOutcome;
  detail: string;
}

/** A body as JSON, or undefined when it is not JSON (coverage reads nothing from it then). */
function jsonOf(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    return undefined;
  }
}

/** Reads an EVSE (`GET /v2/evses/{uid}`), paced by the read pacer and waiting out a 429 or two. */
async function readEvse(context: ExchangeContext, uid: number): Promise<EvseRead> {
  const { target, authorization, timeoutMs, redact, pacing } = context;
  const url = targetUrl(target, evsePath({ uid, connectorId: 1 }));
  for (let attempt = 1; ; attempt++) {
    await pacing.reads.acquire(undefined);
    let outcome: HttpOutcome;
    try {
      outcome = await sendHttp({ method: "GET", url, headers: { authorization, accept: "application/json" }, timeoutMs });
    } finally {
      pacing.reads.settled();
    }
    pacing.reads_sent++;
    pacing.reads.observe(headersOf(outcome), pacing.reads.inFlight);
    // Each read is an exchange of getEvse in the run's coverage (its status, and a 2xx body's values and shapes).
    if (outcome.kind === "answered") context.recorder.record({ operation: GET_EVSE.operationId, status: outcome.status, responseBody: jsonOf(outcome.body) });
    const at = Date.now();
    if (outcome.kind === "failed") return { at, evse: undefined, status: undefined, outcome, detail: `GET ${url.pathname}: ${redact.text(outcome.error)}` };
    if (outcome.kind === "timeout") return { at, evse: undefined, status: undefined, outcome, detail: `GET ${url.pathname}: no answer within ${timeoutMs} ms` };
    if (outcome.status === 429 && attempt < 3) {
      pacing.rateLimited++;
      pacing.reads.pause(retryAfterOf(outcome));
      continue;
    }
    const detail = `GET ${url.pathname} answered ${outcome.status}`;
    if (outcome.status !== 200 || mediaTypeOf(outcome.headers["content-type"]) !== "application/json") return { at, evse: undefined, status: outcome.status, outcome, detail };
    try {
      const evse = JSON.parse(outcome.body.toString("utf8")) as unknown;
      const valid = validateEvse(evse);
      if (!valid.ok) {
        pacing.invalidRead.count++;
        pacing.invalidRead.first ??= { path: url.pathname, issues: redact.text(formatIssues(valid.issues)) };
      }
      if (uid === context.address.uid && context.seen) noteRead(context.seen, evse);
      return { at, evse, status: 200, outcome, detail };
    } catch {
      return { at, evse: undefined, status: 200, outcome, detail: `${detail} with a body that is not JSON` };
    }
  }
}

const TLS_MISMATCH = /wrong version number|EPROTO|ssl3_get_record|packet length too long|SSL routines/i;

/** The connector's values before any write, every field a patch may change; a set-up error (nothing sent) when one cannot be learned. */
function learnBaseline(read: EvseRead, fields: readonly string[], address: ConnectorAddress, target: URL, redact: Redactor): { values: Record<string, unknown> } {
  const nothingSent = "verify writes only when it can put back every field it may change; nothing was sent";
  const { outcome } = read;
  if (outcome.kind === "failed") {
    if (target.protocol === "https:" && (TLS_MISMATCH.test(outcome.error) || outcome.code === "EPROTO" || outcome.code === "ERR_SSL_WRONG_VERSION_NUMBER")) {
      throw new SetupError(`${target.origin} does not answer https (is it a plain http provider? then use http://${target.host}); nothing was sent`);
    }
    if (outcome.code !== undefined && UNREACHABLE.has(outcome.code)) throw new SetupError(`cannot reach ${target.origin}: ${redact.text(outcome.error)}`);
    throw new SetupError(`cannot read the EVSE before writing (${read.detail}); ${nothingSent}`);
  }
  if (outcome.kind === "timeout") throw new SetupError(`cannot read the EVSE before writing (${read.detail}); ${nothingSent}`);
  const setup = SETUP_STATUSES[outcome.status];
  if (setup) throw new SetupError(`${setup}, when reading EVSE ${address.uid}; nothing was sent`);
  if (read.evse === undefined) throw new SetupError(`cannot read the EVSE before writing (${read.detail}); ${nothingSent}`);
  const connector = connectorOf(read.evse, address.connectorId);
  if (!connector) throw new SetupError(`EVSE ${address.uid} as read has no connector ${address.connectorId}: check --connector-id; nothing was sent`);
  const missing = fields.filter((f) => !(f in connector));
  if (missing.length > 0) throw new SetupError(`connector ${address.connectorId} as read does not show ${missing.join(", ")}; ${nothingSent}`);
  const values = Object.fromEntries(fields.map((f) => [f, connector[f]]));
  const check = validateConnectorUpdate(values);
  if (!check.ok) throw new SetupError(`connector ${address.connectorId} holds values no patch can send back (${redact.text(formatIssues(check.issues))}); ${nothingSent}`);
  return { values };
}

/** An EVSE uid nobody uses, far from the one under test; read as absent before it is patched. */
const UNKNOWN_UID_OFFSET = 1_000_000_007;

/** Patches of a connector and an EVSE that the reads show do not exist: each must be 404. */
async function unknownCases(context: ExchangeContext, evse: unknown, cases: readonly VerifyCase[]): Promise<VerifyCase[]> {
  const body = boundaryCases().valid[0]!.body;
  const { uid } = context.address;
  const connectors = (evse as { connectors?: Array<{ id?: unknown }> }).connectors ?? [];
  const ids = connectors.map((c) => c.id).filter((id): id is number => typeof id === "number");
  const unknownConnector = Math.max(0, ...ids) + 1;
  const found: VerifyCase[] = [
    { id: "unknown:connector", kind: "unknown", title: `a valid patch of connector ${unknownConnector}, which EVSE ${uid} does not have: 404 expected`, body, address: { uid, connectorId: unknownConnector } },
  ];
  const otherUid = uid + UNKNOWN_UID_OFFSET;
  if (validateConnectorPath({ uid: otherUid, connectorId: context.address.connectorId }).ok && !cases.some((c) => c.address?.uid === otherUid)) {
    const read = await readEvse(context, otherUid);
    if (read.status === 404) {
      found.push({ id: "unknown:evse", kind: "unknown", title: `a valid patch of EVSE ${otherUid}, which reads as 404: 404 expected, nothing created`, body, address: { uid: otherUid, connectorId: context.address.connectorId } });
    }
  }
  return found;
}

/** Whether any patch so far may have changed the connector: a 2xx, or no answer at all. */
const mayHaveChanged = (exchanges: readonly ExchangeResult[]) =>
  exchanges.some((e) => e.case.kind !== "restore" && e.case.operation === undefined && e.outcome !== "not-judged" && (e.response === undefined || (e.response.status >= 200 && e.response.status < 300)));

/** For a run that never wrote: nothing to put back. */
function nothingWritten(): RestoreResult {
  return { source: "none", patch: {}, accepted: undefined, complete: undefined, attempts: 0, unrestorable: [], toSet: {}, otherConnectors: [], differences: [], mayHaveChanged: false };
}


/** One connector the restore puts back: its settings as read before the run, and how its restore went. */
interface RestoreTarget {
  connectorId: number;
  /** The fields a patch may set, as read before the run (a field absent then is absent here). */
  before: Record<string, unknown>;
  /** The fields compared: for the connector under test those of the baseline, for another every field a patch may set. */
  fields: readonly string[];
  differing: string[];
  sent: Record<string, unknown>;
  accepted: boolean | undefined;
  justAccepted: boolean;
  refused: number;
  notStored: number;
  error: string | undefined;
}

/** The restore's targets: the connector under test first, then every other connector of the EVSE as read before the run. */
function restoreTargets(baseline: { values: Record<string, unknown> }, start: unknown, connectorId: number): RestoreTarget[] {
  const fields = Object.keys(baseline.values);
  const target = (id: number, before: Record<string, unknown>, compared: readonly string[]): RestoreTarget => ({
    connectorId: id,
    before,
    fields: compared,
    differing: [],
    sent: {},
    accepted: undefined,
    justAccepted: false,
    refused: 0,
    notStored: 0,
    error: undefined,
  });
  const others = ((start as { connectors?: unknown[] } | undefined)?.connectors ?? [])
    .map((c) => (c as { id?: unknown } | null)?.id)
    .filter((id): id is number => typeof id === "number" && id !== connectorId)
    .map((id) => {
      const connector = connectorOf(start, id)!;
      return target(id, Object.fromEntries(fields.filter((f) => f in connector).map((f) => [f, connector[f]])), fields);
    });
  return [target(connectorId, baseline.values, fields), ...others];
}

/** Whether `field` can be put back with a patch: it had a value before the run, and the contract lets a request send it. */
const sendable = (t: RestoreTarget, field: string) => field in t.before && validateConnectorUpdate({ [field]: t.before[field] }).ok;

/**
 * Puts the EVSE's connectors back as read before the run: the connector under test, then every
 * other one whose settings (the fields a patch may set) read differently (a provider that wrote the
 * wrong connector, or more than one). Reads the EVSE, patches the fields that differ (the same PATCH,
 * paced, waiting out 429s, retrying 5xx and failed exchanges with backoff), reads it back, until it
 * reads as before or the restore's deadline passes; a connector whose restore is refused twice, or
 * accepted twice without being stored, is given up. Never throws: a failure is part of the outcome.
 */
async function putBack(
  proxy: ValidationProxy,
  baseline: { values: Record<string, unknown> },
  start: unknown,
  context: ExchangeContext,
  exchanges: readonly ExchangeResult[],
  announce: (result: ExchangeResult) => void,
  deadlineMs: number,
  created: readonly UnrestorableField[],
  statusUnrestored: readonly UnrestorableField[],
): Promise<RestoreResult> {
  const { connectorId, uid } = context.address;
  const targets = restoreTargets(baseline, start, connectorId);
  const [own] = targets as [RestoreTarget, ...RestoreTarget[]];
  own.differing = [...own.fields];
  const deadline = Date.now() + deadlineMs;
  let attempts = 0;
  let backoff = RESTORE_BACKOFF_MS;
  let readError: string | undefined;
  let caughtError: string | undefined;
  let lastRead: unknown;
  const wait = async () => {
    await sleep(Math.max(0, Math.min(backoff, deadline - Date.now())), undefined);
    backoff = Math.min(backoff * 2, 8_000);
  };
  const which = (t: RestoreTarget) => (t === own ? "" : ` of connector ${t.connectorId}`);
  try {
    restoring: for (;;) {
      const now = await readEvse(context, uid);
      const pending: Array<[RestoreTarget, string[]]> = [];
      if (now.evse !== undefined) {
        lastRead = now.evse;
        readError = undefined;
        for (const t of targets) {
          const connector = connectorOf(now.evse, t.connectorId);
          t.differing = t.fields.filter((f) => !connector || !same(connector[f], t.before[f]));
          if (t.justAccepted && t.differing.length > 0) {
            t.notStored++;
            t.error = `the provider accepted the restoring patch${which(t)}, but ${t.differing.join(", ")} does not read back as sent`;
          }
          t.justAccepted = false;
          const toSend = connector ? t.differing.filter((f) => sendable(t, f)) : [];
          if (toSend.length > 0 && t.refused < 2 && t.notStored < 2) pending.push([t, toSend]);
        }
      } else {
        readError = `the EVSE could not be read back (${now.detail})`;
      }
      if (Date.now() >= deadline) break;
      if (now.evse === undefined) {
        await wait();
        continue;
      }
      if (pending.length === 0) break;
      let failedToSend = false;
      for (const [t, toSend] of pending) {
        t.sent = Object.fromEntries(toSend.map((f) => [f, t.before[f]]));
        const kase: VerifyCase =
          t === own
            ? { id: "restore", kind: "restore", title: `put back ${toSend.join(", ")}`, body: t.sent }
            : { id: `restore:connector-${t.connectorId}`, kind: "restore", title: `put back ${toSend.join(", ")} of connector ${t.connectorId}, which the run changed`, body: t.sent, address: { uid, connectorId: t.connectorId } };
        const sent = await sendPaced(proxy, kase, context, Math.max(1, deadline - Date.now()), undefined);
        if (sent === "interrupted") break restoring; // cannot happen without a signal
        attempts++;
        announce(sent.result);
        const { outcome } = sent;
        if (sent.result.outcome === "not-judged") {
          t.error = `the restoring patch${which(t)} was still rate-limited (429) at the restore's deadline`;
          break restoring; // the wait the provider asks for ends past the deadline
        } else if (outcome.kind === "answered" && outcome.status < 300) {
          t.accepted = true;
          t.justAccepted = true; // read back: accepted is not stored
        } else if (outcome.kind === "answered" && outcome.status < 500) {
          t.accepted = false;
          t.refused++;
          t.error = `the provider refused the restoring patch${which(t)} with ${outcome.status}`;
        } else {
          t.accepted = t.accepted ?? false;
          t.error = outcome.kind === "answered" ? `the restoring patch${which(t)} was answered ${outcome.status}` : `the restoring patch${which(t)} got no answer (${sent.result.error ?? outcome.kind})`;
          failedToSend = true;
        }
      }
      if (failedToSend) await wait();
    }
  } catch (caught) {
    // Something of ours failed: say so, with what is known, rather than lose the run's outcome.
    caughtError = context.redact.error(caught).message;
  }
  if (lastRead === undefined) {
    // Never read during the restore: each other connector is named by what the run's reads saw
    // changed, or, when a write went unread since, by every field it had before the run.
    for (const t of targets.slice(1)) {
      const seen = context.seen;
      t.differing = seen === undefined || seen.writeUnread ? t.fields.filter((f) => f in t.before) : t.fields.filter((f) => seen.changed.get(t.connectorId)?.has(f));
    }
  }
  const show = (value: unknown) => context.redact.value(value);
  const unrestorableOf = (t: RestoreTarget): UnrestorableField[] => {
    if (lastRead !== undefined && t.differing.length === 0) return [];
    const connector = connectorOf(lastRead, t.connectorId);
    return t.differing.map((field) => ({
      field,
      connectorId: t.connectorId,
      reason: !sendable(t, field)
        ? field in t.before
          ? `its value before the run, ${JSON.stringify(show(t.before[field]))}, is one the contract lets no patch send: set it another way`
          : "it was absent before the run, and no patch can remove a field: remove it another way"
        : (caughtError ?? readError ?? t.error ?? "it does not read back as before the run"),
      ...(connector && field in connector ? { lastSeen: show(connector[field]) } : {}),
      ...(field in t.before ? { valueToSet: t.before[field] } : {}),
    }));
  };
  const unrestorable = [...targets.flatMap(unrestorableOf), ...statusUnrestored];
  const complete = lastRead !== undefined && unrestorable.length === 0;
  const toSetOf = (t: RestoreTarget) => Object.fromEntries(unrestorable.filter((u) => u.connectorId === t.connectorId && "valueToSet" in u).map((u) => [u.field, u.valueToSet]));
  // Every other connector that read differently at some point: what was sent back, and whether it took.
  const otherConnectors = targets
    .slice(1)
    .filter((t) => Object.keys(t.sent).length > 0 || unrestorableOf(t).length > 0)
    .map((t) => ({ connectorId: t.connectorId, patch: t.sent, accepted: t.accepted, complete: unrestorableOf(t).length === 0, toSet: toSetOf(t) }));
  // Everything else that differs from before the run, named with its earlier value: a field no patch
  // sets (of any connector), the EVSE status, an EVSE a patch created.
  const restorable = new Set(targets.flatMap((t) => t.fields.map((f) => pointerOfField(start, t.connectorId, f))));
  const differences_ = lastRead === undefined ? [] : differences(start, lastRead).filter((d) => !restorable.has(d.pointer));
  const error = complete ? undefined : (caughtError ?? readError ?? targets.find((t) => unrestorableOf(t).length > 0 && t.error !== undefined)?.error ?? unrestorable[0]?.reason);
  return {
    source: "read-before-writing",
    patch: own.sent,
    accepted: own.accepted,
    complete,
    attempts,
    unrestorable,
    toSet: toSetOf(own),
    otherConnectors,
    differences: [
      ...differences_.map((d) => ({ pointer: d.pointer, before: show(d.expected), now: show(d.actual) })),
      ...created.map((c) => ({ pointer: c.field, before: "absent", now: c.reason })),
    ],
    mayHaveChanged: mayHaveChanged(exchanges),
    ...(error === undefined ? {} : { error }),
  };
}

/** The pointer of connector `connectorId`'s `field` in an EVSE (`/connectors/0/maxAmperage`). */
function pointerOfField(evse: unknown, connectorId: number, field: string): string {
  const list = (evse as { connectors?: unknown[] }).connectors ?? [];
  return `/connectors/${list.indexOf(connectorOf(evse, connectorId))}/${field}`;
}

/** The EVSE reads (getEvse, documented nearby: a warning) whose bodies are not contract-valid EVSEs. */
function judgeReads(invalid: Pacing["invalidRead"], redact: Redactor): Finding[] {
  if (!invalid.first) return [];
  return [
    {
      check: "schema",
      severity: "warning",
      rule: "read-schema",
      pointer: "",
      message: `${invalid.count} EVSE read(s) (GET ${redact.text(invalid.first.path)}) answered a body that is not a contract-valid EVSE, first: ${invalid.first.issues}`,
      source: "contract",
    },
  ];
}

/** Findings about the run as a whole. */
function judgeRun(exchanges: readonly ExchangeResult[]): Finding[] {
  const validOnes = exchanges.filter((e) => e.case.operation === undefined && (e.case.kind === "example" || e.case.kind === "valid") && e.outcome !== "not-judged");
  const answered = validOnes.filter((e) => e.response !== undefined);
  if (answered.length === 0 || answered.some((e) => e.response!.status >= 200 && e.response!.status < 300)) return [];
  const statuses = new Map<number, number>();
  for (const e of answered) statuses.set(e.response!.status, (statuses.get(e.response!.status) ?? 0) + 1);
  const summary = [...statuses].map(([status, n]) => `${status} ×${n}`).join(", ");
  return [
    {
      check: "success-seen",
      severity: "violation",
      rule: "no-success",
      pointer: "",
      message: `none of the ${validOnes.length} valid patches was accepted (answers: ${summary}), so the shape of a 200 answer was never checked`,
      source: "verify",
    },
  ];
}

/** The pacer of a request's rate-limit bucket: reads, writes, or one of its own (remote-control) at the write cap scaled to its documented share. */
function pacerOf(kase: FamilyCase, pacing: Pacing): RateLimitPacer {
  const bucket = rateLimitBucket(kase.operation);
  // The run's own two pacers: its reads are getEvse's bucket, its writes the PATCH's.
  if (bucket.name === GET_EVSE.rateLimitBucket) return pacing.reads;
  if (bucket.name === UPDATE_CONNECTOR.rateLimitBucket) return pacing.writes;
  let pacer = pacing.buckets.get(bucket.name);
  if (!pacer) {
    // The write cap scaled by the contract's proportion between the buckets: at the default (120 writes) remote control gets its documented 30.
    const writes = rateLimitBucket("updateConnector").perMinute;
    const share = bucket.perMinute !== undefined && writes !== undefined ? Math.min(1, bucket.perMinute / writes) : 1;
    const cap = pacing.maxWritesPerMinute === null ? null : pacing.maxWritesPerMinute * share;
    pacer = new RateLimitPacer({ minIntervalMs: cap === null ? 0 : 60_000 / cap });
    pacing.buckets.set(bucket.name, pacer);
  }
  return pacer;
}

/**
 * Sends one request of the family straight to the provider (Prism's proxy is the PATCH's), paced
 * within its rate-limit bucket (reads, writes, remote control), waiting out a 429 or two as a read does, and judges it.
 */
async function sendFamily(kase: FamilyCase, context: ExchangeContext): Promise<{ result: ExchangeResult; body: unknown }> {
  const { target, authorization, timeoutMs, redact, pacing } = context;
  const pacer = pacerOf(kase, pacing);
  const url = caseUrl(target, kase);
  const body = kase.body === undefined ? undefined : JSON.stringify(kase.body);
  const request = { method: kase.method, url: url.href, body: body ?? "" };
  for (let attempt = 1; ; attempt++) {
    await pacer.acquire(undefined);
    let outcome: HttpOutcome;
    if (kase.method !== "GET" && context.seen) context.seen.writeUnread = true;
    try {
      outcome = await sendHttp({
        method: kase.method,
        url,
        headers: { authorization, accept: "application/json", ...(body === undefined ? {} : { "content-type": "application/json" }) },
        ...(body === undefined ? {} : { body }),
        timeoutMs,
      });
    } finally {
      pacer.settled();
    }
    if (kase.method === "GET") pacing.reads_sent++;
    pacer.observe(headersOf(outcome), pacer.inFlight);
    if (outcome.kind === "answered" && outcome.status === 429 && attempt < 3) {
      pacing.rateLimited++;
      pacer.pause(retryAfterOf(outcome));
      continue;
    }
    const judged = judgeFamilyAnswer(kase, outcome, context.address, redact, context.echoesKey);
    // Each request counts in the run's coverage under its operation (only contract items are kept).
    context.recorder.record({
      operation: kase.operation,
      ...(body === undefined ? {} : { requestBody: kase.body }),
      ...(outcome.kind === "answered" ? { status: outcome.status, responseBody: judged.body } : {}),
    });
    const result: ExchangeResult = {
      case: kase,
      request,
      outcome: outcome.kind,
      ...(judged.response ? { response: judged.response } : {}),
      ...(outcome.kind === "timeout" ? { error: `no answer within ${outcome.timeoutMs} ms` } : outcome.kind === "failed" ? { error: redact.text(outcome.error) } : {}),
      durationMs: outcome.durationMs,
      findings: judged.findings,
      notes: attempt > 1 ? [`answered 429 ${attempt - 1} time(s) first`] : [],
    };
    return { result, body: judged.body };
  }
}

const statusOf = (evse: unknown) => (evse as { status?: unknown } | undefined)?.status;

/** How many times the EVSE is read back after a consented remote stop answered Accepted, spread over `stopSettleMs`. */
const STOP_READS = 5;

/**
 * The check of a consented command's effect: the EVSE read right before it is sent (so this
 * returns once that read is done), then read back once it is answered or went unanswered (paced as the run's reads):
 * stored settings and connectors unchanged; after a remote stop answered Accepted, no session shown,
 * read up to STOP_READS times in all over `settleMs` (OCPP's stop is asynchronous). A Rejected stop
 * is a refusal the caller must handle, not a finding; an abort before the last read is none either.
 */
async function commandEffect(
  kase: FamilyCase,
  context: ExchangeContext,
  settings: readonly string[],
  stop: { settleMs: number; transactionId: number | undefined; signal: AbortSignal | undefined },
): Promise<FamilyJudge> {
  const before = await readEvse(context, context.address.uid);
  return async ({ status, body }) => {
    // A documented refusal (4xx) did nothing; anything else may have acted, an unanswered command too.
    if (status !== undefined && status >= 400 && status < 500) return {};
    let after = await readEvse(context, context.address.uid);
    if (before.evse === undefined || after.evse === undefined) {
      return { notes: [`the EVSE could not be read ${before.evse === undefined ? "before" : "after"} the command (${(before.evse === undefined ? before : after).detail}), so its effect was not checked`] };
    }
    const findings = judgeCommandEffect(kase.operation, before.evse, after.evse, settings, context.redact);
    const accepted = kase.operation === "remoteStopTransaction" && (body as { status?: unknown } | undefined)?.status === STOP_ACCEPTED;
    if (!accepted || !showsSession(before.evse)) return { findings, notes: accepted ? [`EVSE ${context.address.uid} read ${JSON.stringify(context.redact.value(statusOf(before.evse)))} before the stop, no session shown: whether it ended was not checked`] : [] };
    let reads = 1;
    const started = Date.now();
    while (showsSession(after.evse) && reads < STOP_READS && stop.signal?.aborted !== true) {
      try {
        await sleep(stop.settleMs / (STOP_READS - 1), stop.signal);
      } catch {
        break; // aborted: the run ends after this exchange
      }
      const again = await readEvse(context, context.address.uid);
      reads++;
      if (again.evse !== undefined) after = again;
    }
    if (showsSession(after.evse) && reads < STOP_READS) {
      // Only an abort cuts the reads short: no proof either way, so no finding.
      return { findings, notes: [`the run was interrupted after ${reads} read(s) of the EVSE after the stop, still ${JSON.stringify(context.redact.value(statusOf(after.evse)))}: whether the session ended was not checked`] };
    }
    if (showsSession(after.evse)) findings.push(sessionNotEnded(context.address.uid, context.redact.value(statusOf(after.evse)), reads, Date.now() - started, stop.transactionId));
    return { findings, notes: reads > 1 && !showsSession(after.evse) ? [`the session read as ended on read ${reads} after the stop`] : [] };
  };
}

/**
 * changeConnectorAvailability, with consent (it is restorable): the status read, then the malformed
 * bodies (a lax provider may act on one), Inoperative, Operative, then the EVSE status put back as
 * read before all of them (INOPERATIVE: Inoperative, else Operative), read back, retried until it
 * reads so or the restore's deadline passes. "Before" is read afresh, not the run's baseline: a
 * consented remote stop earlier in the run may have ended a session (CHARGING, then AVAILABLE), which
 * this round neither did nor can undo. A status that will not come back, or one that could not be
 * read before the round, goes to `unrestored`, named with the request that sets it: the restore is
 * then incomplete.
 */
async function availabilityRound(
  send: SendFamilyCase,
  context: ExchangeContext,
  baselineEvse: unknown,
  deadlineMs: number,
  malformed: readonly FamilyCase[],
  unrestored: UnrestorableField[],
): Promise<void> {
  const operation = "changeConnectorAvailability" as const;
  const { method } = OPERATIONS[operation];
  const url = pathOf(operation, context.address);
  const kase = (id: string, kind: VerifyCase["kind"], type: string, title: string): FamilyCase => ({ id, kind, operation, method, path: url, title, body: { type } });
  const deadline = Date.now() + deadlineMs;
  const read = await readEvse(context, context.address.uid);
  // Unread, the run's baseline is the best guess of what to put back, and the report says it is one.
  const before = read.evse ?? baselineEvse;
  const wanted = statusOf(before) === "INOPERATIVE" ? "Inoperative" : "Operative";
  const shown = (evse: unknown) => JSON.stringify(context.redact.value(statusOf(evse)));
  let sent = false;
  try {
    for (const bad of malformed) sent = (await send(bad)) !== "interrupted" || sent;
    sent = (await send(kase(`${operation}:Inoperative`, "valid", "Inoperative", "take the connector out of service (consent given; put back after)"))) !== "interrupted" || sent;
    sent = (await send(kase(`${operation}:Operative`, "valid", "Operative", "put the connector back in service"))) !== "interrupted" || sent;
  } finally {
    // Nothing sent (an abort before the round's first request): nothing of the round to put back.
    let now: unknown = before;
    for (let attempt = 1; sent; attempt++) {
      now = (await readEvse(context, context.address.uid)).evse;
      if (now !== undefined && statusOf(now) === statusOf(before)) break;
      if (Date.now() >= deadline || attempt > 3) break;
      await send(kase(`${operation}:restore#${attempt}`, "restore", wanted, `put the EVSE status back to ${shown(before)}`));
    }
    const setIt = `set it back with changeConnectorAvailability {"type":"${wanted}"}`;
    const field = `EVSE ${context.address.uid} status`;
    const valueToSet = context.redact.value(statusOf(before));
    const lastSeen = now === undefined ? {} : { lastSeen: context.redact.value(statusOf(now)) };
    if (sent && read.evse === undefined) {
      unrestored.push({ field, reason: `unknown before changeConnectorAvailability: the read before it failed (${read.detail}); it read ${shown(before)} when the run began: if it is not so now, ${setIt}`, ...lastSeen, valueToSet });
    } else if (sent && (now === undefined || statusOf(now) !== statusOf(before))) {
      unrestored.push({ field, reason: `reads ${now === undefined ? "as unknown (the EVSE could not be read)" : shown(now)} after changeConnectorAvailability, ${shown(before)} before: ${setIt}`, ...lastSeen, valueToSet });
    }
  }
}

/** The scopes as the run went: an operation beside the PATCH of which nothing was sent is `skipped`, saying why. */
function scopesAsRun(scopes: readonly OperationScope[], exchanges: readonly ExchangeResult[], stoppedEarly: string | undefined): OperationScope[] {
  return scopes.map((scope) => {
    if (scope.operationId === UPDATE_CONNECTOR.operationId || scope.operationId === GET_EVSE.operationId) return scope;
    if (exchanges.some((e) => e.case.operation === scope.operationId)) return scope;
    const why = stoppedEarly !== undefined ? "the run stopped before it" : "nothing could be sent that cannot act (no EVSE reads as absent)";
    return { ...scope, mode: "skipped", reason: scope.reason === undefined ? why : `${scope.reason}; ${why}` };
  });
}
