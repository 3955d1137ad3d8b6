// 1. Client overhead with fetch stubbed in-process (openapi-fetch's own benchmark method), and
// 2. a loopback round trip against a minimal node:http server (in this process, so the CPU clock
// counts both ends of each call for the client and for raw fetch alike).
// Method (bench/measure.ts): the contenders alternate in short slices within interleaved rounds
// after a warm-up; a row's ratio is the median of its per-round ratios, its spread the lowest and
// highest round, and a budget inside the spread is "inconclusive".
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import createClient from "openapi-fetch";
import { UPDATE_CONNECTOR, createConnectorClient, type paths } from "../src/index.js";
import { FULL_PATCH, PAGE_EVSE_JSON } from "./fixtures.js";
import { compareThroughput, versus } from "./measure.js";
import type { Result } from "./result.js";

const BASE = "https://api.spirii.com";
const IDS = { uid: 123456, connectorId: 1 };
const concretePath = (base: string) => base + UPDATE_CONNECTOR.path.replace("{uid}", String(IDS.uid)).replace("{connectorId}", String(IDS.connectorId));

/** A fetch that answers at once with a fresh Response of the page's example (bodies are one-shot). */
const stubFetch = async (_input: Request | string | URL, _init?: RequestInit) =>
  new Response(PAGE_EVSE_JSON, { status: 200, headers: { "content-type": "application/json" } });

/** The hand-written baseline: one PATCH with `fetchFn`, checked and parsed, nothing else. */
async function handWrittenPatch(fetchFn: (url: string, init: RequestInit) => Promise<Response>, url: string): Promise<unknown> {
  const response = await fetchFn(url, {
    method: "PATCH",
    headers: { Authorization: "Bearer bench-key", "Content-Type": "application/json" },
    body: JSON.stringify(FULL_PATCH),
  });
  if (!response.ok) throw new Error(String(response.status));
  return response.json();
}

export async function clientOverhead(): Promise<Result[]> {
  const client = createConnectorClient({ apiKey: "bench-key", baseUrl: BASE, fetch: stubFetch, validateResponses: "off", retry: false });
  const strict = createConnectorClient({ apiKey: "bench-key", baseUrl: BASE, fetch: stubFetch, validateResponses: "strict", retry: false });
  const bare = createClient<paths>({ baseUrl: BASE, fetch: stubFetch, headers: { Authorization: "Bearer bench-key" } });
  const url = concretePath(BASE);
  const r = await compareThroughput({
    client: () => client.updateConnector(IDS, FULL_PATCH),
    clientStrict: () => strict.updateConnector(IDS, FULL_PATCH),
    openapiFetch: () => bare.PATCH(UPDATE_CONNECTOR.path, { params: { path: IDS }, body: FULL_PATCH }),
    fetch: () => handWrittenPatch(stubFetch, url),
  });
  return [
    {
      id: "client-overhead",
      name: "updateConnector, request validation on, response validation off (stubbed fetch)",
      unit: "ops/s",
      ...versus(r.client!, r.openapiFetch!),
      baseline: "bare openapi-fetch PATCH",
      better: "higher",
      budgetRatio: 0.8,
    },
    {
      id: "client-overhead-strict",
      name: "updateConnector, strict response validation (stubbed fetch)",
      unit: "ops/s",
      ...versus(r.clientStrict!, r.openapiFetch!),
      baseline: "bare openapi-fetch PATCH",
      better: "higher",
      budgetRatio: 0.9,
    },
    {
      id: "openapi-fetch-vs-fetch",
      name: "bare openapi-fetch PATCH (stubbed fetch)",
      unit: "ops/s",
      ...versus(r.openapiFetch!, r.fetch!),
      baseline: "hand-written fetch call",
      better: "higher",
    },
  ];
}

export async function loopbackRoundTrip(): Promise<Result[]> {
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(PAGE_EVSE_JSON) });
      res.end(PAGE_EVSE_JSON);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    // The client as a user gets it: default response validation, retries on (none happen here).
    const client = createConnectorClient({ apiKey: "bench-key", baseUrl: base });
    const url = concretePath(base);
    const r = await compareThroughput(
      {
        client: () => client.updateConnector(IDS, FULL_PATCH),
        fetch: () => handWrittenPatch(fetch, url),
      },
      { rounds: 21, roundMs: 300, warmupMs: 500 },
    );
    return [
      {
        id: "loopback-round-trip",
        name: "updateConnector over loopback HTTP, default options",
        unit: "ops/s",
        ...versus(r.client!, r.fetch!),
        baseline: "raw fetch over loopback HTTP",
        better: "higher",
        budgetRatio: 0.95,
      },
    ];
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}
