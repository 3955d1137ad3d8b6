#!/usr/bin/env node
// Lints the package as npm would publish it: `npm pack`, then publint (strict) on the unpacked
// tarball and Are the Types Wrong (profile esm-only) on the tarball itself.
//
// attw's own CLI cannot read this tarball: its gunzip step keeps only the last output chunk, so
// any package over ~64 KiB unpacked looks empty ("Cannot read properties of undefined (reading
// 'filename')"). We gunzip with node:zlib and hand attw's checker the files directly.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { untar } from "@andrewbranch/untar.js";
import { Package, checkPackage } from "@arethetypeswrong/core";
import { publint } from "publint";
import { formatMessage } from "publint/utils";

/** Resolutions the esm-only profile does not check: this package has no CommonJS entry. */
const IGNORED_RESOLUTIONS = new Set(["node10", "node16-cjs"]);
/**
 * Exports that are data files (the bundled contract): read with fs or imported `with { type:
 * "json" }` under resolveJsonModule, which attw's checker does not model. The tarball consumer
 * test (test/package) imports them for real.
 */
const DATA_ENTRYPOINTS = new Set(["./openapi.json", "./openapi.yaml"]);

const root = new URL("..", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "spirii-pack-"));
let failed = false;
try {
  const [packed] = JSON.parse(execFileSync("npm", ["pack", "--json", "--pack-destination", dir], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }));
  const tarball = join(dir, packed.filename);
  console.log(`packed ${packed.filename}: ${packed.files.length} files, ${(packed.size / 1024).toFixed(1)} KiB (${(packed.unpackedSize / 1024).toFixed(1)} KiB unpacked)`);

  execFileSync("tar", ["-xzf", tarball, "-C", dir]);
  const pkgDir = join(dir, "package");
  const pkgJson = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
  const { messages } = await publint({ pkgDir, strict: true, level: "suggestion" });
  for (const message of messages) {
    console.log(`publint ${message.type}: ${formatMessage(message, pkgJson) ?? message.code}`);
    failed = true;
  }
  if (!messages.length) console.log("publint (strict): no issue");

  const entries = untar(gunzipSync(readFileSync(tarball)));
  const files = Object.fromEntries(
    entries.map((entry) => [`/node_modules/${pkgJson.name}/${entry.filename.replace(/^package\//, "")}`, entry.fileData]),
  );
  const analysis = await checkPackage(new Package(files, pkgJson.name, pkgJson.version));
  if (!analysis.types) {
    console.log("attw: the package ships no types");
    failed = true;
  } else {
    const problems = analysis.problems.filter(
      (p) => !("resolutionKind" in p && IGNORED_RESOLUTIONS.has(p.resolutionKind)) && !("entrypoint" in p && DATA_ENTRYPOINTS.has(p.entrypoint)),
    );
    for (const problem of problems) console.log(`attw ${problem.kind}: ${JSON.stringify(problem)}`);
    const entrypoints = Object.keys(analysis.entrypoints).filter((e) => !DATA_ENTRYPOINTS.has(e));
    if (!problems.length) console.log(`attw (esm-only): no problem in ${entrypoints.length} entry points (${entrypoints.join(", ")})`);
    failed ||= problems.length > 0;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
