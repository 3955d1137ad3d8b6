// No import cycle anywhere in src/ (issue 12): modules are read in one direction, so a reader can
// follow a call top to bottom. Type-only imports count too: a cycle of types is a cycle of ideas.
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), "../../src");

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith(".ts") ? [join(dir, entry.name)] : [],
  );
}

/** The modules under src/ that `file` imports (relative specifiers only; .js names the .ts source). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specifiers = [...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+["'](\.[^"']+)["']/gms)].map((m) => m[1]!);
  return specifiers.map((s) => resolve(dirname(file), s.replace(/\.js$/, ".ts"))).filter((target) => target.startsWith(SRC + "/"));
}

/** Every cycle found by a depth-first walk, as the list of files around it. */
export function findCycles(files: string[]): string[][] {
  const graph = new Map(files.map((f) => [f, importsOf(f)]));
  const cycles: string[][] = [];
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, "open");
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === "open") cycles.push([...stack.slice(stack.indexOf(next)), next].map((f) => relative(SRC, f)));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, "done");
  };
  for (const file of files) if (!state.has(file)) visit(file);
  return cycles;
}

describe("imports in src/", () => {
  const files = sources(SRC);

  it("the walk sees the client's modules and their imports (so an empty result means something)", () => {
    const client = files.filter((f) => f.includes("/client/"));
    expect(client.length).toBeGreaterThan(5);
    expect(importsOf(join(SRC, "client/create-client.ts")).map((f) => relative(SRC, f))).toContain("client/transport.ts");
  });

  it("has no cycle", () => {
    expect(findCycles(files)).toEqual([]);
  });
});
