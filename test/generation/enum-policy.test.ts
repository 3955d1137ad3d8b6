// The contract's enum policy, checked by generation (scripts/enum-tables.mjs): every enum a response
// can carry is open (Spirii's versioning policy: new values are non-breaking), every enum a request can
// carry is closed, and an open enum is a component so that its known values get a constant.
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import contract from "../../generated/openapi.json" with { type: "json" };

type Doc = any;
interface EnumTables {
  assertEnumPolicy(doc: Doc): void;
  enumConstantLines(doc: Doc): string[];
}
/** scripts/enum-tables.mjs, typed here (scripts are plain JavaScript). */
const { assertEnumPolicy, enumConstantLines } = (await import(pathToFileURL(join(import.meta.dirname, "../../scripts/enum-tables.mjs")).href)) as EnumTables;
const copy = (): Doc => structuredClone(contract);

describe("the enum policy", () => {
  it("holds for the contract as it is", () => {
    expect(() => assertEnumPolicy(copy())).not.toThrow();
  });

  it("refuses a closed enum in a response, naming the operation, the field and the schema", () => {
    const doc = copy();
    const status = doc.components.schemas.EvseStatus;
    status.enum = status.anyOf[0].enum;
    delete status.anyOf;
    // Both operations that answer with an EVSE are named.
    expect(() => assertEnumPolicy(doc)).toThrow(/PATCH \/v2\/evses\/\{uid\}\/connectors\/\{connectorId\} 200 application\/json: status \(EvseStatus\) is a closed enum in a response/);
    expect(() => assertEnumPolicy(doc)).toThrow(/GET \/v2\/evses\/\{uid\} 200 application\/json: status \(EvseStatus\) is a closed enum/);
  });

  it("refuses an open enum in a request, and a response enum shared with a request", () => {
    const doc = copy();
    doc.components.schemas.ConnectorUpdate.properties.format = { $ref: "#/components/schemas/ConnectorFormat" };
    expect(() => assertEnumPolicy(doc)).toThrow(/request application\/json: format \(ConnectorFormat\) is an open enum in a request; requests are closed/);
  });

  it("refuses an inline open enum in a response (its values would have no constant)", () => {
    const doc = copy();
    doc.components.schemas.Connector.properties.parking = { type: "string", anyOf: [{ enum: ["FREE", "PAID"] }, { type: "string" }] };
    expect(() => assertEnumPolicy(doc)).toThrow(/connectors\.\[\]\.parking is an open enum written inline; make it a component schema/);
  });

  it("keeps a constant of the known values for open enums and of all values for closed ones", () => {
    const lines = enumConstantLines(copy()).join("\n");
    expect(lines).toContain('export const EVSE_STATUSES = ["AVAILABLE","BLOCKED","CHARGING","INOPERATIVE","OUTOFORDER","PLANNED","REMOVED","RESERVED","UNKNOWN"] as const;');
    expect(lines).toContain("The known `EvseStatus` values of the contract, in its order. Open: a response may carry another string.");
    expect(lines).toContain('export const CONNECTOR_UPDATE_FORMATS = ["SOCKET","CABLE"] as const;');
    expect(lines).toContain("The `ConnectorUpdateFormat` values of the contract, in its order. */");
  });
});
