// The breaking-change gate (scripts/diff-contract.ts and scripts/gate/, `npm run diff`): each case
// plants a small change in a copy of the contract, runs the gate on it, and asserts the verdict.
import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, unlink, writeFile } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readChangesets } from "../../scripts/gate/changesets.js";
import { decide, evaluateGate, type GateResult } from "../../scripts/gate/gate.js";
import { contractPaths, readRelease } from "../../scripts/gate/inputs.js";
import { GateSetupError, type Level } from "../../scripts/gate/levels.js";
import { bumpLevel, bumpVersion } from "../../scripts/gate/versions.js";
import {
  CONTRACT,
  type Doc,
  header,
  mapLimit,
  OPERATION,
  operation,
  PACKAGE_NAME,
  type Plant,
  plantRoot,
  REPO,
  schema,
} from "./plant.js";

/** The known values of a response enum (open: `anyOf: [{enum}, {type: string}]`, Spirii's versioning policy). */
const knownValues = (d: Doc, name: string): string[] => schema(d, name).anyOf[0].enum;

/** Writes a response enum the way this contract did before it opened them: closed. */
function closeEnum(d: Doc, name: string): void {
  const enumSchema = schema(d, name);
  enumSchema.enum = knownValues(d, name);
  delete enumSchema.anyOf;
}

interface Case extends Plant {
  name: string;
  required: Level;
  /** Each must match one breaking change the gate names (rule id and message). */
  breaking?: { rule: string; message: RegExp }[];
}

