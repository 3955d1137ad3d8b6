// Cuts a release of the package (`npm run release`, which first checks generated/ is up to date).
//   tsx scripts/release.ts [--root DIR] [--dry-run] [--date YYYY-MM-DD]
// 1. Runs the breaking-change gate (scripts/gate/). If the declared bump is smaller than the change
//    to the contract requires, it stops (exit 1) and writes nothing.
// 2. Releases at the larger of the declared and the required level: the next version is the last
//    release's version bumped by it (or package.json's version, if that was set higher by hand).
// 3. `changeset version` consumes the pending changesets; `npm version` then sets that exact version
//    (package.json and package-lock.json).
// 4. Writes spec/released/: the contract as built, and version.json with its checksum.
// 5. Adds the release to CHANGELOG.md: the changesets by level, then every contract change as rated.
// It does not commit, tag or publish: it prints the git commands. Pushing the tag runs
// .github/workflows/release.yml, which publishes to npm and the docs site.
// Exit 0: released (or nothing to release). Exit 1: the gate failed. Exit 2: usage or set-up error.
import { copyFile, readFile, writeFile } from "node:fs/promises";
import { relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { runIfMain } from "./run-main.js";
import { evaluateGate } from "./gate/gate.js";
import { contractChecksum, REPO_ROOT } from "./gate/inputs.js";
import { GateSetupError } from "./gate/levels.js";
import { changelogSection, insertSection } from "./release/changelog.js";
import { changesetVersion, npmVersion } from "./release/tools.js";

export interface ReleaseOutcome {
  exitCode: 0 | 1;
  message: string;
  version?: string;
}

export async function release({
  root = REPO_ROOT,
  dryRun = false,
  date = new Date().toISOString().slice(0, 10),
}: { root?: string; dryRun?: boolean; date?: string } = {}): Promise<ReleaseOutcome> {
  const gate = await evaluateGate({ root });
  const { paths } = gate;
  const rel = (p: string) => relative(paths.root, p);
  if (!gate.ok) return { exitCode: 1, message: gate.message };
  if (gate.level === "none") {
    return { exitCode: 0, message: `${gate.message}\nNothing to release: the contract is unchanged since ${gate.releasedVersion} and no changesets are pending.` };
  }
  const version = gate.nextVersion;
  // Written from the changesets as read now: `changeset version` deletes them.
  const section = changelogSection({ version, date, previous: gate.releasedVersion, changesets: gate.changesets, changes: gate.changes });
  const plan = `${gate.message}\n\nRelease ${gate.packageName} ${version} (${gate.level}):\n\n${section}`;
  if (dryRun) return { exitCode: 0, message: `${plan}\n(dry run: nothing written)` };

  if (gate.changesets.length > 0) changesetVersion(paths.root);
  npmVersion(paths.root, version);
  const contract = JSON.parse(await readFile(paths.revision, "utf8"));
  await copyFile(paths.revision, paths.released);
  const meta = {
    $comment:
      "Written by npm run release (scripts/release.ts) with openapi.json beside it; the gate (npm run diff) compares generated/openapi.json with that contract. Do not edit.",
    version,
    sha256: contractChecksum(contract),
  };
  await writeFile(paths.releasedVersion, `${JSON.stringify(meta, null, 2)}\n`);
  const changelog = await readFile(paths.changelog, "utf8").catch(() => undefined);
  await writeFile(paths.changelog, insertSection(changelog, section));

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

const USAGE = "usage: tsx scripts/release.ts [--root DIR] [--dry-run] [--date YYYY-MM-DD]";

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { root: { type: "string" }, "dry-run": { type: "boolean" }, date: { type: "string" }, help: { type: "boolean", short: "h" } },
    }));
    if (values.date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.date)) {
      throw new Error(`--date is ${JSON.stringify(values.date)}, not YYYY-MM-DD`);
    }
  } catch (error) {
    console.error(`release: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  try {
    const result = await release({
      ...(values.root !== undefined && { root: resolve(values.root) }),
      ...(values["dry-run"] !== undefined && { dryRun: values["dry-run"] }),
      ...(values.date !== undefined && { date: values.date }),
    });
    (result.exitCode === 0 ? console.log : console.error)(result.message);
    return result.exitCode;
  } catch (error) {
    if (!(error instanceof GateSetupError)) throw error;
    console.error(`release: set-up error\n  ${error.message}`);
    return 2;
  }
}

runIfMain(import.meta.url, main);
