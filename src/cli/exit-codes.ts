/**
 * The CLI's exit codes, for pipelines: 0 the contract holds, 1 it is violated, 2 usage or set-up
 * error (nothing was sent) or no verdict (interrupted, or cases rate-limited past their deadline),
 * 3 verify could not put a connector back as it found it: the output names every field and the
 * value to set. 3 wins over every other outcome, since it needs a person.
 */
export const EXIT = { holds: 0, violated: 1, setup: 2, restoreIncomplete: 3 } as const;

/** What each exit code means, for help and README. */
export const EXIT_MEANINGS: ReadonlyArray<readonly [number, string]> = [
  [EXIT.holds, "the contract holds (and the connector reads back as before the run)"],
  [EXIT.violated, "the contract is violated, or coverage is under --fail-under"],
  [EXIT.setup, "usage or set-up error (nothing was sent), or no verdict: interrupted, or cases rate-limited past their deadline"],
  [EXIT.restoreIncomplete, "a connector (the one under test, or another the run changed) could not be put back (killed, interrupted twice, restore refused or rate-limited past its deadline): the output names each field and the value to set"],
];

/** The command line itself is wrong (unknown option, missing value): exit 2 with a pointer to --help. */
export class UsageError extends Error {
  override readonly name = "UsageError";
  constructor(
    message: string,
    readonly command: string,
  ) {
    super(message);
  }
}
