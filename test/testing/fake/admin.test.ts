// The admin routes' guard, in-process (a test on loopback cannot be a non-loopback peer): a peer
// that is not loopback is refused unless the fake was started to allow it, and nothing is done.
import { describe, expect, it } from "vitest";
import { handleAdmin, isLoopback } from "../../../src/testing/fake/admin.js";
import { createEngine, checkFakeOptions } from "../../../src/testing/fake/engine.js";

const engine = () => createEngine(checkFakeOptions({ apiKeys: ["admin-secret"] }, "test"));
const call = (remoteAddress: string | undefined, method = "POST", url = "/__admin/faults", text = '{"status":503}') => ({ method, url, text, remoteAddress });

describe("the admin routes answer loopback only, unless allowed", () => {
  it.each(["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"])("%s is loopback", (address) => {
    expect(isLoopback(address)).toBe(true);
  });

  it.each(["10.0.0.5", "192.168.1.2", "::ffff:10.0.0.5", "fe80::1", "0.0.0.0", "1127.0.0.1", undefined])("%s is refused with 403 and the flag to allow it; nothing is queued", async (address) => {
    const fake = engine();
    const answer = await handleAdmin(fake, { remote: false, coverageFile: undefined }, call(address));
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body).error.message).toContain("start the fake with --admin-remote");
    expect(fake.describe().queuedFaults).toBe(0);
  });

  it("with remote allowed (--admin-remote), another peer is answered", async () => {
    const fake = engine();
    const answer = await handleAdmin(fake, { remote: true, coverageFile: undefined }, call("10.0.0.5"));
    expect([answer.status, fake.describe().queuedFaults]).toEqual([200, 1]);
  });

  it("the index and the state name no key", async () => {
    const fake = engine();
    for (const url of ["/__admin", "/__admin/state"]) {
      const answer = await handleAdmin(fake, { remote: false, coverageFile: undefined }, call("127.0.0.1", "GET", url, ""));
      expect(answer.status).toBe(200);
      expect(answer.body).not.toContain("admin-secret");
    }
  });
});
