// One HTTP exchange with a hard deadline covering headers and body, and no connection left behind
// (no keep-alive agent): what `verify` needs to stay bounded against a provider that hangs.
import http, { type IncomingHttpHeaders } from "node:http";
import https from "node:https";

export interface HttpRequestSpec {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string | Buffer;
  timeoutMs: number;
}

export type HttpOutcome =
  | { kind: "answered"; status: number; headers: IncomingHttpHeaders; body: Buffer; durationMs: number }
  | { kind: "timeout"; timeoutMs: number; durationMs: number }
  | { kind: "failed"; error: string; code: string | undefined; durationMs: number };

// A provider answering with more than this is broken in a way worth stopping for, not buffering.
const MAX_BODY_BYTES = 10 * 1024 * 1024;

export function sendHttp(spec: HttpRequestSpec): Promise<HttpOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const signal = AbortSignal.timeout(spec.timeoutMs);
  const client = spec.url.protocol === "https:" ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: HttpOutcome) => {
      if (settled) return;
      settled = true;
      resolve(outcome);
    };
    const fail = (error: Error & { code?: string }) =>
      settle(
        signal.aborted
          ? { kind: "timeout", timeoutMs: spec.timeoutMs, durationMs: elapsed() }
          : { kind: "failed", error: error.message, code: error.code, durationMs: elapsed() },
      );
    const request = client.request(
      spec.url,
      { method: spec.method, headers: spec.headers, agent: false, signal },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY_BYTES) {
            response.destroy(new Error(`response body larger than ${MAX_BODY_BYTES} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        response.on("error", fail);
        response.on("aborted", () => fail(new Error("the connection closed before the body ended")));
        response.on("end", () =>
          settle({ kind: "answered", status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks), durationMs: elapsed() }),
        );
      },
    );
    request.on("error", fail);
    request.end(spec.body);
  });
}
