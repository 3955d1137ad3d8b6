// 5. Pipeline wall times and 6. footprint: what the package costs a pipeline and an install.
import { execFile } from "node:child_process";
import { mkdtemp, rm, stat, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { OPERATIONS } from "../generated/operations.js";
import { createConsumerProject } from "../test/package/consumer-project.js";
import { formatBreakdown, mainEntryBreakdown } from "./main-entry-breakdown.js";
import type { Result } from "./result.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const exec = (file: string, args: string[], cwd = root) =>
  promisify(execFile)(file, args, { cwd, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, REDOCLY_TELEMETRY: "off" } });

async function wallTime(script: string): Promise<number> {
  const start = performance.now();
  await exec("npm", ["run", "--silent", script]);
  return performance.now() - start;
}

export async function pipeline(): Promise<Result[]> {
  const parts: Record<string, number> = {};
  for (const script of ["generate", "lint", "compile", "docs"]) parts[script] = await wallTime(script);
  const buildMs = await wallTime("build");
  const testStart = performance.now();
  await exec("npm", ["test", "--silent"]);
  const testMs = performance.now() - testStart;
  const share = (id: string, script: string): Result => ({
    id,
    name: `npm run ${script}`,
    unit: "ms",
    value: parts[script]!,
    baseline: "npm run build (whole)",
    baselineValue: buildMs,
    better: "lower",
  });
  return [
    { id: "build-time", name: "npm run build (generate + lint + compile + docs)", unit: "ms", value: buildMs, baseline: "budget: 15 s on 2 cores", baselineValue: 15_000, better: "lower", budgetValue: 15_000 },
    share("generate-time", "generate"),
    share("lint-time", "lint"),
    share("compile-time", "compile"),
    share("docs-time", "docs"),
    { id: "test-time", name: "npm test", unit: "ms", value: testMs, baseline: "budget: 90 s on 2 cores", baselineValue: 90_000, better: "lower", budgetValue: 90_000 },
  ];
}

/**
 * The main entry's budget, min+gz with openapi-fetch: 15,000 B for the first operation (set on 25
 * November, when the one-operation client measured 13,440 B) and 600 B for each further one. 600 B
 * is what an operation costs in the main entry, measured on 6 December by cutting each operation's
 * validators out of a generation and its client module out of the bundle (bench/main-entry-breakdown.ts):
 * getEvse ~50 B, listEvses with evses() ~1,140 B, changeConnectorAvailability ~300 B,
 * unlockConnector ~270 B, remoteStopTransaction ~215 B, plus its registry entry (~115 B each); the five
 * together added 2,840 B when they were merged, 568 B each, rounded up. The budget thus grows with
 * the contract by the cost of an operation, never by the cost of shared machinery, which must fit
 * or be argued for here.
 */
export const MAIN_ENTRY_BUDGET = { firstOperation: 15_000, perFurtherOperation: 600 } as const;
export const mainEntryBudget = (operations: number) => MAIN_ENTRY_BUDGET.firstOperation + MAIN_ENTRY_BUDGET.perFurtherOperation * Math.max(0, operations - 1);

async function minGzip(entry: string, external: string[]): Promise<number> {
  const result = await build({ stdin: { contents: entry, resolveDir: root, loader: "js" }, bundle: true, minify: true, format: "esm", platform: "node", write: false, external, logLevel: "silent" });
  return gzipSync(result.outputFiles[0]!.contents, { level: 9 }).length;
}

async function treeSize(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += await treeSize(path);
    else if (entry.isFile()) total += (await stat(path)).size;
  }
  return total;
}

export async function footprint(): Promise<Result[]> {
  const pkg = JSON.parse((await exec("npm", ["pack", "--dry-run", "--json"])).stdout)[0] as { size: number; integrity: string };
  // The installed copy of openapi-fetch packs to the same tarball as the registry's, with no network.
  const fetchPkg = JSON.parse((await exec("npm", ["pack", "--dry-run", "--json", "./node_modules/openapi-fetch"])).stdout)[0] as { size: number };
  const withFetch = await minGzip('export * from "./dist/src/index.js";', []);
  const own = await minGzip('export * from "./dist/src/index.js";', ["openapi-fetch"]);
  const fetchAlone = await minGzip('export { default } from "openapi-fetch";', []);
  // Where the bytes are (stderr, not results.json): each module's marginal min+gz.
  process.stderr.write(`${formatBreakdown(await mainEntryBreakdown({ withFetch: true })).join("\n")}\n`);
  const operations = Object.keys(OPERATIONS).length;
  const budget = mainEntryBudget(operations);

  const work = await mkdtemp(join(tmpdir(), "spirii-bench-install-"));
  let installSize = 0;
  let fetchInstall = 0;
  try {
    const packed = JSON.parse((await exec("npm", ["pack", "--json", "--pack-destination", work])).stdout)[0] as { filename: string; integrity: string };
    const manifest = JSON.parse((await exec(process.execPath, ["-p", "JSON.stringify(require('./package.json'))"])).stdout) as { name: string; version: string; dependencies: Record<string, string> };
    await createConsumerProject(work, { tarball: join(work, packed.filename), integrity: packed.integrity, name: manifest.name, version: manifest.version, dependencies: manifest.dependencies }, []);
    installSize = await treeSize(join(work, "node_modules"));
    fetchInstall = (await treeSize(join(work, "node_modules/openapi-fetch"))) + (await treeSize(join(work, "node_modules/openapi-typescript-helpers")));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return [
    { id: "tarball-size", name: "packed tarball (npm pack)", unit: "bytes", value: pkg.size, baseline: "openapi-fetch tarball (its only runtime dependency)", baselineValue: fetchPkg.size, better: "lower" },
    {
      id: "main-entry-size",
      name: `main entry, min+gz, openapi-fetch included (esbuild); budget for ${operations} operations: ${MAIN_ENTRY_BUDGET.firstOperation} B + ${MAIN_ENTRY_BUDGET.perFurtherOperation} B per further operation`,
      unit: "bytes",
      value: withFetch,
      baseline: "openapi-fetch alone, min+gz",
      baselineValue: fetchAlone,
      better: "lower",
      budgetValue: budget,
    },
    { id: "main-entry-size-own", name: "main entry, min+gz, openapi-fetch external", unit: "bytes", value: own, baseline: "openapi-fetch alone, min+gz", baselineValue: fetchAlone, better: "lower" },
    { id: "install-size", name: "installed size without the optional peers (node_modules)", unit: "bytes", value: installSize, baseline: "openapi-fetch and its helper alone", baselineValue: fetchInstall, better: "lower" },
  ];
}
