// The control plane of `spirii-contract fake`: the controls a JavaScript test has on the fake
// (queue a fault, move the clock, reset, read the state and the request log, coverage), over HTTP
// under ADMIN_PREFIX, for tests in any language or a fake in a container. Loopback only unless the
// process was started to allow more. Never shows the keys the fake accepts. A bad call changes
// nothing and gets one 400 saying what was wrong.
import { writeCoverageFile } from "../../coverage/index.js";
import type { FakeEngine } from "./engine.js";

/** Where the admin routes live, apart from the API's own paths. */
export const ADMIN_PREFIX = "/__admin";

export interface AdminOptions {
  /** Answer peers that are not loopback too (the fake bound to another address on purpose). */
  remote: boolean;
  /** Where `POST /__admin/coverage` writes (the CLI's --coverage-file), if anywhere. */
  coverageFile: string | undefined;
}

export interface AdminRequest {
  method: string;
  url: string;
  text: string;
  remoteAddress: string | undefined;
}

interface AdminAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The routes, as the index lists them and the help and README describe them. */
export const ADMIN_ROUTES = [
  ["GET", "/state", "the EVSEs held, the clock, each rate-limit bucket's window (null: off), how many faults are queued"],
  ["GET", "/requests", "the request log (the last 1 000; keys redacted)"],
  ["POST", "/faults", 'queue a fault for the next request(s): a JSON fault, e.g. {"status":503}; ?times=N for N requests'],
  ["POST", "/clock", 'move the fake\'s clock forward: {"advanceMs":60000}'],
  ["POST", "/reset", "back to the seed EVSEs, a fresh window in every rate-limit bucket, no queued faults, an empty log"],
  ["GET", "/coverage", "the contract coverage so far"],
  ["POST", "/coverage", "write the coverage to --coverage-file now"],
] as const;

const json = (status: number, body: unknown): AdminAnswer => ({ status, headers: { "Content-Type": "application/json" }, body: `${JSON.stringify(body, null, 2)}\n` });
const refused = (status: number, message: string) => json(status, { error: { message } });

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6. */
export const isLoopback = (address: string | undefined) => address !== undefined && (address === "::1" || /^(::ffff:)?127\.\d+\.\d+\.\d+$/.test(address));

function parseJson(text: string, route: string, example: string): { ok: true; value: unknown } | { ok: false; answer: AdminAnswer } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, answer: refused(400, `POST ${ADMIN_PREFIX}${route}: the body is not JSON (${(error as Error).message}); send e.g. ${example}. Nothing was changed.`) };
  }
}

export async function handleAdmin(engine: FakeEngine, options: AdminOptions, request: AdminRequest): Promise<AdminAnswer> {
  if (!options.remote && !isLoopback(request.remoteAddress)) {
    return refused(403, `The admin routes answer loopback only; start the fake with --admin-remote to allow ${request.remoteAddress ?? "other peers"}.`);
  }
  const [pathname = "", query = ""] = request.url.split("?");
  const route = pathname.slice(ADMIN_PREFIX.length) || "/";
  const known = ADMIN_ROUTES.filter(([, path]) => path === route);
  if (route === "/" && request.method === "GET") {
    return json(200, { routes: ADMIN_ROUTES.map(([method, path, what]) => ({ route: `${method} ${ADMIN_PREFIX}${path}`, what })) });
  }
  if (known.length === 0) return refused(404, `No admin route ${ADMIN_PREFIX}${route}; GET ${ADMIN_PREFIX} lists them.`);
  if (!known.some(([method]) => method === request.method)) {
    return refused(405, `${ADMIN_PREFIX}${route} takes ${known.map(([method]) => method).join(" or ")}, not ${request.method}.`);
  }
  const key = `${request.method} ${route}`;
  switch (key) {
    case "GET /state":
      return json(200, engine.describe());
    case "GET /requests":
      return json(200, engine.requests);
    case "GET /coverage":
      return json(200, engine.coverage());
    case "POST /reset":
      engine.reset();
      return json(200, { reset: true, ...engine.describe() });
    case "POST /faults": {
      const parsed = parseJson(request.text, "/faults", '{"status":503,"headers":{"Retry-After":"1"}}');
      if (!parsed.ok) return parsed.answer;
      const timesText = new URLSearchParams(query).get("times");
      const times = timesText === null ? 1 : /^\d{1,6}$/.test(timesText) ? Number(timesText) : Number.NaN;
      try {
        engine.failNext(parsed.value as never, times);
      } catch (error) {
        return refused(400, `POST ${ADMIN_PREFIX}/faults: ${(error as Error).message.replace(/^fake\.failNext: /, "")} Nothing was queued.`);
      }
      return json(200, { queued: times, queuedFaults: engine.describe().queuedFaults });
    }
    case "POST /clock": {
      const parsed = parseJson(request.text, "/clock", '{"advanceMs":60000}');
      if (!parsed.ok) return parsed.answer;
      const body = parsed.value as Record<string, unknown> | null;
      const unknown = body !== null && typeof body === "object" && !Array.isArray(body) ? Object.keys(body).filter((k) => k !== "advanceMs") : [];
      const ms = body !== null && typeof body === "object" ? body["advanceMs"] : undefined;
      if (unknown.length || typeof ms !== "number" || !Number.isFinite(ms) || ms < 0) {
        return refused(400, `POST ${ADMIN_PREFIX}/clock takes {"advanceMs": N}, N a finite number of milliseconds, 0 or more; got ${request.text.slice(0, 100)}. The clock did not move.`);
      }
      engine.advance(ms);
      return json(200, engine.describe().clock);
    }
    case "POST /coverage": {
      if (options.coverageFile === undefined) return refused(400, `POST ${ADMIN_PREFIX}/coverage writes --coverage-file, and the fake was started without one; GET ${ADMIN_PREFIX}/coverage reads it instead.`);
      await writeCoverageFile(options.coverageFile, engine.coverage());
      return json(200, { written: options.coverageFile });
    }
    default:
      return refused(404, `No admin route ${key}.`);
  }
}
