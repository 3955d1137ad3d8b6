// The README's consumer recipe ("Consumers: test against the mock"), as written there: its ts blocks
// are type-checked against the package's source, then run here as this file's own tests, with the
// package's names pointing at src/.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { compile, repoOptions, ROOT } from "../typescript.js";

/** The ```ts blocks of the README's consumer section. */
function recipeBlocks(): string[] {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const section = /### Consumers: test against the mock\n([\s\S]*?)\n### /.exec(readme)?.[1] ?? "";
  return [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? "");
}

const blocks = recipeBlocks();
const source = (code: string) =>
  code
    .replaceAll('from "spirii-connector-contract/testing"', `from ${JSON.stringify(join(ROOT, "src/testing/index.ts"))}`)
    .replaceAll('from "spirii-connector-contract"', `from ${JSON.stringify(join(ROOT, "src/index.ts"))}`);

it("the README's consumer section has the recipe, and it type-checks as a consumer's strict test file", () => {
  expect(blocks.length).toBeGreaterThanOrEqual(1);
  const files = Object.fromEntries(blocks.map((code, i) => [join(ROOT, `test/testing/__readme_consumer_${i + 1}__.ts`), code]));
  const options = { ...repoOptions(), paths: { "spirii-connector-contract": ["./src/index.ts"], "spirii-connector-contract/testing": ["./src/testing/index.ts"] } };
  expect(Object.fromEntries(compile([], options, { virtual: files }))).toEqual({});
}, 120_000); // one program with vitest's types: seconds when idle, far more on a loaded machine

// Each block runs as a module of this file: its beforeAll/afterAll/it calls register here.
for (const [i, code] of blocks.entries()) {
  const file = join(ROOT, `test/testing/__readme_consumer_run_${process.pid}_${i + 1}__.ts`);
  writeFileSync(file, source(code));
  try {
    await import(file);
  } finally {
    rmSync(file, { force: true });
  }
}
