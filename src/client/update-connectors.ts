// updateConnectors: many updates, paced by what the API says about its rate limit, so that a batch
// far larger than the limit completes instead of ending in a storm of 429s.
//
// The pacer is the client's one for the operation's rate-limit bucket (pacing.ts), which every call
// and batch of the same client counting against that bucket reports to: each update waits for it
// before it is sent, for as long as the window takes (bounded by the batch's signal, not by the
// update's deadline, which starts at its first send). A 429 pauses the bucket (the transport does
// that for every call), and the update goes back to the front of the queue instead of burning its
// retries; a pause that would end past the update's deadline is not waited for, and the update
// fails with the 429.
import { UPDATE_CONNECTOR } from "../../generated/operations.js";
import type { Redactor } from "../redact.js";
import { ConnectorApiError, type RequestIssue } from "./errors.js";
import { BATCH_OPTIONS } from "./option-names.js";
import type { UpdatedEvse } from "./response.js";
import type { ClientEvent } from "./events.js";
import { reserveRoom, type BucketPacers, type Reservation } from "./pacing.js";
import { invalidRequest as invalidOperationRequest, isPlainObject, optionsIssues, urlFor } from "./operation.js";
import { checkUpdate, type SendUpdate, type UpdateConnectorPatch, type UpdateConnectorPath } from "./update-connector.js";

/** One update of a batch. */
export interface ConnectorUpdateItem {
  path: UpdateConnectorPath;
  patch: UpdateConnectorPatch;
}

/** The outcome of one update, at the update's index in the input. */
export type ConnectorUpdateResult =
  | { path: UpdateConnectorPath; ok: true; evse: UpdatedEvse }
  | { path: UpdateConnectorPath; ok: false; error: ConnectorApiError };

export interface UpdateConnectorsProgress {
  /** Updates settled so far, failed ones included. */
  done: number;
  total: number;
  failed: number;
}

export interface UpdateConnectorsOptions {
  /** Updates in flight at once (default 4, at most 64). The rate limit, not this, sets the pace. */
  concurrency?: number | undefined;
  /**
   * Stops the batch. The promise still resolves, with one result per update: those settled keep
   * their result, every other one fails with kind "aborted" (attempts 0 if it was never sent).
   */
  signal?: AbortSignal | undefined;
  /** Extra headers for every request, as in updateConnector. */
  headers?: Record<string, string> | undefined;
  /**
   * Each update's own deadline, from its first send, re-queues after a 429 included (default: the
   * client's deadlineMs). The wait for the write window before its first send is not part of it.
   */
  deadlineMs?: number | undefined;
  /** Called after each settled update (for a progress bar). A hook that throws is ignored. */
  onProgress?: ((progress: UpdateConnectorsProgress) => void) | undefined;
}

export type UpdateConnectors = (updates: readonly ConnectorUpdateItem[], options?: UpdateConnectorsOptions | null) => Promise<ConnectorUpdateResult[]>;

export const DEFAULT_CONCURRENCY = 4;
const MAX_CONCURRENCY = 64;
export interface UpdateConnectorsConfig {
  send: SendUpdate;
  baseUrl: string;
  redact: Redactor;
  /** The client's deadlineMs: each update's bound when the batch does not set one. */
  deadlineMs: number;
  /** The client's pacers: the batch waits on updateConnector's bucket. */
  pacers: BucketPacers;
  emit: ((event: ClientEvent) => void) | undefined;
}

function batchOptionIssues(o: Record<string, unknown>): RequestIssue[] {
  const issues: RequestIssue[] = [];
  const c = o.concurrency;
  if (c !== undefined && !(Number.isInteger(c) && (c as number) >= 1 && (c as number) <= MAX_CONCURRENCY)) {
    issues.push({ in: "options", path: "/concurrency", keyword: "type", message: `must be a whole number from 1 to ${MAX_CONCURRENCY}` });
  }
  if (o.onProgress !== undefined && typeof o.onProgress !== "function") {
    issues.push({ in: "options", path: "/onProgress", keyword: "type", message: "must be a function" });
  }
  return issues;
}

