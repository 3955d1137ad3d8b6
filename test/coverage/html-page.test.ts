// The HTML coverage page, opened offline in Chromium: it loads nothing but itself, and shows the
// percent and every item, the uncovered ones marked, without a click.
import { mkdirSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { coverageHtml } from "../../src/coverage/html.js";
import { createConnectorClient } from "../../src/index.js";
import { startMockServer, type ContractCoverage } from "../../src/testing/index.js";
import { GET_EVSE, UPDATE_CONNECTOR } from "../../src/contract.js";
import { createCoverageRecorder } from "../../src/coverage/index.js";
import { browserMissingReason, launchChromium } from "../docs/browser.js";

const screenshot = new URL("../../test-results/coverage-report.png", import.meta.url);
const missing = browserMissingReason();
if (missing && !process.env.CI) console.warn(`coverage page browser test skipped: ${missing}`);
const suite = missing && !process.env.CI ? describe.skip : describe;

/** What a consumer's small test suite makes the mock answer: a success, two errors, an invalid body. */
async function consumerRun(): Promise<ContractCoverage> {
  const mock = await startMockServer();
  try {
    const client = createConnectorClient({ apiKey: "test-key", baseUrl: mock.url, retry: false });
    const path = { uid: 123456, connectorId: 1 };
    await client.updateConnector(path, { standard: "IEC_62196_T2", format: "SOCKET", maxElectricPower: 22 });
    await client.updateConnector(path, { maxVoltage: 400 }, { headers: { Prefer: "code=404" } }).catch(() => undefined);
    await client.updateConnector(path, { maxVoltage: 400 }, { headers: { Prefer: "code=503" } }).catch(() => undefined);
    await fetch(`${mock.url}/v2/evses/123456/connectors/1`, {
      method: "PATCH",
      headers: { authorization: "Bearer test-key", "content-type": "application/json" },
      body: JSON.stringify({ standard: "Type2" }),
    });
    return mock.coverage();
  } finally {
    await mock.close();
  }
}

suite("the coverage HTML page, offline in Chromium", () => {
  let browser: Browser;
  let page: Page;
  let dir: string;
  let coverage: ContractCoverage;
  const requested: string[] = [];

  beforeAll(async () => {
    if (missing) throw new Error(missing);
    coverage = await consumerRun();
    dir = await mkdtemp(join(tmpdir(), "coverage-page-"));
    const file = join(dir, "coverage.html");
    await writeFile(file, coverageHtml(coverage, { sources: ["coverage/contract/worker-1.json"] }));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    await page.route("**/*", (route) => {
      requested.push(route.request().url());
      const { protocol } = new URL(route.request().url());
      return protocol === "file:" || protocol === "data:" ? route.continue() : route.abort();
    });
    await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
    mkdirSync(new URL(".", screenshot), { recursive: true });
    await page.screenshot({ path: screenshot.pathname, fullPage: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("loads only itself: no request leaves the file", () => {
    expect(requested.filter((url) => !url.startsWith("file:") && !url.startsWith("data:"))).toEqual([]);
    expect(requested).toHaveLength(1);
  });

  it("shows the percent, then per operation its percent and each kind's heading", async () => {
    const text = await page.locator("body").innerText();
    const pct = (p: number) => `${(Math.floor(p * 10) / 10).toFixed(1)}%`;
    expect(await page.locator("#percent").innerText()).toBe(pct(coverage.percent));
    expect(text).toContain(`${coverage.covered} of ${coverage.total} items covered`);
    const sections = page.locator("section.operation");
    expect(await sections.evaluateAll((all) => all.map((s) => (s as HTMLElement).dataset["operation"]))).toEqual(coverage.operations.map((o) => o.operation));
    for (const o of coverage.operations) {
      const heading = await page.locator(`section[data-operation="${o.operation}"] > h2`).innerText();
      expect(heading.replace(/\s+/g, " ")).toBe(`${o.operation} ${o.method} ${o.path} ${pct(o.percent)} ${o.covered} of ${o.total}`);
    }
    const own = await page.locator(`section[data-operation="${UPDATE_CONNECTOR.operationId}"]`).innerText();
    for (const heading of ["Statuses answered", "Request values sent", "Request rules broken", "Response values seen"]) expect(own).toContain(heading);
  });

  it("shows every uncovered item, marked, without a click", async () => {
    const id429 = `${UPDATE_CONNECTOR.operationId} status:429`;
    // Operation by operation, kind by kind: the order of the items.
    const uncovered = coverage.items.filter((i) => !i.covered).map((i) => i.id);
    expect(uncovered).toContain(id429);
    const shown = await page.locator("li.uncovered").evaluateAll((items) =>
      items.filter((li) => (li as HTMLElement).offsetParent !== null && li.getBoundingClientRect().height > 0).map((li) => (li as HTMLElement).dataset["id"]),
    );
    expect(shown).toEqual(uncovered);
    await expect(page.locator(`li[data-id="${id429}"]`).innerText()).resolves.toBe("✗ status:429 0×");
    const styles = await page.locator(`li[data-id="${id429}"]`).evaluate((li) => getComputedStyle(li).backgroundColor);
    const coveredStyles = await page.locator(`li[data-id="${UPDATE_CONNECTOR.operationId} status:200"]`).evaluate((li) => getComputedStyle(li).backgroundColor);
    expect(styles).not.toBe(coveredStyles);
    expect(await page.locator("li.covered").count()).toBe(coverage.covered);
  });
});

// The same page read as text, so that its structure is checked where no Chromium is installed.
describe("the coverage HTML page, as markup", () => {
  it("has per operation, in the contract's order, a heading with its percent, then one chip per item", () => {
    const recorder = createCoverageRecorder();
    recorder.record({ method: "GET", path: GET_EVSE.path.replace("{uid}", "1"), status: 404 });
    recorder.record({ method: "PATCH", path: "/nowhere/<b>?q=1", requestBody: {}, status: 404 });
    recorder.request({ standard: "CHADEMO" });
    const c = recorder.coverage();
    const page = coverageHtml(c, { sources: ["a.json"] });
    const sections = [...page.matchAll(/<section class="operation" data-operation="([^"]+)">\n<h2>([^\n]*)<\/h2>/g)];
    expect(sections.map((m) => m[1])).toEqual(c.operations.map((o) => o.operation));
    for (const [i, o] of c.operations.entries()) {
      const pct = `${(Math.floor(o.percent * 10) / 10).toFixed(1)}%`;
      expect(sections[i]![2]).toBe(`${o.operation} <code>${o.method} ${o.path}</code> <span class="pct">${pct}</span> <small>${o.covered} of ${o.total}</small>`);
    }
    const chips = [...page.matchAll(/<li class="(covered|uncovered)" data-id="([^"]+)"/g)].map((m) => `${m[1]} ${m[2]}`);
    expect(chips).toEqual(c.items.map((i) => `${i.covered ? "covered" : "uncovered"} ${i.id}`));
    expect(page).toContain(`<li class="covered" data-id="${GET_EVSE.operationId} status:404" title="${GET_EVSE.operationId} status:404">✓ status:404 <b>1×</b></li>`);
    // The request outside the contract is named, escaped.
    expect(page).toContain('<p class="outside" id="outside">Outside the contract (no operation for the method and path): 1 request: PATCH /nowhere/&lt;b&gt; ×1</p>');
    expect(page).not.toMatch(/<script|<link|https?:\/\//);
  });
});
