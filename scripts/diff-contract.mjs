#!/usr/bin/env node
// The breaking-change gate (`npm run diff`).
//   node scripts/diff-contract.mjs [--root DIR] [--json]
// Compares the contract as built (generated/openapi.json) with the contract of the last release
// (spec/released/openapi.json, its version in spec/released/version.json), rates the change for
// consumers (major / minor / patch, see CONTRIBUTING.md) and checks that the version declared for the
// next release (package.json's version, pending .changeset/*.md files) is at least that.
//   exit 0  pass
//   exit 1  the change needs a bigger version bump than is declared (each offending change is named)
//   exit 2  usage or set-up error (missing or hand-edited files, bad versions, redocly failed)
// --root DIR reads those files under DIR instead of this repo (the tests use planted copies).
//
// The rating comes from `redocly diff` (diff-recommended, direction-aware) plus the rules below,
// which cover what it misses for this contract:
//   contract/response-header-no-longer-required  a response header that was required no longer is
//   contract/generated-type-removed              a path key or a component name disappears: the
//                                                package exports the types generated from them
//   contract/open-enum                           enum values added (responses) or removed (requests)
//                                                where the enum is a branch of an anyOf/oneOf whose
//                                                sibling accepts every value of its type change
//                                                nothing a consumer sees, so they are not breaking
// A change is major when it breaks consumers, minor when undoing it would (consumers can now rely on
// something new: this is found by diffing in reverse), and patch otherwise.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { readFile, readdir } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const DIFF_CONFIG = join(REPO_ROOT, "redocly.diff.yaml");
const REDOCLY_BIN = join(
  dirname(createRequire(import.meta.url).resolve("@redocly/cli/package.json")),
  "bin/cli.js",
);

/** Levels of change, in increasing order. */
export const LEVELS = /** @type {const} */ (["none", "patch", "minor", "major"]);
const rank = (level) => LEVELS.indexOf(level);
export const maxLevel = (...levels) => levels.reduce((a, b) => (rank(b) > rank(a) ? b : a), "none");

/** A problem with the inputs rather than with the change: exit 2. */
export class GateSetupError extends Error {
  name = "GateSetupError";
}

