// The rendered docs (dist/docs/index.html, `npm run docs`) work offline: opened in headless
// Chromium with every non-file, non-loopback request blocked, they show what a reader needs.
import { existsSync, mkdirSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONNECTOR_FORMATS, CONNECTOR_UPDATE_STANDARDS, EVSE_STATUSES, UPDATE_CONNECTOR } from "../../src/index.js";
import { browserMissingReason, launchChromium } from "./browser.js";

const docs = new URL("../../dist/docs/index.html", import.meta.url);
const screenshot = new URL("../../test-results/docs.png", import.meta.url);
const missing = browserMissingReason();

// Locally a missing browser skips with the install command; under CI it is a failure, never a skip.
if (missing && !process.env.CI) console.warn(`docs browser test skipped: ${missing}`);
const suite = missing && !process.env.CI ? describe.skip : describe;

suite("the rendered API docs, offline in Chromium", () => {
  let browser: Browser;
  let page: Page;
  const blocked: string[] = [];
  let text = "";

  beforeAll(async () => {
    if (missing) throw new Error(missing);
    if (!existsSync(docs)) throw new Error(`${docs.pathname} does not exist: run \`npm run build\` (or \`npm run docs\`) first`);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.route("**/*", (route) => {
      const url = new URL(route.request().url());
      const local = url.protocol === "file:" || url.protocol === "data:" || url.protocol === "blob:" || ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
      if (local) return route.continue();
      blocked.push(url.href);
      return route.abort();
    });
    await page.goto(docs.href, { waitUntil: "load" });
    // Redoc collapses the tag's operations: expand them as a reader would, then open the operation.
    await page.getByText("+ Show").first().click();
    const heading = page.getByRole("heading", { name: "Updates a connector on an EVSE." });
    await heading.waitFor({ timeout: 15_000 });
    await heading.scrollIntoViewIfNeeded();
    // Open the 200 response so that the EVSE schema (with its status enum) is on the page.
    await page.getByRole("button", { name: /^200$/ }).first().click();
    await page.getByText("List of available connectors").first().waitFor({ timeout: 10_000 });
    await heading.evaluate((element) => element.scrollIntoView({ block: "start" }));
    mkdirSync(new URL(".", screenshot), { recursive: true });
    await page.screenshot({ path: screenshot.pathname, fullPage: false });
    text = await page.locator("body").innerText();
    // The request samples: switch from curl to this package's client.
    await page.getByRole("button", { name: "curl" }).first().click();
    await page.getByText("TypeScript client").first().click();
    await page.getByText("createConnectorClient").first().waitFor({ timeout: 10_000 });
    text += await page.locator("body").innerText();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it("renders the operation: summary, method and path", () => {
    expect(text).toContain("Updates a connector on an EVSE");
    expect(text).toMatch(/patch/i);
    expect(text).toContain(UPDATE_CONNECTOR.path);
  });

  it("shows every published enum value of the request and the EVSE status", () => {
    for (const value of [...CONNECTOR_UPDATE_STANDARDS, ...CONNECTOR_FORMATS, ...EVSE_STATUSES]) expect(text, value).toContain(value);
  });

  it("shows the reference page's example payloads", () => {
    // The response example, nested connector included, and the request example in the curl sample.
    for (const value of ["DK.12343*1", "58652fe8-d840-4aa4-bb4f-3ebd944df9d6", "NO_VOLTAGE_L2_L3", "2025-01-27 09:38:41"]) expect(text, value).toContain(value);
    expect(text).toContain('"standard":"CHADEMO","format":"SOCKET","maxElectricPower":22');
  });

  it("lists the error responses", () => {
    for (const status of ["400", "401", "403", "404", "409", "422", "429", "5XX"]) expect(text, status).toContain(status);
  });

  it("shows the code samples for curl and this package's client", () => {
    expect(text).toContain("curl --request PATCH");
    expect(text).toContain('import { createConnectorClient } from "spirii-connector-contract"');
  });

  it("needed nothing from the network", () => {
    // Redoc may try optional fetches (fonts); the page must work without them, and does (above).
    // Anything it tried is listed here so a regression that starts depending on a CDN shows up.
    expect(blocked.filter((url) => /\.js(\?|$)/.test(url))).toEqual([]);
  });
});
