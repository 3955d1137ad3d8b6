// `npm run changeset`: @changesets/cli. With no arguments it is `changeset add` (it asks for the bump
// and the summary); `npm run changeset -- status|version|...` runs that changeset command. One
// non-interactive form, the one the gate prints, writes the changeset with the tool's own writer:
//   npm run changeset -- <major|minor|patch> "What changed, for consumers" [--root DIR]
import { spawnSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { REPO_ROOT } from "./gate/inputs.js";

const LEVELS = ["major", "minor", "patch"] as const;
const USAGE = 'usage: npm run changeset -- <major|minor|patch> "What changed, for consumers" [--root DIR]\n' +
  "   or: npm run changeset [-- <changeset command>]   (@changesets/cli: add, status, version)";

async function declare(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { root: { type: "string" } } });
  } catch (error) {
    console.error(`changeset: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const [level, ...words] = parsed.positionals;
  const summary = words.join(" ").trim();
  if (!LEVELS.includes(level as (typeof LEVELS)[number]) || !summary) {
    console.error(USAGE);
    return 2;
  }
  const root = parsed.values.root === undefined ? REPO_ROOT : resolve(parsed.values.root);
  const { name } = JSON.parse(await readFile(join(root, "package.json"), "utf8")) as { name: string };
  // Loaded only to write: a usage error answers without it.
  const { default: writeChangeset } = await import("@changesets/write");
  const id = await writeChangeset({ summary, releases: [{ name, type: level as (typeof LEVELS)[number] }] }, root, { prettier: false });
  console.log(`Wrote ${relative(process.cwd(), join(root, ".changeset", `${id}.md`))}: a ${level} release of ${name}. Edit it to say more; commit it with the change.`);
  return 0;
}

/** Anything else is @changesets/cli's own command line. */
function changesetCli(argv: string[]): number {
  const bin = join(dirname(createRequire(import.meta.url).resolve("@changesets/cli/package.json")), "bin.js");
  return spawnSync(process.execPath, [bin, ...argv], { cwd: REPO_ROOT, stdio: "inherit" }).status ?? 2;
}

const CHANGESET_COMMANDS = ["add", "status", "version", "init", "pre", "publish", "tag"];
const argv = process.argv.slice(2);
const first = argv[0] ?? "";
const toChangesets = argv.length === 0 || CHANGESET_COMMANDS.includes(first) || (first.startsWith("-") && first !== "--root");
process.exitCode = toChangesets ? changesetCli(argv) : await declare(argv);
