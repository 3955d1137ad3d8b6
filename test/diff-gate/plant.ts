// Plants a repository-shaped directory for the gate: package.json, the "last release"
// (spec/released/openapi.json + version.json), the "built" contract (generated/openapi.json) and
// .changeset/config.json,
// each a small modification of a copy of this repo's generated/openapi.json.
import { readFileSync } from "node:fs";
import { copyFile, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { contractChecksum } from "../../scripts/gate/inputs.js";
import type { Level } from "../../scripts/gate/levels.js";

export const REPO = fileURLToPath(new URL("../../", import.meta.url));
export const PACKAGE_NAME = "spirii-connector-contract";

/** The contract is JSON of a shape the tests reach into freely. */
export type Doc = any;

export const CONTRACT: Doc = JSON.parse(readFileSync(join(REPO, "generated/openapi.json"), "utf8"));
export const OPERATION = "/v2/evses/{uid}/connectors/{connectorId}";

/** A named component schema of a contract, or a loud failure if the contract no longer has it. */
export function schema(doc: Doc, name: string): Doc {
  const found = doc.components?.schemas?.[name];
  if (!found) throw new Error(`the contract has no components/schemas/${name}: update the planted case`);
  return found;
}

/** The PATCH operation of the contract. */
export function operation(doc: Doc): Doc {
  const found = doc.paths?.[OPERATION]?.patch;
  if (!found) throw new Error(`the contract has no PATCH ${OPERATION}`);
  return found;
}

export function header(doc: Doc, name: string): Doc {
  const found = doc.components?.headers?.[name];
  if (!found) throw new Error(`the contract has no components/headers/${name}`);
  return found;
}

export interface Plant {
  /** Applied to both the release and the build (a starting point the case needs). */
  base?: (doc: Doc) => void;
  /** Applied to the build only: the change under test. */
  revision?: (doc: Doc) => void;
  releasedVersion?: string;
  packageVersion?: string;
  changesets?: Exclude<Level, "none">[];
}

export async function plantRoot(root: string, plant: Plant = {}): Promise<string> {
  const released: Doc = structuredClone(CONTRACT);
  plant.base?.(released);
  const built: Doc = structuredClone(released);
  plant.revision?.(built);
  const releasedVersion = plant.releasedVersion ?? "0.1.0";
  await mkdir(join(root, "spec/released"), { recursive: true });
  await mkdir(join(root, "generated"), { recursive: true });
  await mkdir(join(root, ".changeset"), { recursive: true });
  // @changesets/cli's configuration, as in this repo: the gate and the release read changesets with it.
  await copyFile(join(REPO, ".changeset/config.json"), join(root, ".changeset/config.json"));
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  await writeFile(
    join(root, "package.json"),
    json({ name: PACKAGE_NAME, version: plant.packageVersion ?? releasedVersion, private: true }),
  );
  await writeFile(join(root, "spec/released/openapi.json"), json(released));
  await writeFile(
    join(root, "spec/released/version.json"),
    json({ version: releasedVersion, sha256: contractChecksum(released) }),
  );
  await writeFile(join(root, "generated/openapi.json"), json(built));
  let n = 0;
  for (const level of plant.changesets ?? []) {
    await writeFile(
      join(root, ".changeset", `planted-${++n}.md`),
      `---\n"${PACKAGE_NAME}": ${level}\n---\n\nA planted ${level} change.\n`,
    );
  }
  return root;
}

/** Runs `fn` over `items`, at most `limit` at a time. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
