// The suite runs on the Node it was meant to (.ci/run runs it on Node 20 and again on Node 24; the
// workflow on 20, 22 and 24), and so does every process it spawns: a run meant for Node 24 whose
// children fell back to another node would report Node 24 while testing half of it elsewhere.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import semver from "semver";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const engines = (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { engines: { node: string } }).engines.node;
const expected = process.env["SPIRII_EXPECT_NODE"];

describe("the Node the suite runs on", () => {
  it(`satisfies package.json's engines (${engines})`, () => {
    expect(semver.satisfies(process.versions.node, engines), `${process.version} against ${engines}`).toBe(true);
  });

  it("is the Node that process.execPath and `node` on PATH start, so spawned processes run on it too", async () => {
    const [byExecPath, byPath] = await Promise.all([run(process.execPath, ["--version"]), run("node", ["--version"])]);
    expect({ execPath: byExecPath.stdout.trim(), path: byPath.stdout.trim() }).toEqual({ execPath: process.version, path: process.version });
  });

  // Only a run that names its Node has this check (not a skipped test in every other run).
  if (expected !== undefined) {
    it(`is Node ${expected}, as CI asked (SPIRII_EXPECT_NODE)`, () => {
      expect(semver.major(process.versions.node)).toBe(Number(expected));
    });
  }
});
