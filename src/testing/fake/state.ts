// The fake's EVSEs, in memory: checked against the contract when seeded, patched in place, and put
// back to the seed on reset. Callers only ever see copies, so a test cannot change state behind
// the fake's back.
import type { Connector, ConnectorUpdate, Evse } from "../../contract.js";
import { validateEvse } from "../../validation.js";
import { applyConnectorPatch } from "../evse-model.js";

/** Checks a seed before anything starts: each EVSE contract-valid, uids and connector ids unique. */
export function checkSeed(evses: unknown, who = "startFakeApi"): Evse[] {
  if (!Array.isArray(evses)) {
    throw new TypeError(`${who}: evses must be an array of EVSEs, got ${describe(evses)}; nothing was started.`);
  }
  const seen = new Map<number, number>();
  evses.forEach((evse: unknown, index) => {
    const result = validateEvse(evse);
    if (!result.ok) {
      const [first] = result.issues;
      const more = result.issues.length > 1 ? ` (and ${result.issues.length - 1} more)` : "";
      throw new TypeError(`${who}: evses[${index}] is not a contract-valid Evse: at ${first?.path || "/"} ${first?.message ?? "invalid"}${more}; nothing was started.`);
    }
    const { uid, connectors } = result.value;
    const earlier = seen.get(uid);
    if (earlier !== undefined) {
      throw new TypeError(`${who}: evses[${index}] at /uid: uid ${uid} is already the uid of evses[${earlier}]; uids must be unique; nothing was started.`);
    }
    seen.set(uid, index);
    const ids = new Map<number, number>();
    connectors.forEach((connector, c) => {
      const other = ids.get(connector.id);
      if (other !== undefined) {
        throw new TypeError(
          `${who}: evses[${index}] at /connectors/${c}/id: connector id ${connector.id} is also /connectors/${other}/id; connector ids must be unique within an EVSE; nothing was started.`,
        );
      }
      ids.set(connector.id, c);
    });
  });
  return structuredClone(evses as Evse[]);
}

/**
 * What the API does with a contract-valid patch: the rule of src/testing/evse-model.ts (verify's
 * oracle), so the fake and the oracle cannot drift apart. The input is not changed. Throws when the
 * EVSE has no such connector (the caller answers 404 before).
 */
export function applyPatch(evse: Evse, connectorId: number, patch: ConnectorUpdate): Evse {
  if (!evse.connectors.some((c) => c.id === connectorId)) throw new Error(`applyPatch: EVSE ${evse.uid} has no connector ${connectorId}`);
  return applyConnectorPatch(evse, connectorId, patch);
}

const describe = (value: unknown) => (value === null ? "null" : Array.isArray(value) ? "an array" : typeof value === "object" ? "an object" : `${typeof value} ${JSON.stringify(value)}`);

export class EvseStore {
  readonly #seed: readonly Evse[];
  readonly #evses = new Map<number, Evse>();

  constructor(seed: readonly Evse[]) {
    this.#seed = seed;
    this.reset();
  }

  /** Back to the seed. */
  reset(): void {
    this.#evses.clear();
    for (const evse of this.#seed) this.#evses.set(evse.uid, structuredClone(evse));
  }

  /** A copy of the stored EVSE, or undefined. */
  get(uid: number): Evse | undefined {
    const json = this.json(uid);
    return json === undefined ? undefined : (JSON.parse(json) as Evse);
  }

  /** The stored EVSE as JSON, the body of an answer (no copy needed: the text is one). */
  json(uid: number): string | undefined {
    const evse = this.#evses.get(uid);
    return evse && JSON.stringify(evse);
  }

  has(uid: number): boolean {
    return this.#evses.has(uid);
  }

  hasConnector(uid: number, connectorId: number): boolean {
    return this.#connector(uid, connectorId) !== undefined;
  }

  /** Copies of every stored EVSE, in seed order. */
  all(): Evse[] {
    return [...this.#evses.values()].map((evse) => structuredClone(evse));
  }

  /** The stored EVSEs themselves, in seed order, for an answer serialised at once (no copy per request); never to be changed. */
  stored(): readonly Evse[] {
    return [...this.#evses.values()];
  }

  /** Sets the patch's fields on the connector (the patch is contract-valid, the connector exists); the EVSE after, as JSON. */
  apply(uid: number, connectorId: number, patch: ConnectorUpdate): string {
    const evse = this.#evses.get(uid);
    if (!evse) throw new Error(`fake: no EVSE ${uid}`); // callers check first
    this.#evses.set(uid, applyPatch(evse, connectorId, patch));
    return this.json(uid)!;
  }

  /** The connector, a copy, or undefined. */
  connector(uid: number, connectorId: number): Connector | undefined {
    const connector = this.#connector(uid, connectorId);
    return connector && structuredClone(connector);
  }

  /** Sets the EVSE's status (the EVSE exists: callers check first). */
  setStatus(uid: number, status: Evse["status"]): void {
    const evse = this.#evses.get(uid);
    if (!evse) throw new Error(`fake: no EVSE ${uid}`);
    this.#evses.set(uid, { ...evse, status });
  }

  #connector(uid: number, connectorId: number): Connector | undefined {
    return this.#evses.get(uid)?.connectors.find((c) => c.id === connectorId);
  }
}