/** Where the gate's inputs live under a root. */
export function contractPaths(root = REPO_ROOT) {
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

// ---------------------------------------------------------------------------------------------
// Versions: plain MAJOR.MINOR.PATCH only (the package publishes no pre-releases).

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

export function parseVersion(version, what = "version") {
  const m = typeof version === "string" ? SEMVER.exec(version) : null;
  if (!m) throw new GateSetupError(`${what} is ${JSON.stringify(version)}, not a plain MAJOR.MINOR.PATCH version.`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

export function compareVersions(a, b) {
  const [x, y] = [parseVersion(a), parseVersion(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  return 0;
}

/** The version after a release of the given level. A major release of 0.x goes to 1.0.0. */
export function bumpVersion(version, level) {
  const [major, minor, patch] = parseVersion(version);
  if (level === "major") return `${major + 1}.0.0`;
  if (level === "minor") return `${major}.${minor + 1}.0`;
  if (level === "patch") return `${major}.${minor}.${patch + 1}`;
  return version;
}

/** How big a step `to` is from `from`: none, patch, minor or major. */
export function bumpLevel(from, to) {
  const [a, b] = [parseVersion(from), parseVersion(to)];
  if (compareVersions(from, to) > 0) {
    throw new GateSetupError(`package.json's version ${to} is lower than the last release ${from}.`);
  }
  if (b[0] !== a[0]) return "major";
  if (b[1] !== a[1]) return "minor";
  if (b[2] !== a[2]) return "patch";
  return "none";
}

// ---------------------------------------------------------------------------------------------
// Inputs

async function readJson(path, what, hint = "") {
  let text;
  try {
    text = await readFile(path, "utf8");
  } catch {
    throw new GateSetupError(`${what} (${path}) is missing.${hint ? ` ${hint}` : ""}`);
  }
  try {
    return { text, json: JSON.parse(text) };
  } catch (error) {
    throw new GateSetupError(`${what} (${path}) is not valid JSON: ${error.message}`);
  }
}

/** The checksum version.json keeps of the released contract (of its JSON value, not its bytes). */
export function contractChecksum(json) {
  return createHash("sha256").update(JSON.stringify(json)).digest("hex");
}

export async function readRelease(paths) {
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

const CHANGESET = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n([\s\S]*))?$/;
const CHANGESET_ENTRY = /^\s*(["']?)([^"':\s]+)\1\s*:\s*(major|minor|patch)\s*$/;

/**
 * Pending changesets: `.changeset/*.md` (README.md aside), in the format of @changesets/cli:
 *   ---
 *   "spirii-connector-contract": minor
 *   ---
 *   What changed, for consumers.
 */
export async function readChangesets(dir, packageName) {
  let names;
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const changesets = [];
  for (const file of names.filter((n) => n.endsWith(".md") && n.toLowerCase() !== "readme.md").sort()) {
    const text = await readFile(join(dir, file), "utf8");
    const where = `.changeset/${file}`;
    const m = CHANGESET.exec(text);
    if (!m) throw new GateSetupError(`${where} has no front matter (--- "${packageName}": major|minor|patch ---).`);
    const entries = (m[1] ?? "").split(/\r?\n/).filter((line) => line.trim() !== "");
    let level = "none";
    for (const line of entries) {
      const e = CHANGESET_ENTRY.exec(line);
      if (!e) throw new GateSetupError(`${where}: cannot read ${JSON.stringify(line)} (expected "${packageName}": major|minor|patch).`);
      if (e[2] !== packageName) throw new GateSetupError(`${where} names the package ${e[2]}; this repo publishes only ${packageName}.`);
      level = maxLevel(level, e[3]);
    }
    if (level === "none") throw new GateSetupError(`${where} declares no bump for ${packageName}.`);
    const summary = (m[2] ?? "").trim();
    if (!summary) throw new GateSetupError(`${where} says nothing: write what changed, for consumers, under the front matter.`);
    changesets.push({ file: join(dir, file), level, summary });
  }
  return changesets;
}

// ---------------------------------------------------------------------------------------------
// redocly diff

function run(command, args) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true", NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolvePromise({ code, stdout, stderr }));
  });
}

/** Strip redocly's boxed notices (e.g. the Node 20 deprecation box) from its stderr. */
const withoutBoxes = (text) =>
  text
    .split("\n")
    .filter((line) => !/^\s*[╔║╚]/.test(line) && line.trim() !== "")
    .join("\n");

/** Runs `redocly diff BASE REVISION` and returns its JSON report (report version 1). */
export async function redoclyDiff(basePath, revisionPath) {
  const { code, stdout, stderr } = await run(process.execPath, [
    REDOCLY_BIN, "diff", basePath, revisionPath,
    "--config", DIFF_CONFIG, "--lint-config", "off", "--format", "json", "--fail-on", "none",
  ]);
  let report;
  try {
    report = JSON.parse(stdout);
  } catch {
    report = undefined;
  }
  if (code !== 0 || !report) {
    throw new GateSetupError(`redocly diff failed (exit ${code}):\n${withoutBoxes(stderr) || stdout}`);
  }
  if (report.reportVersion !== "1" || !Array.isArray(report.changes)) {
    throw new GateSetupError(`redocly diff's JSON report has version ${report.reportVersion}; the gate reads version 1.`);
  }
  return report;
}

// ---------------------------------------------------------------------------------------------
// The document: JSON pointers, local $refs, where each schema is used.

const isObject = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
const asArray = (v) => (Array.isArray(v) ? v : []);
const escapePointer = (s) => String(s).replaceAll("~", "~0").replaceAll("/", "~1");
const unescapePointer = (s) => s.replaceAll("~1", "/").replaceAll("~0", "~");

function atPointer(doc, pointer) {
  if (typeof pointer !== "string" || !pointer.startsWith("#")) return undefined;
  let node = doc;
  for (const segment of pointer.slice(1).split("/").slice(1)) {
    if (typeof node !== "object" || node === null) return undefined;
    node = node[unescapePointer(segment)];
  }
  return node;
}

/** Follows local $refs (the bundled contract has only local ones). */
function deref(doc, node) {
  const seen = new Set();
  while (isObject(node) && typeof node.$ref === "string") {
    if (seen.has(node)) return undefined;
    seen.add(node);
    node = atPointer(doc, node.$ref);
  }
  return node;
}

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

function* operations(doc) {
  for (const [path, item0] of Object.entries(isObject(doc.paths) ? doc.paths : {})) {
    const item = deref(doc, item0);
    if (!isObject(item)) continue;
    for (const method of METHODS) if (isObject(item[method])) yield { path, method, item, op: item[method] };
  }
}

/** Keywords whose values are subschemas, and how they hold them. */
const SUBSCHEMAS = {
  properties: "map", patternProperties: "map", dependentSchemas: "map",
  items: "one", additionalProperties: "one", unevaluatedProperties: "one", unevaluatedItems: "one",
  contains: "one", propertyNames: "one", not: "one", if: "one", then: "one", else: "one",
  prefixItems: "list", allOf: "list",
  anyOf: "branches", oneOf: "branches",
};
const ANNOTATIONS = new Set([
  "title", "description", "examples", "example", "default", "deprecated", "readOnly", "writeOnly",
  "$comment", "externalDocs", "xml",
]);

function jsonType(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

/** Does `other` accept every value of `schema`'s type(s)? (Only a bare `{type}` or `{}` does.) */
function acceptsEveryValueOf(other, schema) {
  if (other === true) return true;
  if (!isObject(other) || !isObject(schema)) return false;
  if (Object.keys(other).some((k) => k !== "type" && !ANNOTATIONS.has(k) && !k.startsWith("x-"))) return false;
  if (other.type === undefined) return true;
  const accepted = [other.type].flat();
  const types = schema.type !== undefined ? [schema.type].flat() : [...new Set(asArray(schema.enum).map(jsonType))];
  return types.length > 0 && types.every((t) => accepted.includes(t) || (t === "integer" && accepted.includes("number")));
}

/**
 * Every schema reachable from an operation, with the directions it is used in and whether each use
 * is "open": a branch of an anyOf/oneOf whose sibling accepts every value of the branch's type.
 * Returns Map<schema object, Set<"request:true" | "request:false" | "response:true" | "response:false">>.
 */
export function schemaUsages(doc) {
  const usages = new Map();
  const visit = (node, direction, open) => {
    if (!isObject(node)) return;
    let seen = usages.get(node);
    if (!seen) usages.set(node, (seen = new Set()));
    const key = `${direction}:${open}`;
    if (seen.has(key)) return;
    seen.add(key);
    if (typeof node.$ref === "string") visit(atPointer(doc, node.$ref), direction, open);
    for (const [keyword, shape] of Object.entries(SUBSCHEMAS)) {
      const value = node[keyword];
      if (value === undefined) continue;
      if (shape === "one") visit(value, direction, false);
      else if (shape === "map") for (const child of Object.values(isObject(value) ? value : {})) visit(child, direction, false);
      else if (shape === "list") for (const child of asArray(value)) visit(child, direction, false);
      else {
        const branches = asArray(value);
        for (const child of branches) {
          const isOpen = branches.some((s) => s !== child && acceptsEveryValueOf(deref(doc, s), deref(doc, child)));
          visit(child, direction, isOpen);
        }
      }
    }
  };
  const visitContent = (content, direction) => {
    for (const mediaType of Object.values(isObject(content) ? content : {})) visit(deref(doc, mediaType)?.schema, direction, false);
  };
  for (const { item, op } of operations(doc)) {
    for (const p of [...asArray(item.parameters), ...asArray(op.parameters)].map((x) => deref(doc, x))) {
      if (!isObject(p)) continue;
      visit(p.schema, "request", false);
      visitContent(p.content, "request");
    }
    visitContent(deref(doc, op.requestBody)?.content, "request");
    for (const response of Object.values(isObject(op.responses) ? op.responses : {}).map((r) => deref(doc, r))) {
      if (!isObject(response)) continue;
      visitContent(response.content, "response");
      for (const header of Object.values(isObject(response.headers) ? response.headers : {}).map((h) => deref(doc, h))) {
        if (!isObject(header)) continue;
        visit(header.schema, "response", false);
        visitContent(header.content, "response");
      }
    }
  }
  return usages;
}

/** Every response header, keyed by operation, status and (case-insensitive) name. */
function responseHeaders(doc) {
  const headers = new Map();
  for (const { path, method, op } of operations(doc)) {
    for (const [status, response0] of Object.entries(isObject(op.responses) ? op.responses : {})) {
      const response = deref(doc, response0);
      for (const [name, header0] of Object.entries(isObject(response?.headers) ? response.headers : {})) {
        const header = deref(doc, header0);
        if (!isObject(header)) continue;
        headers.set(`${path} ${method} ${status} ${name.toLowerCase()}`, {
          name, status, method, path,
          required: header.required === true,
          location: `#/paths/${escapePointer(path)}/${method}/responses/${escapePointer(status)}/headers/${escapePointer(name)}`,
        });
      }
    }
  }
  return headers;
}

// ---------------------------------------------------------------------------------------------
// Rules added to redocly diff's

/** contract/response-header-no-longer-required: redocly diff does not see `required: true` go away. */
function headersNoLongerRequired(baseDoc, revisionDoc) {
  const after = responseHeaders(revisionDoc);
  const findings = [];
  for (const [key, before] of responseHeaders(baseDoc)) {
    const now = after.get(key);
    if (!before.required || !now || now.required) continue;
    findings.push({
      location: now.location,
      rule: "contract/response-header-no-longer-required",
      message: `Response header \`${before.name}\` of the ${before.status} response (${before.method.toUpperCase()} ${before.path}) is no longer required.`,
    });
  }
  return findings;
}

/**
 * Sections of `components` that openapi-typescript turns into named types. The package exports the
 * generated `paths` and `components` types, so their keys are names consumers compile against.
 */
const TYPED_COMPONENTS = ["schemas", "responses", "parameters", "requestBodies", "headers", "pathItems"];

/**
 * contract/generated-type-removed: a path key or a component name that disappears removes a type
 * consumers may use. redocly diff compares the resolved documents, so it rates a renamed component
 * schema as a patch and a renamed path parameter (`{uid}` to `{evseUid}`) as nothing that breaks.
 */
function generatedTypesRemoved(baseDoc, revisionDoc) {
  const findings = [];
  const keys = (value) => Object.keys(isObject(value) ? value : {});
  const revisionPaths = new Set(keys(revisionDoc.paths));
  for (const path of keys(baseDoc.paths)) {
    if (revisionPaths.has(path)) continue;
    findings.push({
      location: `#/paths/${escapePointer(path)}`,
      rule: "contract/generated-type-removed",
      message: `Path \`${path}\` is gone (renamed or removed), and with it the generated type \`paths["${path}"]\`.`,
    });
  }
  for (const section of TYPED_COMPONENTS) {
    const revisionNames = new Set(keys(revisionDoc.components?.[section]));
    for (const name of keys(baseDoc.components?.[section])) {
      if (revisionNames.has(name)) continue;
      findings.push({
        location: `#/components/${section}/${escapePointer(name)}`,
        rule: "contract/generated-type-removed",
        message: `Component \`${section}/${name}\` is gone (renamed or removed), and with it the generated type \`components["${section}"]["${name}"]\`.`,
      });
    }
  }
  return findings;
}

/** contract/open-enum: the direction in which each enum rule's verdict would be breaking. */
const ENUM_RULE_DIRECTIONS = { "enum-values-added": "response", "enum-values-removed": "request" };

function isOpenEnumChange(change, verdict, revisionDoc, usages) {
  const direction = ENUM_RULE_DIRECTIONS[verdict.ruleId];
  const pointer = change.revision?.pointer;
  if (!direction || change.property !== "enum" || typeof pointer !== "string") return false;
  const node = deref(revisionDoc, atPointer(revisionDoc, pointer.endsWith("/enum") ? pointer.slice(0, -"/enum".length) : pointer));
  const uses = usages.get(node);
  return !!uses && uses.has(`${direction}:true`) && !uses.has(`${direction}:false`);
}

// ---------------------------------------------------------------------------------------------
// Rating

function nodePointer(change) {
  const side = change.revision ?? change.base;
  let pointer = typeof side?.pointer === "string" ? side.pointer : change.path;
  const suffix = change.property === undefined ? undefined : `/${escapePointer(change.property)}`;
  if (suffix && pointer.endsWith(suffix)) pointer = pointer.slice(0, -suffix.length);
  return pointer;
}

const readablePointer = (pointer) =>
  pointer.replace(/^#\/?/, "").split("/").map(unescapePointer).join("/") || "(document)";

/** One line saying what changed, e.g. "changed `enum` of components/schemas/EvseStatus". */
export function describeChange(change) {
  const where = readablePointer(change.pointer);
  if (change.kind === "modified") return `changed \`${change.property}\` of ${where}`;
  return `${change.kind} ${where}`;
}

/** redocly diff plus the gate's rules, one direction. Returns the changes, each with what breaks. */
async function analyse(basePath, revisionPath, baseDoc, revisionDoc) {
  const report = await redoclyDiff(basePath, revisionPath);
  const usages = schemaUsages(revisionDoc);
  const changes = report.changes
    // info.version is the document's label, not part of the contract (redocly leaves it out of its bump too).
    .filter((c) => !(c.path === "#/info" && c.property === "version"))
    .map((c) => {
      const breaking = [];
      const notes = [];
      for (const verdict of c.verdicts ?? []) {
        if (verdict.impact !== "major") continue;
        if (isOpenEnumChange(c, verdict, revisionDoc, usages)) {
          notes.push(`${verdict.message} Not breaking: every use of this enum is an open anyOf/oneOf branch (contract/open-enum).`);
          continue;
        }
        breaking.push({ rule: verdict.ruleId, message: verdict.message });
      }
      return {
        kind: c.kind,
        path: c.path,
        property: c.property,
        pointer: nodePointer(c),
        basePointer: c.base?.pointer,
        revisionPointer: c.revision?.pointer,
        breaking,
        notes,
      };
    });
  for (const finding of headersNoLongerRequired(baseDoc, revisionDoc)) {
    const verdict = { rule: finding.rule, message: finding.message };
    const same = changes.find((c) => c.path === finding.location && c.property === "required");
    if (same) same.breaking.push(verdict);
    else changes.push({ kind: "modified", path: finding.location, property: "required", pointer: finding.location, breaking: [verdict], notes: [] });
  }
  for (const finding of generatedTypesRemoved(baseDoc, revisionDoc)) {
    const verdict = { rule: finding.rule, message: finding.message };
    const same = changes.find((c) => c.basePointer === finding.location);
    if (same?.breaking.length) continue; // already breaking (e.g. redocly's path-removed)
    if (same) same.breaking.push(verdict);
    else changes.push({ kind: "removed", path: finding.location, pointer: finding.location, basePointer: finding.location, breaking: [verdict], notes: [] });
  }
  return changes;
}

/**
 * Rates every change between two contracts for consumers.
 * Returns { required: "none" | "patch" | "minor" | "major", changes: [{ level, kind, path, property,
 * pointer, description, breaking: [{ rule, message }], notes }] }.
 */
export async function diffContracts({ basePath, revisionPath, baseDoc, revisionDoc }) {
  baseDoc ??= JSON.parse(await readFile(basePath, "utf8"));
  revisionDoc ??= JSON.parse(await readFile(revisionPath, "utf8"));
  const forward = await analyse(basePath, revisionPath, baseDoc, revisionDoc);
  // Minor or patch? A change is minor when undoing it would break consumers: diff in reverse
  // (needed only when some change is not already major).
  const reverse = forward.some((c) => c.breaking.length === 0)
    ? await analyse(revisionPath, basePath, revisionDoc, baseDoc)
    : [];
  const undoBreaks = reverse.filter((c) => c.breaking.length > 0);
  const changes = forward.map((c) => {
    const undone = undoBreaks.some(
      (r) =>
        (r.path === c.path && r.property === c.property) ||
        (r.basePointer !== undefined && r.basePointer === c.revisionPointer && r.revisionPointer === c.basePointer),
    );
    const level = c.breaking.length > 0 ? "major" : undone ? "minor" : "patch";
    return { level, ...c, description: describeChange(c) };
  });
  let required = maxLevel(...changes.map((c) => c.level));
  if (undoBreaks.length > 0) required = maxLevel(required, "minor");
  return { required, changes };
}

// ---------------------------------------------------------------------------------------------
// The gate

/**
 * The version decision, given the rated change: pure, no I/O.
 * declared = the larger of package.json's step from the last release and every pending changeset.
 */
export function decide({ required, releasedVersion, packageVersion, changesets }) {
  const fromPackage = bumpLevel(releasedVersion, packageVersion);
  const declared = maxLevel(fromPackage, ...changesets.map((c) => c.level));
  const ok = rank(declared) >= rank(required);
  const level = maxLevel(declared, required);
  let nextVersion = bumpVersion(releasedVersion, level);
  if (compareVersions(packageVersion, nextVersion) > 0) nextVersion = packageVersion;
  return { ok, exitCode: ok ? 0 : 1, required, declared, level, nextVersion };
}

/** Reads the inputs under `root`, rates the change and decides. Throws GateSetupError (exit 2). */
export async function evaluateGate({ root = REPO_ROOT } = {}) {
  const paths = contractPaths(resolve(root));
  const { json: pkg } = await readJson(paths.packageJson, "package.json");
  if (typeof pkg.name !== "string") throw new GateSetupError("package.json has no name.");
  parseVersion(pkg.version, "package.json's version");
  const release = await readRelease(paths);
  const { json: revisionDoc } = await readJson(
    paths.revision,
    "The built contract",
    "Run `npm run generate` (or `npm run build`) first.",
  );
  const changesets = await readChangesets(paths.changesets, pkg.name);
  bumpLevel(release.version, pkg.version); // fail fast, before running redocly
  const { required, changes } = await diffContracts({
    basePath: paths.released,
    revisionPath: paths.revision,
    baseDoc: release.doc,
    revisionDoc,
  });
  const decision = decide({ required, releasedVersion: release.version, packageVersion: pkg.version, changesets });
  const result = {
    ...decision,
    packageName: pkg.name,
    releasedVersion: release.version,
    packageVersion: pkg.version,
    changesets,
    changes,
    paths,
  };
  return { ...result, message: formatGate(result) };
}

const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** The report printed by `npm run diff`. */
export function formatGate(r) {
  const rel = (p) => relative(r.paths.root, p) || ".";
  const lines = [`Contract gate: ${rel(r.paths.revision)} against release ${r.releasedVersion} (${rel(r.paths.released)})`];
  if (r.changes.length === 0) lines.push("  no changes to the contract");
  const order = [...r.changes].sort((a, b) => rank(b.level) - rank(a.level));
  for (const c of order) {
    if (c.breaking.length === 0) lines.push(`  ${c.level.padEnd(5)}  ${c.description}`);
    for (const b of c.breaking) lines.push(`  major  ${b.message}  [${b.rule}] at ${readablePointer(c.pointer)}`);
    for (const note of c.notes) lines.push(`         (${note})`);
  }
  const sources = [
    r.packageVersion === r.releasedVersion ? `package.json ${r.packageVersion}` : `package.json ${r.releasedVersion} → ${r.packageVersion}`,
    r.changesets.length === 0 ? "no pending changesets" : `${plural(r.changesets.length, "pending changeset")} (${[...new Set(r.changesets.map((c) => c.level))].join(", ")})`,
  ];
  lines.push(`Required: ${r.required} · declared: ${r.declared} (${sources.join(", ")})`);
  if (r.ok) {
    lines.push(
      r.level === "none"
        ? `✔ Passed: nothing to release since ${r.releasedVersion}.`
        : `✔ Passed: the next release is ${r.level}, ${r.releasedVersion} → ${r.nextVersion} (npm run release).`,
    );
    return lines.join("\n");
  }
  const breaking = r.changes.filter((c) => c.level === "major");
  if (r.required === "major") {
    lines.push(
      `✖ FAILED: ${plural(breaking.length, "change")} above break${breaking.length === 1 ? "s" : ""} consumers, but the next release is declared as ${r.declared === "none" ? "no release at all" : `a ${r.declared} release`}:`,
      ...breaking.flatMap((c) => c.breaking.map((b) => `    - ${b.message} (${readablePointer(c.pointer)})`)),
      "  Either revert each of them (or make it backward compatible), or declare a major release that tells",
      "  consumers how to migrate:",
      '    npm run changeset -- major "What broke and how to migrate"',
    );
  } else {
    lines.push(
      `✖ FAILED: these changes need at least a ${r.required} release, but ${r.declared === "none" ? "none is declared" : `only a ${r.declared} release is declared`}.`,
      "  Declare it with a changeset, which also becomes the CHANGELOG entry:",
      `    npm run changeset -- ${r.required} "What changed, for consumers"`,
    );
  }
  return lines.join("\n");
}

// ---------------------------------------------------------------------------------------------
// CLI

const USAGE = "usage: node scripts/diff-contract.mjs [--root DIR] [--json]";

export async function main(argv) {
  let root = REPO_ROOT;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--json") json = true;
    else if (arg === "--root" && argv[i + 1] !== undefined) root = resolve(argv[++i]);
    else if (arg === "--help" || arg === "-h") {
      console.log(USAGE);
      return 0;
    } else {
      console.error(`Contract gate: unknown argument ${JSON.stringify(arg)}\n${USAGE}`);
      return 2;
    }
  }
  try {
    const result = await evaluateGate({ root });
    if (json) {
      const { paths, ...rest } = result;
      console.log(JSON.stringify(rest, null, 2));
    } else (result.ok ? console.log : console.error)(result.message);
    return result.exitCode;
  } catch (error) {
    if (!(error instanceof GateSetupError)) throw error;
    console.error(`Contract gate: set-up error\n  ${error.message}`);
    return 2;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error) => {
      console.error(error);
      process.exitCode = 2;
    },
  );
}
