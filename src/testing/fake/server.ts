// startFakeApi: the fake's engine (engine.ts) behind plain node:http. This door only reads the
// request, hands it to the engine as plain data and writes the answer (or drops the connection);
// with `admin`, it also serves the control routes (admin.ts). Nothing here loads Prism or fast-check.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { assertKnownOptions, type ExactNames } from "../../options.js";
import { ADMIN_PREFIX, handleAdmin, type AdminOptions } from "./admin.js";
import { adopt, checkFakeOptions, createEngine, FAKE_OPTIONS, type Fake, type FakeEngine, type FakeOptions } from "./engine.js";
import { error } from "./handler.js";

export type { FakeRequest } from "./engine.js";

export interface FakeApiOptions extends FakeOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** Host to bind; loopback by default. */
  host?: string;
}

export interface FakeApi extends Fake {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  readonly url: string;
  /** Stops listening, drops open connections and pending late answers (and writes `coverageFile`); the port is free after. */
  close(): Promise<void>;
}

const OPTIONS = [...FAKE_OPTIONS, "port", "host"] as const;
true satisfies ExactNames<FakeApiOptions, (typeof OPTIONS)[number]>;

function checkOptions(options: unknown) {
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new TypeError(`startFakeApi: options must be an object, got ${JSON.stringify(options)}.`);
  }
  const o = options as FakeApiOptions;
  assertKnownOptions("startFakeApi", o, OPTIONS);
  const { port = 0, host = "127.0.0.1" } = o;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`startFakeApi: port must be a whole number from 0 to 65535 (0 picks a free port), got ${String(port)}.`);
  }
  if (typeof host !== "string" || host === "") throw new TypeError(`startFakeApi: host must be a non-empty string, got ${JSON.stringify(host)}.`);
  return { port, host, engine: checkFakeOptions(o, "startFakeApi") };
}

/**
 * Starts a stateful fake of the API on loopback: it holds EVSEs, applies patches as the contract
 * says, and lets a test queue faults, move the rate limit's clock and inspect what it received.
 */
export async function startFakeApi(options: FakeApiOptions = {}): Promise<FakeApi> {
  const { port, host, engine } = checkOptions(options);
  return serveFake(createEngine(engine), { port, host });
}

/** Serves `engine` on node:http; with `admin`, its control routes under ADMIN_PREFIX too (the CLI's fake). */
export async function serveFake(engine: FakeEngine, where: { port: number; host: string; admin?: AdminOptions }): Promise<FakeApi> {
  const { port, host, admin } = where;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const url = req.url ?? "";
      if (admin && (url === ADMIN_PREFIX || url.startsWith(`${ADMIN_PREFIX}/`))) {
        const answer = handleAdmin(engine, admin, { method: req.method ?? "", url, text, remoteAddress: req.socket.remoteAddress });
        void answer.then((reply) => {
          res.writeHead(reply.status, { ...reply.headers, "Content-Length": Buffer.byteLength(reply.body) });
          res.end(reply.body);
        });
        return;
      }
      // Aborted when the client goes away before its answer (it waited out a late one, say).
      const gone = new AbortController();
      res.on("close", () => {
        if (!res.writableFinished) gone.abort();
      });
      void engine.answer({ method: req.method ?? "", url, headers: req.headers, text, signal: gone.signal }).then((outcome) => {
        if (outcome.kind === "drop") {
          res.socket?.resetAndDestroy();
          return;
        }
        // An override broke the contract: the test is wrong; the 500 says where (fake.fetch rejects with it instead).
        const reply = outcome.kind === "answer" ? outcome.answer : error({ requestId: () => "req_fake_override" }, 500, outcome.error.message);
        if (res.destroyed) return;
        res.writeHead(reply.status, { ...reply.headers, "Content-Length": Buffer.byteLength(reply.body) });
        res.end(reply.body);
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === "IPv6" ? `[${address.address}]` : address.address}:${address.port}`;

  let closing: Promise<void> | undefined;
  // The engine's own members, read through: one object, so `fake.requests` etc. stay live.
  const api: FakeApi = Object.create(engine, {
    url: { value: url, enumerable: true },
    close: {
      value: () => {
        closing ??= new Promise<void>((resolve) => {
          const stopped = engine.close();
          server.close(() => resolve(stopped));
          server.closeAllConnections();
        });
        return closing;
      },
    },
  });
  return adopt(api, engine);
}
