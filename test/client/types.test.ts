// Compile-time guarantees: the README's client examples and the contract's TypeScript code samples
// (x-codeSamples, shown in the docs) compile against the package as written,
// and the public API rejects the usual mistakes. TypeScript itself reports an unused
// expect-error directive (TS2578), so a clean compile of the consumer proves every marked line is
// an error; one marked line compiled without its directive shows that the harness does fail.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { compile, repoOptions, ROOT } from "../typescript.js";

const CONSUMER = join(ROOT, "test/client/public-api.consumer.ts");
const MUTANT = join(ROOT, "test/client/__line_without_its_directive__.ts");
const DIRECTIVE = "// @ts-expect-error a standard outside the request enum (TESLA_S appears only in responses)";

/** The ```ts blocks of the README's "Use the client" section, then the operation family's example. */
function readmeExamples(): string[] {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  return ["use-the-client", "operation-family-example"].flatMap((name) => {
    const section = new RegExp(`<!-- section: ${name} -->([\\s\\S]*?)<!-- /section: ${name} -->`).exec(readme)?.[1] ?? "";
    expect(section, `README section ${name}`).not.toBe("");
    return [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? "");
  });
}

/** The TypeScript x-codeSamples of every operation of the bundled contract. */
function codeSamples(): string[] {
  const contract = JSON.parse(readFileSync(join(ROOT, "generated/openapi.json"), "utf8")) as { paths: Record<string, Record<string, { "x-codeSamples"?: { lang: string; source: string }[] }>> };
  return Object.values(contract.paths).flatMap((item) =>
    Object.values(item).flatMap((operation) => (operation["x-codeSamples"] ?? []).filter((sample) => sample.lang === "TypeScript").map((sample) => sample.source)),
  );
}

const examples = readmeExamples();
const exampleFiles = examples.map((_, i) => join(ROOT, `test/client/__readme_example_${i + 1}__.ts`));
const samples = codeSamples();
const sampleFiles = samples.map((_, i) => join(ROOT, `test/client/__code_sample_${i + 1}__.ts`));
let diagnostics: Map<string, string[]>;
let mutantLine: number;

beforeAll(() => {
  const consumer = readFileSync(CONSUMER, "utf8").split("\n");
  const index = consumer.findIndex((line) => line.trim() === DIRECTIVE);
  expect(index).toBeGreaterThanOrEqual(0);
  // The marked line without its directive, in a file of its own (a second copy of the whole
  // consumer would double the compile time).
  const mutant = ['import { createConnectorClient } from "../../src/index.js";', "const client = createConnectorClient({ apiKey: \"k\" });", "const path = { uid: 1, connectorId: 1 };", consumer[index + 1] ?? ""];
  mutantLine = mutant.length;
  const virtual: Record<string, string> = { [MUTANT]: mutant.join("\n") };
  examples.forEach((code, i) => {
    virtual[exampleFiles[i] ?? ""] = code;
  });
  samples.forEach((code, i) => {
    virtual[sampleFiles[i] ?? ""] = code;
  });
  // One program for everything: the compile is the slow part.
  diagnostics = compile([CONSUMER], repoOptions(), { virtual });
});

describe("types", () => {
  it("the README section has the examples, a 3-line update first", () => {
    expect(examples.length).toBeGreaterThanOrEqual(3);
    const code = examples[0]?.split("\n").filter((line) => line.trim() !== "" && !line.startsWith("import ")) ?? [];
    expect(code[0]).toMatch(/createConnectorClient\(\{ apiKey: process\.env\.SPIRII_API_KEY \}\)/);
    expect(code[1]).toMatch(/updateConnector\(/);
  });

  it("every README example compiles against the package", () => {
    for (const name of exampleFiles) expect({ name, errors: diagnostics.get(name) ?? [] }).toEqual({ name, errors: [] });
  });

  it("every operation's TypeScript code sample in the contract compiles against the package", () => {
    expect(samples.length).toBeGreaterThanOrEqual(2);
    expect(samples.some((code) => code.includes(".getEvse("))).toBe(true);
    for (const name of sampleFiles) expect({ name, errors: diagnostics.get(name) ?? [] }).toEqual({ name, errors: [] });
  });

  it("the strict consumer compiles: every @ts-expect-error marks a real error, every other line is fine", () => {
    expect(diagnostics.get(CONSUMER) ?? []).toEqual([]);
  });

  it("a marked line without its directive fails, naming the bad value", () => {
    const errors = diagnostics.get(MUTANT) ?? [];
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(new RegExp(`^${mutantLine}: .*"TESLA_S"`));
  });

  it("nothing else fails to compile", () => {
    expect([...diagnostics.keys()].filter((name) => name !== MUTANT)).toEqual([]);
  });
});
