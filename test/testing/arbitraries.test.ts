// The patch arbitraries are derived from the contract: valid ones pass the compiled validator,
// invalid ones fail it by exactly the rule they claim, and their values come from the contract.
import { Ajv2020 } from "ajv/dist/2020.js";
import * as fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CONNECTOR_UPDATE_FORMATS, CONNECTOR_UPDATE_STANDARDS, validateConnectorUpdate } from "../../src/index.js";
import { patchArbitraries } from "../../src/testing/arbitraries.js";
import { patchRules } from "../../src/testing/patch-model.js";

const { valid, invalid } = await patchArbitraries();

describe("patch rules read from the contract", () => {
  it("are the request schema's rules, not a hand-written copy", () => {
    const rules = patchRules();
    expect(rules.closed).toBe(true);
    expect(rules.minProperties).toBe(1);
    expect(rules.required).toEqual([]);
    const byName = Object.fromEntries(rules.fields.map((f) => [f.name, f]));
    expect(Object.keys(byName)).toEqual(["standard", "format", "maxElectricPower", "maxAmperage", "maxVoltage"]);
    expect(byName["standard"]?.enum).toEqual(CONNECTOR_UPDATE_STANDARDS);
    expect(byName["format"]?.enum).toEqual(CONNECTOR_UPDATE_FORMATS);
    expect(byName["maxVoltage"]?.lower).toEqual({ value: 0, exclusive: true, keyword: "exclusiveMinimum" });
  });

  it("refuse a constraint keyword they do not understand, instead of generating wrong patches", () => {
    const schema = { type: "object", properties: { evseId: { type: "string", pattern: "^[A-Z]{2}" } } };
    expect(() => patchRules(schema)).toThrow(/does not understand `pattern` at \/properties\/evseId/);
  });
});

describe("valid patches", () => {
  it("all pass the compiled 2020-12 validator", () => {
    fc.assert(fc.property(valid, (patch) => validateConnectorUpdate(patch).ok), { seed: 11, numRuns: 500 });
  });

  it("cover every listed standard and format, and nothing else", () => {
    const patches = fc.sample(valid, { seed: 12, numRuns: 600 });
    const standards = new Set(patches.map((p) => p.standard).filter((s) => s !== undefined));
    const formats = new Set(patches.map((p) => p.format).filter((s) => s !== undefined));
    expect([...standards].sort()).toEqual([...CONNECTOR_UPDATE_STANDARDS].sort());
    expect([...formats].sort()).toEqual([...CONNECTOR_UPDATE_FORMATS].sort());
  });

  it("are reproducible by seed", () => {
    expect(fc.sample(valid, { seed: 5, numRuns: 10 })).toEqual(fc.sample(valid, { seed: 5, numRuns: 10 }));
  });
});

describe("invalid patches", () => {
  it("each fail the compiled validator by the rule and at the pointer they claim", () => {
    fc.assert(
      fc.property(invalid, ({ body, breaks }) => {
        const result = validateConnectorUpdate(body);
        return !result.ok && result.issues.some((i) => i.keyword === breaks.keyword && i.path === breaks.pointer);
      }),
      { seed: 13, numRuns: 800 },
    );
  });

  it("break every kind of rule the request schema has", () => {
    const kinds = new Set(fc.sample(invalid, { seed: 14, numRuns: 800 }).map((p) => `${p.breaks.keyword} ${p.breaks.pointer.replace(/^\/(?!max|standard|format).*/, "/<unknown>")}`));
    for (const kind of [
      "type ", // the body is not an object
      "minProperties ",
      "additionalProperties /<unknown>",
      "enum /standard",
      "enum /format",
      "type /standard",
      "type /maxVoltage",
      "exclusiveMinimum /maxElectricPower",
      "exclusiveMinimum /maxAmperage",
      "exclusiveMinimum /maxVoltage",
    ]) {
      expect(kinds).toContain(kind);
    }
  });

  it("name the broken rule in words", () => {
    const [sample] = fc.sample(invalid.filter((p) => p.breaks.keyword === "exclusiveMinimum"), { seed: 15, numRuns: 1 });
    expect(sample?.description).toMatch(/^max\w+ = -?[\d.e+-]+, must be greater than 0$/);
  });
});

describe("the derivation is general, not tied to today's five fields", () => {
  // A made-up schema with rules ConnectorUpdate lacks: required, an inclusive bound, integers.
  const schema = {
    type: "object",
    additionalProperties: false,
    required: ["level"],
    properties: {
      level: { type: "integer", minimum: 1, maximum: 5 },
      label: { type: ["string", "null"] },
    },
  };
  const check = new Ajv2020({ allErrors: true }).compile(schema);

  it("generates valid and invalid objects for any schema it understands", async () => {
    const arbitraries = await patchArbitraries(patchRules(schema));
    fc.assert(fc.property(arbitraries.valid, (value) => check(value)), { seed: 16, numRuns: 300 });
    fc.assert(
      fc.property(arbitraries.invalid, ({ body, breaks }) => !check(body) && (check.errors ?? []).some((e) => e.keyword === breaks.keyword)),
      { seed: 17, numRuns: 300 },
    );
    const keywords = new Set(fc.sample(arbitraries.invalid, { seed: 18, numRuns: 300 }).map((p) => p.breaks.keyword));
    expect([...keywords].sort()).toEqual(["additionalProperties", "maximum", "minimum", "required", "type"]);
  });
});
