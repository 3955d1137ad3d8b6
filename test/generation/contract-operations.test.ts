// scripts/contract-operations.ts is the scripts' one walk of the contract's operations and the one
// reading of the facts the registry states (idempotent, effect, rate-limit bucket): generation, the
// enum policy, the README's tables, the Markdown docs and the breaking-change gate all use it, so
// none of them can list or word an operation differently from generated/operations.ts.
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import contract from "../../generated/openapi.json" with { type: "json" };
import { OPERATIONS, RATE_LIMIT_BUCKETS } from "../../generated/operations.js";
import { derefLocal } from "../../src/contract-refs.js";
import { operationFacts, operationsOf, rateLimitBuckets } from "../../scripts/contract-operations.js";
import { markdownDocs, operationFile } from "../../scripts/docs-markdown.js";

type Doc = any;
interface ReadmeFields {
  operationTables(contract: { doc: Doc; operation: Doc; resolve: (doc: Doc, node: Doc) => Doc }): string;
}
/** scripts/readme-fields.mjs, typed here (scripts are plain JavaScript). */
const { operationTables } = (await import(pathToFileURL(join(import.meta.dirname, "../../scripts/readme-fields.mjs")).href)) as ReadmeFields;
const copy = (): Doc => structuredClone(contract);
const resolve = (doc: Doc, node: Doc) => derefLocal<Doc>(doc, node);
const patchOf = (doc: Doc) => doc.paths["/v2/evses/{uid}/connectors/{connectorId}"].patch;

/** A copy of the contract with a HEAD operation beside getEvse, stating no x-idempotent (HEAD implies it). */
function withHeadOperation(): Doc {
  const doc = copy();
  doc.paths["/v2/evses/{uid}"].head = {
    operationId: "headEvse",
    summary: "Whether an EVSE exists.",
    "x-effect": "read-only",
    "x-rate-limit-bucket": "read",
    responses: { "200": { description: "It exists." } },
  };
  return doc;
}

describe("the scripts' one walk of the contract's operations", () => {
  it("finds the registry's operations, in its order, with its methods, paths, parameters and facts", () => {
    const walked = operationsOf(copy());
    expect(walked.map((op) => op.operationId)).toEqual(Object.keys(OPERATIONS));
    for (const op of walked) {
      const registered = OPERATIONS[op.operationId as keyof typeof OPERATIONS];
      expect({ method: op.method, path: op.path }).toEqual({ method: registered.method, path: registered.path });
      expect(op.parameters.filter((p) => p.in === "path").map((p) => p.name)).toEqual(registered.pathParameters);
      expect(operationFacts(contract, op)).toEqual({ idempotent: registered.idempotent, effect: registered.effect, rateLimitBucket: registered.rateLimitBucket });
    }
    expect(rateLimitBuckets(contract)).toEqual(RATE_LIMIT_BUCKETS);
  });

  it("the README's tables list an operation under any method, idempotent as the registry's rule says (HEAD implies it)", () => {
    const doc = withHeadOperation();
    const tables = operationTables({ doc, operation: patchOf(doc), resolve });
    expect(tables).toContain("**`headEvse`** `HEAD /v2/evses/{uid}`: Whether an EVSE exists. Idempotent: yes; effect: read-only.");
  });

  it("the Markdown pages and llms.txt state what the registry states, and refuse an operation without its facts as generation does", () => {
    const doc = withHeadOperation();
    const files = markdownDocs(doc);
    expect(files[operationFile("headEvse")]).toContain("- Idempotent: yes (safe to retry");
    expect(files["llms.txt"]).toContain("`HEAD /v2/evses/{uid}`, Whether an EVSE exists. (read-only, idempotent, bucket `read`)");
    const unmarked = copy();
    delete unmarked.paths["/v2/evses/{uid}"].get["x-effect"];
    // Before, the page said "Effect: undefined".
    expect(() => markdownDocs(unmarked)).toThrow('getEvse (GET /v2/evses/{uid}) must state x-effect: one of read-only, restorable, physical, destructive (got undefined)');
    const unbucketed = copy();
    unbucketed.paths["/v2/evses/{uid}"].get["x-rate-limit-bucket"] = "reads";
    expect(() => markdownDocs(unbucketed)).toThrow(/getEvse \(GET \/v2\/evses\/\{uid\}\) must state x-rate-limit-bucket: one of spec\/openapi.yaml's x-rate-limit-buckets \(read, write, remote-control\), got "reads"/);
  });

  it("no other script keeps its own list of methods or reads the facts' extensions itself", async () => {
    const dir = join(import.meta.dirname, "../../scripts");
    const scripts = (await readdir(dir, { recursive: true, encoding: "utf8" })).filter((name) => /\.(m?js|ts)$/.test(name) && name !== "contract-operations.ts");
    expect(scripts).toEqual(expect.arrayContaining(["generate.mjs", "docs-markdown.ts", "enum-tables.mjs", "readme-fields.mjs", "gate/schema-graph.ts"]));
    for (const name of scripts) {
      const text = await readFile(join(dir, name), "utf8");
      expect(text, name).not.toMatch(/"trace"|\bMETHODS\b|\["x-idempotent"\]|\["x-effect"\]|\["x-rate-limit-buckets?"\]/);
    }
  });
});
