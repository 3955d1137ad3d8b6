// `npm run check:generated` is the drift guard: it passes on the committed generated/ and fails,
// naming the file, on a tampered, missing or stray file.
import { execFile } from "node:child_process";
import { cp, mkdtemp, readFile, rm, writeFile, appendFile, unlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = new URL("../../", import.meta.url).pathname;
const run = (args: string[], env: Record<string, string> = {}) =>
  // tsx: the script imports the shared helpers in src/*.ts.
  promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/generate.mjs", "--check", ...args], {
    cwd: root,
    env: { ...process.env, ...env },
  }).then(
    (r) => ({ code: 0, out: r.stdout + r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
  );

// Each case runs the generator in a fresh process (tsx, the contract, every generated file): about
// 10 s on a busy machine, past vitest's 30 s at load 14 on two cores. The timeout guards a hang, not
// a speed: generous, as for the CLI's child processes (test/cli).
const CHILD_TIMEOUT_MS = 120_000;

describe("check:generated", { timeout: CHILD_TIMEOUT_MS }, () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "spirii-generated-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const copy = async () => {
    await rm(dir, { recursive: true, force: true });
    await cp(join(root, "generated"), dir, { recursive: true });
  };

  it("passes on the committed generated/", async () => {
    const { code, out } = await run([]);
    expect(out).toContain("up to date");
    expect(code).toBe(0);
  });

  it("fails on a tampered, a missing and a stray file, naming each (and only those)", async () => {
    await copy();
    await appendFile(join(dir, "values.ts"), "\nexport const EXTRA = 1;\n");
    await unlink(join(dir, "validators.js"));
    await writeFile(join(dir, "handwritten.ts"), "export {};\n");
    // And the README's generated field tables, edited by hand (a copy: SPIRII_README points at it).
    const readme = join(dir, "..", `${dir.split("/").pop()}-README.md`);
    await writeFile(readme, (await readFile(join(root, "README.md"), "utf8")).replace("| `maxVoltage` | number | V (volts) |", "| `maxVoltage` | number | kV |"));
    const { code, out } = await run(["--dir", dir], { SPIRII_README: readme });
    await rm(readme, { force: true });
    expect(code).toBe(1);
    expect(out).toMatch(/values\.ts differs from what spec\/ generates/);
    expect(out).toMatch(/validators\.js is missing/);
    expect(out).toMatch(/handwritten\.ts is not generated from spec\//);
    expect(out).toMatch(/README\.md's field tables differ from what spec\/ generates/);
    expect(out).not.toMatch(/types\.ts|openapi\.json|openapi\.yaml|validators\.d\.ts/);
    expect(out).toContain("npm run generate");
  });
});
