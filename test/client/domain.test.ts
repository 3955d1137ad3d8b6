// The page's domain knowledge: the OCPP -> OCPI status table and the deletedAt format.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EVSE_STATUSES, OCPP_STATUSES, ocppToOcpiStatus, parseDeletedAt } from "../../src/index.js";
import { OCPP_TO_OCPI_STATUS } from "../../generated/values.js";

describe("ocppToOcpiStatus", () => {
  it("follows the contract's table for every OCPP status", () => {
    for (const [ocpp, ocpi] of Object.entries(OCPP_TO_OCPI_STATUS)) expect(ocppToOcpiStatus(ocpp)).toBe(ocpi);
    expect(OCPP_STATUSES).toEqual(Object.keys(OCPP_TO_OCPI_STATUS));
  });

  it("yields only EVSE statuses, and never the three without an OCPP counterpart", () => {
    const produced = new Set(OCPP_STATUSES.map((s) => ocppToOcpiStatus(s)));
    for (const status of produced) expect(EVSE_STATUSES).toContain(status);
    for (const status of ["PLANNED", "REMOVED", "UNKNOWN"]) expect(produced.has(status as never)).toBe(false);
  });

  it("throws on anything else instead of answering UNKNOWN (case-sensitive, no prototype keys)", () => {
    for (const input of ["available", "AVAILABLE", "", "toString", "__proto__", "Occupied"]) {
      expect(() => ocppToOcpiStatus(input)).toThrow(TypeError);
    }
    expect(() => ocppToOcpiStatus("Occupied")).toThrow(/"Occupied" is not an OCPP 1.6 connector status/);
  });
});

describe("parseDeletedAt", () => {
  it("reads the page's example as UTC", () => {
    expect(parseDeletedAt("2025-01-27 09:38:41")?.toISOString()).toBe("2025-01-27T09:38:41.000Z");
  });

  it("gives null for a live connector (null or absent)", () => {
    expect(parseDeletedAt(null)).toBeNull();
    expect(parseDeletedAt(undefined)).toBeNull();
  });

  it.each(["2025-01-27T09:38:41Z", "2025-01-27 09:38", "2025-02-30 00:00:00", "2025-01-27 24:00:00", "2025-01-27 09:60:00", " 2025-01-27 09:38:41", ""])(
    "refuses %j, naming the expected format",
    (value) => {
      expect(() => parseDeletedAt(value)).toThrow(/YYYY-MM-DD HH:MM:SS/);
    },
  );

  it("round-trips every second of a wide range", () => {
    fc.assert(
      fc.property(fc.date({ min: new Date("1970-01-01T00:00:00Z"), max: new Date("9999-12-31T23:59:59Z"), noInvalidDate: true }), (date) => {
        const whole = new Date(Math.floor(date.getTime() / 1000) * 1000);
        const text = whole.toISOString().slice(0, 19).replace("T", " ");
        expect(parseDeletedAt(text)?.getTime()).toBe(whole.getTime());
      }),
    );
  });
});
