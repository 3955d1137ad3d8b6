import { describe, expect, it } from "vitest";
import { documentedStatusKey } from "../../src/documented-status.js";

describe("documentedStatusKey: which documented response a status falls under", () => {
  const keys = ["200", "404", "4XX", "5XX"];
  it("prefers the exact code over its range", () => {
    expect(documentedStatusKey(404, keys)).toBe("404");
    expect(documentedStatusKey(409, keys)).toBe("4XX");
    expect(documentedStatusKey(503, keys)).toBe("5XX");
  });
  it("falls back to default, and to nothing when neither is documented", () => {
    expect(documentedStatusKey(302, [...keys, "default"])).toBe("default");
    expect(documentedStatusKey(302, keys)).toBeUndefined();
    expect(documentedStatusKey(201, keys)).toBeUndefined();
  });
  it("takes a key as written", () => {
    expect(documentedStatusKey("5XX", keys)).toBe("5XX");
    expect(documentedStatusKey("200", keys)).toBe("200");
  });
});
