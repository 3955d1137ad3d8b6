// `spirii-contract verify`: provider verification from a pipeline, with reports for CI systems.
import { constants, type Stats } from "node:fs";
import { access, stat, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { parseCheckSetting, type CheckSettings } from "../testing/verify/checks.js";
import { toJUnit } from "../testing/verify/junit.js";
import { isLoopbackHost } from "../base-url.js";
import { assertTargetAllowed, insecureHttpWarning, parseBaseUrl } from "../testing/verify/safety.js";
import { SetupError } from "../testing/verify/setup-error.js";
import { verifyProvider, type VerifyBaseline } from "../testing/verify/verify.js";
import { parseCommandArgs, percentage, required, wholeNumber } from "./args.js";
import { EXIT, UsageError } from "./exit-codes.js";
import { VERIFY_HELP } from "./help.js";
import { describeBaseline, describeFailedRun, describeLostRestore, describePlan, describeResult, progressLine } from "./verify-output.js";
import { API_KEY_ENV_VAR } from "../client/auth.js";

const VERDICT_EXIT = {
  holds: [EXIT.holds, "the contract holds"],
  violated: [EXIT.violated, "the contract is violated"],
  interrupted: [EXIT.setup, "interrupted before a verdict"],
  incomplete: [EXIT.setup, "some cases were rate-limited past their deadline and not judged: no verdict"],
} as const;
const SPECIAL_FILESYSTEMS = /^\/(proc|sys)(\/|$)/;

/** What a path that is not a regular file is, in words. */
function kindOf(stats: Stats): string {
  if (stats.isFile()) return "a regular file";
  if (stats.isDirectory()) return "a directory";
  if (stats.isFIFO()) return "a FIFO (named pipe)";
  if (stats.isSocket()) return "a socket";
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return "a device";
  return "not a regular file";
}

/**
 * Fails before anything is sent when a report cannot be written: the path must be a regular file
 * that can be written, or a new name in an existing directory that can be written. Only looked at
 * (stat, access), never opened: opening a FIFO would wait for a reader that never comes.
 */
async function assertWritable(flag: string, file: string): Promise<void> {
  const path = resolve(file);
  const refuse = (why: string) => new SetupError(`${flag} ${file}: ${why}; nothing was sent`);
  if (SPECIAL_FILESYSTEMS.test(path)) throw refuse(`a report must go to a regular file, not under /${path.split("/")[1]}`);
  const code = (error: unknown) => (error as { code?: string }).code ?? String(error);
  let stats: Stats | undefined;
  try {
    stats = await stat(path);
  } catch (error) {
    // ENOTDIR: a part of the path is a file; said below, where its directory is looked at.
    if (code(error) !== "ENOENT" && code(error) !== "ENOTDIR") throw refuse(`cannot be looked at (${code(error)}): choose another path`);
  }
  if (stats !== undefined) {
    if (stats.isDirectory()) throw refuse(`is a directory: name a file in it, e.g. ${join(file, flag === "--report-json" ? "verify.json" : "junit.xml")}`);
    if (!stats.isFile()) throw refuse(`is ${kindOf(stats)}, not a regular file: a report is written to a regular file (an existing one is replaced) or a new one`);
    try {
      await access(path, constants.W_OK);
    } catch (error) {
      throw refuse(`cannot be written (${code(error)}): check its permissions or choose another path`);
    }
    return;
  }
  const directory = dirname(path);
  let parent: Stats;
  try {
    parent = await stat(directory);
  } catch (error) {
    throw refuse(code(error) === "ENOENT" ? `the directory ${directory} does not exist: create it first (mkdir -p ${directory}) or choose another path` : `its directory ${directory} cannot be looked at (${code(error)})`);
  }
  if (!parent.isDirectory()) throw refuse(`${directory} is ${kindOf(parent)}, not a directory: choose another path`);
  try {
    await access(directory, constants.W_OK);
  } catch (error) {
    throw refuse(`the directory ${directory} cannot be written (${code(error)}): check its permissions or choose another path`);
  }
}
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export async function verifyCommand(args: string[]): Promise<number> {
  const values = parseCommandArgs("verify", args, {
    "base-url": { type: "string" },
    uid: { type: "string" },
    "connector-id": { type: "string" },
    runs: { type: "string" },
    seed: { type: "string" },
    "timeout-ms": { type: "string" },
    "report-junit": { type: "string" },
    "report-json": { type: "string" },
    "api-key-env": { type: "string" },
    "allow-production": { type: "boolean" },
    "allow-insecure-http": { type: "boolean" },
    "allow-physical": { type: "boolean" },
    "allow-destructive": { type: "boolean" },
    "allow-availability": { type: "boolean" },
    "transaction-id": { type: "string" },
    "stop-settle-ms": { type: "string" },
    "no-auth-probe": { type: "boolean" },
    "fail-under": { type: "string" },
    "max-writes-per-minute": { type: "string" },
    "restore-deadline-ms": { type: "string" },
    check: { type: "string", multiple: true },
  });
  if (values.help) {
    process.stdout.write(VERIFY_HELP);
    return EXIT.holds;
  }
  const number = (flag: string, text: string, min: number, max: number) => wholeNumber("verify", flag, text, min, max);
  const baseUrl = required("verify", "--base-url", values["base-url"]);
  const allowInsecureHttp = values["allow-insecure-http"] ?? false;
  const target = parseBaseUrl(baseUrl, allowInsecureHttp);
  assertTargetAllowed(baseUrl, values["allow-production"] ?? false); // before anything else is asked for
  const uid = number("--uid", required("verify", "--uid", values.uid), 1, Number.MAX_SAFE_INTEGER);
  const connectorId = number("--connector-id", required("verify", "--connector-id", values["connector-id"]), 1, Number.MAX_SAFE_INTEGER);
  const runs = values.runs === undefined ? undefined : number("--runs", values.runs, 0, 10_000);
  const seed = values.seed === undefined ? undefined : number("--seed", values.seed, -(2 ** 31), 2 ** 31 - 1);
  const timeoutMs = values["timeout-ms"] === undefined ? undefined : number("--timeout-ms", values["timeout-ms"], 1, 600_000);
  const failUnder = values["fail-under"] === undefined ? undefined : percentage("verify", "--fail-under", values["fail-under"]);
  const maxWritesPerMinute = values["max-writes-per-minute"] === undefined ? undefined : number("--max-writes-per-minute", values["max-writes-per-minute"], 1, 100_000);
  const restoreDeadlineMs = values["restore-deadline-ms"] === undefined ? undefined : number("--restore-deadline-ms", values["restore-deadline-ms"], 1, 3_600_000);
  const transactionId = values["transaction-id"] === undefined ? undefined : number("--transaction-id", values["transaction-id"], 0, Number.MAX_SAFE_INTEGER);
  if (transactionId !== undefined && !values["allow-destructive"]) throw new UsageError("--transaction-id names the transaction a remote stop ends: it takes effect only with --allow-destructive", "verify");
  const stopSettleMs = values["stop-settle-ms"] === undefined ? undefined : number("--stop-settle-ms", values["stop-settle-ms"], 1, 600_000);
  if (stopSettleMs !== undefined && !values["allow-destructive"]) throw new UsageError("--stop-settle-ms is how long a consented remote stop is read back: it takes effect only with --allow-destructive", "verify");
  const checks: CheckSettings = {};
  for (const text of values.check ?? []) {
    const parsed = parseCheckSetting(text);
    if (typeof parsed === "string") throw new UsageError(parsed, "verify");
    checks[parsed[0]] = parsed[1];
  }

  const keyVariable = values["api-key-env"] ?? API_KEY_ENV_VAR;
  if (!ENV_NAME.test(keyVariable)) throw new SetupError(`--api-key-env takes the NAME of an environment variable, not a key`);
  const apiKey = process.env[keyVariable] ?? "";
  if (apiKey === "") {
    throw new SetupError(`no API key: set the environment variable ${keyVariable} (for a local fake provider any value will do)`);
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(apiKey)) {
    throw new SetupError(`the key in ${keyVariable} contains a line break or another control character, which no HTTP header can carry (a trailing newline from a file?); nothing was sent`);
  }
  // verifyProvider redacts the key from every outside value as it arrives (src/redact.ts), so the
  // text formatted from its report and events is safe to print and write.
  const out = (text: string) => process.stdout.write(text);
  const err = (text: string) => process.stderr.write(text);
  if (allowInsecureHttp && target.protocol === "http:" && !isLoopbackHost(target.hostname)) err(`${insecureHttpWarning(target)}\n`);
  const reports = { junit: values["report-junit"], json: values["report-json"] };
  // Fail on an unwritable report location before touching the connector, not after.
  if (reports.junit !== undefined) await assertWritable("--report-junit", reports.junit);
  if (reports.json !== undefined) await assertWritable("--report-json", reports.json);

  // Ctrl-C mid-run must not leave the connector half-patched: stop after the request in flight and
  // put it back. A second Ctrl-C quits at once, printing the values to set by hand (exit 3).
  const interruption = new AbortController();
  let baseline: VerifyBaseline | undefined;
  const interrupt = (signal: NodeJS.Signals) => {
    if (interruption.signal.aborted) {
      out(describeLostRestore(baseline, { uid, connectorId }, `${signal} again: quitting without waiting for the restore`));
      process.exit(baseline === undefined ? EXIT.setup : EXIT.restoreIncomplete);
    }
    err(`\n${signal}: stopping after the current request and putting the connector back (again to quit at once).\n`);
    interruption.abort();
  };
  process.on("SIGINT", interrupt);
  process.on("SIGTERM", interrupt);

  let failedSoFar = 0;
  let report: Awaited<ReturnType<typeof verifyProvider>>;
  try {
    report = await verifyProvider(
      {
        baseUrl,
        uid,
        connectorId,
        apiKey,
        allowProduction: values["allow-production"] ?? false,
        allowInsecureHttp,
        signal: interruption.signal,
        authProbe: !(values["no-auth-probe"] ?? false),
        allowPhysical: values["allow-physical"] ?? false,
        allowDestructive: values["allow-destructive"] ?? false,
        allowAvailability: values["allow-availability"] ?? false,
        ...(transactionId === undefined ? {} : { transactionId }),
        ...(stopSettleMs === undefined ? {} : { stopSettleMs }),
        ...(runs === undefined ? {} : { runs }),
        ...(seed === undefined ? {} : { seed }),
        ...(timeoutMs === undefined ? {} : { timeoutMs }),
        ...(failUnder === undefined ? {} : { failUnder }),
        ...(maxWritesPerMinute === undefined ? {} : { maxWritesPerMinute }),
        ...(restoreDeadlineMs === undefined ? {} : { restoreDeadlineMs }),
        checks,
      },
      {
        onPlan: (plan) => out(describePlan(plan, { uid, connectorId })),
        onBaseline: (read) => {
          baseline = read;
          out(describeBaseline(read, { uid, connectorId }));
        },
        onExchange: (result, done, total) => {
          if (result.findings.some((f) => f.severity === "violation")) failedSoFar++;
          const line = progressLine(result, done, total, failedSoFar);
          if (process.stderr.isTTY) err(`\r${line}\x1b[K${done === total ? "\n" : ""}`);
          else if (done % 10 === 0 || done === total) err(`${line}\n`);
        },
      },
    );
  } catch (error) {
    // A run that wrote and then failed still put the connector back: say what was and was not.
    const restored = describeFailedRun(error, { uid, connectorId });
    if (restored) out(restored);
    if ((error as { restore?: { complete?: boolean } }).restore?.complete === false) {
      err(`spirii-contract verify: ${error instanceof Error ? error.message : String(error)}\n`);
      out(`Exit ${EXIT.restoreIncomplete}: a connector was not put back as it was; set the values above.\n`);
      return EXIT.restoreIncomplete;
    }
    throw error;
  } finally {
    // Also on a failed run: a handler left behind would keep Ctrl-C from ending the process.
    process.off("SIGINT", interrupt);
    process.off("SIGTERM", interrupt);
  }
  out(describeResult(report));
  if (reports.junit) await writeFile(reports.junit, toJUnit(report));
  if (reports.json) await writeFile(reports.json, `${JSON.stringify(report, null, 2)}\n`);
  const written = [reports.junit && `JUnit ${reports.junit}`, reports.json && `JSON ${reports.json}`].filter(Boolean);
  if (written.length > 0) out(`Reports: ${written.join(", ")}\n`);
  if (report.restore.complete === false) {
    out(`Exit ${EXIT.restoreIncomplete}: a connector was not put back as it was; set the values above (the verdict was: ${report.verdict}).\n`);
    return EXIT.restoreIncomplete;
  }
  const [code, meaning] = VERDICT_EXIT[report.verdict];
  // A failed verdict names what failed: the contract, the coverage gate, or both.
  out(`Exit ${code}: ${report.verdict === "violated" ? report.reasons.join(" and ") : meaning}.\n`);
  return code;
}
