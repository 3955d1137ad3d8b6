// Rates every change between two contracts for consumers. A change is major when it breaks them
// (redocly diff's verdicts plus rules.ts), minor when undoing it would (consumers can now rely on
// something new: found by diffing in reverse), and patch otherwise.
import { readFile } from "node:fs/promises";
import { escapePointer, unescapePointer } from "../../src/json-pointer.js";
import type { Json } from "./inputs.js";
import { maxLevel, type Level, type ReleaseLevel } from "./levels.js";
import { redoclyDiff, type DiffChange } from "./redocly-diff.js";
import { generatedTypesRemoved, headersNoLongerRequired, isOpenEnumChange, responseEnumValuesRemoved } from "./rules.js";
import { schemaUsages } from "./schema-graph.js";

export interface Breaking {
  rule: string;
  message: string;
}

/** One change, one direction, with what it breaks. */
interface Change {
  kind: DiffChange["kind"];
  path: string;
  property?: string | undefined;
  pointer: string;
  basePointer?: string | undefined;
  revisionPointer?: string | undefined;
  breaking: Breaking[];
  notes: string[];
}

export interface RatedChange extends Change {
  level: ReleaseLevel;
  description: string;
}

function nodePointer(change: DiffChange): string {
  const side = change.revision ?? change.base;
  let pointer = typeof side?.pointer === "string" ? side.pointer : change.path;
  const suffix = change.property === undefined ? undefined : `/${escapePointer(change.property)}`;
  if (suffix && pointer.endsWith(suffix)) pointer = pointer.slice(0, -suffix.length);
  return pointer;
}

/** "#/components/schemas/Evse" -> "components/schemas/Evse", for people. */
export const readablePointer = (pointer: string): string =>
  pointer.replace(/^#\/?/, "").split("/").map(unescapePointer).join("/") || "(document)";

/** One line saying what changed, e.g. "changed `enum` of components/schemas/EvseStatus". */
export function describeChange(change: Pick<Change, "kind" | "property" | "pointer">): string {
  const where = readablePointer(change.pointer);
  if (change.kind === "modified") return `changed \`${change.property}\` of ${where}`;
  return `${change.kind} ${where}`;
}

/** redocly diff plus the gate's rules, one direction. Returns the changes, each with what breaks. */
async function analyse(basePath: string, revisionPath: string, baseDoc: Json, revisionDoc: Json): Promise<Change[]> {
  const report = await redoclyDiff(basePath, revisionPath);
  const usages = schemaUsages(revisionDoc);
  const changes: Change[] = report.changes
    // info.version is the document's label, not part of the contract (redocly leaves it out of its bump too).
    .filter((c) => !(c.path === "#/info" && c.property === "version"))
    .map((c) => {
      const breaking: Breaking[] = [];
      const notes: string[] = [];
      for (const verdict of c.verdicts ?? []) {
        if (verdict.impact !== "major") continue;
        if (isOpenEnumChange(c, verdict, revisionDoc, usages)) {
          notes.push(`${verdict.message} Not breaking: every use of this enum is an open anyOf/oneOf branch (contract/open-enum).`);
          continue;
        }
        breaking.push({ rule: verdict.ruleId, message: verdict.message });
      }
      const lostValues = breaking.length === 0 ? responseEnumValuesRemoved(c, revisionDoc, usages) : undefined;
      if (lostValues) breaking.push({ rule: lostValues.rule, message: lostValues.message });
      return {
        kind: c.kind,
        path: c.path,
        property: c.property,
        pointer: nodePointer(c),
        basePointer: c.base?.pointer,
        revisionPointer: c.revision?.pointer,
        breaking,
        notes,
      };
    });
  for (const finding of headersNoLongerRequired(baseDoc, revisionDoc)) {
    const verdict = { rule: finding.rule, message: finding.message };
    const same = changes.find((c) => c.path === finding.location && c.property === "required");
    if (same) same.breaking.push(verdict);
    else changes.push({ kind: "modified", path: finding.location, property: "required", pointer: finding.location, breaking: [verdict], notes: [] });
  }
  for (const finding of generatedTypesRemoved(baseDoc, revisionDoc)) {
    const verdict = { rule: finding.rule, message: finding.message };
    const same = changes.find((c) => c.basePointer === finding.location);
    if (same?.breaking.length) continue; // already breaking (e.g. redocly's path-removed)
    if (same) same.breaking.push(verdict);
    else changes.push({ kind: "removed", path: finding.location, pointer: finding.location, basePointer: finding.location, breaking: [verdict], notes: [] });
  }
  return changes;
}

export interface Rating {
  required: Level;
  changes: RatedChange[];
}

/** Rates every change between two contracts (files, and their parsed JSON if already read). */
export async function diffContracts(input: { basePath: string; revisionPath: string; baseDoc?: Json; revisionDoc?: Json }): Promise<Rating> {
  const { basePath, revisionPath } = input;
  const baseDoc = input.baseDoc ?? JSON.parse(await readFile(basePath, "utf8"));
  const revisionDoc = input.revisionDoc ?? JSON.parse(await readFile(revisionPath, "utf8"));
  const forward = await analyse(basePath, revisionPath, baseDoc, revisionDoc);
  // Minor or patch? Diff in reverse, needed only when some change is not already major.
  const reverse = forward.some((c) => c.breaking.length === 0) ? await analyse(revisionPath, basePath, revisionDoc, baseDoc) : [];
  const undoBreaks = reverse.filter((c) => c.breaking.length > 0);
  const changes = forward.map((c): RatedChange => {
    const undone = undoBreaks.some(
      (r) =>
        (r.path === c.path && r.property === c.property) ||
        (r.basePointer !== undefined && r.basePointer === c.revisionPointer && r.revisionPointer === c.basePointer),
    );
    const level = c.breaking.length > 0 ? "major" : undone ? "minor" : "patch";
    return { level, ...c, description: describeChange(c) };
  });
  let required = maxLevel(...changes.map((c) => c.level));
  if (undoBreaks.length > 0) required = maxLevel(required, "minor");
  return { required, changes };
}
