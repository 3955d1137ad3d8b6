#!/usr/bin/env node
// Cuts a release of the package (`npm run release`, which first checks generated/ is up to date).
//   node scripts/release.mjs [--root DIR] [--dry-run] [--date YYYY-MM-DD]
// 1. Runs the breaking-change gate (scripts/diff-contract.mjs). If the declared bump is smaller than the
//    change to the contract requires, it stops (exit 1) and writes nothing.
// 2. Releases at the larger of the declared and the required level: the next version is the last
//    release's version bumped by it (or package.json's version, if that was set higher by hand).
// 3. Sets the version with `npm version --no-git-tag-version` (package.json and package-lock.json).
// 4. Writes spec/released/: the contract as built, and version.json with its checksum.
// 5. Adds the release to CHANGELOG.md: the pending changesets by level, then every contract change.
// 6. Deletes the changesets it consumed.
// It does not commit, tag or publish: it prints the git commands. Pushing the tag runs
// .github/workflows/release.yml, which publishes to npm and the docs site.
// Exit 0: released (or nothing to release). Exit 1: the gate failed. Exit 2: usage or set-up error.
import { spawnSync } from "node:child_process";
import { copyFile, readFile, rm, writeFile } from "node:fs/promises";
import { relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { GateSetupError, REPO_ROOT, contractChecksum, evaluateGate } from "./diff-contract.mjs";

const HEADER = `# Changelog

All notable changes to \`spirii-connector-contract\`. Versions follow what changed for the package's
consumers (see CONTRIBUTING.md): **major** breaks them, **minor** gives them something new to rely on,
**patch** changes nothing they can observe on the wire. Each release is written by \`npm run release\`
from the pending changesets and the contract diff against the previous release.
`;

const LEVEL_TITLES = { major: "Major changes", minor: "Minor changes", patch: "Patch changes" };

const indent = (text) => text.trim().replace(/\r?\n/g, "\n  ");

/** The CHANGELOG section for a release. */
export function changelogSection({ version, date, previous, changesets, changes }) {
  const lines = [`## ${version} (${date})`, ""];
  for (const level of ["major", "minor", "patch"]) {
    const entries = changesets.filter((c) => c.level === level);
    if (entries.length === 0) continue;
    lines.push(`### ${LEVEL_TITLES[level]}`, "", ...entries.map((c) => `- ${indent(c.summary)}`), "");
  }
  lines.push(`### Contract changes since ${previous}`, "");
  if (changes.length === 0) lines.push("- None: the contract (`openapi.json`) is unchanged.");
  const order = ["major", "minor", "patch"];
  for (const c of [...changes].sort((a, b) => order.indexOf(a.level) - order.indexOf(b.level))) {
    const what = c.breaking.length > 0 ? c.breaking.map((b) => b.message).join(" ") : c.description;
    lines.push(`- **${c.level}**: ${what}${c.breaking.length > 0 ? ` (${c.description})` : ""}`);
  }
  lines.push("");
  return lines.join("\n");
}

function insertSection(changelog, section) {
  const text = changelog ?? HEADER;
  const at = text.search(/^## /m);
  if (at === -1) return `${text.trimEnd()}\n\n${section}`;
  return `${text.slice(0, at)}${section}\n${text.slice(at)}`;
}

function npmVersion(root, version) {
  const [command, args] = process.env.npm_execpath?.endsWith(".js")
    ? [process.execPath, [process.env.npm_execpath]]
    : ["npm", []];
  const result = spawnSync(command, [...args, "version", version, "--no-git-tag-version", "--allow-same-version"], {
    cwd: root,
    encoding: "utf8",
  });
  if (result.status !== 0) throw new GateSetupError(`npm version ${version} failed:\n${result.stderr || result.stdout}`);
}

export async function release({ root = REPO_ROOT, dryRun = false, date = new Date().toISOString().slice(0, 10) } = {}) {
  const gate = await evaluateGate({ root });
  const { paths } = gate;
  const rel = (p) => relative(paths.root, p);
  if (!gate.ok) return { exitCode: 1, message: gate.message };
  if (gate.level === "none") {
    return { exitCode: 0, message: `${gate.message}\nNothing to release: the contract is unchanged since ${gate.releasedVersion} and no changesets are pending.` };
  }
  const version = gate.nextVersion;
  const section = changelogSection({ version, date, previous: gate.releasedVersion, changesets: gate.changesets, changes: gate.changes });
  const plan = `${gate.message}\n\nRelease ${gate.packageName} ${version} (${gate.level}):\n\n${section}`;
  if (dryRun) return { exitCode: 0, message: `${plan}\n(dry run: nothing written)` };

  npmVersion(paths.root, version);
  const contract = JSON.parse(await readFile(paths.revision, "utf8"));
  await copyFile(paths.revision, paths.released);
  const meta = {
    $comment:
      "Written by npm run release (scripts/release.mjs) with openapi.json beside it; the gate (npm run diff) compares generated/openapi.json with that contract. Do not edit.",
    version,
    sha256: contractChecksum(contract),
  };
  await writeFile(paths.releasedVersion, `${JSON.stringify(meta, null, 2)}\n`);
  let changelog;
  try {
    changelog = await readFile(paths.changelog, "utf8");
  } catch {
    changelog = undefined;
  }
  await writeFile(paths.changelog, insertSection(changelog, section));
  for (const c of gate.changesets) await rm(c.file);

  const touched = ["package.json", "package-lock.json", rel(paths.released), rel(paths.releasedVersion), rel(paths.changelog), ".changeset"];
  return {
    exitCode: 0,
    version,
    message: [
      plan,
      `Released ${version} in the working tree. Review, then:`,
      `  git add ${touched.join(" ")}`,
      `  git commit -m "Release ${version}" && git tag v${version}`,
      `  git push && git push origin v${version}   # the tag runs .github/workflows/release.yml`,
    ].join("\n"),
  };
}

const USAGE = "usage: node scripts/release.mjs [--root DIR] [--dry-run] [--date YYYY-MM-DD]";

async function main(argv) {
  const options = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--dry-run") options.dryRun = true;
    else if (arg === "--root" && argv[i + 1] !== undefined) options.root = resolve(argv[++i]);
    else if (arg === "--date" && /^\d{4}-\d{2}-\d{2}$/.test(argv[i + 1] ?? "")) options.date = argv[++i];
    else if (arg === "--help" || arg === "-h") {
      console.log(USAGE);
      return 0;
    } else {
      console.error(`release: unknown argument ${JSON.stringify(arg)}\n${USAGE}`);
      return 2;
    }
  }
  try {
    const result = await release(options);
    (result.exitCode === 0 ? console.log : console.error)(result.message);
    return result.exitCode;
  } catch (error) {
    if (!(error instanceof GateSetupError)) throw error;
    console.error(`release: set-up error\n  ${error.message}`);
    return 2;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error) => {
      console.error(error);
      process.exitCode = 2;
    },
  );
}
