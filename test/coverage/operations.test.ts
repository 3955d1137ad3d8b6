// Coverage works for any operation in the contract, with no code change: a copy of the bundled
// contract gains three operations (a POST with a nested, pattern-checked body and an open response
// enum; a templated GET and a literal GET beside it), and its items, attribution and recording follow.
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import bundled from "../../generated/openapi.json" with { type: "json" };
import { UPDATE_CONNECTOR } from "../../src/contract.js";
import { deriveContractItems } from "../../src/coverage/items.js";
import { createCoverageRecorder, type RequestValidator } from "../../src/coverage/recorder.js";
import { compileOperationMatcher } from "../../src/path-template.js";

const NOTE = {
  type: "object",
  required: ["text"],
  additionalProperties: false,
  properties: {
    text: { type: "string", maxLength: 10, pattern: "^[a-z]+$" },
    tags: { type: "array", items: { type: "object", properties: { kind: { enum: ["A", "B"] } } } },
    medium: { $ref: "#/components/schemas/NoteMedium" },
    // Named like the EVSE's connector field, with values no response has: it limits nothing there.
    status: { enum: ["DRAFT"] },
  },
};
const NOTE_ANSWER = {
  type: "object",
  required: ["id"],
  properties: {
    id: { type: "integer" },
    // A forward-compatible enum: the known values, and any other string.
    state: { anyOf: [{ enum: ["OPEN", "CLOSED"] }, { type: "string" }] },
    note: { type: ["string", "null"] },
  },
};
const error = { $ref: "#/components/responses/ServerError" };

const document = structuredClone(bundled) as typeof bundled & { paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } };
document.components.schemas["Note"] = NOTE;
document.components.schemas["NoteMedium"] = { type: "string", enum: ["PAPER", "SCREEN"] };
Object.assign(document.paths, {
  "/v2/notes": {
    post: {
      operationId: "postNote",
      requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/Note" } } } },
      responses: { "201": { description: "made", content: { "application/json": { schema: NOTE_ANSWER } } }, "400": { description: "bad" }, "5XX": error },
    },
  },
  "/v2/notes/{noteId}": { get: { operationId: "getNote", responses: { "200": { description: "one", content: { "application/json": { schema: NOTE_ANSWER } } }, "404": { description: "none" } } } },
  "/v2/notes/latest": { get: { operationId: "getLatestNote", responses: { "200": { description: "the latest" } } } },
});

const items = deriveContractItems(document);
const ajv = new Ajv2020({ allErrors: true, strict: false });
ajv.addSchema({ ...document, $id: "https://contract.test/openapi.json" });
const postNote = ajv.compile({ $ref: "https://contract.test/openapi.json#/components/schemas/Note" }) as RequestValidator;
const recorder = () => createCoverageRecorder({ contract: items, validators: new Map([["postNote", postNote]]) });
const idsOf = (operation: string, kind?: string) => items.definitions.filter((d) => d.operation === operation && (!kind || d.kind === kind)).map((d) => d.id);