export function createUpdateConnectors(config: UpdateConnectorsConfig): UpdateConnectors {
  const { send } = config;
  const { method, operationId } = UPDATE_CONNECTOR;
  const invalidRequest = (c: typeof config, path: unknown, issues: RequestIssue[]) => invalidOperationRequest(c, operationId, path, issues);
  const paced = config.pacers.of(UPDATE_CONNECTOR)!;
  const { pacer } = paced;
  const { emit } = config;

  return async function updateConnectors(updates, options) {
    const optionIssues = optionsIssues(options, BATCH_OPTIONS, batchOptionIssues);
    if (optionIssues.length) throw invalidRequest(config, undefined, optionIssues);
    if (!Array.isArray(updates)) {
      throw invalidRequest(config, undefined, [{ in: "options", path: "", keyword: "type", message: "updates must be an array of { path, patch }" }]);
    }
    const o: UpdateConnectorsOptions = options ?? {};
    const total = updates.length;
    const results: (ConnectorUpdateResult | undefined)[] = new Array(total);
    let done = 0;
    let failed = 0;
    const settle = (index: number, result: ConnectorUpdateResult) => {
      results[index] = result;
      done++;
      if (!result.ok) failed++;
      try {
        o.onProgress?.({ done, total, failed });
      } catch {
        // A progress hook must not stop the batch.
      }
    };

    // An invalid update fails alone, at once, and nothing is sent for it.
    const queue: number[] = [];
    updates.forEach((update: unknown, index) => {
      const item: unknown = update;
      const path = (isPlainObject(item) ? item.path : undefined) as UpdateConnectorPath;
      const issues = isPlainObject(item)
        ? checkUpdate(item.path, item.patch)
        : [{ in: "body" as const, path: "", keyword: "type", message: `update ${index} must be an object { path, patch }` }];
      if (issues.length) settle(index, { path, ok: false, error: invalidRequest(config, path, issues) });
      else queue.push(index);
    });

    const started = new Map<number, number>();
    const deadlineMs = o.deadlineMs ?? config.deadlineMs;
    const deadlineOf = (index: number) => deadlineMs - (Date.now() - (started.get(index) ?? Date.now()));

    const run = async (index: number, reservation: Reservation): Promise<void> => {
      const { path, patch } = updates[index]!;
      if (!started.has(index)) started.set(index, Date.now());
      const remaining = deadlineOf(index);
      try {
        const evse = await send(
          path,
          patch,
          { signal: o.signal, headers: o.headers, deadlineMs: Math.max(1, Math.round(remaining)) },
          // The transport reports each attempt to the bucket's pacer and pauses it on a 429; the first
          // attempt uses the place the wait took.
          { retryRateLimited: false, reservation },
        );
        settle(index, { path, ok: true, evse });
      } catch (error) {
        const failure = error as ConnectorApiError;
        if (failure.kind === "rate-limited" && !o.signal?.aborted) {
          // Back to the front of the queue, unless the bucket's pause would end past this update's deadline.
          if (pacer.waitMs() < deadlineOf(index)) {
            queue.unshift(index);
            return;
          }
        }
        settle(index, { path, ok: false, error: failure });
      } finally {
        reservation.release(); // only if nothing was sent
      }
    };

    const worker = async (): Promise<void> => {
      for (;;) {
        if (o.signal?.aborted) return;
        const index = queue.shift();
        // A rate-limited update is put back by the worker that ran it, which then takes it again.
        if (index === undefined) return;
        let reservation: Reservation;
        try {
          // Until the bucket has room, taking the place as the wait ends: the update's deadline has not started yet.
          reservation = await reserveRoom(paced, o.signal, emit, () => ({ method, url: urlFor(config.baseUrl, operationId, updates[index]!.path) }));
        } catch {
          queue.unshift(index);
          return; // aborted while waiting for the window
        }
        await run(index, reservation);
      }
    };

    const concurrency = Math.min(o.concurrency ?? DEFAULT_CONCURRENCY, Math.max(1, queue.length));
    await Promise.all(Array.from({ length: concurrency }, worker));

    // Aborted: every update without a result fails as aborted, never sent (or sent and abandoned).
    for (let index = 0; index < total; index++) {
      if (results[index] !== undefined) continue;
      const path = updates[index]!.path;
      const reason = o.signal?.reason;
      settle(index, {
        path,
        ok: false,
        error: new ConnectorApiError({
          kind: "aborted",
          method,
          url: urlFor(config.baseUrl, operationId, path),
          attempts: 0,
          operationId,
          ...(reason === undefined ? {} : { reason: config.redact.value(reason) }),
        }),
      });
    }
    return results as ConnectorUpdateResult[];
  };
}