// Every case declares a minor release (a changeset), as an ordinary non-breaking pull request would:
// so the gate must fail exactly the cases that break consumers.
const BREAKING: Case[] = [
  {
    name: "request: a new required field",
    revision: (d) => {
      const update = schema(d, "ConnectorUpdate");
      update.properties.reason = { type: "string", description: "Why the connector changes." };
      update.required = ["reason"];
    },
    required: "major",
    breaking: [{ rule: "required-properties-added", message: /became required: `reason`/ }],
  },
  {
    name: "request: an enum value removed",
    revision: (d) => {
      const standard = schema(d, "ConnectorUpdateStandard");
      standard.enum = standard.enum.filter((v: string) => v !== "GBT_DC");
    },
    required: "major",
    breaking: [{ rule: "enum-values-removed", message: /lost values: 'GBT_DC'/ }],
  },
  {
    name: "request: a narrowed type (number to integer)",
    revision: (d) => void (schema(d, "ConnectorUpdate").properties.maxVoltage.type = "integer"),
    required: "major",
    breaking: [{ rule: "schema-type-changed", message: /`maxVoltage` narrowed from 'number' to 'integer'/ }],
  },
  {
    name: "response: a field removed",
    revision: (d) => void delete schema(d, "Connector").properties.tariffIds,
    required: "major",
    breaking: [{ rule: "property-removed", message: /`tariffIds` of `Connector` was removed/ }],
  },
  {
    name: "response: a field no longer required",
    revision: (d) => {
      const evse = schema(d, "Evse");
      evse.required = evse.required.filter((p: string) => p !== "chargeboxId");
    },
    required: "major",
    breaking: [{ rule: "required-properties-removed", message: /no longer required: `chargeboxId`/ }],
  },
  {
    name: "response: a widened type (string to string | null)",
    revision: (d) => void (schema(d, "Evse").properties.evseId.type = ["string", "null"]),
    required: "major",
    breaking: [{ rule: "schema-type-changed", message: /`evseId` widened from 'string' to 'string \| null'/ }],
  },
  {
    // The contract's enum policy forbids a closed response enum now; a contract that has one is rated as before.
    name: "response: a new value in a closed enum",
    base: (d) => closeEnum(d, "EvseStatus"),
    revision: (d) => void schema(d, "EvseStatus").enum.push("DECOMMISSIONED"),
    required: "major",
    breaking: [{ rule: "enum-values-added", message: /gained values: 'DECOMMISSIONED'/ }],
  },
  {
    name: "a value added to an enum used in requests and (closed) in responses",
    base: (d) => void (schema(d, "Connector").properties.format = { $ref: "#/components/schemas/ConnectorUpdateFormat" }),
    revision: (d) => void schema(d, "ConnectorUpdateFormat").enum.push("PLUG"),
    required: "major",
    breaking: [{ rule: "enum-values-added", message: /gained values: 'PLUG'/ }],
  },
  {
    // redocly diff sees nothing breaking (a response may narrow); consumers lose a name they handle.
    name: "response: a known value removed from an open enum",
    revision: (d) => void (schema(d, "EvseStatus").anyOf[0].enum = knownValues(d, "EvseStatus").filter((v) => v !== "PLANNED")),
    required: "major",
    breaking: [{ rule: "contract/response-enum-value-removed", message: /Response enum values removed: 'PLANNED'/ }],
  },
  {
    name: "response: a value removed from a closed enum",
    base: (d) => closeEnum(d, "PowerType"),
    revision: (d) => void (schema(d, "PowerType").enum = schema(d, "PowerType").enum.filter((v: string) => v !== "DC")),
    required: "major",
    breaking: [{ rule: "contract/response-enum-value-removed", message: /'DC'/ }],
  },
  {
    // redocly diff reports nothing at all here.
    name: "response: a header no longer required (required: true removed)",
    base: (d) => void (header(d, "Retry-After").required = true),
    revision: (d) => void delete header(d, "Retry-After").required,
    required: "major",
    breaking: [
      {
        rule: "contract/response-header-no-longer-required",
        message: /header `Retry-After` of the 429 response \(PATCH \/v2\/evses\/\{uid\}\/connectors\/\{connectorId\}\) is no longer required/,
      },
    ],
  },
  {
    // redocly diff reports this as a patch.
    name: "response: a header no longer required (required: true to false)",
    base: (d) => void (header(d, "X-RateLimit-Limit").required = true),
    revision: (d) => void (header(d, "X-RateLimit-Limit").required = false),
    required: "major",
    breaking: [{ rule: "contract/response-header-no-longer-required", message: /`X-RateLimit-Limit` of the 200 response/ }],
  },
  {
    // The package exports the generated `components` type: redocly diff alone rates this a patch.
    name: "a component schema renamed (its generated type disappears)",
    revision: (d) => {
      const schemas = d.components.schemas;
      schemas.EvseObject = schemas.Evse;
      delete schemas.Evse;
      const renamed = JSON.stringify(d).replaceAll('"#/components/schemas/Evse"', '"#/components/schemas/EvseObject"');
      Object.assign(d, JSON.parse(renamed));
    },
    required: "major",
    breaking: [{ rule: "contract/generated-type-removed", message: /Component `schemas\/Evse` is gone/ }],
  },
  {
    // The same request on the wire, but the generated `paths` type (and ConnectorPath) change.
    name: "a path parameter renamed",
    revision: (d) => {
      d.paths["/v2/evses/{evseUid}/connectors/{connectorId}"] = d.paths[OPERATION];
      delete d.paths[OPERATION];
      d.components.parameters.EvseUid.name = "evseUid";
    },
    required: "major",
    breaking: [{ rule: "contract/generated-type-removed", message: /Path `\/v2\/evses\/\{uid\}\/connectors\/\{connectorId\}` is gone/ }],
  },
  {
    // The open-enum rule looks at every use: the same enum is also used closed, so a new value breaks.
    name: "a value added to an enum that is open in one response field and closed in another",
    base: (d) => void (schema(d, "Evse").properties.lastErrorCode = { $ref: "#/components/schemas/OcppErrorCode/anyOf/0" }),
    revision: (d) => void knownValues(d, "OcppErrorCode").push("CableFailure"),
    required: "major",
    breaking: [{ rule: "enum-values-added", message: /gained values: 'CableFailure'/ }],
  },
];

