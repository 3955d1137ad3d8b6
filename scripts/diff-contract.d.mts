// Types for scripts/diff-contract.mjs (the breaking-change gate), for the tests in test/diff-gate/.

export type Level = "none" | "patch" | "minor" | "major";
export declare const LEVELS: readonly Level[];
export declare const REPO_ROOT: string;
export declare function maxLevel(...levels: Level[]): Level;

export declare class GateSetupError extends Error {}

export interface ContractPaths {
  root: string;
  packageJson: string;
  revision: string;
  released: string;
  releasedVersion: string;
  changesets: string;
  changelog: string;
}
export declare function contractPaths(root?: string): ContractPaths;

export declare function parseVersion(version: unknown, what?: string): [number, number, number];
export declare function compareVersions(a: string, b: string): -1 | 0 | 1;
export declare function bumpVersion(version: string, level: Level): string;
export declare function bumpLevel(from: string, to: string): Level;

export declare function contractChecksum(json: unknown): string;
export declare function readRelease(paths: ContractPaths): Promise<{ version: string; doc: unknown }>;

export interface Changeset {
  file: string;
  level: Exclude<Level, "none">;
  summary: string;
}
export declare function readChangesets(dir: string, packageName: string): Promise<Changeset[]>;

export interface Breaking {
  rule: string;
  message: string;
}
export interface RatedChange {
  level: Exclude<Level, "none">;
  kind: "added" | "removed" | "modified";
  path: string;
  property?: string;
  pointer: string;
  description: string;
  breaking: Breaking[];
  notes: string[];
}
export declare function diffContracts(input: {
  basePath: string;
  revisionPath: string;
  baseDoc?: unknown;
  revisionDoc?: unknown;
}): Promise<{ required: Level; changes: RatedChange[] }>;

export interface Decision {
  ok: boolean;
  exitCode: 0 | 1;
  required: Level;
  declared: Level;
  level: Level;
  nextVersion: string;
}
export declare function decide(input: {
  required: Level;
  releasedVersion: string;
  packageVersion: string;
  changesets: Pick<Changeset, "level">[];
}): Decision;

export interface GateResult extends Decision {
  packageName: string;
  releasedVersion: string;
  packageVersion: string;
  changesets: Changeset[];
  changes: RatedChange[];
  paths: ContractPaths;
  message: string;
}
export declare function evaluateGate(options?: { root?: string }): Promise<GateResult>;
export declare function formatGate(result: Omit<GateResult, "message">): string;
export declare function schemaUsages(doc: unknown): Map<object, Set<string>>;
export declare function describeChange(change: Pick<RatedChange, "kind" | "property" | "pointer">): string;
export declare function redoclyDiff(basePath: string, revisionPath: string): Promise<unknown>;
export declare function main(argv: string[]): Promise<number>;
