// What each module of the main entry costs, min+gz: the bundle's size less the size of the same
// bundle with that module's code cut out (its marginal cost). A module's own min+gz would overstate
// it, since gzip shares one dictionary across the bundle. Run after `npm run compile`:
//   npx tsx bench/main-entry-breakdown.ts [--with-fetch]
// The footprint group (pipeline.bench.ts) prints it beside main-entry-size. It asserts nothing.
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build, transform } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));

export interface ModuleCost {
  /** The module's path as esbuild names it, e.g. `dist/generated/validators.js`. */
  module: string;
  /** Bytes min+gz the bundle loses without it. */
  bytes: number;
}

export interface Breakdown {
  /** The whole bundle, min+gz, as measured here (wrapped so the minifier may rename every name; within ~2% of main-entry-size). */
  total: number;
  /** Every module of the bundle, costliest first. The marginals add up to less than `total`: what modules share is in none of them. */
  modules: ModuleCost[];
}

/**
 * The marginal min+gz cost of each module of `entry` (default the compiled main entry, resolved from
 * `resolveDir`, default the package root), openapi-fetch external unless `withFetch`.
 */
export async function mainEntryBreakdown({ entry = 'export * from "./dist/src/index.js";', resolveDir = root, withFetch = false } = {}): Promise<Breakdown> {
  const bundled = await build({
    stdin: { contents: entry, resolveDir, loader: "js" },
    bundle: true,
    format: "esm",
    platform: "node",
    write: false,
    external: withFetch ? [] : ["openapi-fetch"],
    logLevel: "silent",
  });
  let code = bundled.outputFiles[0]!.text;
  // Unminified, esbuild heads each module's code with a `// path` comment: the cut lines. The
  // external imports stay outside; the rest runs in a function that hands every exported name on, so
  // the minifier renames every name and keeps every export, whichever module is cut (a cut module's
  // names are then free variables, not an error).
  const exportList = /\nexport \{([\s\S]*?)\};\s*$/.exec(code);
  const exported = (exportList?.[1] ?? "").split(",").map((item) => item.trim().split(/\s+as\s+/)[0]!).filter(Boolean);
  if (exportList) code = code.slice(0, exportList.index);
  const imports = code.match(/^import [^\n]*\n/gm) ?? [];
  for (const line of imports) code = code.replace(line, "");
  const size = async (body: string) => {
    const wrapped = `${imports.join("")}export const all = (() => {\n${body}\nreturn [${exported.join(", ")}];\n})();`;
    const { code: min } = await transform(wrapped, { minify: true, loader: "js", format: "esm" });
    return gzipSync(min, { level: 9 }).length;
  };
  const parts = code.split(/\n(?=\/\/ [^\s]+\.[cm]?js\n)/);
  const moduleOf = (part: string) => /^\/\/ ([^\s]+\.[cm]?js)\n/.exec(part)?.[1]?.replace(/^(?:\.\.\/)+[^\n]*?(?=node_modules\/)/, "");
  const total = await size(code);
  const modules: ModuleCost[] = [];
  // A module may come in more than one piece (esbuild hoists some of its code): all are cut together.
  for (const module of new Set(parts.map(moduleOf).filter((name) => name !== undefined))) {
    modules.push({ module, bytes: total - (await size(parts.filter((part) => moduleOf(part) !== module).join("\n"))) });
  }
  modules.sort((a, b) => b.bytes - a.bytes);
  return { total, modules };
}

/** The breakdown as lines for a terminal. */
export function formatBreakdown({ total, modules }: Breakdown): string[] {
  const shared = total - modules.reduce((sum, m) => sum + m.bytes, 0);
  return [
    `main entry, min+gz, by module (marginal: what the bundle loses without it), total ${total} B:`,
    ...modules.map((m) => `${String(m.bytes).padStart(7)} B  ${m.module}`),
    `${String(shared).padStart(7)} B  shared between modules (in no single marginal)`,
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const breakdown = await mainEntryBreakdown({ withFetch: process.argv.includes("--with-fetch") });
  console.log(formatBreakdown(breakdown).join("\n"));
}