const HARMLESS: Case[] = [
  {
    name: "a description changes",
    revision: (d) => void (schema(d, "Evse").description += "\nSee also the sibling GET endpoint."),
    required: "patch",
  },
  {
    name: "response: an optional field added",
    revision: (d) =>
      void (schema(d, "Connector").properties.parkingType = { type: "string", description: "Where the car parks." }),
    required: "minor",
  },
  {
    name: "a new example",
    revision: (d) => {
      const examples = operation(d).responses["200"].content["application/json"].examples;
      examples.deletedConnector = {
        summary: "A removed connector",
        value: { ...d.components.examples.EvseHealthyAc.value, status: "REMOVED" },
      };
    },
    required: "patch",
  },
  {
    // OcppErrorCode is anyOf [enum, string]: documenting one more code accepts nothing new, so nothing
    // breaks (redocly diff alone rates this major: enum-values-added; the gate's open-enum rule does
    // not). It is minor, as Spirii's versioning page says: consumers gain a name (undoing it is major).
    name: "response: a new value in an open enum (anyOf [enum, string])",
    revision: (d) => void knownValues(d, "OcppErrorCode").push("CableFailure"),
    required: "minor",
  },
  {
    name: "response: a new EVSE status (open enum)",
    revision: (d) => void knownValues(d, "EvseStatus").push("PARKED"),
    required: "minor",
  },
  {
    name: "request: an enum value added",
    revision: (d) => void schema(d, "ConnectorUpdateStandard").enum.push("MCS"),
    required: "minor",
  },
];

const UNCHANGED: Case = { name: "no change", required: "none", changesets: [] };
const CASES = [...BREAKING, ...HARMLESS, UNCHANGED];

let tmp: string;
const roots = new Map<string, string>();
const results = new Map<string, GateResult>();

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "diff-gate-"));
  // Each case spawns redocly (CPU-bound): leave one core to the other test worker.
  const limit = Math.min(4, Math.max(1, availableParallelism() - 1));
  await mapLimit(CASES, limit, async (c) => {
    const root = await plantRoot(join(tmp, `case-${CASES.indexOf(c)}`), { changesets: ["minor"], ...c });
    roots.set(c.name, root);
    results.set(c.name, await evaluateGate({ root }));
  });
}, 180_000);

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

const byName = (name: string): Case => {
  const found = CASES.find((c) => c.name === name);
  if (!found) throw new Error(`no case named ${name}`);
  return found;
};

const result = (c: Case): GateResult => {
  const r = results.get(c.name);
  if (!r) throw new Error(`no result for ${c.name}`);
  return r;
};

describe("breaking changes fail the gate without a major release", () => {
  for (const c of BREAKING) {
    it(c.name, () => {
      const r = result(c);
      expect(r.required).toBe("major");
      expect(r.declared).toBe("minor");
      expect(r.ok).toBe(false);
      expect(r.exitCode).toBe(1);
      const named = r.changes.flatMap((change) => change.breaking);
      for (const expected of c.breaking ?? []) {
        expect(named).toContainEqual({ rule: expected.rule, message: expect.stringMatching(expected.message) });
        // The failure message names the change and says what to do.
        expect(r.message).toMatch(expected.message);
      }
      expect(r.message).toContain("✖ FAILED");
      expect(r.message).toContain('npm run changeset -- major "What broke and how to migrate"');
      expect(r.message).toMatch(/revert/);
    });
  }
});

describe("harmless changes pass with the level they need", () => {
  for (const c of HARMLESS) {
    it(`${c.name}: ${c.required}`, () => {
      const r = result(c);
      expect(r.changes.length).toBeGreaterThan(0);
      expect(r.changes.flatMap((change) => change.breaking)).toEqual([]);
      expect(r.required).toBe(c.required);
      expect(r.ok).toBe(true);
      expect(r.exitCode).toBe(0);
      expect(r.nextVersion).toBe("0.2.0");
      expect(r.message).toContain("✔ Passed: the next release is minor, 0.1.0 → 0.2.0");
    });
  }

  it("the open-enum rule says why it let an enum-values-added verdict through", () => {
    const r = result(byName("response: a new value in an open enum (anyOf [enum, string])"));
    expect(r.changes.flatMap((c) => c.notes).join("\n")).toMatch(/gained values: 'CableFailure'.*contract\/open-enum/);
  });

  it("no change: nothing required, nothing to release", () => {
    const r = result(UNCHANGED);
    expect(r).toMatchObject({ required: "none", declared: "none", ok: true, exitCode: 0, changes: [], nextVersion: "0.1.0" });
    expect(r.message).toContain("✔ Passed: nothing to release since 0.1.0.");
  });
});

