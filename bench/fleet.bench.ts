// fleet-update: 200 updates through a provider in another process that allows 20 writes a second
// (fixed windows) and answers 429 beyond (test/client/rate-limited-provider.ts).
//
// Method: the paced batch (client.updateConnectors, default options) runs once; the figure is the
// writes it got applied per window it spanned, against the 20 the provider allows, counted by the
// provider. The same run also sends the naive way, 200 updateConnector calls at once with default
// retries, for contrast. Spread: the lowest and highest full window of the paced run (the first
// and last windows are partial by nature and left out). One paced run takes about 10 s.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createConnectorClient } from "../src/index.js";
import type { Result } from "./result.js";

const LIMIT = 20;
const WINDOW_MS = 1_000;
const N = 200;

interface Stats {
  applied: number;
  rejected: number;
  perWindow: Record<string, number>;
}

async function startProviderProcess(): Promise<{ url: string; stats(): Promise<Stats>; stop(): void }> {
  const script = fileURLToPath(new URL("../test/client/rate-limited-provider.ts", import.meta.url));
  const child = spawn(process.execPath, ["--import", "tsx", script, "--limit", String(LIMIT), "--window-ms", String(WINDOW_MS)], { stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8");
      if (out.includes("\n")) resolve(out.trim());
    });
    child.once("exit", (code) => reject(new Error(`provider exited with ${code}`)));
  });
  return {
    url,
    stats: async () => (await (await fetch(`${url}/stats`)).json()) as Stats,
    stop: () => child.kill("SIGTERM"),
  };
}

const delta = (after: Stats, before: Stats) => {
  const windows: number[] = [];
  for (const [window, count] of Object.entries(after.perWindow)) {
    const added = count - (before.perWindow[window] ?? 0);
    if (added > 0) windows[Number(window)] = added;
  }
  const used = Object.keys(windows).map(Number);
  const first = Math.min(...used);
  const last = Math.max(...used);
  const full = used.filter((w) => w !== first && w !== last).map((w) => windows[w]!);
  return { applied: after.applied - before.applied, rejected: after.rejected - before.rejected, spanned: last - first + 1, full };
};

export async function fleetUpdate(): Promise<Result[]> {
  const provider = await startProviderProcess();
  try {
    const client = createConnectorClient({ apiKey: "bench-key", baseUrl: provider.url });
    const updates = Array.from({ length: N }, (_, i) => ({ path: { uid: 10_000 + i, connectorId: 1 }, patch: { maxElectricPower: 11 + (i % 11) } }));

    const before = await provider.stats();
    const started = performance.now();
    const results = await client.updateConnectors(updates);
    const pacedMs = performance.now() - started;
    const paced = delta(await provider.stats(), before);
    const pacedFailed = results.filter((r) => !r.ok).length;

    // The naive way, for contrast: everything at once, each call retrying on its own.
    const beforeNaive = await provider.stats();
    const naiveStarted = performance.now();
    const naive = await Promise.allSettled(updates.map((u) => client.updateConnector(u.path, u.patch)));
    const naiveMs = performance.now() - naiveStarted;
    const naiveStats = delta(await provider.stats(), beforeNaive);
    const naiveFailed = naive.filter((r) => r.status === "rejected").length;

    const perWindow = paced.applied / paced.spanned;
    const spread = paced.full.length ? `full windows ${Math.min(...paced.full)}-${Math.max(...paced.full)}` : "no full window";
    const rows: Result[] = [
      {
        id: "fleet-update",
        name: `updateConnectors, ${N} updates, provider in another process allowing ${LIMIT} writes/s: ${paced.applied} applied, ${pacedFailed} failed, ${paced.rejected} responses of 429, ${(pacedMs / 1000).toFixed(1)} s (${spread})`,
        unit: "ops/s",
        value: perWindow / (WINDOW_MS / 1000),
        baseline: `the allowed rate, ${LIMIT} writes/s`,
        baselineValue: LIMIT / (WINDOW_MS / 1000),
        better: "higher",
        budgetRatio: 0.9,
      },
      {
        id: "fleet-update-naive",
        name: `${N} updateConnector calls at once (default retries), same provider: ${naiveStats.applied} applied, ${naiveFailed} failed, ${naiveStats.rejected} responses of 429, ${(naiveMs / 1000).toFixed(1)} s`,
        unit: "ops/s",
        value: naiveStats.applied / (naiveMs / 1000),
        baseline: `the allowed rate, ${LIMIT} writes/s`,
        baselineValue: LIMIT / (WINDOW_MS / 1000),
        better: "higher",
      },
    ];
    // The table shows figures only; the counts that explain them go to stderr.
    for (const row of rows) process.stderr.write(`bench: ${row.id}: ${row.name}\n`);
    return rows;
  } finally {
    provider.stop();
  }
}
