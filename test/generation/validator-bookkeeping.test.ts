// Ajv2020 compiles into every validator the bookkeeping that only `unevaluatedProperties`,
// `unevaluatedItems` and the dynamic references need (which properties each subschema evaluated,
// the dynamic anchors passed down every call). The contract uses none of them, so generated/
// validators.js is compiled without it: smaller for every consumer of the main entry, less work per
// call. A contract that starts using one of those keywords must get it back, or Ajv would judge the
// keyword without the facts it needs.
import { execFile } from "node:child_process";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { operationValidators } from "../../generated/validators.js";

const root = new URL("../../", import.meta.url).pathname;
const BOOKKEEPING = /\.evaluated\b|dynamicAnchors/;

describe("generated/validators.js", () => {
  it("carries no bookkeeping for unevaluated* or dynamic references, which the contract does not use", async () => {
    const spec = await readFile(join(root, "generated/openapi.json"), "utf8");
    expect(spec).not.toMatch(/"(unevaluatedProperties|unevaluatedItems|\$dynamicRef|\$dynamicAnchor|\$recursiveRef|\$recursiveAnchor)"/);
    const code = await readFile(join(root, "generated/validators.js"), "utf8");
    expect(code.match(BOOKKEEPING)?.[0]).toBeUndefined();
  });

  it("still judges what the bookkeeping touched: closed bodies, nested objects, arrays of EVSEs", () => {
    const body = operationValidators.remoteStopTransaction.body;
    expect(body({ transactionId: 7 })).toBe(true);
    expect(body({ transactionId: 7, extra: 1 })).toBe(false);
    expect(body.errors).toEqual([expect.objectContaining({ keyword: "additionalProperties", params: { additionalProperty: "extra" } })]);
    const page = operationValidators.listEvses.responses["200"];
    expect(page({ data: [] })).toBe(true);
    expect(page({ data: [{ uid: "x" }] })).toBe(false);
    expect(page.errors?.some((e) => e.instancePath.startsWith("/data/0"))).toBe(true);
  });
});

// A copy of spec/ whose RemoteStop body is closed with unevaluatedProperties over an allOf: a field
// declared in the allOf is evaluated (allowed), any other is not. Judging that needs the bookkeeping.
const REMOTE_STOP = `title: RemoteStop
description: A test variant closed with unevaluatedProperties.
type: object
required:
  - transactionId
allOf:
  - properties:
      transactionId:
        type: integer
unevaluatedProperties: false
`;

describe("a contract that uses unevaluatedProperties", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "spirii-unevaluated-"));
    await cp(join(root, "spec"), join(dir, "spec"), { recursive: true });
    await writeFile(join(dir, "spec/components/schemas/RemoteStop.yaml"), REMOTE_STOP);
    await promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/generate.mjs", "--spec", join(dir, "spec/openapi.yaml"), "--dir", join(dir, "generated")], { cwd: root });
  }, 300_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("gets validators with the bookkeeping, which judge the keyword right", async () => {
    const code = await readFile(join(dir, "generated/validators.js"), "utf8");
    expect(code.match(BOOKKEEPING)?.[0]).toBeDefined();
    const { operationValidators: v } = await import(pathToFileURL(join(dir, "generated/validators.js")).href);
    expect(v.remoteStopTransaction.body({ transactionId: 7 })).toBe(true);
    expect(v.remoteStopTransaction.body({ transactionId: 7, extra: 1 })).toBe(false);
    expect(v.remoteStopTransaction.body.errors).toEqual([expect.objectContaining({ keyword: "unevaluatedProperties", params: { unevaluatedProperty: "extra" } })]);
  });
});
