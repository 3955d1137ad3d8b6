// A transparent relay between Prism's proxy and the provider that records what the provider really
// sent. Prism alone is not enough to judge by: it replaces an upstream 501 with a mocked answer,
// turns a 200 with a non-JSON body into its own 500, and waits forever on a provider that hangs.
// The relay enforces the per-request deadline and keeps the raw status, headers and body.
import http from "node:http";
import { posix } from "node:path";
import { readCappedBody } from "../client/transport.js";
import { CONTRACT_ITEMS } from "../coverage/items.js";
import { sendHttp, type HttpOutcome } from "./http-exchange.js";
import type { RunningServer } from "./prism-server.js";

/** Marks each request with its case, so the relay can file the provider's answer under it. */
export const CASE_HEADER = "x-spirii-contract-case";

export interface RecordedExchange {
  /** The request as the provider received it (headers are not kept: they carry the API key). */
  request: { method: string; url: string; body: string };
  /**
   * The contract's operation for the request's method and path (by its path templates, as the mock
   * files its coverage), or undefined for a request the contract has no operation for.
   */
  operation: string | undefined;
  outcome: HttpOutcome;
}

export interface UpstreamRecorder extends RunningServer {
  /** The provider's answer to the request of `caseId`, removed from the recorder. */
  take(caseId: string): RecordedExchange | undefined;
}

// Headers that belong to one connection, not to the message (RFC 9110 section 7.6.1).
const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te", "trailer", "host", "content-length"]);

function forwardable(headers: http.IncomingHttpHeaders | Record<string, string | string[] | undefined>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || name === CASE_HEADER) continue;
    kept[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return kept;
}

/** Prism forwards a patch of a few hundred bytes; anything near this is not a request we relay. */
const MAX_REQUEST_BYTES = 1_048_576;

async function readBody(request: http.IncomingMessage): Promise<Buffer> {
  const { bytes, tooLarge } = await readCappedBody(request, MAX_REQUEST_BYTES, request.headers["content-length"]);
  if (tooLarge) throw new Error(`request body larger than ${MAX_REQUEST_BYTES} bytes`);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The provider's URL for a request path, under the base URL's own path (`http://host/api` + `/v2/...`). */
export function targetUrl(base: URL, requestPath: string): URL {
  const incoming = new URL(requestPath, "http://relay.invalid");
  const url = new URL(base);
  url.pathname = posix.join(base.pathname, incoming.pathname);
  url.search = incoming.search;
  return url;
}

export async function startUpstreamRecorder(options: { target: URL; timeoutMs: number }): Promise<UpstreamRecorder> {
  const recorded = new Map<string, RecordedExchange>();
  const server = http.createServer((request, response) => {
    relay(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { "content-type": "application/json" });
      response.end(JSON.stringify({ error: { message: `spirii-contract relay: ${String(error)}` } }));
    });
  });
  async function relay(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const body = await readBody(request);
    const url = targetUrl(options.target, request.url ?? "/");
    const method = request.method ?? "GET";
    const headers = { ...forwardable(request.headers), "accept-encoding": "identity", "content-length": String(body.length) };
    const outcome = await sendHttp({ method, url, headers, body, timeoutMs: options.timeoutMs });
    const caseId = request.headers[CASE_HEADER];
    if (typeof caseId === "string") {
      const operation = CONTRACT_ITEMS.attribute(method, new URL(request.url ?? "/", "http://relay.invalid").pathname)?.operationId;
      recorded.set(caseId, { request: { method, url: url.href, body: body.toString("utf8") }, operation, outcome });
    }
    if (outcome.kind === "answered") {
      response.writeHead(outcome.status, forwardable(outcome.headers));
      response.end(outcome.body);
    } else {
      // Prism needs some answer to finish its exchange; the recording says what really happened.
      const message = outcome.kind === "timeout" ? `no answer within ${outcome.timeoutMs} ms` : outcome.error;
      response.writeHead(outcome.kind === "timeout" ? 504 : 502, { "content-type": "application/json" });
      response.end(JSON.stringify({ error: { message: `spirii-contract relay: ${message}` } }));
    }
  }
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as { port: number };
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    take(caseId) {
      const exchange = recorded.get(caseId);
      recorded.delete(caseId);
      return exchange;
    },
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      })),
  };
}
