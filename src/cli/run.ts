// Runs one command line and maps every outcome to the exit code a pipeline acts on:
// 0 the contract holds, 1 it is violated, 2 usage or set-up error.
import { MissingPeerError } from "../testing/peers.js";
import { SetupError } from "../testing/verify/setup-error.js";
import { EXIT, UsageError } from "./exit-codes.js";
import { coverageCommand } from "./coverage-command.js";
import { MAIN_HELP } from "./help.js";
import { fakeCommand } from "./fake-command.js";
import { mockCommand } from "./mock-command.js";
import { verifyCommand } from "./verify-command.js";

const COMMANDS: Record<string, (args: string[]) => Promise<number>> = { mock: mockCommand, verify: verifyCommand, coverage: coverageCommand, fake: fakeCommand };

async function dispatch(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    process.stdout.write(MAIN_HELP);
    return command === undefined ? EXIT.setup : EXIT.holds;
  }
  const run = COMMANDS[command];
  if (!run) throw new UsageError(`unknown command ${JSON.stringify(command)}; the commands are ${Object.keys(COMMANDS).join(", ")}`, "");
  return run(rest);
}

/** Runs `argv` (without node and the script) and resolves to the exit code; never rejects. */
export async function runCli(argv: readonly string[]): Promise<number> {
  try {
    return await dispatch(argv);
  } catch (error) {
    const name = error instanceof UsageError && error.command ? `spirii-contract ${error.command}` : "spirii-contract";
    if (error instanceof UsageError) {
      process.stderr.write(`${name}: ${error.message}\nRun "${name} --help" for usage.\n`);
    } else if (error instanceof SetupError || error instanceof MissingPeerError) {
      process.stderr.write(`${name}: ${error.message}\n`);
    } else {
      process.stderr.write(`${name}: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    }
    return EXIT.setup;
  }
}
