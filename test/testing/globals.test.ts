// The kit leaves the process as it found it. Prism's HTTP server (micri) loads a source-map hook
// that replaces Error.prepareStackTrace for the whole process, which moved every failure location
// in a consumer's test file that starts the mock; tslib, under Prism, writes its helpers onto
// globalThis. Checked in a fresh process: in this one another test file may have loaded Prism already.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

it("starting the mock and running verify leave Error.prepareStackTrace and every global as they were", async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", "test/testing/fixtures/globals-probe.ts"], { cwd: ROOT });
  expect(JSON.parse(stdout)).toEqual({ mockAnswered: 123456, verdict: "holds", prepareStackTraceUnchanged: true, globals: [], errorStatics: [] });
  // A fresh process that loads tsx, Prism and verify: past vitest's 30 s at load 14 on two cores. The
  // timeout guards a hang, not a speed: generous, as for the CLI's child processes (test/cli).
}, 120_000);
