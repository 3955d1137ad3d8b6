// The vocabulary of a verification run: cases sent, findings made, the report written.
import type { ContractCoverage } from "../../coverage/index.js";
import type { OperationEffect, OperationId } from "../../../generated/operations.js";
import type { BrokenRule } from "../arbitraries.js";

/**
 * Where a case comes from: the contract's examples, the auth probe (a valid patch without a valid
 * key), valid or invalid patches (fixed ones first, then generated), the final restore.
 */
export type CaseKind = "example" | "auth" | "valid" | "invalid" | "unknown" | "restore";

export interface VerifyCase {
  /** Stable, readable id: `example:powerOnly`, `auth:no-key`, `cover#2`, `boundary#5`, `valid#3`, `invalid#7`, `restore`. */
  id: string;
  kind: CaseKind;
  /** What the case sends, in words. */
  title: string;
  /** The patch body sent as JSON. */
  body: unknown;
  /** For invalid cases: the one rule of the request schema the body breaks. */
  breaks?: BrokenRule;
  /** For auth probes: how the request is sent instead of with the key. */
  credentials?: "none" | "wrong-key";
  /** For `unknown` cases: the EVSE or connector patched instead of the one under test (known not to exist); for a restore of another connector: that connector. */
  address?: { uid: number; connectorId: number };
  /** The operation sent, when not the PATCH under test (listEvses, unlockConnector, ...: see family.ts). */
  operation?: string;
}

/** Which operations beyond reading and the PATCH a run may send with a valid request (family.ts). Kept here, free of Node types: the public declarations import it. */
export interface OperationConsent {
  /** Send `physical` operations (unlockConnector) with a valid request to the connector under test. CLI: --allow-physical. */
  allowPhysical?: boolean;
  /** Send `destructive` operations (remoteStopTransaction) with a valid body. CLI: --allow-destructive. */
  allowDestructive?: boolean;
  /** Send `restorable` operations besides the PATCH (changeConnectorAvailability); put back from the baseline. CLI: --allow-availability. */
  allowAvailability?: boolean;
}

/** What the run may send for one operation, from its effect and the consent given (family.ts). */
export interface OperationScope {
  operationId: OperationId;
  effect: OperationEffect;
  /** `verified`: sent as a caller would; `harmless-only`: only requests that cannot act were sent; `skipped`: nothing sent. */
  mode: "verified" | "harmless-only" | "skipped";
  /** Why it was not verified in full, and how to ask for it. */
  reason?: string;
}

/** What a run did with one operation of the contract (see family.ts). */
export interface OperationScopeReport {
  operationId: string;
  /** The registry's `x-effect`: read-only, restorable, physical, destructive. */
  effect: string;
  /** `verified`: sent as a caller would; `harmless-only`: only requests that cannot act were sent (the rest skipped); `skipped`: nothing sent. */
  mode: "verified" | "harmless-only" | "skipped";
  /** Why not verified in full, e.g. "physical: pass --allow-physical". */
  reason?: string;
}

/** A violation fails the run; a warning is reported and does not; a notice is for information. */
export type Severity = "violation" | "warning" | "notice";

export interface Finding {
  /** The check that found it: an id of the registry in checks.ts (`state-persisted`, `key-not-echoed`, ...). */
  check: string;
  severity: Severity;
  /** The rule: a JSON Schema keyword (`enum`, `required`, ...) or a check of verify's own (`status`, `timeout`, ...). */
  rule: string;
  /** JSON Pointer into the response body; "" for the body or the exchange as a whole. */
  pointer: string;
  message: string;
  /** Who found it: the compiled 2020-12 validators, Prism's proxy, or verify's own checks. */
  source: "contract" | "prism" | "verify";
}

export interface SentRequest {
  method: string;
  /** The provider's URL (never the proxy's), without credentials. */
  url: string;
  /** The body as sent. */
  body: string;
}

export interface ReceivedResponse {
  status: number;
  contentType: string | undefined;
  /** The parsed JSON body, or the raw text (cut to a readable length) when it is not JSON. */
  body: unknown;
  durationMs: number;
}

export interface ExchangeResult {
  case: VerifyCase;
  request: SentRequest;
  /** `not-judged`: rate-limited (429) until the case's deadline passed; nothing about it is judged. */
  outcome: "answered" | "timeout" | "failed" | "not-judged";
  response?: ReceivedResponse;
  /** For timeouts and failed exchanges: what happened. */
  error?: string;
  durationMs: number;
  /** How often the case was sent again after a 429 (it waits for the rate limit, then goes again). */
  resent?: number;
  findings: Finding[];
  /** Context a reader needs (e.g. that Prism replaced the provider's answer). */
  notes: string[];
}

