#!/usr/bin/env node
// Compiles the package into dist/: a clean dist/src and dist/generated (stale files of renamed
// modules would otherwise ship), tsc for src/ and generated/*.ts, then a copy of what tsc does not
// copy: generated/validators.js with its .d.ts and the bundled contract (openapi.json, .yaml).
import { execFileSync } from "node:child_process";
import { copyFile, mkdir, readdir, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const from = join(root, "generated");
const to = join(root, "dist", "generated");
await rm(join(root, "dist", "src"), { recursive: true, force: true });
await rm(to, { recursive: true, force: true });

const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
try {
  execFileSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { cwd: root, stdio: "inherit" });
} catch {
  console.error("compile: tsc reported the errors above; dist/ is incomplete.");
  process.exit(1);
}

await mkdir(to, { recursive: true });
const copied = [];
for (const name of await readdir(from)) {
  if (name.endsWith(".ts") && !name.endsWith(".d.ts")) continue; // compiled by tsc
  await copyFile(join(from, name), join(to, name));
  copied.push(name);
}
console.log(`dist/: compiled src/ and generated/*.ts; copied generated/${copied.join(", ")}`);
