import { describe, expect, it } from "vitest";
import { checkBaseUrl } from "../../src/base-url.js";

describe("the one base-URL policy", () => {
  it("accepts https anywhere and http to loopback, without a trailing slash", () => {
    expect(checkBaseUrl("https://api.example.com/")).toMatchObject({ ok: true, href: "https://api.example.com", insecureHttp: false });
    expect(checkBaseUrl("http://[::1]:8080")).toMatchObject({ ok: true, href: "http://[::1]:8080", insecureHttp: false });
  });

  it("refuses http off loopback unless the caller allows it, and then says it is insecure", () => {
    expect(checkBaseUrl("http://provider:8080")).toMatchObject({ ok: false, problem: "insecure-http" });
    expect(checkBaseUrl("http://provider:8080", { allowInsecureHttp: true })).toMatchObject({ ok: true, insecureHttp: true });
  });

  it.each([
    ["api.spirii.com", "not-a-url"],
    ["ftp://api.spirii.com", "scheme"],
    ["https://user:pw@api.spirii.com", "credentials"],
    ["https://api.spirii.com/?key=sk_secret", "query"],
    ["https://api.spirii.com/v2", "path"],
    ["https://gw.example.com/spirii/", "path"],
    ["not a url?key=sk_secret", "not-a-url"],
  ])("refuses %s (%s) without quoting a query", (url, problem) => {
    const checked = checkBaseUrl(url, { allowInsecureHttp: true });
    expect(checked).toMatchObject({ ok: false, problem });
    expect(JSON.stringify(checked)).not.toContain("sk_secret");
  });

  it("never throws, whatever it is given", () => {
    for (const value of [undefined, null, 42, {}, Symbol.iterator.description]) expect(checkBaseUrl(value).ok).toBe(false);
  });
});
