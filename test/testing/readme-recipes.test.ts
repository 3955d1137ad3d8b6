// The README shows the fake's recipe exactly as fake-recipe.test.ts runs it, so the recipe a
// consumer copies is one that passes.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const read = (path: string) => readFileSync(fileURLToPath(new URL(path, import.meta.url)), "utf8");

it("the README's fake recipe is fake-recipe.test.ts, with the package's import paths", () => {
  const section = /<!-- section: fake-recipe -->\n```ts\n([\s\S]*?)```\n<!-- \/section: fake-recipe -->/.exec(read("../../README.md"))?.[1];
  expect(section).toBeDefined();
  const test = read("./fake-recipe.test.ts")
    .replace(/^(\/\/.*\n)+/, "")
    .replaceAll('"../../src/index.js"', '"spirii-connector-contract"')
    .replaceAll('"../../src/testing/index.js"', '"spirii-connector-contract/testing"')
    .replaceAll('"../../src/testing/msw.js"', '"spirii-connector-contract/testing/msw"');
  expect(section).toBe(test);
});
