// A scriptable HTTP server on 127.0.0.1 and an ephemeral port, for the faults Prism cannot make:
// resets, stalls, malformed or oversized bodies, chosen statuses and headers. Each test starts
// its own and closes it.
import { afterEach, beforeEach } from "vitest";
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import contract from "../../generated/openapi.json" with { type: "json" };

export interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export type Handler = (res: ServerResponse, req: IncomingMessage) => void;

export interface FaultServer {
  url: string;
  /** Every request that reached the server, in order. */
  received: Received[];
  /** Answers the n-th request with the n-th handler, and every later one with the last. */
  script(...handlers: Handler[]): void;
  close(): Promise<void>;
}

/** The contract's own example of an EVSE (the reference page's), so no body here is hand-written. */
export const EXAMPLE_EVSE = contract.components.examples.EvseReferencePage.value;

export const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Handler =>
  (res) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(typeof body === "string" ? body : JSON.stringify(body));
  };

export const ok = (body: unknown = EXAMPLE_EVSE): Handler => json(200, body);

/** Closes the connection without answering. */
export const reset: Handler = (_res, req) => req.socket.destroy();

/** Sends headers, then never finishes the body. */
export const stall: Handler = (res) => {
  res.writeHead(200, { "content-type": "application/json" });
  res.write("{");
};

export async function startFaultServer(): Promise<FaultServer> {
  const received: Received[] = [];
  let handlers: Handler[] = [ok()];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      received.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      const handler = handlers[Math.min(received.length - 1, handlers.length - 1)] ?? ok();
      handler(res, req);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    script: (...next) => {
      handlers = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A fault server per test of the calling file: started before each test, closed after it. The
 * object it returns always speaks for the current test's server.
 */
export function useFaultServer(): FaultServer {
  let current: FaultServer | undefined;
  beforeEach(async () => {
    current = await startFaultServer();
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  const now = () => {
    if (!current) throw new Error("useFaultServer: the server exists only inside a test");
    return current;
  };
  return {
    get url() {
      return now().url;
    },
    get received() {
      return now().received;
    },
    script: (...handlers) => now().script(...handlers),
    close: () => now().close(),
  };
}
