// The oracle: each case is applied to a model of the EVSE (evse-model.ts, the fake's rule), and the
// provider's answer and the EVSE read back right after are compared with it, the whole EVSE, every
// connector and every field. The EVSE is read again right before each write (or the read-back of
// the previous write serves, when it is under 50 ms old), so what another actor changes between
// writes is not blamed on a write.
//
// Tolerance for the EVSE `status`, which a car starting or ending a charge changes: it is compared
// only across a write, from the read right before it to its answer and the read right after (a
// few milliseconds); a change there is a violation ("EVSE status changed by a connector patch"). A
// change between writes is reported as a notice (another actor), and the model follows it.
import { applyConnectorPatch, connectorOf, differences, type Difference, type JsonObject } from "../evse-model.js";
import type { Redactor } from "../../redact.js";
import type { Finding, VerifyCase } from "./types.js";

/** How the provider answered a write: accepted (2xx), refused (a 4xx), or unclear (5xx, no answer: it may or may not have applied it). */
export type WriteOutcome = "accepted" | "refused" | "unclear";

export interface StateJudgement {
  findings: Finding[];
}

const isObject = (value: unknown): value is JsonObject => value !== null && typeof value === "object" && !Array.isArray(value);
const close = (a: unknown, b: unknown) => typeof a === "number" && typeof b === "number" && Math.abs(a - b) <= Math.max(1, Math.abs(b)) * 0.05;

/** Where a pointer lands: the EVSE's own field, or a field of connector `id`. */
function locate(pointer: string, evse: unknown): { connectorId: number | undefined; field: string } {
  const tokens = pointer.split("/").slice(1);
  if (tokens[0] === "connectors" && tokens[1] !== undefined) {
    const list = isObject(evse) && Array.isArray(evse["connectors"]) ? (evse["connectors"] as unknown[]) : [];
    const connector = list[Number(tokens[1])];
    const id = isObject(connector) && typeof connector["id"] === "number" ? connector["id"] : undefined;
    return { connectorId: id, field: tokens.slice(2).join("/") };
  }
  return { connectorId: undefined, field: tokens.join("/") };
}

export class StateOracle {
  constructor(
    private readonly connectorId: number,
    private readonly redact: Redactor,
  ) {}

  private show = (value: unknown) => (value === undefined ? "absent" : JSON.stringify(this.redact.value(value)));

  private finding(check: "patch-applied" | "state-persisted" | "no-side-effect", severity: Finding["severity"], rule: string, pointer: string, message: string): Finding {
    return { check, severity, rule, pointer, message, source: "verify" };
  }

  /** Changes between two reads with no write in between: another actor's (notices), named so a reader sees them. */
  betweenWrites(previous: unknown, now: unknown): Finding[] {
    return differences(previous, now).map((d) =>
      this.finding(
        "no-side-effect",
        "notice",
        "changed-between-writes",
        d.pointer,
        `changed from ${this.show(d.expected)} to ${this.show(d.actual)} while verify sent nothing (another actor, e.g. a car); the model follows it`,
      ),
    );
  }

