// createConnectorClient refuses options that would fail later or leak the key, with a message
// that says what to change.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PRODUCTION_URL, SANDBOX_URL, SERVER_URLS, createConnectorClient, type ConnectorClientOptions } from "../../src/index.js";
import { BATCH_OPTIONS, CALL_OPTIONS, CLIENT_OPTIONS, CLIENT_OPTION_ADVICE, RETRY_OPTIONS } from "../../src/client/option-names.js";
import { closestOption } from "../../src/options.js";
import { MOCK_SERVER_OPTIONS } from "../../src/testing/mock-server.js";
import { startMockServer } from "../../src/testing/index.js";
import { API_KEY, PATH, failure } from "./helpers.js";

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

  it.each(["https://api.example.com", "https://api.example.com/", "http://localhost:4010", "http://127.0.0.1:1234", "http://127.8.9.10", "http://[::1]:8080"])(
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

  it.each([
    ["https://api.spirii.com/v2", "https://api.spirii.com"],
    ["https://api.spirii.com/v2/", "https://api.spirii.com"],
    ["http://127.0.0.1:4010/v2/evses", "http://127.0.0.1:4010"],
    ["https://gw.example.com/spirii/", "https://gw.example.com"],
  ])("refuses %s, a base URL with a path, with the origin to pass instead", (baseUrl, origin) => {
    expect(create({ baseUrl })).toThrow(`has a path, and the operation's whole path is appended to it`);
    expect(create({ baseUrl })).toThrow(`pass the origin alone: ${origin}.`);
  });

  it("says where a /v2 base URL would send: /v2/v2/...", () => {
    expect(create({ baseUrl: "https://api.spirii.com/v2" })).toThrow("(https://api.spirii.com/v2/v2/evses/{uid}/connectors/{connectorId})");
  });
});

