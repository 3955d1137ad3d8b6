// Levels of change to the contract, in increasing order, and the one error the gate treats as set-up.

export const LEVELS = ["none", "patch", "minor", "major"] as const;
export type Level = (typeof LEVELS)[number];
/** A level that makes a release. */
export type ReleaseLevel = Exclude<Level, "none">;

export const rank = (level: Level): number => LEVELS.indexOf(level);

export const maxLevel = (...levels: Level[]): Level =>
  levels.reduce<Level>((a, b) => (rank(b) > rank(a) ? b : a), "none");

/** A problem with the inputs rather than with the change: exit 2. */
export class GateSetupError extends Error {
  override name = "GateSetupError";
}