  /**
   * Judges one write against the model: `before` is the EVSE read right before it, `answer` the
   * EVSE in a 2xx answer, `after` the EVSE read right after it.
   */
  judgeWrite(kase: VerifyCase, outcome: WriteOutcome, status: number | undefined, before: unknown, answer: unknown, after: unknown): Finding[] {
    const patch = isObject(kase.body) ? kase.body : {};
    const targetsThisConnector = kase.kind !== "unknown";
    const patchable = targetsThisConnector && (kase.kind === "example" || kase.kind === "valid" || kase.kind === "restore");
    const expected = outcome === "accepted" && patchable ? applyConnectorPatch(before, this.connectorId, patch) : before;
    const findings: Finding[] = [];
    const sentField = (pointer: string, evse: unknown) => {
      const { connectorId, field } = locate(pointer, evse);
      return connectorId === this.connectorId && targetsThisConnector && Object.hasOwn(patch, field) ? field : undefined;
    };

    if (outcome === "accepted" && patchable && answer !== undefined) {
      // The answer must show the patch applied; the rest of it is judged by the schema.
      const answered = connectorOf(answer, this.connectorId);
      const index = isObject(answer) && Array.isArray(answer["connectors"]) ? (answer["connectors"] as unknown[]).indexOf(answered) : -1;
      const earlier = connectorOf(before, this.connectorId);
      for (const [field, sent] of Object.entries(patch)) {
        const shown = answered?.[field];
        if (answered === undefined || Object.is(shown, sent)) continue;
        const stale = earlier !== undefined && Object.is(shown, earlier[field]);
        findings.push(
          this.finding(
            "patch-applied",
            "violation",
            stale ? "stale-answer" : "patch-applied",
            `/connectors/${index}/${field}`,
            stale
              ? `stale answer: the answer shows ${field} ${this.show(shown)}, its value before the patch, not the ${JSON.stringify(sent)} sent`
              : `the answer shows ${field} ${this.show(shown)} where ${JSON.stringify(sent)} was sent`,
          ),
        );
      }
      findings.push(...this.statusAcross(before, answer, "answer"));
    }

    // A patch that was accepted by a provider it should not have been (an invalid one, one without
    // the key) was already judged; what it did to the connector is not compared field by field.
    const judgedElsewhere = outcome === "accepted" && !patchable && targetsThisConnector;
    for (const d of differences(expected, after)) {
      if (d.pointer === "/status") continue; // below, with its tolerance
      const field = sentField(d.pointer, after) ?? sentField(d.pointer, expected);
      if (field !== undefined && (judgedElsewhere || outcome === "unclear")) {
        // Unclear: the patch may or may not have been applied; either value is right.
        if (judgedElsewhere || Object.is(d.actual, patch[field]) || Object.is(d.actual, d.expected)) continue;
      }
      findings.push(this.describe(d, field, outcome, status, patch, after, expected));
    }
    findings.push(...this.statusAcross(before, after, "read back right after it"));
    return findings;
  }

  private statusAcross(before: unknown, after: unknown, where: string): Finding[] {
    const was = isObject(before) ? before["status"] : undefined;
    const now = isObject(after) ? after["status"] : undefined;
    if (Object.is(was, now)) return [];
    return [
      this.finding(
        "no-side-effect",
        "violation",
        "evse-status-changed",
        "/status",
        `EVSE status changed by a connector patch: ${this.show(was)} when read right before it, ${this.show(now)} in the ${where} (a change between writes would be another actor's and only noted)`,
      ),
    ];
  }

  private describe(d: Difference, field: string | undefined, outcome: WriteOutcome, status: number | undefined, patch: JsonObject, after: unknown, expected: unknown): Finding {
    const was = this.show(d.expected);
    const now = this.show(d.actual);
    if (field !== undefined && outcome === "accepted") {
      const sent = patch[field];
      if (d.actual === undefined) {
        return this.finding("state-persisted", "violation", "change-not-stored", d.pointer, `change not stored: ${field} is absent when read back after a patch that set it to ${JSON.stringify(sent)}`);
      }
      if (close(d.actual, sent)) {
        return this.finding("state-persisted", "violation", "value-altered", d.pointer, `value stored as ${now} where ${JSON.stringify(sent)} was sent (${field}, read back after the patch)`);
      }
      return this.finding("state-persisted", "violation", "change-not-stored", d.pointer, `change not stored: ${field} reads back as ${now} after a patch that set it to ${JSON.stringify(sent)} and was answered 2xx`);
    }
    if (field !== undefined) {
      return this.finding(
        "no-side-effect",
        "violation",
        "refused-patch-applied",
        d.pointer,
        `refused patch partly applied: ${field} reads back as ${now} (was ${was}) after the provider refused the patch${status === undefined ? "" : ` with ${status}`}`,
      );
    }
    const { connectorId, field: other } = locate(d.pointer, d.actual === undefined ? expected : after);
    if (connectorId !== undefined && connectorId !== this.connectorId) {
      return this.finding("no-side-effect", "violation", "wrong-connector", d.pointer, `wrong connector changed: connector ${connectorId} ${other || "(whole)"} was ${was}, reads back as ${now} after a patch of connector ${this.connectorId}`);
    }
    return this.finding("no-side-effect", "violation", "side-effect", d.pointer, `changed by a connector patch: ${d.pointer} was ${was}, reads back as ${now}`);
  }
}