describe("unknown option names fail closed, naming the one meant", () => {
  const createLoose = (options: Record<string, unknown>) => () => (createConnectorClient as (o: unknown) => unknown)({ apiKey: API_KEY, ...options });

  it.each([
    ["baseURL", "https://sandbox.example.com", 'unknown option "baseURL" (did you mean "baseUrl"?)'],
    ["timeout", 5_000, 'unknown option "timeout" (did you mean "timeoutMs"?)'],
    ["deadlineMS", 5_000, 'unknown option "deadlineMS" (did you mean "deadlineMs"?)'],
    ["validateResponse", "strict", 'unknown option "validateResponse" (did you mean "validateResponses"?)'],
    ["headers", {}, 'unknown option "headers" (it is an option of each call: client.updateConnector(path, patch, { headers }), client.getEvse(path, { headers }))'],
    ["concurrency", 8, 'unknown option "concurrency" (it is an option of the batch: client.updateConnectors(updates, { concurrency }))'],
    ["signal", new AbortController().signal, 'unknown option "signal" (it is an option of each call: client.updateConnector(path, patch, { signal }), client.getEvse(path, { signal }))'],
    ["verbose", true, 'unknown option "verbose" (the options are apiKey, baseUrl, fetch, timeoutMs'],
  ])("createConnectorClient refuses %s", (name, value, message) => {
    expect(createLoose({ [name]: value })).toThrow(TypeError);
    expect(createLoose({ [name]: value })).toThrow(message);
  });

  it("refuses a misspelt option even when its value is undefined, and names every unknown one at once", () => {
    expect(createLoose({ baseURL: undefined, timeout: 1 })).toThrow(/unknown option "baseURL" \(did you mean "baseUrl"\?\); unknown option "timeout" \(did you mean "timeoutMs"\?\)/);
  });

  it("never quotes an option's value (it may be a key)", () => {
    expect(createLoose({ apikey: API_KEY })).toThrow('unknown option "apikey" (did you mean "apiKey"?)');
    expect(createLoose({ apikey: API_KEY })).not.toThrow(API_KEY);
  });

  it("checks the names inside retry", () => {
    expect(createLoose({ retry: { maxRetries: 5 } })).toThrow('createConnectorClient: retry: unknown option "maxRetries" (did you mean "maxAttempts"?)');
    expect(createLoose({ retry: { maxDelay: 5 } })).toThrow('did you mean "maxDelayMs"?');
  });

  it("a call's unknown option is an invalid-request naming where it belongs, and nothing is sent", async () => {
    let sent = 0;
    const client = createConnectorClient({ apiKey: API_KEY, fetch: async () => { sent += 1; return new Response(null, { status: 599 }); } });
    const call = (options: Record<string, unknown>) => failure(client.updateConnector(PATH, { maxVoltage: 400 }, options as never));
    const retry = await call({ retry: false });
    expect(retry).toMatchObject({ kind: "invalid-request", attempts: 0, issues: [{ in: "options", path: "/retry", keyword: "additionalProperties" }] });
    expect(retry.message).toContain("options.retry is not an option here (it is a client option: createConnectorClient({ retry }))");
    expect((await call({ timeout: 100 })).message).toContain("options.timeout is not an option here (it is a client option: createConnectorClient({ timeoutMs }))");
    expect((await call({ header: { Prefer: "code=404" } })).message).toContain('options.header is not an option here (did you mean "headers"?)');
    expect((await call({ onProgress: () => undefined })).message).toContain("it is an option of the batch: client.updateConnectors(updates, { onProgress })");
    const read = await failure(client.getEvse({ uid: 123456 }, { retry: false } as never));
    expect(read).toMatchObject({ kind: "invalid-request", attempts: 0, issues: [{ in: "options", path: "/retry" }] });
    expect(read.message).toContain("createConnectorClient({ retry })");
    expect(sent).toBe(0);
  });

  it("the batch's unknown option is an invalid-request, and nothing is sent", async () => {
    let sent = 0;
    const client = createConnectorClient({ apiKey: API_KEY, fetch: async () => { sent += 1; return new Response(null, { status: 599 }); } });
    const error = await failure(client.updateConnectors([{ path: PATH, patch: { maxVoltage: 400 } }], { concurency: 2 } as never));
    expect(error).toMatchObject({ kind: "invalid-request", issues: [{ in: "options", path: "/concurency" }] });
    expect(error.message).toContain('options.concurency is not an option here (did you mean "concurrency"?)');
    const retry = await failure(client.updateConnectors([{ path: PATH, patch: { maxVoltage: 400 } }], { retry: false } as never));
    expect(retry.message).toContain("createConnectorClient({ retry })");
    expect(sent).toBe(0);
  });

  it("startMockServer refuses an unknown option before starting anything", async () => {
    await expect(startMockServer({ prot: 0 } as never)).rejects.toThrow('startMockServer: unknown option "prot" (did you mean "port"?)');
    await expect(startMockServer({ coverage: "c.json" } as never)).rejects.toThrow('did you mean "coverageFile"?');
    await expect(startMockServer(null as never)).rejects.toThrow("startMockServer: options must be an object");
  });

  it("closestOption finds casing, aliases, prefixes and small typos, and nothing for a name far from all", () => {
    expect(closestOption("BASE_URL", CLIENT_OPTIONS)).toBe("baseUrl");
    expect(closestOption("url", CLIENT_OPTIONS, CLIENT_OPTION_ADVICE.aliases)).toBe("baseUrl");
    expect(closestOption("userAgnet", CLIENT_OPTIONS)).toBe("userAgent");
    expect(closestOption("maxResponse", CLIENT_OPTIONS)).toBe("maxResponseBytes");
    expect(closestOption("colour", CLIENT_OPTIONS)).toBeUndefined();
    expect(closestOption("a", CALL_OPTIONS)).toBeUndefined();
  });
});

describe("the README's option tables list exactly the checked names", () => {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  /** The first column of the first table after `after` (a line of the README). */
  function tableAfter(after: string): string[] {
    const start = readme.indexOf(after);
    expect(start, `README has "${after}"`).toBeGreaterThanOrEqual(0);
    const lines = readme.slice(start).split("\n");
    const first = lines.findIndex((line) => line.startsWith("| option |"));
    const rows = [];
    for (const line of lines.slice(first + 2)) {
      if (!line.startsWith("|")) break;
      rows.push(/^\| `([^`]+)` \|/.exec(line)?.[1] ?? line);
    }
    return rows.sort();
  }

  it.each([
    ["### Options", CLIENT_OPTIONS],
    ["The third argument takes the options of the call", CALL_OPTIONS],
    ["`updateConnectors(updates, options?)`", BATCH_OPTIONS],
    ["`startMockServer(options?)`", MOCK_SERVER_OPTIONS],
  ])("after %s", (after, names) => {
    expect(tableAfter(after)).toEqual([...names].sort());
  });

  it("the retry row lists the names inside retry", () => {
    const row = readme.split("\n").find((line) => line.startsWith("| `retry` |")) ?? "";
    expect(/\{ ([^}]+) \}/.exec(row)?.[1]?.split(", ").sort()).toEqual([...RETRY_OPTIONS].sort());
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
