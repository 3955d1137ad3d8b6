// The vocabulary of a verification run: cases sent, findings made, the report written.
import type { ContractCoverage } from "../../coverage/index.js";
import type { BrokenRule } from "../arbitraries.js";

/**
 * Where a case comes from: the contract's examples, the auth probe (a valid patch without a valid
 * key), valid or invalid patches (fixed ones first, then generated), the final restore.
 */
export type CaseKind = "example" | "auth" | "valid" | "invalid" | "restore";

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
}

/** A violation fails the run; a warning is reported and does not. */
export type Severity = "violation" | "warning";

export interface Finding {
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
  outcome: "answered" | "timeout" | "failed";
  response?: ReceivedResponse;
  /** For timeouts and failed exchanges: what happened. */
  error?: string;
  durationMs: number;
  findings: Finding[];
  /** Context a reader needs (e.g. that Prism replaced the provider's answer). */
  notes: string[];
}

export interface UnrestorableField {
  field: string;
  reason: string;
  /** The field's value in the last answer that showed the connector, so a person can judge and fix it. */
  lastSeen?: unknown;
}

export interface RestoreResult {
  /** How the earlier values were learned: read before the first patch, from answers along the way, or not at all. */
  source: "read-before-writing" | "answers-along-the-way" | "none";
  /** The fields sent back, with the values the connector had before the run. */
  patch: Record<string, unknown>;
  /** Whether the provider accepted the restoring patch (undefined when nothing was sent). */
  accepted: boolean | undefined;
  unrestorable: UnrestorableField[];
  /**
   * Whether the run may have changed the connector: some patch got a 2xx, or got no answer (a
   * timeout or a broken connection may have applied it). False when every patch was refused.
   */
  mayHaveChanged: boolean;
  /** Why the restoring exchange itself could not be made, when it could not. */
  error?: string;
}

/** An event hook (`onPlan`, `onRead`, `onExchange`) that threw; the run went on without it. */
export interface HookError {
  hook: "onPlan" | "onRead" | "onExchange";
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
   */
  verdict: "holds" | "violated" | "interrupted";
  /** What failed, when the verdict is `violated`: "contract violated", "coverage under N%", or both. */
  reasons: string[];
  /**
   * `requests`: the planned cases sent (what the plan counted); `exchanges`: those plus the restore.
   * `failed`: exchanges with a violation.
   */
  counts: { requests: number; exchanges: number; failed: number; warnings: number; notRun: number };
  exchanges: ExchangeResult[];
  /** Findings about the run as a whole (e.g. no valid patch was ever accepted). */
  runFindings: Finding[];
  /** Why the run stopped before sending every case, if it did. */
  stoppedEarly: string | undefined;
  restore: RestoreResult;
  /** Event hooks that threw, in order (at most the first 20). */
  hookErrors: HookError[];
  /** What the run exercised of the contract: statuses answered, request fields, values and rules sent, response shapes seen. */
  coverage: ContractCoverage;
  /** The coverage gate asked for, in percent. */
  failUnder?: number;
}
