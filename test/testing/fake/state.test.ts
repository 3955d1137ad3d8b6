// applyPatch: the fake's state rule as a pure function (evse-model's, verify's oracle, with a 404 guard).
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import type { Evse } from "../../../src/contract.js";
import { CONTRACT_PATH } from "../../../src/testing/contract-file.js";
import { applyPatch } from "../../../src/testing/fake/state.js";

const contract = JSON.parse(readFileSync(CONTRACT_PATH, "utf8"));
const TWO: Evse = contract.components.examples.EvseTwoAcConnectors.value;

it("sets the patched fields on that connector only, and changes neither input", () => {
  const evse = structuredClone(TWO);
  const patch = { maxAmperage: 10, format: "CABLE" as const };
  const [first, second] = evse.connectors;
  const after = applyPatch(evse, second!.id, patch);
  expect(after.connectors[1]).toEqual({ ...second, ...patch });
  expect(after.connectors[0]).toEqual(first);
  expect({ ...after, connectors: undefined }).toEqual({ ...evse, connectors: undefined });
  expect(evse).toEqual(TWO);
  expect(patch).toEqual({ maxAmperage: 10, format: "CABLE" });
  patch.maxAmperage = 99; // the result holds a copy of the patch
  expect(after.connectors[1]?.maxAmperage).toBe(10);
});

it("refuses a connector the EVSE does not have", () => {
  expect(() => applyPatch(TWO, 99, { maxAmperage: 10 })).toThrow(`applyPatch: EVSE ${TWO.uid} has no connector 99`);
});
