#!/usr/bin/env node
// tsc compiles generated/*.ts but does not copy the generated JavaScript, its .d.ts or the bundled
// contract; consumers import all of them, so the build copies them next to the compiled output.
import { copyFile, mkdir, readdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const from = join(root, "generated");
const to = join(root, "dist", "generated");
await mkdir(to, { recursive: true });
const copied = [];
for (const name of await readdir(from)) {
  if (name.endsWith(".ts") && !name.endsWith(".d.ts")) continue; // compiled by tsc
  await copyFile(join(from, name), join(to, name));
  copied.push(name);
}
console.log(`dist/generated/: copied ${copied.join(", ")}`);