describe("the gate as a command (npm run diff)", () => {
  const gate = (...args: string[]) =>
    spawnSync(process.execPath, ["--import", "tsx", join(REPO, "scripts/diff-contract.ts"), ...args], { encoding: "utf8" });

  it("exits 1 and names the breaking change and the remedy", () => {
    const run = gate("--root", roots.get(byName("response: a new value in a closed enum").name) as string);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/major {2}Enum of `status` gained values: 'DECOMMISSIONED'\. {2}\[enum-values-added\]/);
    expect(run.stderr).toContain("Required: major · declared: minor");
    expect(run.stderr).toContain("npm run changeset -- major");
  });

  it("exits 2 on a usage error", () => {
    const run = gate("--bogus");
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("usage: tsx scripts/diff-contract.ts");
  });

  it("exits 2 when the last release's version file is missing", async () => {
    const root = await plantRoot(join(tmp, "no-version"));
    await unlink(join(root, "spec/released/version.json"));
    const run = gate("--root", root);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/set-up error\n.*version file .* is missing/);
  });
});

describe("set-up errors (exit 2) are found before redocly runs", () => {
  it("a hand-edited released contract", async () => {
    const root = await plantRoot(join(tmp, "edited"));
    const path = join(root, "spec/released/openapi.json");
    const doc: Doc = JSON.parse(await readFile(path, "utf8"));
    delete schema(doc, "Evse").properties.evseId;
    await writeFile(path, JSON.stringify(doc));
    await expect(evaluateGate({ root })).rejects.toThrow(/changed by hand/);
  });

  it("package.json's version lower than the last release", async () => {
    const root = await plantRoot(join(tmp, "lower"), { releasedVersion: "1.2.0", packageVersion: "1.1.9" });
    await expect(evaluateGate({ root })).rejects.toThrow(/lower than the last release 1\.2\.0/);
  });

  it("a missing build", async () => {
    const root = await plantRoot(join(tmp, "unbuilt"));
    await unlink(join(root, "generated/openapi.json"));
    await expect(evaluateGate({ root })).rejects.toThrow(/npm run generate/);
  });

  it("a missing @changesets/cli configuration", async () => {
    const root = await plantRoot(join(tmp, "no-changeset-config"));
    await unlink(join(root, ".changeset/config.json"));
    await expect(evaluateGate({ root })).rejects.toThrow(/\.changeset\/config\.json is missing/);
  });

  it("a version with a v prefix or build metadata", () => {
    expect(() => bumpLevel("v0.1.0", "0.2.0")).toThrow(/"v0.1.0", not a plain MAJOR.MINOR.PATCH/);
    expect(() => bumpVersion("0.1.0+build.7", "patch")).toThrow(/not a plain MAJOR.MINOR.PATCH/);
  });

  it("a changeset for another package or without a summary", async () => {
    const root = await plantRoot(join(tmp, "bad-changeset"));
    await writeFile(join(root, ".changeset/other.md"), '---\n"left-pad": minor\n---\n\nNope.\n');
    await expect(evaluateGate({ root })).rejects.toThrow(GateSetupError);
    await expect(evaluateGate({ root })).rejects.toThrow(/names the package left-pad/);
    await writeFile(join(root, ".changeset/other.md"), `---\n"${PACKAGE_NAME}": minor\n---\n`);
    await expect(evaluateGate({ root })).rejects.toThrow(/says nothing/);
  });
});

