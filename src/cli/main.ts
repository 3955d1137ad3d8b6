#!/usr/bin/env node
// spirii-contract: the contract-testing CLI (`mock` for consumers, `verify` for providers).
import { runCli } from "./run.js";

const code = await runCli(process.argv.slice(2));
process.exitCode = code;
// Everything is closed by now and the process ends by itself; should a provider's socket linger
// anyway, a pipeline must still get its exit code.
setTimeout(() => process.exit(code), 1_000).unref();