describe("an operation added to the contract", () => {
  it("gets its items, after the operations before it, without touching theirs", () => {
    expect(items.operations.map((o) => `${o.method} ${o.path} ${o.operationId}`).slice(-3)).toEqual([
      "POST /v2/notes postNote",
      "GET /v2/notes/{noteId} getNote",
      "GET /v2/notes/latest getLatestNote",
    ]);
    expect(idsOf(UPDATE_CONNECTOR.operationId)).toEqual(deriveContractItems().definitions.filter((d) => d.operation === UPDATE_CONNECTOR.operationId).map((d) => d.id));
    expect(idsOf("postNote", "status")).toEqual(["postNote status:201", "postNote status:400", "postNote status:5XX"]);
    expect(idsOf("postNote", "request-field")).toEqual(["postNote request:text", "postNote request:tags", "postNote request:tags/kind", "postNote request:medium", "postNote request:status"]);
    expect(idsOf("postNote", "request-value")).toEqual([
      "postNote request:tags/kind=A",
      "postNote request:tags/kind=B",
      "postNote request:medium=PAPER",
      "postNote request:medium=SCREEN",
      "postNote request:status=DRAFT",
    ]);
    expect(idsOf("postNote", "rule")).toEqual([
      "postNote rule:type /",
      "postNote rule:additionalProperties /",
      "postNote rule:required /text",
      "postNote rule:type /text",
      "postNote rule:maxLength /text",
      "postNote rule:pattern /text",
      "postNote rule:type /tags",
      "postNote rule:type /tags/*",
      "postNote rule:enum /tags/*/kind",
      "postNote rule:type /medium",
      "postNote rule:enum /medium",
      "postNote rule:enum /status",
    ]);
    // The open enum's known values are its value items; an optional field's shapes, null where allowed.
    expect(idsOf("postNote", "response-value")).toEqual(["postNote response:201 state=OPEN", "postNote response:201 state=CLOSED"]);
    expect(idsOf("postNote", "response-field")).toEqual([
      "postNote response:201 state=present",
      "postNote response:201 state=absent",
      "postNote response:201 note=null",
      "postNote response:201 note=present",
      "postNote response:201 note=absent",
    ]);
    // A read without a request body has no request items, and a 200 without a body no response items.
    expect(idsOf("getNote").filter((id) => / (request|rule):/.test(id))).toEqual([]);
    expect(idsOf("getLatestNote")).toEqual(["getLatestNote status:200"]);
  });

  it("records its exchanges, found by method and path: fields, values, broken rules, statuses, values and shapes", () => {
    const r = recorder();
    expect(
      r.record({
        method: "POST",
        path: "/v2/notes",
        requestBody: { text: "Hello1", tags: [{ kind: "A" }, { kind: "Z" }], extra: 1 },
        status: 201,
        responseBody: { id: 1, state: "PARKED", note: null },
      }),
    ).toBe("postNote");
    expect(r.record({ method: "POST", path: "/v2/notes", requestBody: {}, status: 400 })).toBe("postNote");
    const c = r.coverage();
    expect(c.items.filter((i) => i.operation === "postNote" && i.covered).map((i) => `${i.id} ${i.count}`)).toEqual([
      "postNote status:201 1",
      "postNote status:400 1",
      "postNote request:text 1",
      "postNote request:tags 1",
      "postNote request:tags/kind 1",
      "postNote request:tags/kind=A 1",
      "postNote rule:additionalProperties / 1",
      "postNote rule:required /text 1",
      "postNote rule:pattern /text 1",
      "postNote rule:enum /tags/*/kind 1",
      // PARKED is not a known value: seen, not counted; the field was present.
      "postNote response:201 state=present 1",
      "postNote response:201 note=null 1",
    ]);
    expect(c.operations.find((o) => o.operation === "postNote")).toMatchObject({ method: "POST", path: "/v2/notes", covered: 12, total: idsOf("postNote").length });
    expect(c.items.filter((i) => i.operation !== "postNote" && i.covered)).toEqual([]);
  });

  it("routes a literal path before a template, and a method the path does not have to no operation", () => {
    const r = recorder();
    expect(r.record({ method: "GET", path: "/v2/notes/latest", status: 200 })).toBe("getLatestNote");
    expect(r.record({ method: "GET", path: "/v2/notes/17", status: 404 })).toBe("getNote");
    expect(r.record({ method: "PUT", path: "/v2/notes/17", status: 405 })).toBeUndefined();
    expect(r.coverage().outsideContract).toEqual({ count: 1, requests: [{ method: "PUT", path: "/v2/notes/17", count: 1 }] });
    // The same whichever order the contract lists them in.
    const match = compileOperationMatcher([
      { method: "GET", path: "/v2/notes/{noteId}" },
      { method: "GET", path: "/v2/notes/latest" },
    ]);
    expect(match("GET", "/v2/notes/latest")?.operation.path).toBe("/v2/notes/latest");
    expect(match("get", "/v2/notes/a%2Fb?x")?.params).toEqual({ noteId: "a/b" });
    expect(match("GET", "/v2/notes/")).toBeUndefined();
  });

  it("is refused when it has no operationId to name its items by", () => {
    const nameless = structuredClone(document);
    (nameless.paths as Record<string, unknown>)["/v2/anonymous"] = { get: { responses: { "200": { description: "ok" } } } };
    expect(() => deriveContractItems(nameless)).toThrow("contract: GET /v2/anonymous has no operationId (a name without spaces), which coverage items need");
  });
});
