import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compile, repoOptions, ROOT } from "../typescript.js";

const consumer = join(ROOT, "test/types/generated-types.consumer.ts");

describe("a strict TypeScript consumer of the generated types", () => {
  it("compiles, and every @ts-expect-error line is a real error", () => {
    expect([...compile([consumer], repoOptions())]).toEqual([]);
  });

  it("would fail if a misuse compiled (the check can fail)", () => {
    // Drop one directive: the line under it must then be reported. The copy sits beside the
    // original, in memory only, so that its imports resolve the same way.
    const copy = join(ROOT, "test/types/__without_one_directive__.ts");
    const source = readFileSync(consumer, "utf8").replace("// @ts-expect-error a connector standard outside the request enum\n", "");
    const diagnostics = compile([], repoOptions(), { virtual: { [copy]: source } });
    expect([...diagnostics.keys()]).toEqual([copy]);
    expect(diagnostics.get(copy)).toHaveLength(1);
    expect(diagnostics.get(copy)?.[0]).toContain('"TESLA_S"');
  });
});
