// The lint config is part of the contract's quality bar: it passes clean on spec/, and its
// project rules really fire on planted mistakes (a rule that cannot fail checks nothing).
import { execFile } from "node:child_process";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const root = new URL("../../", import.meta.url).pathname;
const redocly = join(root, "node_modules/@redocly/cli/bin/cli.js");
const lint = (entry: string) =>
  promisify(execFile)(process.execPath, [redocly, "lint", entry, "--config", join(root, "redocly.yaml"), "--format", "json"], {
    cwd: root,
    env: { ...process.env, REDOCLY_TELEMETRY: "off" },
    maxBuffer: 16 * 1024 * 1024,
  }).then(
    (r) => ({ code: 0, stdout: r.stdout }),
    (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
  );
interface Problem {
  ruleId: string;
  severity: string;
  message: string;
  location: { pointer: string; source: { ref: string } }[];
}
const problems = (stdout: string) => (JSON.parse(stdout.slice(stdout.indexOf("{"))) as { problems: Problem[] }).problems;
const ruleIds = (stdout: string) =>
  (JSON.parse(stdout.slice(stdout.indexOf("{"))) as { problems: { ruleId: string; severity: string }[] }).problems.map(
    (p) => `${p.severity}:${p.ruleId}`,
  );

describe("redocly lint", () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  it("passes on spec/ with no error and no warning", async () => {
    const { code, stdout } = await lint("spec/openapi.yaml");
    expect(ruleIds(stdout)).toEqual([]);
    expect(code).toBe(0);
  });

  it("catches planted violations of the project's rules", async () => {
    const dir = await mkdtemp(join(tmpdir(), "spirii-lint-"));
    dirs.push(dir);
    await cp(join(root, "spec"), dir, { recursive: true });
    const edit = async (file: string, from: string | RegExp, to: string) => {
      const path = join(dir, file);
      const text = await readFile(path, "utf8");
      const changed = text.replace(from, to);
      expect(changed, `${file}: nothing to replace`).not.toBe(text);
      await writeFile(path, changed);
    };
    const pathFile = "paths/v2_evses_{uid}_connectors_{connectorId}.yaml";
    await edit(pathFile, "operationId: updateConnector", "operationId: update_connector");
    await edit("components/schemas/PowerType.yaml", "x-provenance: inferred", "x-provenance: guessed");
    await edit("components/schemas/OcppErrorCode.yaml", /^description: .*\n/m, "");
    await edit("components/examples/ConnectorUpdateReferencePage.yaml", "standard: CHADEMO", "standard: TESLA_S");
    const { code, stdout } = await lint(join(dir, "openapi.yaml"));
    expect(code).not.toBe(0);
    expect(ruleIds(stdout).sort()).toEqual(
      [
        "error:rule/operationId-camelCase",
        "error:rule/provenance-values",
        "error:rule/schema-description",
        "error:no-invalid-media-type-examples",
      ].sort(),
    );
  });

  it("fails an operation that does not state x-idempotent and x-effect, or states an unknown value, naming the operation", async () => {
    const dir = await mkdtemp(join(tmpdir(), "spirii-lint-facts-"));
    dirs.push(dir);
    await cp(join(root, "spec"), dir, { recursive: true });
    const edit = async (file: string, from: string, to: string) => {
      const path = join(dir, file);
      const text = await readFile(path, "utf8");
      expect(text, `${file}: nothing to replace`).toContain(from);
      await writeFile(path, text.replace(from, to));
    };
    const patch = "paths/v2_evses_{uid}_connectors_{connectorId}.yaml";
    const get = "paths/v2_evses_{uid}.yaml";
    await edit(patch, "  x-idempotent: true\n", "");
    await edit(patch, "x-effect: restorable", "x-effect: harmless");
    await edit(get, "  x-effect: read-only\n", "");
    await edit(get, "x-idempotent: true", "x-idempotent: 'yes'");
    const { code, stdout } = await lint(join(dir, "openapi.yaml"));
    expect(code).not.toBe(0);
    const found = problems(stdout).map((p) => ({
      rule: p.ruleId,
      file: p.location[0]!.source.ref.split("/").pop(),
      pointer: p.location[0]!.pointer,
      message: p.message,
    }));
    expect(found.map(({ rule, file, pointer }) => `${rule} ${file} ${pointer}`).sort()).toEqual(
      [
        `rule/operation-idempotent ${patch.split("/").pop()} #/patch/x-idempotent`,
        `rule/operation-effect ${patch.split("/").pop()} #/patch/x-effect`,
        `rule/operation-effect ${get.split("/").pop()} #/get/x-effect`,
        `rule/operation-idempotent-value ${get.split("/").pop()} #/get/x-idempotent`,
      ].sort(),
    );
    expect(found.find((p) => p.rule === "rule/operation-effect" && p.pointer === "#/patch/x-effect")?.message).toContain('"harmless" should be one of the predefined values');
    expect(found.find((p) => p.rule === "rule/operation-effect" && p.pointer === "#/get/x-effect")?.message).toContain("read-only, restorable, physical or destructive");
  });

  it("lets a GET omit x-idempotent (implied)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "spirii-lint-get-"));
    dirs.push(dir);
    await cp(join(root, "spec"), dir, { recursive: true });
    const get = join(dir, "paths/v2_evses_{uid}.yaml");
    await writeFile(get, (await readFile(get, "utf8")).replace("  x-idempotent: true\n", ""));
    const { code, stdout } = await lint(join(dir, "openapi.yaml"));
    expect(ruleIds(stdout)).toEqual([]);
    expect(code).toBe(0);
  });
});
