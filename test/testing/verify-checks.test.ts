// The registry of checks: stable unique ids, every check function filed under one of them, and the
// settings that tune one check without touching the others.
import { describe, expect, it } from "vitest";
import { applyCheckSettings, CHECK_IDS, checkSettingsProblems, parseCheckSetting } from "../../src/testing/verify/checks.js";
import { EXCHANGE_CHECKS, runExchangeChecks } from "../../src/testing/verify/exchange-checks.js";
import type { Finding, VerifyCase } from "../../src/testing/index.js";

const kase = (more: Partial<VerifyCase>): VerifyCase => ({ id: "x", kind: "valid", title: "t", body: {}, ...more });
const path = { uid: 1, connectorId: 1 };
const finding = (check: string): Finding => ({ check, severity: "violation", rule: "r", pointer: "", message: "m", source: "verify" });

describe("the registry of checks", () => {
  it("has unique ids, and every exchange check is one of them", () => {
    expect(new Set(CHECK_IDS).size).toBe(CHECK_IDS.length);
    for (const id of Object.keys(EXCHANGE_CHECKS)) expect(CHECK_IDS).toContain(id);
  });

  it.each([
    ["auth-not-ignored", kase({ kind: "auth", credentials: "none" }), 200, false],
    ["unknown-resource-404", kase({ kind: "unknown", address: { uid: 2, connectorId: 1 } }), 200, false],
    ["negative-data-rejected", kase({ kind: "invalid", breaks: { keyword: "type", pointer: "/x" } }), 200, false],
    ["not-a-server-error", kase({}), 500, false],
    ["key-not-echoed", kase({}), 400, true],
  ] as const)("%s finds its problem, and nothing in a right answer", (id, c, status, echoesKey) => {
    const found = runExchangeChecks({ kase: c, status, path, echoesKey }, () => "violation");
    expect(found.map((f) => f.check)).toContain(id);
    const right = c.kind === "unknown" ? 404 : c.kind === "auth" ? 401 : c.kind === "invalid" ? 400 : 200;
    expect(runExchangeChecks({ kase: c, status: right, path, echoesKey: false }, () => "violation")).toEqual([]);
  });

  it("--check turns one check off or sets its severity, leaving the others", () => {
    const findings = [finding("key-not-echoed"), finding("schema")];
    expect(applyCheckSettings(findings, { "key-not-echoed": "off" }).map((f) => f.check)).toEqual(["schema"]);
    expect(applyCheckSettings(findings, { schema: "notice" }).map((f) => f.severity)).toEqual(["violation", "notice"]);
  });

  it("rejects an unknown check or setting in words", () => {
    expect(parseCheckSetting("schema=warning")).toEqual(["schema", "warning"]);
    expect(parseCheckSetting("schema")).toMatch(/expected ID=off\|notice\|warning\|violation|not one of/);
    expect(parseCheckSetting("nope=off")).toMatch(/unknown check "nope"; the checks are responds,/);
    expect(checkSettingsProblems({ schema: "loud" })).toEqual(['check schema: "loud" is not one of off, notice, warning, violation']);
  });
});
