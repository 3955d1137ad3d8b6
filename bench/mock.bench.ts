// 4. Mock start to first 200: startMockServer() in a process that has loaded Prism (what each
// test file after the first pays) and in a fresh process, against the Prism CLI in a fresh process.
// Each figure is a median of a few runs, not interleaved rounds: these rows have no spread and are
// judged on the medians (see README "Benchmarks", Method).
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { startMockServer } from "../src/testing/index.js";
import { FULL_PATCH } from "./fixtures.js";
import { medianTime } from "./measure.js";
import type { Result } from "./result.js";
import { UPDATE_CONNECTOR } from "../src/index.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const requestPath = UPDATE_CONNECTOR.path.replace("{uid}", "123456").replace("{connectorId}", "1");

export async function first200(base: string): Promise<void> {
  const response = await fetch(base + requestPath, {
    method: "PATCH",
    headers: { Authorization: "Bearer bench", "Content-Type": "application/json" },
    body: JSON.stringify(FULL_PATCH),
  });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`mock answered ${response.status}`);
}

/** Spawns a process and resolves once it printed a URL matching `ready` and that URL answered 200. */
export function processToFirst200(args: string[], ready: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    let done = false;
    const finish = (error?: Error) => {
      if (done) return;
      done = true;
      child.kill("SIGTERM");
      error ? reject(error) : resolve();
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = ready.exec(output.replace(/\u001b\[[0-9;]*m/g, ""));
      if (match) first200(match[1]!).then(() => finish(), finish);
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => finish(new Error(`exited with ${code} before answering: ${output.slice(-500)}`)));
    setTimeout(() => finish(new Error(`no first 200 within 30 s: ${output.slice(-500)}`)), 30_000).unref();
  });
}

export async function mockStart(): Promise<Result[]> {
  const prismCli = createRequire(import.meta.url).resolve("@stoplight/prism-cli/dist/index.js");
  const cli = await medianTime(
    () => processToFirst200([prismCli, "mock", "generated/openapi.json", "-p", "0", "-h", "127.0.0.1"], /Prism is listening on (http:\/\/\S+)/),
    3,
  );
  // A fresh process importing the compiled kit (what `npm test`'s first test file pays).
  const coldScript = `import("./dist/src/testing/index.js").then(async (k) => { const m = await k.startMockServer(); console.log("MOCK " + m.url); })`;
  const cold = await medianTime(() => processToFirst200(["--input-type=module", "-e", coldScript], /MOCK (http:\/\/\S+)/), 3);
  // In this process: the first start loads Prism; the following ones are what later test files pay.
  const first = await startMockServer();
  await first.close();
  const warm = await medianTime(async () => {
    const mock = await startMockServer();
    try {
      await first200(mock.url);
    } finally {
      await mock.close();
    }
  }, 10);
  return [
    {
      id: "mock-start",
      name: "startMockServer() to first 200, Prism already loaded in the process",
      unit: "ms",
      value: warm.ms,
      baseline: "`prism mock` CLI, process start to first 200",
      baselineValue: cli.ms,
      better: "lower",
      budgetRatio: 0.2,
    },
    {
      id: "mock-start-cold",
      name: "startMockServer() to first 200 in a fresh Node process",
      unit: "ms",
      value: cold.ms,
      baseline: "`prism mock` CLI, process start to first 200",
      baselineValue: cli.ms,
      better: "lower",
    },
  ];
}