export interface UnrestorableField {
  field: string;
  /** The connector whose field it is (absent for what is not a connector's field, e.g. an EVSE a patch created). */
  connectorId?: number;
  reason: string;
  /** The field's value when last read, so a person can judge and fix it. */
  lastSeen?: unknown;
  /** The value it had before the run: the one to set (absent when the field was absent before the run: then remove it). */
  valueToSet?: unknown;
}

/** Another connector of the EVSE whose settings read differently after the run than before it, and what the restore did. */
export interface OtherConnectorRestore {
  connectorId: number;
  /** The fields sent back (the same PATCH as the restore of the connector under test), with the values read before the run. */
  patch: Record<string, unknown>;
  /** Whether the provider accepted the last restoring patch of this connector (undefined when none could be sent). */
  accepted: boolean | undefined;
  /** Whether it reads back as before the run. */
  complete: boolean;
  /** When not complete: the values to set by hand (a field absent before the run is named in `unrestorable`). */
  toSet: Record<string, unknown>;
}

export interface RestoreResult {
  /** How the earlier values were learned: read before the first patch (verify writes nothing otherwise), or not at all (nothing was written). */
  source: "read-before-writing" | "none";
  /** The fields sent back, with the values the connector had before the run. */
  patch: Record<string, unknown>;
  /** Whether the provider accepted the restoring patch (undefined when nothing was sent). */
  accepted: boolean | undefined;
  /**
   * Whether the EVSE's connectors read back as before the run, every field a patch may set, on the
   * connector under test and on every other (undefined when nothing was written). False: see
   * `unrestorable`, `toSet` and `otherConnectors`.
   */
  complete: boolean | undefined;
  /** Restoring patches sent (429s, 5xx and network failures are retried until the restore's deadline). */
  attempts: number;
  unrestorable: UnrestorableField[];
  /** When the restore is not complete: the exact values to set by hand on the connector under test, field by field (the values read before the run). */
  toSet: Record<string, unknown>;
  /**
   * The other connectors of the EVSE whose settings (the fields a patch may set) read differently
   * than before the run: each is put back with the same PATCH, or named in `unrestorable`.
   */
  otherConnectors: OtherConnectorRestore[];
  /**
   * Whether the run may have changed the connector: some patch got a 2xx, or got no answer (a
   * timeout or a broken connection may have applied it). False when every patch was refused.
   */
  mayHaveChanged: boolean;
  /**
   * Everything else that reads differently from before the run (the whole EVSE is compared), with
   * its earlier value: a field no patch can set (of any connector), the EVSE status, an EVSE a
   * patch of an unknown uid created. No connector patch can set these back.
   */
  differences: Array<{ pointer: string; before: unknown; now: unknown }>;
  /** Why the restore could not be completed, when it could not. */
  error?: string;
}

/** An event hook (`onPlan`, `onBaseline`, `onExchange`) that threw; the run went on without it. */
export interface HookError {
  hook: "onPlan" | "onBaseline" | "onExchange";
  message: string;
}

export interface VerifyReport {
  tool: "spirii-contract verify";
  contractVersion: string;
  operation: string;
  target: string;
  uid: number;
  connectorId: number;
  seed: number;
  runs: number;
  timeoutMs: number;
  startedAt: string;
  durationMs: number;
  /**
   * `violated`: the contract was broken, or coverage was under `failUnder` (see `reasons`).
   * `interrupted`: stopped on request before any violation was found, so no verdict.
   * `incomplete`: no violation, but some cases were not judged (rate-limited past their deadline).
   */
  verdict: "holds" | "violated" | "interrupted" | "incomplete";
  /** What failed, when the verdict is `violated`: "contract violated", "coverage under N%", or both. */
  reasons: string[];
  /**
   * `requests`: the planned cases sent (what the plan counted); `exchanges`: those plus the restore.
   * `operations`: requests of the operations beside the PATCH (listEvses, the commands; see `operations`), in `exchanges` of the report.
   * `failed`: exchanges with a violation.
   */
  counts: { requests: number; exchanges: number; operations: number; failed: number; warnings: number; notices: number; notRun: number; notJudged: number; rateLimited: number; reads: number };
  exchanges: ExchangeResult[];
  /** The pace writes were sent at (at most; null: no cap, a loopback provider by default), and what it means for the run's length. */
  pace: { maxWritesPerMinute: number | null; writes: number; estimatedSeconds: number };
  /** Findings about the run as a whole (e.g. no valid patch was ever accepted). */
  runFindings: Finding[];
  /** Why the run stopped before sending every case, if it did. */
  stoppedEarly: string | undefined;
  restore: RestoreResult;
  /** Each operation of the contract: verified, or what was skipped and why (the consent it needs). */
  operations: OperationScopeReport[];
  /** Event hooks that threw, in order (at most the first 20). */
  hookErrors: HookError[];
  /** What the run exercised of the contract: statuses answered, request fields, values and rules sent, response shapes seen. */
  coverage: ContractCoverage;
  /** The coverage gate asked for, in percent. */
  failUnder?: number;
}
