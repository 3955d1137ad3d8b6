// A provider that changes a connector other than the one under test: verify puts that connector
// back too (the same PATCH, paced, read back), or, when the provider refuses, names each of its
// fields with the value to set and exits 3 — in the CLI's output, the JSON report and error.restore.
import http from "node:http";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { runCli } from "../../src/cli/run.js";
import { loadPrism } from "../../src/testing/peers.js";
import { startFakeApi, verifyProvider, type FakeApi, type VerifyError, type VerifyOptions } from "../../src/testing/index.js";
import { FAKE_CONNECTOR_ID, FAKE_KEY, FAKE_UID, initialEvse } from "../fakes/provider.js";

/** What the provider does to connector 2 on every accepted PATCH of connector 1 (it read 125 before). */
const SIDE_EFFECT = { maxAmperage: 32 };
const OTHER = 2;

interface BuggyProvider {
  url: string;
  fake: FakeApi;
  /** PATCHes of connector 2 the provider received from verify (only a restore sends one). */
  patchesOfOther: number;
  close(): Promise<void>;
}

/**
 * The package's fake behind a relay that adds one bug: an accepted PATCH of connector 1 also sets
 * connector 2's maxAmperage. With `refusesOther`, it answers every PATCH of connector 2 with 409.
 */
