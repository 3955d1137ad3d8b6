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

  it("rejects a switch over EvseStatus without a default, and accepts one with it (open response enums)", () => {
    const copy = join(ROOT, "test/types/__switch_without_default__.ts");
    const source = readFileSync(consumer, "utf8").replace(/\/\/ @ts-expect-error every known status handled but no default[^\n]*\n/, "");
    const diagnostics = compile([], repoOptions(), { virtual: { [copy]: source } });
    expect([...diagnostics.keys()]).toEqual([copy]);
    expect(diagnostics.get(copy)).toEqual([expect.stringMatching(/lacks ending return statement/)]);
    // The line reported is the switch without default, not `label` (which has one).
    const line = Number(diagnostics.get(copy)?.[0]?.split(":")[0]);
    expect(source.split("\n")[line - 1]).toContain("function labelWithoutDefault");
  });
});
