// Pending changesets (.changeset/*.md), read by @changesets/cli's own libraries: the bump each one
// declares and the release plan `changeset status --output` would write. The gate adds two rules of
// its own: a changeset names only this package, and says what changed.
import { existsSync } from "node:fs";
import { join } from "node:path";
import getReleasePlan from "@changesets/get-release-plan";
import readChangesetFiles from "@changesets/read";
import { GateSetupError, maxLevel, type Level, type ReleaseLevel } from "./levels.js";

export interface Changeset {
  /** The changeset's file. */
  file: string;
  level: ReleaseLevel;
  summary: string;
}

/** Each pending changeset of `root`, checked: it names only `packageName`, with a bump and a summary. */
export async function readChangesets(root: string, packageName: string): Promise<Changeset[]> {
  let found;
  try {
    found = await readChangesetFiles(root);
  } catch (error) {
    throw new GateSetupError(`.changeset/: ${(error as Error).message}`);
  }
  const byFile = [...found].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return byFile.map(({ id, summary, releases }) => {
    const where = `.changeset/${id}.md`;
    const other = releases.find((r) => r.name !== packageName);
    if (other) throw new GateSetupError(`${where} names the package ${other.name}; this repo publishes only ${packageName}.`);
    const levels = releases.map((r) => r.type).filter((t): t is ReleaseLevel => t !== "none");
    if (levels.length === 0) throw new GateSetupError(`${where} declares no bump for ${packageName}.`);
    if (!summary.trim()) {
      throw new GateSetupError(`${where} says nothing: write what changed, for consumers, under the front matter.`);
    }
    return { file: join(root, ".changeset", `${id}.md`), level: maxLevel(...levels) as ReleaseLevel, summary: summary.trim() };
  });
}

/**
 * The bump the pending changesets declare for `packageName`, from the release plan that
 * `changeset status --output` writes (computed in-process: the command also diffs against git's
 * base branch, which the gate does not need and planted test roots do not have).
 */
export async function declaredByChangesets(root: string, packageName: string): Promise<Level> {
  if (!existsSync(join(root, ".changeset", "config.json"))) {
    throw new GateSetupError(".changeset/config.json is missing: it is @changesets/cli's configuration (restore it from git).");
  }
  let plan;
  try {
    plan = await getReleasePlan(root);
  } catch (error) {
    throw new GateSetupError(`@changesets/cli cannot plan the release: ${(error as Error).message}`);
  }
  const release = plan.releases.find((r) => r.name === packageName);
  return release && release.type !== "none" ? release.type : "none";
}
