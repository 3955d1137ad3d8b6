// Versions, read and bumped by the semver package: plain MAJOR.MINOR.PATCH only (the package
// publishes no pre-releases).
import semver from "semver";
import { GateSetupError, type Level, type ReleaseLevel } from "./levels.js";

/** The version's [major, minor, patch], or a GateSetupError naming `what` was not a plain version. */
export function parseVersion(version: unknown, what = "version"): [number, number, number] {
  const parsed = typeof version === "string" ? semver.parse(version) : null;
  // semver.parse accepts "v1.2.3" and pre-releases; the package's versions are exactly MAJOR.MINOR.PATCH.
  if (!parsed || parsed.raw !== parsed.version || parsed.prerelease.length > 0) {
    throw new GateSetupError(`${what} is ${JSON.stringify(version)}, not a plain MAJOR.MINOR.PATCH version.`);
  }
  return [parsed.major, parsed.minor, parsed.patch];
}

export function compareVersions(a: string, b: string): -1 | 0 | 1 {
  parseVersion(a);
  parseVersion(b);
  return semver.compare(a, b);
}

/** The version after a release of the given level. A major release of 0.x goes to 1.0.0. */
export function bumpVersion(version: string, level: Level): string {
  parseVersion(version);
  return level === "none" ? version : (semver.inc(version, level as ReleaseLevel) as string);
}

/** How big a step `to` is from `from`: none, patch, minor or major. */
export function bumpLevel(from: string, to: string): Level {
  parseVersion(from);
  parseVersion(to);
  if (semver.gt(from, to)) {
    throw new GateSetupError(`package.json's version ${to} is lower than the last release ${from}.`);
  }
  return (semver.diff(from, to) as ReleaseLevel | null) ?? "none";
}
