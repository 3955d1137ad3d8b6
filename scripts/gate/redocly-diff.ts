// `redocly diff BASE REVISION` as a subprocess: its JSON report (version 1) of every change, each
// with the verdicts of the rules in redocly.diff.yaml.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { REPO_ROOT } from "./inputs.js";
import { GateSetupError } from "./levels.js";

const DIFF_CONFIG = join(REPO_ROOT, "redocly.diff.yaml");
const REDOCLY_BIN = join(dirname(createRequire(import.meta.url).resolve("@redocly/cli/package.json")), "bin/cli.js");

export interface DiffSide {
  pointer?: string;
  /** The changed property's value on this side (e.g. an `enum` list). */
  value?: unknown;
}
export interface DiffVerdict {
  ruleId: string;
  impact: string;
  message: string;
}
export interface DiffChange {
  kind: "added" | "removed" | "modified";
  path: string;
  property?: string;
  base?: DiffSide;
  revision?: DiffSide;
  verdicts?: DiffVerdict[];
}
export interface DiffReport {
  reportVersion: string;
  changes: DiffChange[];
}

function run(command: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true", NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Strip redocly's boxed notices (e.g. the Node 20 deprecation box) from its stderr. */
const withoutBoxes = (text: string) =>
  text
    .split("\n")
    .filter((line) => !/^\s*[╔║╚]/.test(line) && line.trim() !== "")
    .join("\n");

/** Runs `redocly diff BASE REVISION` and returns its JSON report (report version 1). */
export async function redoclyDiff(basePath: string, revisionPath: string): Promise<DiffReport> {
  const { code, stdout, stderr } = await run(process.execPath, [
    REDOCLY_BIN, "diff", basePath, revisionPath,
    "--config", DIFF_CONFIG, "--lint-config", "off", "--format", "json", "--fail-on", "none",
  ]);
  let report: DiffReport | undefined;
  try {
    report = JSON.parse(stdout) as DiffReport;
  } catch {
    report = undefined;
  }
  if (code !== 0 || !report) {
    throw new GateSetupError(`redocly diff failed (exit ${code}):\n${withoutBoxes(stderr) || stdout}`);
  }
  if (report.reportVersion !== "1" || !Array.isArray(report.changes)) {
    throw new GateSetupError(`redocly diff's JSON report has version ${report.reportVersion}; the gate reads version 1.`);
  }
  return report;
}
