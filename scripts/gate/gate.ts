// The gate: reads the inputs under a root, rates the change and decides whether the declared
// version is big enough. Set-up problems throw GateSetupError (exit 2).
import { resolve } from "node:path";
import { declaredByChangesets, readChangesets, type Changeset } from "./changesets.js";
import { formatGate } from "./format.js";
import { contractPaths, readJson, readRelease, REPO_ROOT, type ContractPaths } from "./inputs.js";
import { GateSetupError, maxLevel, rank, type Level } from "./levels.js";
import { diffContracts, type RatedChange } from "./rating.js";
import { bumpLevel, bumpVersion, compareVersions, parseVersion } from "./versions.js";

export interface Decision {
  ok: boolean;
  exitCode: 0 | 1;
  required: Level;
  declared: Level;
  level: Level;
  nextVersion: string;
}

/**
 * The version decision, given the rated change: pure, no I/O.
 * declared = the larger of package.json's step from the last release and every pending changeset.
 */
export function decide(input: {
  required: Level;
  releasedVersion: string;
  packageVersion: string;
  changesets: Pick<Changeset, "level">[];
}): Decision {
  const { required, releasedVersion, packageVersion, changesets } = input;
  const fromPackage = bumpLevel(releasedVersion, packageVersion);
  const declared = maxLevel(fromPackage, ...changesets.map((c) => c.level));
  const ok = rank(declared) >= rank(required);
  const level = maxLevel(declared, required);
  let nextVersion = bumpVersion(releasedVersion, level);
  if (compareVersions(packageVersion, nextVersion) > 0) nextVersion = packageVersion;
  return { ok, exitCode: ok ? 0 : 1, required, declared, level, nextVersion };
}

export interface GateResult extends Decision {
  packageName: string;
  releasedVersion: string;
  packageVersion: string;
  changesets: Changeset[];
  changes: RatedChange[];
  paths: ContractPaths;
  message: string;
}

/** Reads the inputs under `root`, rates the change and decides. Throws GateSetupError (exit 2). */
export async function evaluateGate({ root = REPO_ROOT }: { root?: string } = {}): Promise<GateResult> {
  const paths = contractPaths(resolve(root));
  const { json: pkg } = await readJson(paths.packageJson, "package.json");
  if (typeof pkg.name !== "string") throw new GateSetupError("package.json has no name.");
  parseVersion(pkg.version, "package.json's version");
  const release = await readRelease(paths);
  const { json: revisionDoc } = await readJson(paths.revision, "The built contract", "Run `npm run generate` (or `npm run build`) first.");
  const changesets = await readChangesets(paths.root, pkg.name);
  // The bump @changesets/cli plans from them is the one the gate counts as declared.
  const planned = await declaredByChangesets(paths.root, pkg.name);
  bumpLevel(release.version, pkg.version); // fail fast, before running redocly
  const { required, changes } = await diffContracts({
    basePath: paths.released,
    revisionPath: paths.revision,
    baseDoc: release.doc,
    revisionDoc,
  });
  const decision = decide({
    required,
    releasedVersion: release.version,
    packageVersion: pkg.version,
    changesets: planned === "none" ? [] : [{ level: planned }],
  });
  const result = {
    ...decision,
    packageName: pkg.name,
    releasedVersion: release.version,
    packageVersion: pkg.version,
    changesets,
    changes,
    paths,
  };
  return { ...result, message: formatGate(result) };
}
