// The breaking-change gate (`npm run diff`).
//   tsx scripts/diff-contract.ts [--root DIR] [--json]
// Compares the contract as built (generated/openapi.json) with the contract of the last release
// (spec/released/openapi.json, its version in spec/released/version.json), rates the change for
// consumers (major / minor / patch, see CONTRIBUTING.md) and checks that the version declared for the
// next release (package.json's version, pending .changeset/*.md files) is at least that.
//   exit 0  pass
//   exit 1  the change needs a bigger version bump than is declared (each offending change is named)
//   exit 2  usage or set-up error (missing or hand-edited files, bad versions, redocly failed)
// --root DIR reads those files under DIR instead of this repo (the tests use planted copies).
// The gate itself is in scripts/gate/: gate.ts reads top to bottom.
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { runIfMain } from "./run-main.js";
import { evaluateGate } from "./gate/gate.js";
import { REPO_ROOT } from "./gate/inputs.js";
import { GateSetupError } from "./gate/levels.js";

const USAGE = "usage: tsx scripts/diff-contract.ts [--root DIR] [--json]";

export async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { root: { type: "string" }, json: { type: "boolean" }, help: { type: "boolean", short: "h" } },
    }));
  } catch (error) {
    console.error(`Contract gate: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  try {
    const result = await evaluateGate({ root: values.root === undefined ? REPO_ROOT : resolve(values.root) });
    if (values.json) {
      const { paths, ...rest } = result;
      console.log(JSON.stringify(rest, null, 2));
    } else (result.ok ? console.log : console.error)(result.message);
    return result.exitCode;
  } catch (error) {
    if (!(error instanceof GateSetupError)) throw error;
    console.error(`Contract gate: set-up error\n  ${error.message}`);
    return 2;
  }
}

runIfMain(import.meta.url, main);
