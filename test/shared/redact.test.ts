import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { REDACTED, createRedactor } from "../../src/redact.js";

const KEY = "sk_live_0123456789";

/** Every way a value can be shown: JSON, util.inspect (deep), String of each Error on the way. */
function shown(value: unknown): string {
  return [JSON.stringify(value, (_k, v: unknown) => (v instanceof Map ? [...v] : v instanceof Set ? [...v] : v instanceof Error ? { ...v, message: v.message, stack: v.stack, cause: v.cause } : v)), inspect(value, { depth: null, showHidden: false })].join("\n");
}

class Credentials {
  constructor(
    public token: string,
    public nested: { key: string },
  ) {}
  toJSON() {
    return { token: this.token };
  }
}

describe("the one redactor", () => {
  const redact = createRedactor(KEY);

  it("replaces the key in strings, property names, arrays and plain objects", () => {
    const out = redact.value({ [KEY]: [`Bearer ${KEY}`, { deep: { deeper: `x${KEY}y` } }], plain: "kept" });
    expect(shown(out)).not.toContain(KEY);
    expect(out).toEqual({ [REDACTED]: [`Bearer ${REDACTED}`, { deep: { deeper: `x${REDACTED}y` } }], plain: "kept" });
  });

  it("copies class instances as plain objects of their own fields, so a toJSON cannot bring the key back", () => {
    const out = redact.value(new Credentials(KEY, { key: KEY }));
    expect(out).toEqual({ token: REDACTED, nested: { key: REDACTED } });
    expect(shown(out)).not.toContain(KEY);
  });

  it("copies Errors with their message, stack, name, own fields and cause chain", () => {
    const inner = Object.assign(new TypeError(`inner ${KEY}`), { code: "E_KEY", headers: { authorization: `Bearer ${KEY}` } });
    const outer = new Error(`outer ${KEY}`, { cause: inner });
    const out = redact.error(outer);
    expect(out).toBeInstanceOf(Error);
    expect(out.message).toBe(`outer ${REDACTED}`);
    expect(out.stack).toContain(`outer ${REDACTED}`);
    const cause = out.cause as Error & { code: string; headers: unknown };
    expect(cause.name).toBe("TypeError");
    expect(cause.code).toBe("E_KEY");
    expect(cause.headers).toEqual({ authorization: `Bearer ${REDACTED}` });
    expect(shown(out)).not.toContain(KEY);
  });

  it("copies Maps and Sets, keys included", () => {
    const out = redact.value({ m: new Map([[KEY, KEY]]), s: new Set([KEY]) });
    expect([...out.m]).toEqual([[REDACTED, REDACTED]]);
    expect([...out.s]).toEqual([REDACTED]);
  });

  it("bounds cycles and depth, and never throws on hostile values", () => {
    const cyclic: Record<string, unknown> = { name: KEY };
    cyclic.self = cyclic;
    expect(redact.value(cyclic)).toEqual({ name: REDACTED, self: "[circular]" });

    let deep: Record<string, unknown> = { leaf: KEY };
    for (let i = 0; i < 1000; i++) deep = { child: deep };
    expect(shown(redact.value(deep))).not.toContain(KEY);

    const throwing = Object.defineProperty({}, "boom", { enumerable: true, get: () => { throw new Error(KEY); } });
    expect(redact.value(throwing)).toEqual({ boom: "[unreadable]" });
    const proxy = new Proxy({}, { ownKeys: () => { throw new Error("no"); } });
    expect(redact.value(proxy)).toBe("[unreadable]");
    expect(redact.error(42).message).toBe("42");
    expect(redact.error(undefined)).toBeInstanceOf(Error);
  });

  it("shows headers with Authorization redacted and the key gone from the rest", () => {
    const headers = new Headers({ Authorization: `Bearer ${KEY}`, "X-Echo": KEY, "Content-Type": "application/json" });
    expect(redact.headers(headers)).toEqual({ authorization: `Bearer ${REDACTED}`, "x-echo": REDACTED, "content-type": "application/json" });
    expect(createRedactor("").headers({ Authorization: "Basic abc" })).toEqual({ authorization: REDACTED });
  });

  it.each(["t", "1", "v2", "e", "/", ":", "x".repeat(4096)])("works with a key %j of any length, leaving values without it alone", (key) => {
    const r = createRedactor(key);
    const body = { message: `echo ${key} echo`, [key]: key };
    const out = r.value(body);
    expect(shown(out)).not.toContain(`echo ${key} echo`);
    expect(Object.keys(out)).not.toContain(key);
    // Nothing else to hide: a value without the key comes back equal.
    expect(r.value({ n: 5, ok: true, nil: null })).toEqual({ n: 5, ok: true, nil: null });
  });

  it("redacts nothing with no key", () => {
    const value = { a: "b" };
    expect(createRedactor(undefined).value(value)).toBe(value);
    expect(createRedactor("").text("abc")).toBe("abc");
  });
});
