// `spirii-contract verify`: provider verification from a pipeline, with reports for CI systems.
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { toJUnit } from "../testing/verify/junit.js";
import { isLoopbackHost } from "../base-url.js";
import { assertTargetAllowed, insecureHttpWarning, parseBaseUrl } from "../testing/verify/safety.js";
import { SetupError } from "../testing/verify/setup-error.js";
import { verifyProvider } from "../testing/verify/verify.js";
import { parseCommandArgs, required, wholeNumber } from "./args.js";
import { EXIT } from "./exit-codes.js";
import { VERIFY_HELP } from "./help.js";
import { describePlan, describeRead, describeResult, progressLine } from "./verify-output.js";
import { API_KEY_ENV_VAR } from "../client/auth.js";

const VERDICT_EXIT = {
  holds: [EXIT.holds, "the contract holds"],
  violated: [EXIT.violated, "the contract is violated"],
  interrupted: [EXIT.setup, "interrupted before a verdict"],
} as const;
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

  const keyVariable = values["api-key-env"] ?? API_KEY_ENV_VAR;
  if (!ENV_NAME.test(keyVariable)) throw new SetupError(`--api-key-env takes the NAME of an environment variable, not a key`);
  const apiKey = process.env[keyVariable] ?? "";
  if (apiKey === "") {
    throw new SetupError(`no API key: set the environment variable ${keyVariable} (for a local fake provider any value will do)`);
  }
  // verifyProvider redacts the key from every value before it reaches us (see redact.ts), so the
  // text formatted from them is safe to print and write.
  const out = (text: string) => process.stdout.write(text);
  const err = (text: string) => process.stderr.write(text);
  if (allowInsecureHttp && target.protocol === "http:" && !isLoopbackHost(target.hostname)) err(`${insecureHttpWarning(target)}\n`);
  const reports = { junit: values["report-junit"], json: values["report-json"] };
  // Fail on an unwritable report location before touching the connector, not after.
  for (const file of Object.values(reports)) if (file !== undefined) await mkdir(dirname(resolve(file)), { recursive: true });

  // Ctrl-C mid-run must not leave the connector half-patched: stop after the request in flight and
  // put it back. A second Ctrl-C quits at once.
  const interruption = new AbortController();
  const interrupt = (signal: NodeJS.Signals) => {
    if (interruption.signal.aborted) process.exit(EXIT.setup);
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
        ...(runs === undefined ? {} : { runs }),
        ...(seed === undefined ? {} : { seed }),
        ...(timeoutMs === undefined ? {} : { timeoutMs }),
      },
      {
        onPlan: (plan) => out(describePlan(plan, { uid, connectorId })),
        onRead: (learned, detail) => out(describeRead(learned, detail)),
        onExchange: (result, done, total) => {
          if (result.findings.some((f) => f.severity === "violation")) failedSoFar++;
          const line = progressLine(result, done, total, failedSoFar);
          if (process.stderr.isTTY) err(`\r${line}\x1b[K${done === total ? "\n" : ""}`);
          else if (done % 10 === 0 || done === total) err(`${line}\n`);
        },
      },
    );
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
  const [code, meaning] = VERDICT_EXIT[report.verdict];
  out(`Exit ${code}: ${meaning}.\n`);
  return code;
}
