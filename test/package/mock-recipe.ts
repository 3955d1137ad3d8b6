// The README's mock recipe for consumers not written in JavaScript, run as written: its shell lines
// come from README.md, its $GITHUB_ENV is a file, and what it leaves behind is looked for in /proc.
import { execFile } from "node:child_process";
import { readdir, readFile, readlink, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";
import { parse } from "yaml";

const README = new URL("../../README.md", import.meta.url);

export interface RecipeStep {
  name: string;
  run: string;
}

/** The steps of the README's YAML block that starts the mock, those that concern the mock. */
export async function mockRecipe(): Promise<{ start: string; stop: string }> {
  const readme = await readFile(README, "utf8");
  const block = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] ?? "").find((yaml) => yaml.includes("spirii-contract mock"));
  if (!block) throw new Error("README.md has no YAML block that starts `spirii-contract mock`");
  const steps = parse(block) as RecipeStep[];
  const step = (name: string) => {
    const found = steps.find((s) => s.name === name);
    if (!found) throw new Error(`README's mock recipe has no step named "${name}"`);
    return found.run;
  };
  return { start: step("Start the contract mock"), stop: step("Stop the contract mock") };
}

/** Runs one step's shell lines in `cwd` as a GitHub runner would: bash -e, $GITHUB_ENV a file, its variables exported. */
export async function runStep(script: string, cwd: string, githubEnv: string): Promise<void> {
  const env = { ...process.env, GITHUB_ENV: githubEnv, ...(await readGithubEnv(githubEnv)) };
  await promisify(execFile)("bash", ["-e", "-c", script], { cwd, env, timeout: 30_000 });
}

export async function readGithubEnv(file: string): Promise<Record<string, string>> {
  const text = await readFile(file, "utf8").catch(() => "");
  return Object.fromEntries(text.split("\n").filter((l) => l.includes("=")).map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
}

export const emptyFile = (path: string) => writeFile(path, "");

/** Pids of the running processes started in `dir` (their working directory is in it), but this one. */
export async function processesIn(dir: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const cwd = await readlink(join("/proc", entry, "cwd")).catch(() => "");
    const state = await readFile(join("/proc", entry, "stat"), "utf8").catch(() => "");
    // A zombie (state Z) has exited; only its parent has not collected it yet.
    if ((cwd === dir || cwd.startsWith(`${dir}/`)) && !/^\d+ \(.*\) Z/.test(state)) pids.push(Number(entry));
  }
  return pids;
}

/** Whether anything accepts connections at `url`'s host and port. */
export function listening(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}
