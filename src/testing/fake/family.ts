// The fake's reading of the EVSE family beside the PATCH: pages of EVSEs with real cursors, and the
// connector commands with state. Where Spirii's pages are silent, this is the fake's reading
// (documented in the README's "The operation family"):
// - change availability: `Inoperative` sets the EVSE's status to INOPERATIVE, `Operative` puts back
//   the status it had before; `Scheduled` (nothing changes) while a seeded session runs on that connector.
// - unlock: `UnlockFailed` with `error.message` when the charge box is offline (a seedable flag),
//   `NotSupported` for a connector with a fixed cable, `Unlocked` for a socket.
// - remote stop: `Accepted` ends a running seeded session on that connector; `Rejected` for an
//   unknown or finished one. While a seeded session runs, an EVSE seeded as AVAILABLE reads CHARGING
//   (the OCPI status of OCPP's Charging); when its last session ends it reads AVAILABLE again.
// - cursors: opaque (base64url of an offset into the filtered list); one that is not the fake's is a 400.
import type { Evse } from "../../contract.js";
import type { EvseStore } from "./state.js";

/** A charging session the fake holds, for remoteStopTransaction and change-availability's `Scheduled`. */
export interface FakeSession {
  transactionId: number;
  uid: number;
  connectorId: number;
}

export interface FamilySeed {
  /** Sessions running at the start (and after `reset()`). */
  sessions?: FakeSession[] | undefined;
  /** Charge boxes that are offline: an unlock on them fails with a message. */
  offlineChargeboxes?: number[] | undefined;
}

const isWhole = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;

/** Checks the seed of the family's state before anything starts. */
export function checkFamilySeed(seed: FamilySeed, who: string): { sessions: FakeSession[]; offlineChargeboxes: number[] } {
  const sessions = seed.sessions ?? [];
  if (!Array.isArray(sessions) || sessions.some((s) => !s || !isWhole(s.transactionId) || !isWhole(s.uid) || !isWhole(s.connectorId))) {
    throw new TypeError(`${who}: sessions must be an array of { transactionId, uid, connectorId } whole numbers; nothing was started.`);
  }
  const offline = seed.offlineChargeboxes ?? [];
  if (!Array.isArray(offline) || offline.some((id) => !isWhole(id))) throw new TypeError(`${who}: offlineChargeboxes must be an array of charge box ids; nothing was started.`);
  return { sessions: structuredClone(sessions), offlineChargeboxes: [...offline] };
}

export class FamilyState {
  readonly #seed: { sessions: FakeSession[]; offlineChargeboxes: number[] };
  #running = new Map<number, FakeSession>();
  #offline = new Set<number>();
  /** The status an EVSE had before it was made inoperative, to put back on `Operative`. */
  #before = new Map<number, Evse["status"]>();
  readonly #store: EvseStore;

  /** `store` is reset first: the sessions are shown on the EVSEs as seeded. */
  constructor(seed: { sessions: FakeSession[]; offlineChargeboxes: number[] }, store: EvseStore) {
    this.#seed = seed;
    this.#store = store;
    this.reset();
  }

  /** Back to the seed; call after the store's reset, as the sessions show on its EVSEs. */
  reset(): void {
    this.#running = new Map(this.#seed.sessions.map((s) => [s.transactionId, { ...s }]));
    this.#offline = new Set(this.#seed.offlineChargeboxes);
    this.#before.clear();
    for (const { uid } of this.#running.values()) if (this.#store.get(uid)?.status === "AVAILABLE") this.#store.setStatus(uid, "CHARGING");
  }

  sessionOn(uid: number, connectorId: number): FakeSession | undefined {
    return [...this.#running.values()].find((s) => s.uid === uid && s.connectorId === connectorId);
  }

  /** Ends the session when it runs on that connector; false for an unknown or finished one. */
  stop(transactionId: number, uid: number, connectorId: number): boolean {
    const session = this.#running.get(transactionId);
    if (!session || session.uid !== uid || session.connectorId !== connectorId) return false;
    this.#running.delete(transactionId);
    const stillCharging = [...this.#running.values()].some((s) => s.uid === uid);
    if (!stillCharging && this.#store.get(uid)?.status === "CHARGING") this.#store.setStatus(uid, "AVAILABLE");
    return true;
  }

  isOffline(chargeboxId: number): boolean {
    return this.#offline.has(chargeboxId);
  }

  /** The EVSE's status after an availability change of `type` (the EVSE as it is now). */
  statusAfter(evse: Evse, type: "Inoperative" | "Operative"): Evse["status"] {
    if (type === "Inoperative") {
      if (evse.status !== "INOPERATIVE") this.#before.set(evse.uid, evse.status);
      return "INOPERATIVE";
    }
    const before = this.#before.get(evse.uid);
    this.#before.delete(evse.uid);
    return evse.status === "INOPERATIVE" ? (before ?? "AVAILABLE") : evse.status;
  }
}

/** The opaque cursor of an offset into the filtered list. */
export const cursorAt = (offset: number) => Buffer.from(`evses:${offset}`).toString("base64url");

/** The offset a cursor stands for, or undefined when it is not one of the fake's. */
export function offsetOf(cursor: string): number | undefined {
  const match = /^evses:(\d{1,9})$/.exec(Buffer.from(cursor, "base64url").toString());
  return match ? Number(match[1]) : undefined;
}

export interface PageQuery {
  limit?: number;
  nextPageCursor?: string;
  previousPageCursor?: string;
  uids?: number[];
  chargeboxIds?: number[];
}

/** One page of `evses` for a contract-valid query, or the name of a cursor that is not the fake's. */
export function pageOf(evses: readonly Evse[], query: PageQuery): { page: { data: Evse[]; nextPageCursor?: string; previousPageCursor?: string } } | { badCursor: "nextPageCursor" | "previousPageCursor" } {
  const limit = query.limit ?? 25;
  const filtered = evses.filter((e) => (query.uids === undefined || query.uids.includes(e.uid)) && (query.chargeboxIds === undefined || query.chargeboxIds.includes(e.chargeboxId)));
  let start = 0;
  if (query.nextPageCursor !== undefined) {
    const at = offsetOf(query.nextPageCursor);
    if (at === undefined) return { badCursor: "nextPageCursor" };
    start = at;
  } else if (query.previousPageCursor !== undefined) {
    const at = offsetOf(query.previousPageCursor);
    if (at === undefined) return { badCursor: "previousPageCursor" };
    start = at;
  }
  const data = filtered.slice(start, start + limit);
  const end = start + data.length;
  return {
    page: {
      data,
      ...(end < filtered.length ? { nextPageCursor: cursorAt(end) } : {}),
      ...(start > 0 ? { previousPageCursor: cursorAt(Math.max(0, start - limit)) } : {}),
    },
  };
}
