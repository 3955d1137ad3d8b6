// What a person reads after a run: verdict first, each broken rule once, warnings apart, and an
// honest restore line.
import { afterEach, describe, expect, it } from "vitest";
import { describeResult } from "../../src/cli/verify-output.js";
import { verifyProvider } from "../../src/testing/index.js";
import { FAKE_CONNECTOR_ID, FAKE_KEY, FAKE_UID, startFakeProvider, type FakeOptions, type FakeProvider } from "../fakes/provider.js";

const fakes: FakeProvider[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

async function resultText(options: FakeOptions, timeoutMs = 2_000) {
  const fake = await startFakeProvider(options);
  fakes.push(fake);
  const report = await verifyProvider({ baseUrl: fake.url, uid: FAKE_UID, connectorId: FAKE_CONNECTOR_ID, apiKey: FAKE_KEY, runs: 3, seed: 5, timeoutMs });
  return describeResult(report);
}

describe("the result a person reads", () => {
  it("groups a rule broken by many exchanges into one line, then shows the first failing exchanges", async () => {
    const text = await resultText({ breakage: "missing-required" });
    expect(text.trimStart().split("\n")[0]).toMatch(/^Result: the contract is VIOLATED\. 6 of 9 exchanges break it/);
    expect(text.match(/✗ required at \/evseId: is required \[contract\] \(6×, first in example:powerOnly\)/g)).toHaveLength(1);
    expect(text).toContain("Failing exchanges (first 5 of 6; all in --report-json):");
  });

  it("keeps warnings apart from violations and says why error bodies only warn", async () => {
    const text = await resultText({ breakage: "bare-error-bodies" });
    expect(text).toMatch(/Result: the contract HOLDS\. 9 exchanges, no violations, \d+ warnings/);
    expect(text).toContain("Warnings (reported, not failing):");
    expect(text).toContain("note: error bodies are judged as warnings: the error envelope is documented nearby, not certain");
  });

  it("names the field it could not put back and its value now", async () => {
    const text = await resultText({ readable: false });
    expect(text).toMatch(/Restore: put back standard="IEC_62196_T2", format="SOCKET", maxAmperage=16, maxVoltage=400 \(learned from the answers\)/);
    expect(text).toMatch(/Could NOT restore maxElectricPower: a patch changed it before any answer showed its earlier value\. It is now [\d.e+-]+ \(per the last answer\)/);
  });

  it("says when it stopped early and how much it did not send", async () => {
    const text = await resultText({ breakage: "hangs" }, 200);
    expect(text).toContain("Stopped early: stopped after 3 timeouts in a row: the provider is not answering; 5 requests were not sent.");
    expect(text).toContain("Restore FAILED: the provider did not accept the restoring patch. Set these values by hand:");
  });
});
