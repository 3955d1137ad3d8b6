// createConnectorClient refuses options that would fail later or leak the key, with a message
// that says what to change.
import { describe, expect, it } from "vitest";
import { PRODUCTION_URL, SANDBOX_URL, SERVER_URLS, createConnectorClient, type ConnectorClientOptions } from "../../src/index.js";
import { API_KEY } from "./helpers.js";

const create = (options: Partial<ConnectorClientOptions>) => () => createConnectorClient({ apiKey: API_KEY, ...options });

describe("apiKey", () => {
  it.each([
    ["missing", undefined],
    ["empty", ""],
  ])("%s: names SPIRII_API_KEY", (_name, apiKey) => {
    expect(() => createConnectorClient({ apiKey })).toThrow(/apiKey is missing or empty.*SPIRII_API_KEY/);
  });

  it("no options at all (plain JavaScript) is the same clear error", () => {
    expect(() => (createConnectorClient as (o?: unknown) => unknown)()).toThrow(/SPIRII_API_KEY/);
  });

  it.each([
    ["a trailing newline", `${API_KEY}\n`, /whitespace/],
    ["the Bearer scheme", `Bearer ${API_KEY}`, /pass the key alone/],
    ["a non-string", 42, /must be a string/],
  ])("refuses %s", (_name, apiKey, message) => {
    expect(() => createConnectorClient({ apiKey: apiKey as string })).toThrow(message);
  });
});

describe("baseUrl", () => {
  it("defaults to production, and the constants come from the contract's servers", () => {
    expect(createConnectorClient({ apiKey: API_KEY }).baseUrl).toBe(PRODUCTION_URL);
    expect(PRODUCTION_URL).toBe(SERVER_URLS.production);
    expect(SANDBOX_URL).toBe(SERVER_URLS.sandbox);
  });

  it.each(["https://api.example.com", "http://localhost:4010", "http://127.0.0.1:1234", "http://127.8.9.10", "http://[::1]:8080", "https://gw.example.com/spirii/"])(
    "accepts %s",
    (baseUrl) => {
      expect(createConnectorClient({ apiKey: API_KEY, baseUrl }).baseUrl).toBe(baseUrl.replace(/\/$/, ""));
    },
  );

  it.each(["http://api.spirii.com", "http://10.0.0.1", "http://localhost.example.com", "http://[::2]", "http://128.0.0.1"])(
    "refuses plain http to %s: the key would travel in clear text",
    (baseUrl) => {
      expect(create({ baseUrl })).toThrow(/baseUrl http:\/\/.* is plain http to a host that is not loopback.*clear text/);
    },
  );

  it.each([
    ["not a URL", "api.spirii.com", /not an absolute URL/],
    ["another scheme", "ftp://api.spirii.com", /must use https/],
    ["credentials", "https://user:pw@api.spirii.com", /user name or password/],
    ["a query", "https://api.spirii.com?x=1", /query or fragment/],
  ])("refuses %s", (_name, baseUrl, message) => {
    expect(create({ baseUrl })).toThrow(message);
  });
});

describe("numbers and modes", () => {
  it.each([0, -1, 1.5, Number.NaN, 2 ** 31])("timeoutMs %s is refused (setTimeout would misread it)", (timeoutMs) => {
    expect(create({ timeoutMs })).toThrow(/timeoutMs must be a whole number/);
  });

  it("maxResponseBytes must be positive", () => {
    expect(create({ maxResponseBytes: 0 })).toThrow(/maxResponseBytes/);
  });

  it.each([{ maxAttempts: 0 }, { baseDelayMs: -1 }, { statuses: [200] }])("retry %o is refused", (retry) => {
    expect(create({ retry })).toThrow(/retry\./);
  });

  it("validateResponses must be a known mode", () => {
    expect(create({ validateResponses: "loud" as never })).toThrow(/"off", "report", "strict"/);
  });

  it("userAgent must not be empty", () => {
    expect(create({ userAgent: " " })).toThrow(/userAgent/);
  });
});
