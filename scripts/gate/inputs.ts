// The gate's inputs under a root: package.json, the last release (spec/released/) and the built contract.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { GateSetupError } from "./levels.js";
import { parseVersion } from "./versions.js";

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");

export interface ContractPaths {
  root: string;
  packageJson: string;
  revision: string;
  released: string;
  releasedVersion: string;
  changesets: string;
  changelog: string;
}

/** Where the gate's inputs live under a root. */
export function contractPaths(root: string = REPO_ROOT): ContractPaths {
  return {
    root,
    packageJson: join(root, "package.json"),
    revision: join(root, "generated/openapi.json"),
    released: join(root, "spec/released/openapi.json"),
    releasedVersion: join(root, "spec/released/version.json"),
    changesets: join(root, ".changeset"),
    changelog: join(root, "CHANGELOG.md"),
  };
}

// The inputs are JSON of shapes the gate checks as it reads them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export async function readJson(path: string, what: string, hint = ""): Promise<{ text: string; json: Json }> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    throw new GateSetupError(`${what} (${path}) is missing.${hint ? ` ${hint}` : ""}`);
  }
  try {
    return { text, json: JSON.parse(text) };
  } catch (error) {
    throw new GateSetupError(`${what} (${path}) is not valid JSON: ${(error as Error).message}`);
  }
}

/** The checksum version.json keeps of the released contract (of its JSON value, not its bytes). */
export function contractChecksum(json: unknown): string {
  return createHash("sha256").update(JSON.stringify(json)).digest("hex");
}

export interface Release {
  version: string;
  doc: Json;
}

/** The last release: its version and contract, checked against the checksum written with them. */
export async function readRelease(paths: ContractPaths): Promise<Release> {
  const { json: meta } = await readJson(
    paths.releasedVersion,
    "The last release's version file",
    "It is written with the released contract by `npm run release`.",
  );
  parseVersion(meta.version, `${relative(paths.root, paths.releasedVersion)}'s version`);
  const { json: doc } = await readJson(paths.released, "The last release's contract");
  if (contractChecksum(doc) !== meta.sha256) {
    throw new GateSetupError(
      `${relative(paths.root, paths.released)} does not match the checksum in ${relative(paths.root, paths.releasedVersion)}: ` +
        "it was changed by hand. Only `npm run release` writes spec/released/; restore it from git.",
    );
  }
  return { version: meta.version, doc };
}
