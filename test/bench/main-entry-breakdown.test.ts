// bench/main-entry-breakdown.ts on a tiny bundle of known modules (not the package): every module is
// listed once, a module's cost is what the bundle loses without it, and text shared by two modules
// is in neither's cost.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatBreakdown, mainEntryBreakdown, type Breakdown } from "../../bench/main-entry-breakdown.js";

// Text gzip cannot shrink much: deterministic, but without repeats.
const noise = (seed: number, length: number) => {
  let x = seed;
  let out = "";
  while (out.length < length) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    out += x.toString(36);
  }
  return out.slice(0, length);
};

describe("mainEntryBreakdown", () => {
  let dir: string;
  let breakdown: Breakdown;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "spirii-breakdown-"));
    const shared = noise(3, 2000);
    writeFileSync(join(dir, "big.js"), `export const big = () => ${JSON.stringify(noise(1, 4000))} + ${JSON.stringify(shared)};\n`);
    writeFileSync(join(dir, "small.js"), `export const small = () => ${JSON.stringify(noise(2, 400))} + ${JSON.stringify(shared)};\n`);
    writeFileSync(join(dir, "index.js"), 'export { big } from "./big.js";\nexport { small } from "./small.js";\n');
    breakdown = await mainEntryBreakdown({ entry: 'export * from "./index.js";', resolveDir: dir });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("lists every module with code once, costliest first", () => {
    expect(breakdown.modules.map((m) => m.module)).toEqual([expect.stringMatching(/big\.js$/), expect.stringMatching(/small\.js$/)]);
  });

  it("costs a module what the bundle loses without it: its own text, not the text it shares", () => {
    const [big, small] = breakdown.modules;
    // 4,000 characters of base-36 noise gzip to ~2.6 KB; the shared 2,000 stay with whichever module is left.
    expect(big!.bytes).toBeGreaterThan(2000);
    expect(big!.bytes).toBeLessThan(3500);
    expect(small!.bytes).toBeGreaterThan(150);
    expect(small!.bytes).toBeLessThan(600);
    expect(breakdown.total).toBeGreaterThan(big!.bytes + small!.bytes + 1000);
    expect(formatBreakdown(breakdown).at(-1)).toMatch(new RegExp(`^ *${breakdown.total - big!.bytes - small!.bytes} B  shared`));
  });
});