async function startBuggyProvider(refusesOther: boolean): Promise<BuggyProvider> {
  const fake = await startFakeApi({ evses: [initialEvse() as never], apiKeys: [FAKE_KEY] });
  const otherPath = `/v2/evses/${FAKE_UID}/connectors/${OTHER}`;
  const underTestPath = `/v2/evses/${FAKE_UID}/connectors/${FAKE_CONNECTOR_ID}`;
  const provider: BuggyProvider = { url: "", fake, patchesOfOther: 0, close: async () => {} };
  const forward = (method: string, path: string, headers: http.IncomingHttpHeaders, body: string | undefined) =>
    fetch(new URL(path, fake.url), {
      method,
      headers: Object.fromEntries(["authorization", "content-type", "accept"].flatMap((h) => (typeof headers[h] === "string" ? [[h, headers[h] as string]] : []))),
      ...(body === undefined || method === "GET" ? {} : { body }),
    });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      void (async () => {
        const method = req.method ?? "GET";
        const path = req.url ?? "/";
        const body = Buffer.concat(chunks).toString("utf8");
        if (method === "PATCH" && path === otherPath) {
          provider.patchesOfOther++;
          if (refusesOther) {
            const refusal = { error: { type: "invalid_request_error", code: "conflict", message: "The connector is busy.", request_id: "req_relay" } };
            res.writeHead(409, { "content-type": "application/json" });
            res.end(JSON.stringify(refusal));
            return;
          }
        }
        const answer = await forward(method, path, req.headers, body);
        const text = await answer.text();
        if (method === "PATCH" && path === underTestPath && answer.ok) {
          const side = await forward("PATCH", otherPath, { authorization: `Bearer ${FAKE_KEY}`, "content-type": "application/json" }, JSON.stringify(SIDE_EFFECT));
          if (!side.ok) throw new Error(`the relay's side effect failed: ${side.status}`);
        }
        const headers: Record<string, string> = {};
        answer.headers.forEach((value, name) => {
          if (name === "content-type" || name === "retry-after" || name.startsWith("x-ratelimit")) headers[name] = value;
        });
        res.writeHead(answer.status, headers);
        res.end(text);
      })().catch((error: unknown) => {
        res.writeHead(500, { "content-type": "text/plain" });
        res.end(String(error));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  provider.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  provider.close = async () => {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    await fake.close();
  };
  return provider;
}

const providers: BuggyProvider[] = [];
afterEach(async () => {
  await Promise.all(providers.splice(0).map((p) => p.close()));
});
beforeAll(() => void loadPrism());
async function buggy(refusesOther: boolean): Promise<BuggyProvider> {
  const provider = await startBuggyProvider(refusesOther);
  providers.push(provider);
  return provider;
}

const optionsFor = (provider: BuggyProvider, more: Partial<VerifyOptions> = {}): VerifyOptions => ({
  baseUrl: provider.url,
  uid: FAKE_UID,
  connectorId: FAKE_CONNECTOR_ID,
  apiKey: FAKE_KEY,
  runs: 0,
  seed: 3,
  timeoutMs: 2_000,
  maxWritesPerMinute: 10_000_000,
  ...more,
});
const connectorOf = (provider: BuggyProvider, id: number) => provider.fake.evse(FAKE_UID)!.connectors.find((c) => c.id === id);

describe("verify puts back a connector other than the one under test", () => {
  it("when a PATCH of connector 1 also changed connector 2: connector 2 is patched back, read back, and the restore is complete", async () => {
    const provider = await buggy(false);
    const before = structuredClone(provider.fake.evse(FAKE_UID));
    const report = await verifyProvider(optionsFor(provider));
    // The bug itself is a violation of the run (wrong connector changed) ...
    expect(report.verdict).toBe("violated");
    expect(report.exchanges.flatMap((e) => e.findings).map((f) => f.rule)).toContain("wrong-connector");
    // ... and the EVSE is as verify found it: connector 2 too.
    expect(provider.fake.evse(FAKE_UID)).toEqual(before);
    const restoring = report.exchanges.filter((e) => e.case.kind === "restore" && e.case.address?.connectorId === OTHER);
    expect(provider.patchesOfOther).toBe(1);
    expect(restoring).toHaveLength(1);
    expect(restoring[0]!.case.body).toEqual({ maxAmperage: 125 });
    expect(report.restore).toMatchObject({
      complete: true,
      unrestorable: [],
      otherConnectors: [{ connectorId: OTHER, patch: { maxAmperage: 125 }, accepted: true, complete: true, toSet: {} }],
    });
    // Put back, so no longer listed as a difference left behind.
    expect(report.restore.differences.filter((d) => d.pointer.startsWith("/connectors/1/"))).toEqual([]);
  });

  it("when the provider refuses to put connector 2 back: the restore is incomplete and names connector 2's field with the value to set", async () => {
    const provider = await buggy(true);
    const report = await verifyProvider(optionsFor(provider, { restoreDeadlineMs: 5_000 }));
    expect(connectorOf(provider, OTHER)?.maxAmperage).toBe(32);
    expect(connectorOf(provider, FAKE_CONNECTOR_ID)).toEqual(initialEvse().connectors[0]);
    expect(provider.patchesOfOther).toBe(2); // refused twice: given up, not hammered until the deadline
    expect(report.restore).toMatchObject({
      complete: false,
      error: "the provider refused the restoring patch of connector 2 with 409",
      unrestorable: [{ connectorId: OTHER, field: "maxAmperage", valueToSet: 125, lastSeen: 32 }],
      otherConnectors: [{ connectorId: OTHER, patch: { maxAmperage: 125 }, accepted: false, complete: false, toSet: { maxAmperage: 125 } }],
    });
  });

  it("a run that ends in an error carries connector 2's field and value in error.restore", async () => {
    const provider = await buggy(true);
    let reads = 0;
    // An error inside the run after the examples went through (see verify-safety.test.ts).
    const signal = {
      get aborted() {
        if (++reads === 3) throw new TypeError("the signal broke");
        return false;
      },
      addEventListener() {},
      removeEventListener() {},
    } as unknown as AbortSignal;
    const failure = await verifyProvider(optionsFor(provider, { signal })).then(
      () => Promise.reject(new Error("verify should have failed")),
      (error: VerifyError) => error,
    );
    expect(failure.message).toBe("the signal broke");
    expect(failure.restore).toMatchObject({ complete: false, unrestorable: [{ connectorId: OTHER, field: "maxAmperage", valueToSet: 125 }] });
  });
});

describe("the CLI when connector 2 cannot be put back", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "spirii-contract-restore-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("exits 3 and names connector 2's field with the value to set, on screen and in the JSON report", async () => {
    const provider = await buggy(true);
    const json = join(dir, "verify.json");
    let stdout = "";
    vi.spyOn(process.stdout, "write").mockImplementation((chunk) => ((stdout += String(chunk)), true));
    vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    vi.stubEnv("SPIRII_API_KEY", FAKE_KEY);
    let code: number;
    try {
      code = await runCli(["verify", "--base-url", provider.url, "--uid", String(FAKE_UID), "--connector-id", String(FAKE_CONNECTOR_ID), "--runs", "0", "--seed", "3", "--max-writes-per-minute", "100000", "--restore-deadline-ms", "5000", "--report-json", json]);
    } finally {
      vi.restoreAllMocks();
      vi.unstubAllEnvs();
    }
    expect(code).toBe(3);
    expect(stdout).toContain(`Set connector ${OTHER} of EVSE ${FAKE_UID} back to: {"maxAmperage":125}`);
    expect(stdout).toMatch(/connector 2 maxAmperage: set to 125; it reads 32 now \(the provider refused the restoring patch of connector 2 with 409\)/);
    expect(stdout).toContain("Exit 3: a connector was not put back as it was");
    const report = JSON.parse(await readFile(json, "utf8"));
    expect(report.restore.unrestorable).toEqual([expect.objectContaining({ connectorId: OTHER, field: "maxAmperage", valueToSet: 125, lastSeen: 32 })]);
  });
});
