import { writeFileSync, mkdtempSync, rmSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compile } from "./compile.js";

const consumer = new URL("./generated-types.consumer.ts", import.meta.url).pathname;

describe("a strict TypeScript consumer of the generated types", () => {
  it("compiles, and every @ts-expect-error line is a real error", () => {
    expect(compile([consumer])).toEqual([]);
  });

  it("would fail if a misuse compiled (the check can fail)", () => {
    // Drop one directive: the line under it must then be reported.
    const dir = mkdtempSync(join(tmpdir(), "spirii-types-"));
    try {
      const source = readFileSync(consumer, "utf8")
        .replace("// @ts-expect-error a connector standard outside the request enum\n", "")
        .replaceAll('"../../src/index.js"', JSON.stringify(new URL("../../src/index.js", import.meta.url).pathname));
      const copy = join(dir, "consumer.ts");
      writeFileSync(copy, source);
      const diagnostics = compile([copy]);
      expect(diagnostics).toHaveLength(1);
      expect(diagnostics[0]).toContain('"TESLA_S"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