describe("the version decision", () => {
  const decideFor = (required: Level, packageVersion: string, changesets: Exclude<Level, "none">[], releasedVersion = "0.1.0") =>
    decide({ required, releasedVersion, packageVersion, changesets: changesets.map((level) => ({ level })) });

  it("a breaking change passes only once a major release is declared", () => {
    expect(decideFor("major", "0.1.0", [])).toMatchObject({ ok: false, exitCode: 1, declared: "none" });
    expect(decideFor("major", "0.1.0", ["minor", "patch"])).toMatchObject({ ok: false, declared: "minor" });
    expect(decideFor("major", "0.1.0", ["major"])).toMatchObject({ ok: true, exitCode: 0, nextVersion: "1.0.0" });
    expect(decideFor("major", "1.0.0", [])).toMatchObject({ ok: true, declared: "major", nextVersion: "1.0.0" });
    expect(decideFor("major", "0.2.0", [])).toMatchObject({ ok: false, declared: "minor" });
    expect(decideFor("major", "2.3.4", ["major"], "2.3.4")).toMatchObject({ ok: true, nextVersion: "3.0.0" });
  });

  it("a smaller change needs at least its own level declared; the release takes the larger", () => {
    expect(decideFor("minor", "0.1.0", ["patch"])).toMatchObject({ ok: false, declared: "patch" });
    expect(decideFor("minor", "0.1.0", ["minor"])).toMatchObject({ ok: true, nextVersion: "0.2.0" });
    expect(decideFor("patch", "0.1.0", ["minor"])).toMatchObject({ ok: true, level: "minor", nextVersion: "0.2.0" });
    expect(decideFor("patch", "0.1.1", [])).toMatchObject({ ok: true, nextVersion: "0.1.1" });
    expect(decideFor("none", "0.1.0", [])).toMatchObject({ ok: true, level: "none", nextVersion: "0.1.0" });
    // A code-only release (no contract change) is declared by a changeset alone.
    expect(decideFor("none", "0.1.0", ["patch"])).toMatchObject({ ok: true, level: "patch", nextVersion: "0.1.1" });
  });

  it("versions", () => {
    expect(bumpVersion("0.1.0", "major")).toBe("1.0.0");
    expect(bumpVersion("1.4.2", "minor")).toBe("1.5.0");
    expect(bumpVersion("1.4.2", "patch")).toBe("1.4.3");
    expect(bumpLevel("1.4.2", "1.4.2")).toBe("none");
    expect(bumpLevel("1.4.2", "2.0.0")).toBe("major");
    expect(() => bumpLevel("1.0.0", "1.0.0-rc.1")).toThrow(/not a plain MAJOR.MINOR.PATCH/);
  });

  it("changesets: quoted or bare package names, the largest level wins", async () => {
    const root = await plantRoot(join(tmp, "changesets"));
    await writeFile(join(root, ".changeset/a.md"), `---\n${PACKAGE_NAME}: patch\n---\n\nFixed a typo.\n`);
    await writeFile(join(root, ".changeset/b.md"), `---\n'${PACKAGE_NAME}': major\n---\n\nDropped X.\nMigrate by Y.\n`);
    await writeFile(join(root, ".changeset/README.md"), "Not a changeset.\n");
    const changesets = await readChangesets(root, PACKAGE_NAME);
    expect(changesets.map((c) => [c.level, c.summary])).toEqual([
      ["patch", "Fixed a typo."],
      ["major", "Dropped X.\nMigrate by Y."],
    ]);
  });
});

describe("this repository", () => {
  it("keeps the last release's contract intact, at or below package.json's version", async () => {
    const paths = contractPaths(REPO);
    const release = await readRelease(paths);
    const pkg = JSON.parse(await readFile(paths.packageJson, "utf8")) as { version: string };
    expect(() => bumpLevel(release.version, pkg.version)).not.toThrow();
    expect((release.doc as Doc).openapi).toBe(CONTRACT.openapi);
  });
});
