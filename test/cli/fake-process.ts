// `spirii-contract fake` (and other commands) as child processes of the compiled CLI, for
// fake.test.ts and fake-admin.test.ts: started, read, and killed when the file's tests end.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll } from "vitest";
import { compiled } from "../dist.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
// The compiled CLI, as cli.test.ts runs it (no tsx transpile per child; checked to be current).
const MAIN = compiled("src/cli/main.js");

const children = new Set<ReturnType<typeof spawn>>();
afterAll(() => {
  for (const child of children) child.kill("SIGKILL");
});

export function start(args: string[], env: Record<string, string> = {}) {
  const { SPIRII_API_KEY: _, ...inherited } = process.env;
  const child = spawn(process.execPath, [MAIN, ...args], { cwd: ROOT, env: { ...inherited, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  children.add(child);
  child.on("exit", () => children.delete(child));
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

export async function cli(args: string[], env: Record<string, string> = {}) {
  const run = start(args, env);
  const code = await run.exited;
  return { code, ...run.output() };
}

/** Starts the fake CLI and waits for its banner. */
export async function startFake(args: string[] = []) {
  const run = start(["fake", ...args]);
  const url = await new Promise<string>((resolve, reject) => {
    run.child.stdout.on("data", () => {
      const { stdout } = run.output();
      const match = /listening on (http:\/\/\S+)/.exec(stdout);
      if (match && stdout.includes("Stop with Ctrl-C.")) resolve(match[1]!);
    });
    run.child.on("exit", (code) => reject(new Error(`fake exited ${code}: ${run.output().stderr}`)));
  });
  return { ...run, url };
}

/** Waits until the fake has logged `n` request lines. */
export async function logged(run: { output(): { stdout: string } }, n: number): Promise<string[]> {
  for (;;) {
    const lines = run.output().stdout.split("\n").filter((line) => /^(GET|PATCH|PUT) \//.test(line));
    if (lines.length >= n) return lines;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
