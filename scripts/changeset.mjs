#!/usr/bin/env node
// Declares the next release's bump for a change (`npm run changeset -- <major|minor|patch> "summary"`).
// Writes .changeset/<name>.md in the format of @changesets/cli; the gate (npm run diff) reads the
// pending changesets as the declared bump, and `npm run release` turns them into the CHANGELOG entry.
import { readFile, writeFile, mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(fileURLToPath(import.meta.url), "../..");
const USAGE = 'usage: npm run changeset -- <major|minor|patch> "What changed, for consumers" [--root DIR]';

async function main(argv) {
  let root = ROOT;
  const rest = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--root" && argv[i + 1] !== undefined) root = resolve(argv[++i]);
    else rest.push(argv[i]);
  }
  const [level, ...words] = rest;
  const summary = words.join(" ").trim();
  if (!["major", "minor", "patch"].includes(level ?? "") || !summary) {
    console.error(USAGE);
    return 2;
  }
  const { name } = JSON.parse(await readFile(join(root, "package.json"), "utf8"));
  const slug = summary.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 40) || "change";
  const file = join(root, ".changeset", `${new Date().toISOString().slice(0, 10)}-${slug}-${Date.now().toString(36)}.md`);
  await mkdir(join(root, ".changeset"), { recursive: true });
  await writeFile(file, `---\n"${name}": ${level}\n---\n\n${summary}\n`, { flag: "wx" });
  console.log(`Wrote ${file}: a ${level} release of ${name}. Edit it to say more; commit it with the change.`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error) => {
    console.error(error);
    process.exitCode = 2;
  },
);
