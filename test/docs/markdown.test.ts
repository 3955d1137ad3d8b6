// The Markdown per operation and the llms.txt index (scripts/docs-markdown.ts, run by `npm run docs`
// and so by `npm run build`): one page per operation of the contract, each naming every enum value,
// every documented status, the error envelope, the rate limit, idempotency and effect; the index
// links them all; and the TypeScript samples run against the package's fake.
import { mkdtemp, readFile, readdir, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { transform } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OPERATIONS } from "../../generated/operations.js";
import { derefLocal } from "../../src/contract-refs.js";
import { createConnectorClient } from "../../src/index.js";
import { startFakeApi, startMockServer, type FakeApi, type MockServer } from "../../src/testing/index.js";
import { main, markdownDocs, operationFile } from "../../scripts/docs-markdown.js";

const contract = JSON.parse(await readFile(new URL("../../generated/openapi.json", import.meta.url), "utf8"));
const files = markdownDocs(contract);
const ids = Object.keys(OPERATIONS) as (keyof typeof OPERATIONS)[];
const operationOf = (id: keyof typeof OPERATIONS) => contract.paths[OPERATIONS[id].path][OPERATIONS[id].method.toLowerCase()];

/** Every `enum` list reachable from a schema, following $refs (independent of how the script classifies them). */
function enumLists(node: unknown, seen = new Set<unknown>()): string[][] {
  const schema = derefLocal<Record<string, unknown>>(contract, node);
  if (!schema || typeof schema !== "object" || seen.has(schema)) return [];
  seen.add(schema);
  const out: string[][] = Array.isArray(schema.enum) ? [schema.enum.map(String)] : [];
  for (const [key, child] of Object.entries(schema)) {
    if (key === "enum" || key === "examples" || key === "example" || key === "default") continue;
    if (child && typeof child === "object") for (const c of Array.isArray(child) ? child : key === "properties" ? Object.values(child) : [child]) out.push(...enumLists(c, seen));
  }
  return out;
}

/** The request and response schemas of an operation (parameters, body, every response). */
function schemasOf(id: keyof typeof OPERATIONS): unknown[] {
  const operation = operationOf(id);
  const item = contract.paths[OPERATIONS[id].path];
  const params = [...(item.parameters ?? []), ...(operation.parameters ?? [])].map((p: unknown) => derefLocal<{ schema: unknown }>(contract, p).schema);
  const contents = [operation.requestBody, ...Object.values(operation.responses)].filter(Boolean).map((r) => derefLocal<{ content?: Record<string, { schema: unknown }> }>(contract, r).content ?? {});
  return [...params, ...contents.flatMap((c) => Object.values(c).map((m) => m.schema))];
}

