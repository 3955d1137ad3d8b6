// The release flow: `npm run changeset` declares a bump, `npm run release` (scripts/release.ts) checks
// the gate, sets the version, rewrites spec/released/ and adds the CHANGELOG section.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readChangesets } from "../../scripts/gate/changesets.js";
import { evaluateGate } from "../../scripts/gate/gate.js";
import { contractChecksum } from "../../scripts/gate/inputs.js";
import { PACKAGE_NAME, plantRoot, REPO, schema } from "./plant.js";

const node = (script: string, ...args: string[]) =>
  spawnSync(process.execPath, ["--import", "tsx", join(REPO, "scripts", script), ...args], { encoding: "utf8" });
/** The pending changesets (config.json is @changesets/cli's configuration, not a changeset). */
const changesetFiles = async (root: string) => (await readdir(join(root, ".changeset"))).filter((name) => name.endsWith(".md"));
const readJson = async (path: string) => JSON.parse(await readFile(path, "utf8")) as Record<string, unknown>;

const OLD_CHANGELOG = "# Changelog\n\nIntro.\n\n## 0.1.0 (2026-01-01)\n\nFirst release.\n";

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "release-"));
});
afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe("npm run changeset", () => {
  it("writes a changeset the gate reads", async () => {
    const root = await plantRoot(join(tmp, "changeset"));
    const run = node("changeset.ts", "minor", "Connectors", "report", "`parkingType`.", "--root", root);
    expect(run.status, run.stderr).toBe(0);
    const changesets = await readChangesets(root, PACKAGE_NAME);
    expect(changesets).toMatchObject([{ level: "minor", summary: "Connectors report `parkingType`." }]);
  });

  it("exits 2 without a level and a summary", () => {
    const run = node("changeset.ts", "huge");
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("usage: npm run changeset");
  });
});

describe("npm run release", () => {
  it("releases a minor change: version, spec/released/, CHANGELOG, consumed changesets", async () => {
    const root = await plantRoot(join(tmp, "minor"), {
      revision: (d) =>
        void (schema(d, "Connector").properties.parkingType = { type: "string", description: "Where the car parks." }),
      changesets: ["minor"],
    });
    await writeFile(join(root, "CHANGELOG.md"), OLD_CHANGELOG);
    const built = await readJson(join(root, "generated/openapi.json"));

    const run = node("release.ts", "--root", root, "--date", "2026-12-01");
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain("Released 0.2.0");
    expect(run.stdout).toContain("git tag v0.2.0");

    expect((await readJson(join(root, "package.json"))).version).toBe("0.2.0");
    expect(await readJson(join(root, "spec/released/openapi.json"))).toEqual(built);
    expect(await readJson(join(root, "spec/released/version.json"))).toMatchObject({
      version: "0.2.0",
      sha256: contractChecksum(built),
    });
    const changelog = await readFile(join(root, "CHANGELOG.md"), "utf8");
    expect(changelog).toContain(
      [
        "## 0.2.0 (2026-12-01)",
        "",
        "### Minor changes",
        "",
        "- A planted minor change.",
        "",
        "### Contract changes since 0.1.0",
        "",
        "- **minor**: added components/schemas/Connector/properties/parkingType",
        "",
        "## 0.1.0 (2026-01-01)",
      ].join("\n"),
    );
    expect(changelog.startsWith("# Changelog\n\nIntro.\n\n## 0.2.0")).toBe(true);
    expect(await changesetFiles(root)).toEqual([]);

    // Released: the gate now sees nothing to release.
    const after = await evaluateGate({ root });
    expect(after).toMatchObject({ ok: true, required: "none", level: "none", releasedVersion: "0.2.0" });
  });

  it("refuses a breaking change declared as minor, and writes nothing", async () => {
    const root = await plantRoot(join(tmp, "breaking"), {
      revision: (d) => void delete schema(d, "Connector").properties.tariffIds,
      changesets: ["minor"],
    });
    const run = node("release.ts", "--root", root);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("Property `tariffIds` of `Connector` was removed.");
    expect((await readJson(join(root, "package.json"))).version).toBe("0.1.0");
    expect((await readJson(join(root, "spec/released/version.json"))).version).toBe("0.1.0");
    expect(existsSync(join(root, "CHANGELOG.md"))).toBe(false);
    expect(await changesetFiles(root)).toEqual(["planted-1.md"]);
  });

  it("has nothing to release when nothing changed and nothing is pending", async () => {
    const root = await plantRoot(join(tmp, "nothing"));
    const run = node("release.ts", "--root", root);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain("Nothing to release");
    expect((await readJson(join(root, "package.json"))).version).toBe("0.1.0");
    expect(existsSync(join(root, "CHANGELOG.md"))).toBe(false);
  });
});
