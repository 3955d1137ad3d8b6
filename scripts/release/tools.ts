// The two tools a release runs in the released root: `changeset version` (consumes the pending
// changesets and bumps package.json) and `npm version` (sets the exact version in package.json and
// package-lock.json).
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { GateSetupError } from "../gate/levels.js";

const CHANGESET_BIN = join(dirname(createRequire(import.meta.url).resolve("@changesets/cli/package.json")), "bin.js");

function runIn(root: string, command: string, args: string[], what: string): void {
  const result = spawnSync(command, args, { cwd: root, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  if (result.status !== 0) throw new GateSetupError(`${what} failed:\n${result.stderr || result.stdout}`);
}

/** `changeset version`: deletes the pending changesets and bumps package.json by their level. */
export function changesetVersion(root: string): void {
  runIn(root, process.execPath, [CHANGESET_BIN, "version"], "changeset version");
}

/** `npm version VERSION --no-git-tag-version`: the release's exact version, lock file included. */
export function npmVersion(root: string, version: string): void {
  const npm = process.env["npm_execpath"]?.endsWith(".js") ? [process.execPath, process.env["npm_execpath"]] : ["npm"];
  const [command, ...prefix] = npm as [string, ...string[]];
  runIn(root, command, [...prefix, "version", version, "--no-git-tag-version", "--allow-same-version"], `npm version ${version}`);
}
