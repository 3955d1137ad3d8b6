/** The CLI's exit codes, for pipelines: 0 the contract holds, 1 it is violated, 2 usage or set-up error. */
export const EXIT = { holds: 0, violated: 1, setup: 2 } as const;

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
