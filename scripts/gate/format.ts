// The report `npm run diff` prints: each change by level, what is required and declared, the verdict
// and, on failure, what to do.
import { relative } from "node:path";
import type { GateResult } from "./gate.js";
import { rank } from "./levels.js";
import { readablePointer } from "./rating.js";

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

export function formatGate(r: Omit<GateResult, "message">): string {
  const rel = (p: string) => relative(r.paths.root, p) || ".";
  const lines = [`Contract gate: ${rel(r.paths.revision)} against release ${r.releasedVersion} (${rel(r.paths.released)})`];
  if (r.changes.length === 0) lines.push("  no changes to the contract");
  const order = [...r.changes].sort((a, b) => rank(b.level) - rank(a.level));
  for (const c of order) {
    if (c.breaking.length === 0) lines.push(`  ${c.level.padEnd(5)}  ${c.description}`);
    for (const b of c.breaking) lines.push(`  major  ${b.message}  [${b.rule}] at ${readablePointer(c.pointer)}`);
    for (const note of c.notes) lines.push(`         (${note})`);
  }
  const sources = [
    r.packageVersion === r.releasedVersion ? `package.json ${r.packageVersion}` : `package.json ${r.releasedVersion} → ${r.packageVersion}`,
    r.changesets.length === 0
      ? "no pending changesets"
      : `${plural(r.changesets.length, "pending changeset")} (${[...new Set(r.changesets.map((c) => c.level))].join(", ")})`,
  ];
  lines.push(`Required: ${r.required} · declared: ${r.declared} (${sources.join(", ")})`);
  if (r.ok) {
    lines.push(
      r.level === "none"
        ? `✔ Passed: nothing to release since ${r.releasedVersion}.`
        : `✔ Passed: the next release is ${r.level}, ${r.releasedVersion} → ${r.nextVersion} (npm run release).`,
    );
    return lines.join("\n");
  }
  const breaking = r.changes.filter((c) => c.level === "major");
  if (r.required === "major") {
    lines.push(
      `✖ FAILED: ${plural(breaking.length, "change")} above break${breaking.length === 1 ? "s" : ""} consumers, but the next release is declared as ${r.declared === "none" ? "no release at all" : `a ${r.declared} release`}:`,
      ...breaking.flatMap((c) => c.breaking.map((b) => `    - ${b.message} (${readablePointer(c.pointer)})`)),
      "  Either revert each of them (or make it backward compatible), or declare a major release that tells",
      "  consumers how to migrate:",
      '    npm run changeset -- major "What broke and how to migrate"',
    );
  } else {
    lines.push(
      `✖ FAILED: these changes need at least a ${r.required} release, but ${r.declared === "none" ? "none is declared" : `only a ${r.declared} release is declared`}.`,
      "  Declare it with a changeset, which also becomes the CHANGELOG entry:",
      `    npm run changeset -- ${r.required} "What changed, for consumers"`,
    );
  }
  return lines.join("\n");
}
