// README's verify section is generated from the registry of checks, the plan and the exit codes
// (scripts/readme-verify.ts): a check, a case or an exit code added without the README fails here.
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { EXIT_MEANINGS } from "../../src/cli/exit-codes.js";
import { CHECKS } from "../../src/testing/verify/checks.js";
import { README, syncVerifyReadme, verifyReadmeBlocks } from "../../scripts/readme-verify.js";

describe("README's verify section", () => {
  it("is what scripts/readme-verify.ts generates (run `npx tsx scripts/readme-verify.ts` after changing a check)", async () => {
    const text = await readFile(README, "utf8");
    expect(await syncVerifyReadme(text)).toBe(text);
  });

  it("lists every check of the registry with its default severity, and every exit code", async () => {
    const blocks = await verifyReadmeBlocks();
    for (const check of CHECKS) expect(blocks["verify-checks"]).toContain(`| \`${check.id}\` | ${check.severity} |`);
    for (const [code] of EXIT_MEANINGS) expect(blocks["verify-exit-codes"]).toContain(`| \`${code}\` |`);
    expect(blocks["verify-duration"]).toMatch(/At the documented limit of 120 writes a minute, a default run \(`--runs 20`\) sends \d+ writes/);
  });

  it("a drifted block is caught", async () => {
    const text = await readFile(README, "utf8");
    const drifted = text.replace("| `key-not-echoed` | violation |", "| `key-not-echoed` | warning |");
    expect(drifted).not.toBe(text);
    expect(await syncVerifyReadme(drifted)).toBe(text);
  });
});
