// The CHANGELOG section of a release: the pending changesets by level, then every contract change
// as the gate rated it ("contract changes by level"). @changesets/cli's own changelog is off
// (.changeset/config.json): this section is the project's format.
import type { Changeset } from "../gate/changesets.js";
import type { RatedChange } from "../gate/rating.js";

const HEADER = `# Changelog

All notable changes to \`spirii-connector-contract\`. Versions follow what changed for the package's
consumers (see CONTRIBUTING.md): **major** breaks them, **minor** gives them something new to rely on,
**patch** changes nothing they can observe on the wire. Each release is written by \`npm run release\`
from the pending changesets and the contract diff against the previous release.
`;

const LEVEL_TITLES = { major: "Major changes", minor: "Minor changes", patch: "Patch changes" } as const;
const ORDER = ["major", "minor", "patch"] as const;

const indent = (text: string) => text.trim().replace(/\r?\n/g, "\n  ");

export function changelogSection(input: {
  version: string;
  date: string;
  previous: string;
  changesets: Pick<Changeset, "level" | "summary">[];
  changes: RatedChange[];
}): string {
  const { version, date, previous, changesets, changes } = input;
  const lines = [`## ${version} (${date})`, ""];
  for (const level of ORDER) {
    const entries = changesets.filter((c) => c.level === level);
    if (entries.length === 0) continue;
    lines.push(`### ${LEVEL_TITLES[level]}`, "", ...entries.map((c) => `- ${indent(c.summary)}`), "");
  }
  lines.push(`### Contract changes since ${previous}`, "");
  if (changes.length === 0) lines.push("- None: the contract (`openapi.json`) is unchanged.");
  for (const c of [...changes].sort((a, b) => ORDER.indexOf(a.level) - ORDER.indexOf(b.level))) {
    const what = c.breaking.length > 0 ? c.breaking.map((b) => b.message).join(" ") : c.description;
    lines.push(`- **${c.level}**: ${what}${c.breaking.length > 0 ? ` (${c.description})` : ""}`);
  }
  lines.push("");
  return lines.join("\n");
}

/** The changelog with `section` above the newest release (a new changelog starts with the header). */
export function insertSection(changelog: string | undefined, section: string): string {
  const text = changelog ?? HEADER;
  const at = text.search(/^## /m);
  if (at === -1) return `${text.trimEnd()}\n\n${section}`;
  return `${text.slice(0, at)}${section}\n${text.slice(at)}`;
}
