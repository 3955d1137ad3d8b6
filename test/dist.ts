// Child-process tests run the compiled CLI (dist/) rather than the sources through tsx: each child
// then starts without transpiling (~0.5 s of CPU saved per child). So that they never test stale
// code, the compiled output must be newer than every source it comes from.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./typescript.js";

const newest = (dir: string, keep: (name: string) => boolean) =>
  Math.max(0, ...readdirSync(join(ROOT, dir), { recursive: true, encoding: "utf8" }).filter(keep).map((name) => statSync(join(ROOT, dir, name)).mtimeMs));
const oldest = (dir: string, keep: (name: string) => boolean) =>
  Math.min(...readdirSync(join(ROOT, dir), { recursive: true, encoding: "utf8" }).filter(keep).map((name) => statSync(join(ROOT, dir, name)).mtimeMs));

/** The path of a compiled file in dist/, after checking that dist/ is there and up to date with src/ and generated/. */
export function compiled(path: string): string {
  const file = join(ROOT, "dist", path);
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` (or \`npm run compile\`) before \`npm test\``);
  const built = oldest("dist/src", (name) => name.endsWith(".js"));
  const changed = Math.max(newest("src", (name) => name.endsWith(".ts")), newest("generated", () => true));
  if (changed > built) throw new Error("dist/ is older than src/ or generated/: run `npm run compile` before `npm test`, so that the CLI tests run the current code");
  return file;
}
