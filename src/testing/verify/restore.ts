// Learns the values the connector had before the run, so the run can put them back. A 200 answer
// shows the connector AFTER its patch, so a field is learned either from a read before any write or
// from an answer to a patch that did not touch that field while no earlier patch had touched it.
import { validateConnectorUpdate, formatIssues } from "../../validation.js";
import type { RestoreResult, UnrestorableField } from "./types.js";

export type Connector = Record<string, unknown>;

/** The connector `connectorId` inside an EVSE body, if the body has one. */
export function connectorIn(evse: unknown, connectorId: number): Connector | undefined {
  const connectors = (evse as { connectors?: unknown } | null)?.connectors;
  if (!Array.isArray(connectors)) return undefined;
  return (connectors as unknown[]).find((c): c is Connector => typeof c === "object" && c !== null && (c as Connector)["id"] === connectorId);
}

export class ConnectorBaseline {
  private readonly earlier = new Map<string, unknown>();
  private readonly touched = new Set<string>();
  private readonly absent = new Set<string>();
  private source: RestoreResult["source"] = "none";

  /** @param fields the patchable fields (the request schema's properties). */
  constructor(
    private readonly fields: readonly string[],
    private readonly connectorId: number,
  ) {}

  /** A read of the EVSE before any write: every field it shows is an earlier value. */
  learnFromRead(evse: unknown): boolean {
    const connector = connectorIn(evse, this.connectorId);
    if (!connector || this.touched.size > 0) return false;
    this.learn(connector, () => true);
    this.source = "read-before-writing";
    return true;
  }

  /** Call before sending a body: its fields may change, whatever the answer turns out to be. */
  willSend(body: unknown): void {
    if (body === null || typeof body !== "object" || Array.isArray(body)) return;
    for (const field of Object.keys(body)) if (this.fields.includes(field)) this.touched.add(field);
  }

  /** A 2xx answer's EVSE: fields no patch has touched yet still show their earlier values. */
  learnFromAnswer(evse: unknown): void {
    const connector = connectorIn(evse, this.connectorId);
    if (!connector) return;
    const before = this.earlier.size;
    this.learn(connector, (field) => !this.touched.has(field));
    if (this.source === "none" && this.earlier.size > before) this.source = "answers-along-the-way";
  }

  private learn(connector: Connector, untouched: (field: string) => boolean): void {
    for (const field of this.fields) {
      if (this.earlier.has(field) || !untouched(field)) continue;
      if (field in connector) {
        this.earlier.set(field, connector[field]);
        this.absent.delete(field);
      } else {
        this.absent.add(field);
      }
    }
  }

  /** The patch that puts back every touched field whose earlier value is known and sendable. */
  plan(): { patch: Record<string, unknown>; unrestorable: UnrestorableField[] } {
    const patch: Record<string, unknown> = {};
    const unrestorable: UnrestorableField[] = [];
    for (const field of this.fields) {
      if (!this.touched.has(field)) continue;
      if (!this.earlier.has(field)) {
        unrestorable.push({
          field,
          reason: this.absent.has(field)
            ? "the provider never reported it, so its earlier value is unknown"
            : "a patch changed it before any answer showed its earlier value",
        });
        continue;
      }
      const value = this.earlier.get(field);
      const check = validateConnectorUpdate({ [field]: value });
      if (!check.ok) {
        unrestorable.push({ field, reason: `its earlier value ${JSON.stringify(value)} cannot be sent in a patch (${formatIssues(check.issues)})` });
        continue;
      }
      patch[field] = value;
    }
    return { patch, unrestorable };
  }

  get learnedFrom(): RestoreResult["source"] {
    return this.source;
  }
}
