// The one JSON-pointer escape, $ref resolver and annotation list (src/json-pointer.ts,
// src/contract-refs.ts, src/schema-keywords.ts) that src, the tests and the scripts share.
import { describe, expect, it } from "vitest";
import { derefLocal, refTarget } from "../../src/contract-refs.js";
import { escapePointer, pointerFrom, unescapePointer, valueAtPointer } from "../../src/json-pointer.js";
import { isAnnotationKeyword } from "../../src/schema-keywords.js";

describe("JSON pointers (RFC 6901)", () => {
  it("escapes ~ before / and unescapes in the reverse order", () => {
    expect(escapePointer("a/b~c")).toBe("a~1b~0c");
    expect(unescapePointer("a~1b~0c")).toBe("a/b~c");
    // "~01" is "~1" escaped: it must come back as "~1", not "/".
    expect(unescapePointer(escapePointer("~1"))).toBe("~1");
    expect(pointerFrom(["paths", "/v2/evses/{uid}", 0])).toBe("/paths/~1v2~1evses~1{uid}/0");
    expect(pointerFrom([])).toBe("");
  });

  it("finds the value a pointer names, or undefined", () => {
    const doc = { "a/b": [{ "~": 1 }] };
    expect(valueAtPointer(doc, "")).toBe(doc);
    expect(valueAtPointer(doc, "/a~1b/0/~0")).toBe(1);
    expect(valueAtPointer(doc, "/a~1b/1/x")).toBeUndefined();
    expect(valueAtPointer(doc, "/a~1b/0/~0/deeper")).toBeUndefined();
  });
});

describe("local $refs", () => {
  const doc = {
    components: {
      schemas: {
        Evse: { type: "object" },
        Alias: { $ref: "#/components/schemas/Evse" },
        Loop: { $ref: "#/components/schemas/Loop" },
        Gone: { $ref: "#/components/schemas/Nowhere" },
        Remote: { $ref: "other.yaml#/Evse" },
      },
    },
  };

  it("follows references through aliases and leaves other nodes alone", () => {
    expect(derefLocal(doc, { $ref: "#/components/schemas/Alias" })).toBe(doc.components.schemas.Evse);
    expect(derefLocal(doc, "text")).toBe("text");
    expect(derefLocal(doc, undefined)).toBeUndefined();
    expect(refTarget(doc, "#")).toBe(doc);
    expect(refTarget(doc, "other.yaml#/x")).toBeUndefined();
  });

  it("names a reference that loops, points nowhere or is not local", () => {
    expect(() => derefLocal(doc, doc.components.schemas.Loop)).toThrow("contract: $ref cycle at #/components/schemas/Loop");
    expect(() => derefLocal(doc, doc.components.schemas.Gone)).toThrow("contract: $ref #/components/schemas/Nowhere points nowhere");
    expect(() => derefLocal(doc, doc.components.schemas.Remote)).toThrow("contract: only local $refs are expected, found other.yaml#/Evse");
  });
});

describe("annotation keywords", () => {
  it("are the describing keywords and x- extensions, never a constraint", () => {
    for (const keyword of ["title", "description", "examples", "default", "readOnly", "$comment", "x-provenance"]) {
      expect(isAnnotationKeyword(keyword), keyword).toBe(true);
    }
    for (const keyword of ["type", "enum", "required", "minimum", "pattern", "additionalProperties", "$ref"]) {
      expect(isAnnotationKeyword(keyword), keyword).toBe(false);
    }
  });
});
