// Builds a fresh consumer project outside this repo and installs the packed package into it with
// `npm ci --offline`, from npm's cache alone (as a pipeline with no registry would).
//
// A plain `npm install --offline` resolves version ranges against the newest cached registry
// metadata, which can name versions whose tarballs were never downloaded here. So the consumer gets
// a lockfile: the subtree of this repo's package-lock.json that its dependencies need (the exact
// versions `npm ci` cached), plus the tarball.
import { execFile, execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { promisify } from "node:util";

interface LockEntry {
  version: string;
  integrity?: string;
  resolved?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [key: string]: unknown;
}

const root = new URL("../../", import.meta.url).pathname;
// This repo's lockfile omits `resolved` (npm's omit-lockfile-registry-resolved); with a tarball URL
// and the integrity, `npm ci --offline` finds each package in the content-addressed cache without
// asking for registry metadata. The URL is built from the configured registry, not hard-coded.
const registry = execFileSync("npm", ["config", "get", "registry"], { encoding: "utf8" }).trim().replace(/\/?$/, "/");
const tarballUrl = (name: string, version: string) => `${registry}${name}/-/${name.split("/").pop()}-${version}.tgz`;
const repoLock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8")) as { packages: Record<string, LockEntry> };

export const exec = (file: string, args: string[], cwd: string) =>
  promisify(execFile)(file, args, { cwd, maxBuffer: 32 * 1024 * 1024, env: { ...process.env, npm_config_update_notifier: "false" } }).catch(
    (error: { stdout?: string; stderr?: string; message: string }) => {
      throw new Error(`${file} ${args.join(" ")} failed in ${cwd}:\n${error.stdout ?? ""}${error.stderr ?? error.message}`);
    },
  );

/** Where npm would find `name` when required from the package installed at `from`. */
function locate(name: string, from: string): string | undefined {
  for (let at = from; ; at = at.slice(0, Math.max(0, at.lastIndexOf("/node_modules/")))) {
    const candidate = `${at ? `${at}/` : ""}node_modules/${name}`;
    if (repoLock.packages[candidate]) return candidate;
    if (!at) return undefined;
  }
}

/** The lock entries reachable from `names` (dependencies, and non-optional peers). */
function subtree(names: string[], into: Record<string, LockEntry>, from = "") {
  for (const name of names) {
    const path = locate(name, from);
    if (!path) throw new Error(`package-lock.json has no ${name} (needed from ${from || "the root"}); run npm install`);
    if (into[path]) continue;
    const { dev: _dev, devOptional: _devOptional, peer: _peer, ...entry } = repoLock.packages[path]!;
    into[path] = { resolved: tarballUrl(path.slice(path.lastIndexOf("node_modules/") + 13), entry.version), ...entry };
    const optionalPeers = new Set(Object.entries(entry.peerDependenciesMeta ?? {}).filter(([, m]) => m.optional).map(([n]) => n));
    const deps = [...Object.keys(entry.dependencies ?? {}), ...Object.keys(entry.peerDependencies ?? {}).filter((n) => !optionalPeers.has(n))];
    subtree(deps, into, path);
    // Optional dependencies (platform binaries) are installed only where cached and matching.
    for (const optional of Object.keys(entry.optionalDependencies ?? {})) {
      const found = locate(optional, path);
      if (found && !into[found]) into[found] = { resolved: tarballUrl(optional, repoLock.packages[found]!.version), ...repoLock.packages[found]! };
    }
  }
  return into;
}

/** The exact version this repo's lockfile installs for a top-level package. */
export function lockedVersion(name: string): string {
  const entry = repoLock.packages[`node_modules/${name}`];
  if (!entry) throw new Error(`package-lock.json has no top-level ${name}`);
  return entry.version;
}

export interface Packed {
  tarball: string;
  integrity: string;
  name: string;
  version: string;
  dependencies: Record<string, string>;
  /** package.json's `bin`: npm ci links node_modules/.bin from the lockfile's copy of it. */
  bin?: Record<string, string>;
}

/** Creates `dir` as a consumer of the packed package plus `extra` packages, and runs `npm ci --offline`. */
export async function createConsumerProject(dir: string, packed: Packed, extra: string[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  const tarballSpec = `file:${basename(packed.tarball)}`;
  const dependencies: Record<string, string> = { [packed.name]: tarballSpec, ...Object.fromEntries(extra.map((n) => [n, lockedVersion(n)])) };
  const packages: Record<string, LockEntry> = {
    "": { version: "1.0.0", name: "consumer", dependencies } as unknown as LockEntry,
    [`node_modules/${packed.name}`]: {
      version: packed.version,
      resolved: tarballSpec,
      integrity: packed.integrity,
      dependencies: packed.dependencies,
      ...(packed.bin ? { bin: packed.bin } : {}),
    },
  };
  subtree([...Object.keys(packed.dependencies), ...extra], packages);
  const pkg = { name: "consumer", version: "1.0.0", private: true, type: "module", dependencies };
  await writeFile(join(dir, "package.json"), `${JSON.stringify(pkg, null, 2)}\n`);
  await writeFile(join(dir, "package-lock.json"), `${JSON.stringify({ name: "consumer", version: "1.0.0", lockfileVersion: 3, requires: true, packages }, null, 2)}\n`);
  await exec("npm", ["ci", "--offline", "--no-audit", "--no-fund", "--ignore-scripts"], dir);
}
