// The README's field tables come from the contract (scripts/readme-fields.mjs, run by
// `npm run generate`); `npm run check:generated` fails when they drift. check-generated.test.ts runs
// the real command against a tampered README copy; these check the tables themselves.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { pathToFileURL } from "node:url";
import contract from "../../generated/openapi.json" with { type: "json" };
import { CONNECTOR_UPDATE_STANDARDS, EVSE_STATUSES, OPERATIONS, UPDATE_CONNECTOR } from "../../src/index.js";

type Doc = Record<string, unknown> & { $ref?: string };
interface Contract {
  doc: Doc;
  resolve: (doc: Doc, node: Doc) => Doc;
  operation: unknown;
}
/** scripts/readme-fields.mjs, typed here (scripts are plain JavaScript). */
interface ReadmeFields {
  BEGIN: string;
  END: string;
  OPEN_ENUM_NOTE: string;
  README: string;
  fieldsTables(contract: Contract): string;
  operationTables(contract: Contract): string;
  syncReadmeFields(contract: Contract, options: { check: boolean; path?: string }): Promise<string[]>;
}
const { BEGIN, END, OPEN_ENUM_NOTE, README, fieldsTables, operationTables, syncReadmeFields } = (await import(pathToFileURL(join(import.meta.dirname, "../../scripts/readme-fields.mjs")).href)) as ReadmeFields;
const resolve = (doc: Doc, node: Doc): Doc => (node?.$ref ? (node.$ref.slice(2).split("/").reduce<any>((at, key) => at[key], doc) as Doc) : node);
const operation = (contract.paths as unknown as Record<string, { patch?: unknown }>)[UPDATE_CONNECTOR.path]!.patch;
const input = { doc: contract as unknown as Doc, resolve, operation };

describe("the README's field tables", () => {
  const tables = fieldsTables(input);

  it("name each patch field with its type, unit and allowed values", () => {
    expect(tables).toContain(`| \`standard\` | string |  | ${CONNECTOR_UPDATE_STANDARDS.map((s) => `\`${s}\``).join(", ")} |`);
    expect(tables).toContain("| `format` | string |  | `SOCKET`, `CABLE` |");
    expect(tables).toContain("| `maxElectricPower` | number | kW (kilowatts) | > 0 |");
    expect(tables).toContain("| `maxAmperage` | number | A (amperes) | > 0 |");
    expect(tables).toContain("| `maxVoltage` | number | V (volts) | > 0 |");
  });

  it("name the EVSE's required fields", () => {
    const rows = tables.split("\n").filter((line) => line.startsWith("| `")).map((line) => line.split("|")[1]!.trim());
    expect(rows).toEqual(["`standard`", "`format`", "`maxElectricPower`", "`maxAmperage`", "`maxVoltage`", "`uid`", "`evseId`", "`chargeboxId`", "`status`", "`connectors`"]);
    // A response enum is open: its known values, and word that others may arrive (Spirii's versioning policy).
    expect(tables).toContain(`| \`status\` | string | ${EVSE_STATUSES.map((s) => `\`${s}\``).join(", ")}, ${OPEN_ENUM_NOTE} |`);
    expect(tables).toContain("| `connectors` | array of Connector |");
  });

  it("cover every other operation of the contract: what it takes and what it answers", () => {
    const others = operationTables(input);
    for (const facts of Object.values(OPERATIONS)) {
      if (facts.operationId === UPDATE_CONNECTOR.operationId) continue;
      expect(others).toContain(`**\`${facts.operationId}\`** \`${facts.method} ${facts.path}\`: ${facts.summary} Idempotent: ${facts.idempotent ? "yes" : "no"}; effect: ${facts.effect}.`);
      for (const q of facts.parameters.query) expect(others).toContain(`| \`${q.name}\` | query |`);
    }
    expect(others).not.toContain(UPDATE_CONNECTOR.path + "`:");
    expect(others).toContain("| `transactionId` | body | integer | yes |");
  });

  it("are in README.md as generated, between the markers", async () => {
    const readme = await readFile(README, "utf8");
    expect(readme).toContain(`${BEGIN}\n${tables}\n${END}`);
    expect(await syncReadmeFields(input, { check: true })).toEqual([]);
  });

  it("a drifted table fails the check, and generate writes it back", async () => {
    const dir = await mkdtemp(join(tmpdir(), "spirii-readme-"));
    try {
      const copy = join(dir, "README.md");
      const drifted = (await readFile(README, "utf8")).replace("| `maxVoltage` | number | V (volts) | > 0 |", "| `maxVoltage` | number | kV | > 0 |");
      await writeFile(copy, drifted);
      expect(await syncReadmeFields(input, { check: true, path: copy })).toEqual(["README.md's field tables differ from what spec/ generates"]);
      expect(await readFile(copy, "utf8")).toBe(drifted); // the check writes nothing
      expect(await syncReadmeFields(input, { check: false, path: copy })).toEqual([]);
      expect(await readFile(copy, "utf8")).toBe(await readFile(README, "utf8"));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("without its markers the README is an error that names them", async () => {
    const dir = await mkdtemp(join(tmpdir(), "spirii-readme-"));
    try {
      await writeFile(join(dir, "README.md"), "# no markers\n");
      await expect(syncReadmeFields(input, { check: true, path: join(dir, "README.md") })).rejects.toThrow(/must hold the markers <!-- generated: fields/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
