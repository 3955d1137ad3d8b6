// README's verify section states what verify checks, how long a default run takes at the
// documented limit, and what each exit code means: generated here from the registry
// (src/testing/verify/checks.ts), the plan and src/cli/exit-codes.ts, so the prose cannot drift.
// `npx tsx scripts/readme-verify.ts` rewrites the blocks; test/testing/verify-readme.test.ts fails on drift.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { EXIT_MEANINGS } from "../src/cli/exit-codes.js";
import { OPERATIONS, type OperationId } from "../generated/operations.js";
import { CHECKS } from "../src/testing/verify/checks.js";
import { commandCases, CONSENT_BY_EFFECT, operationScopes } from "../src/testing/verify/family.js";
import { planCases } from "../src/testing/verify/plan.js";
import { documentedWritesPerMinute, estimatedSeconds, VERIFY_DEFAULTS } from "../src/testing/verify/verify.js";

export const README = join(import.meta.dirname, "..", "README.md");
const UNKNOWN_CASES = 2; // a connector and an EVSE that do not exist (added once the EVSE is read)

/** The generated blocks, by name. */
export async function verifyReadmeBlocks(): Promise<Record<string, string>> {
  const checks = ["| check | default | what it checks |", "| --- | --- | --- |", ...CHECKS.map((c) => `| \`${c.id}\` | ${c.severity} | ${c.checks} |`)].join("\n");
  const perMinute = documentedWritesPerMinute();
  // The commands beside the PATCH without consent: malformed bodies, and each sent for the EVSE read as absent.
  const commands = commandCases(operationScopes({}), { uid: 1, connectorId: 1 }, 2, undefined).length;
  const writes = (runs: number) => async () => (await planCases({ runs, seed: 1 })).length + UNKNOWN_CASES + 1 + commands;
  const [byDefault, fixedOnly] = [await writes(VERIFY_DEFAULTS.runs)(), await writes(0)()];
  const duration = [
    `At the documented limit of ${perMinute} writes a minute, a default run (\`--runs ${VERIFY_DEFAULTS.runs}\`) sends ${byDefault} writes (the restore and ${commands} harmless requests of the commands included) and`,
    `takes about ${estimatedSeconds(byDefault, perMinute)} s; \`--runs 0\` sends ${fixedOnly} and takes about ${estimatedSeconds(fixedOnly, perMinute)} s. Each write is read before and after (reads are not`,
    `capped). Against a provider on loopback there is no cap unless \`--max-writes-per-minute\` sets one.`,
  ].join("\n");
  const exits = ["| exit | meaning |", "| --- | --- |", ...EXIT_MEANINGS.map(([code, meaning]) => `| \`${code}\` | ${meaning} |`)].join("\n");
  // What verify sends for each operation, from the registry's effect and the consent it needs.
  const allowed = Object.fromEntries(Object.values(CONSENT_BY_EFFECT).map((c) => [c.option, true]));
  const withConsent = new Map(operationScopes(allowed).map((s) => [s.operationId, s]));
  const operations = [
    "| operation | effect | by default | with consent |",
    "| --- | --- | --- | --- |",
    ...operationScopes({}).map((s) => {
      const facts = OPERATIONS[s.operationId as OperationId];
      const byDefault = s.mode === "verified" ? "verified" : `only requests that cannot act (${s.reason})`;
      const consented = s.mode === "verified" ? "" : withConsent.get(s.operationId)?.mode === "verified" ? `verified${s.effect === "restorable" ? ", then put back from the baseline" : ""}` : "";
      return `| \`${s.operationId}\` (\`${facts.method} ${facts.path}\`) | ${s.effect} | ${byDefault} | ${consented} |`;
    }),
  ].join("\n");
  return { "verify-operations": operations, "verify-checks": checks, "verify-duration": duration, "verify-exit-codes": exits };
}

const begin = (name: string) => `<!-- generated: ${name} (npx tsx scripts/readme-verify.ts) -->`;
const end = (name: string) => `<!-- /generated: ${name} -->`;

/** The README with every block replaced by its generated text; throws when a block's markers are missing. */
export async function syncVerifyReadme(text: string): Promise<string> {
  let out = text;
  for (const [name, body] of Object.entries(await verifyReadmeBlocks())) {
    const from = out.indexOf(begin(name));
    const to = out.indexOf(end(name));
    if (from < 0 || to < from) throw new Error(`README.md: no block ${begin(name)} ... ${end(name)}`);
    out = `${out.slice(0, from)}${begin(name)}\n${body}\n${out.slice(to)}`;
  }
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const text = await readFile(README, "utf8");
  const synced = await syncVerifyReadme(text);
  if (synced !== text) await writeFile(README, synced);
  process.stdout.write(synced === text ? "README.md: verify blocks up to date\n" : "README.md: verify blocks rewritten\n");
}