describe("Markdown per operation", () => {
  it("has one page per operation of the registry, and nothing else", () => {
    expect(Object.keys(files).sort()).toEqual(["llms.txt", ...ids.map(operationFile)].sort());
  });

  it.each(ids)("%s: states method, path, idempotency, effect and rate-limit bucket", (id) => {
    const page = files[operationFile(id)]!;
    const facts = OPERATIONS[id];
    const operation = operationOf(id);
    expect(page.startsWith(`# ${id}: ${facts.summary}\n`)).toBe(true);
    expect(page).toContain(`\`${facts.method} ${facts.path}\``);
    expect(page).toContain(`- Idempotent: ${facts.idempotent ? "yes" : "no"}`);
    expect(page).toContain(`- Effect (\`x-effect\`): ${{ "read-only": "Read-only", restorable: "Restorable", physical: "Physical", destructive: "Destructive" }[facts.effect]}:`);
    const bucket = operation["x-rate-limit-bucket"];
    expect(bucket).toBeTypeOf("string");
    expect(page).toContain(`\`${bucket}\`, ${contract["x-rate-limit-buckets"][bucket].requestsPerMinute} requests a minute`);
    for (const header of ["X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "Retry-After"]) expect(page).toContain(`\`${header}\``);
  });

  it.each(ids)("%s: names every documented status, with the error envelope", (id) => {
    const page = files[operationFile(id)]!;
    for (const status of OPERATIONS[id].documentedStatuses) expect(page, status).toMatch(new RegExp(`^\\| ${status} \\| `, "m"));
    for (const field of ["error.type", "error.code", "error.message", "error.param", "error.request_id"]) expect(page).toContain(`| \`${field}\` |`);
  });

  it.each(ids)("%s: lists every enum value its request and answers can carry, and says whether it is open", (id) => {
    const page = files[operationFile(id)]!;
    const lists = schemasOf(id).flatMap((s) => enumLists(s));
    expect(lists.length, "an operation of this family without any enum").toBeGreaterThan(0);
    for (const values of lists) for (const value of values) expect(page, value).toContain(`\`${value}\``);
    // Open enums are said to be open, closed ones closed (the command answers are open; the availability type is closed).
    if (id === "unlockConnector") expect(page).toContain("- `UnlockStatus` (open): `Unlocked`, `UnlockFailed`, `NotSupported`");
    if (id === "changeConnectorAvailability") {
      expect(page).toContain("- `AvailabilityType` (closed): `Inoperative`, `Operative`");
      expect(page).toContain("- `AvailabilityChangeStatus` (open): `Accepted`, `Rejected`, `Scheduled`");
    }
    if (id === "remoteStopTransaction") expect(page).toContain("- `RemoteStopStatus` (open): `Accepted`, `Rejected`");
  });

  it("flattens nested fields with their paths and states the query's limits and serialisation", () => {
    expect(files[operationFile("getEvse")]).toContain("| `connectors[].error.errorCode` |");
    const list = files[operationFile("listEvses")]!;
    expect(list).toMatch(/\| `limit` \| integer \| no \| ≥ 1, ≤ 100, default 25 \|/);
    expect(list).toContain("Sent as `uids=a&uids=b` (inferred).");
    expect(list).toContain("| `data[].uid` |");
    expect(files[operationFile("unlockConnector")]).toContain("None: send no body.");
    expect(files[operationFile("remoteStopTransaction")]).toMatch(/\| `transactionId` \| integer \| yes \|/);
  });

  it("carries each operation's examples and code samples", () => {
    for (const id of ids) {
      const page = files[operationFile(id)]!;
      for (const sample of operationOf(id)["x-codeSamples"]) expect(page).toContain(sample.source.trimEnd());
      expect(page).toContain("## Examples");
    }
    expect(files[operationFile("unlockConnector")]).toContain('"message": "Charge box is not connected"');
  });
});

describe("llms.txt", () => {
  it("links every operation's page, with method, path, effect and idempotency", () => {
    const index = files["llms.txt"]!;
    expect(index.startsWith(`# ${contract.info.title}\n\n> `)).toBe(true);
    for (const id of ids) {
      const facts = OPERATIONS[id];
      expect(index).toContain(`- [${id}](${operationFile(id)}): \`${facts.method} ${facts.path}\`, ${facts.summary} (${facts.effect}, ${facts.idempotent ? "idempotent" : "not idempotent"}`);
    }
  });
});

describe("npm run docs writes them", () => {
  let out: string;
  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), "spirii-docs-md-"));
  });
  afterAll(() => rm(out, { recursive: true, force: true }));

  it("writes exactly the rendered files, and removes the page of an operation that is gone", async () => {
    await mkdir(join(out, "operations"), { recursive: true });
    await writeFile(join(out, "operations/removedOperation.md"), "stale");
    expect(await main(["--out", out])).toBe(0);
    expect((await readdir(join(out, "operations"))).sort()).toEqual(ids.map((id) => `${id}.md`).sort());
    for (const [name, text] of Object.entries(files)) expect(await readFile(join(out, name), "utf8"), name).toBe(text);
  });

  it("refuses an unknown option with its usage", async () => {
    expect(await main(["--outdir", out])).toBe(2);
  });

  it("is part of npm run docs (and so of npm run build)", async () => {
    const pkg = JSON.parse(await readFile(new URL("../../package.json", import.meta.url), "utf8"));
    expect(pkg.scripts.docs).toContain("scripts/docs-markdown.ts");
    expect(pkg.scripts.build).toContain("npm run docs");
  });
});

