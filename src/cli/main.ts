#!/usr/bin/env node
// spirii-contract: the contract-testing CLI (`mock` for consumers, `verify` for providers).
// Every failure maps to an exit code a pipeline can act on: 0 holds, 1 violated, 2 usage/set-up.
import { MissingPeerError } from "../testing/peers.js";
import { SetupError } from "../testing/verify/setup-error.js";
import { EXIT, UsageError } from "./exit-codes.js";
import { MAIN_HELP } from "./help.js";
import { mockCommand } from "./mock-command.js";
import { verifyCommand } from "./verify-command.js";

const COMMANDS: Record<string, (args: string[]) => Promise<number>> = { mock: mockCommand, verify: verifyCommand };

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    process.stdout.write(MAIN_HELP);
    return command === undefined ? EXIT.setup : EXIT.holds;
  }
  const run = COMMANDS[command];
  if (!run) throw new UsageError(`unknown command ${JSON.stringify(command)}; the commands are ${Object.keys(COMMANDS).join(", ")}`, "");
  return run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // Everything is closed by now and the process ends by itself; should a provider's socket
    // linger anyway, a pipeline must still get its exit code.
    setTimeout(() => process.exit(code), 1_000).unref();
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`spirii-contract${error.command ? ` ${error.command}` : ""}: ${error.message}\n`);
      process.stderr.write(`Run "spirii-contract${error.command ? ` ${error.command}` : ""} --help" for usage.\n`);
    } else if (error instanceof SetupError || error instanceof MissingPeerError) {
      process.stderr.write(`spirii-contract: ${error.message}\n`);
    } else {
      process.stderr.write(`spirii-contract: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    }
    process.exitCode = EXIT.setup;
  },
);
