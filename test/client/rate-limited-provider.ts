// A provider with a fixed-window rate limit, for updateConnectors' tests and the fleet-update
// benchmark: it applies a PATCH while the window has room and answers 429 beyond, and says so the
// way the contract documents: X-RateLimit-Limit/Remaining/Reset on every answer (Reset as epoch
// seconds, with milliseconds for windows shorter than a second) and Retry-After (whole seconds,
// rounded up) on a 429. Port 0 on 127.0.0.1; run as a script it prints its URL and serves
// GET /stats, so a benchmark can put it in another process.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import contract from "../../generated/openapi.json" with { type: "json" };

export interface ProviderStats {
  /** Writes applied. */
  applied: number;
  /** Answers of 429. */
  rejected: number;
  /** Applied writes per window, by window number from the start. */
  perWindow: Record<number, number>;
}

export interface RateLimitedProvider {
  url: string;
  stats: ProviderStats;
  /** The last patch applied to each connector, by "uid/connectorId". */
  connectors: Map<string, unknown>;
  close(): Promise<void>;
}

const PATH = /^\/v2\/evses\/(\d+)\/connectors\/(\d+)$/;
const EXAMPLE_EVSE = contract.components.examples.EvseReferencePage.value;

export async function startRateLimitedProvider({ limit, windowMs, sendHeaders = true }: { limit: number; windowMs: number; sendHeaders?: boolean }): Promise<RateLimitedProvider> {
  const started = Date.now();
  const stats: ProviderStats = { applied: 0, rejected: 0, perWindow: {} };
  const connectors = new Map<string, unknown>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      if (req.method === "GET" && req.url === "/stats") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(stats));
        return;
      }
      const match = PATH.exec(req.url ?? "");
      if (req.method !== "PATCH" || !match) {
        res.writeHead(404, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { message: "no such route" } }));
        return;
      }
      const now = Date.now();
      const window = Math.floor((now - started) / windowMs);
      const windowEnds = started + (window + 1) * windowMs;
      const used = stats.perWindow[window] ?? 0;
      const headers: Record<string, string> = sendHeaders
        ? { "x-ratelimit-limit": String(limit), "x-ratelimit-remaining": String(Math.max(0, limit - used - 1)), "x-ratelimit-reset": (windowEnds / 1000).toFixed(3) }
        : {};
      if (used >= limit) {
        stats.rejected++;
        res.writeHead(429, { "content-type": "application/json", "retry-after": String(Math.ceil((windowEnds - now) / 1000)), ...headers, "x-ratelimit-remaining": "0" });
        res.end(JSON.stringify({ error: { message: "Too many requests", code: "rate_limited" } }));
        return;
      }
      stats.perWindow[window] = used + 1;
      stats.applied++;
      connectors.set(`${match[1]}/${match[2]}`, JSON.parse(Buffer.concat(chunks).toString("utf8")));
      res.writeHead(200, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify({ ...EXAMPLE_EVSE, uid: Number(match[1]) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stats,
    connectors,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// As a script (the benchmark's other process): `--limit 20 --window-ms 1000`, prints the URL.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = (name: string, fallback: number) => {
    const at = process.argv.indexOf(name);
    return at === -1 ? fallback : Number(process.argv[at + 1]);
  };
  const provider = await startRateLimitedProvider({ limit: arg("--limit", 20), windowMs: arg("--window-ms", 1000) });
  process.stdout.write(`${provider.url}\n`);
  process.on("SIGTERM", () => void provider.close().then(() => process.exit(0)));
}
