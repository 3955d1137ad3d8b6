// The validators are Standard Schemas: a consumer typed on @standard-schema/spec takes them with
// no adapter, infers the contract's types from them, and gets the same issues the validators list.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { StandardSchemaV1 } from "@standard-schema/spec";
import { describe, expect, it } from "vitest";
import * as api from "../../src/index.js";
import { validateConnectorPath, validateConnectorUpdate, validateEvse } from "../../src/index.js";
import { compile, repoOptions, ROOT } from "../typescript.js";
import { parseWith } from "./standard-schema.consumer.js";

const validators = Object.entries(api).filter(([name, value]) => name.startsWith("validate") && typeof value === "function");

/** Runs `~standard.validate` and returns its (synchronous) result. */
function standard(schema: StandardSchemaV1, value: unknown): StandardSchemaV1.Result<unknown> {
  const result = schema["~standard"].validate(value);
  if (result instanceof Promise) throw new Error("expected a synchronous result");
  return result;
}

describe("the validators as Standard Schemas", () => {
  it("every exported validator implements StandardSchemaV1 (version 1, our vendor name)", () => {
    expect(validators.map(([name]) => name).sort()).toEqual(["validateApiError", "validateConnectorPath", "validateConnectorUpdate", "validateEvse"]);
    for (const [name, validator] of validators) {
      expect({ name, version: (validator as StandardSchemaV1)["~standard"].version, vendor: (validator as StandardSchemaV1)["~standard"].vendor }).toEqual({ name, version: 1, vendor: "spirii-connector-contract" });
    }
  });

  it("a valid value comes back as the value, with no issues", () => {
    const patch = { maxVoltage: 400, standard: "IEC_62196_T2" };
    const result = standard(validateConnectorUpdate, patch);
    expect(result).toEqual({ value: patch });
    expect(result.issues).toBeUndefined();
  });

  it("an invalid value gets the validator's own issues, as { message, path } with array indices as numbers", () => {
    const evse = { uid: 1, evseId: "DK*1", chargeboxId: 1, status: "AVAILABLE", connectors: [{ id: "1", standard: "chademo" }] };
    const own = validateEvse(evse);
    expect(own.ok).toBe(false);
    const result = standard(validateEvse, evse);
    const issues = result.issues ?? [];
    expect(issues.length).toBe(own.ok ? 0 : own.issues.length);
    expect(issues.map((i) => i.message)).toEqual(own.ok ? [] : own.issues.map((i) => i.message));
    expect(issues).toContainEqual({ message: expect.stringContaining("must be one of"), path: ["connectors", 0, "standard"] });
  });

  it.each([
    ["an unknown field", { maxPower: 22 }, ["maxPower"], "is not a field the contract allows here"],
    ["an empty patch", {}, [], "must have at least 1 field(s)"],
    ["a number as a string", { maxVoltage: "400" }, ["maxVoltage"], "must be of type number"],
    ["a key with / and ~", { "a/b~c": 1 }, ["a/b~c"], "is not a field"],
  ])("%s: the path names the key, unescaped", (_name, patch, path, message) => {
    const issues = standard(validateConnectorUpdate, patch).issues ?? [];
    expect(issues).toContainEqual({ path, message: expect.stringContaining(message) });
  });

  it("not an object at all: one issue at the root", () => {
    expect(standard(validateConnectorPath, "123/1").issues).toEqual([{ path: [], message: expect.stringContaining("must be of type object") }]);
  });

  it("a generic Standard Schema consumer validates with them", async () => {
    await expect(parseWith(validateConnectorUpdate, { maxAmperage: 16 })).resolves.toEqual({ maxAmperage: 16 });
    await expect(parseWith(validateConnectorUpdate, { maxAmperage: 0 })).rejects.toThrow("maxAmperage: must be greater than 0, got 0");
    await expect(parseWith(validateConnectorPath, { uid: 1, connectorId: 0 })).rejects.toThrow("connectorId: must be 1 or more");
  });

  it("that consumer compiles, typed on @standard-schema/spec, with the contract's types inferred", () => {
    const consumer = join(ROOT, "test/shared/standard-schema.consumer.ts");
    expect(Object.fromEntries(compile([consumer], repoOptions()))).toEqual({});
    // A whole program over src/ and the spec's types: seconds of CPU, more on a busy machine.
  }, 120_000);

  it("the compile check can fail: without a @ts-expect-error, its line is an error", () => {
    const copy = join(ROOT, "test/shared/__standard_schema_without_directive__.ts");
    const source = readFileSync(join(ROOT, "test/shared/standard-schema.consumer.ts"), "utf8").replace("// @ts-expect-error ids are numbers\n", "");
    const diagnostics = compile([], repoOptions(), { virtual: { [copy]: source } });
    expect([...diagnostics.keys()]).toEqual([copy]);
  }, 120_000);
});