// The TypeScript samples, as published, run against the package's fake where it serves the
// operation, and against its mock (Prism, which answers every operation of the contract from its
// examples) otherwise: the import is bound to the package's client with the server's URL, so the
// sample's own code is what runs. A sample that calls a method the client does not have fails.
describe("the TypeScript code samples run against the fake or the mock", () => {
  const CLIENT_METHODS = new Set(Object.keys(createConnectorClient({ apiKey: "probe", baseUrl: "http://127.0.0.1:1" })));
  // The fake serves every operation of the contract (its handler has one implementation per
  // operationId, checked at compile time); the mock path stays for an operation it might not.
  const FAKE_SERVES = new Set<string>(ids);
  const samples = ids.flatMap((id) =>
    (operationOf(id)["x-codeSamples"] as { lang: string; source: string }[])
      .filter((s) => s.lang === "TypeScript")
      .map((s) => ({ id, source: s.source, method: /spirii\.(\w+)\(/.exec(s.source)?.[1] ?? "" })),
  );
  let fake: FakeApi | undefined;
  let mock: MockServer | undefined;
  afterAll(async () => {
    await fake?.close();
    await mock?.close();
  });

  it("every operation has a TypeScript sample that calls a client method", () => {
    expect(samples.map((s) => s.id).sort()).toEqual([...ids].sort());
    for (const s of samples) expect(CLIENT_METHODS.has(s.method), `${s.id} calls spirii.${s.method}, which the client does not have`).toBe(true);
  });

  it("runs the samples of at least the seed's operation", () => {
    expect(samples.filter((s) => CLIENT_METHODS.has(s.method)).map((s) => s.id)).toContain("updateConnector");
  });

  for (const sample of samples) {
    const where = FAKE_SERVES.has(sample.id) ? "fake" : "mock";
    it(`${sample.id}: the sample runs against the ${where}`, async () => {
      const importLine = 'import { createConnectorClient } from "spirii-connector-contract";';
      expect(sample.source).toContain(importLine);
      const { code } = await transform(sample.source.replace(importLine, ""), { loader: "ts", format: "esm" });
      const facts = OPERATIONS[sample.id];
      const sent: { method: string; status: number }[] = [];
      let baseUrl: string;
      if (where === "fake") {
        fake ??= await startFakeApi({ apiKeys: ["sample-key"] });
        fake.reset();
        baseUrl = fake.url;
      } else {
        mock ??= await startMockServer();
        baseUrl = mock.url;
      }
      // Counts what the sample sent and what it got; for the mock, a list answers with its last-page
      // example (the mock has no state, so its first-page example would point at itself forever).
      const recording = async (request: Request) => {
        const headers = new Headers(request.headers);
        if (facts.method === "GET" && new URL(request.url).pathname === facts.path && where === "mock" && sample.id === "listEvses") headers.set("Prefer", "example=lastPage");
        const response = await fetch(new Request(request, { headers }));
        sent.push({ method: request.method, status: response.status });
        return response;
      };
      const logged: unknown[][] = [];
      const AsyncFunction = (async () => {}).constructor as new (...args: string[]) => (...values: unknown[]) => Promise<void>;
      const run = new AsyncFunction("createConnectorClient", "process", "console", code);
      await run(
        (options: Parameters<typeof createConnectorClient>[0]) => createConnectorClient({ ...options, baseUrl, fetch: recording }),
        { env: { SPIRII_API_KEY: "sample-key" } },
        { log: (...args: unknown[]) => logged.push(args), warn: (...args: unknown[]) => logged.push(args) },
      );
      expect(sent.filter((r) => r.method === facts.method).length, "the sample sent nothing").toBeGreaterThan(0);
      expect(sent.every((r) => r.status < 400), JSON.stringify(sent)).toBe(true);
      expect(logged.length, "the sample printed nothing").toBeGreaterThan(0);
    }, 60_000);
  }
});
