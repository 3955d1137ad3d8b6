// Fake providers of PATCH /v2/evses/{uid}/connectors/{connectorId} on 127.0.0.1, port 0: one that
// keeps the contract (liberally: extra fields, an OCPI standard outside the 7 a request may set)
// and variants that each break it in one distinct way.
import http from "node:http";
import { validateConnectorUpdate, formatIssues } from "../../src/validation.js";

export const FAKE_UID = 123456;
export const FAKE_CONNECTOR_ID = 1;
export const FAKE_KEY = "fake-key-7c1e9a42d5";
/** Limits above this are valid patches the fake's hardware cannot support: a documented 422. */
export const HARDWARE_MAX = 1e6;

/** How a fake breaks the contract; `undefined` keeps it. */
export type Breakage =
  | "wrong-enum"
  | "missing-required"
  | "wrong-type"
  | "null-not-allowed"
  | "undocumented-status"
  | "non-json-200"
  | "wrong-content-type"
  | "accepts-invalid"
  | "hangs"
  | "accepts-zero" // applies maxAmperage 0 or below, which the contract rejects
  | "case-insensitive-enums" // accepts "Chademo" or "socket" and stores them upper-cased
  | "ignores-auth" // applies patches sent without a key or with a wrong one
  | "ocpp-status" // reports the OCPP 1.6 status "Charging" instead of the OCPI "CHARGING"
  // Not breakages of the contract, but behaviours verify must handle honestly:
  | "new-enum-value" // reports a status the contract does not list yet ("PARKED"): open response enums accept it (a notice)
  | "bare-error-bodies" // errors without the (documented nearby) envelope: warnings only
  | "rejects-key" // 401 to everything: a set-up problem, exit 2
  | "rejects-everything"; // a documented 409 to every patch: no 200 is ever checked

/** Bugs about state: the answers look right, what the provider stores is not. */
export type StateBug =
  | "stale-answer" // answers with the EVSE as it was before the patch (and stores the patch)
  | "wrong-connector" // applies the patch to connector 2, answers with the EVSE as stored
  | "refused-partly-applied" // applies the valid known fields of a patch it then refuses with 400
  | "not-stored" // answers with the patch applied, stores nothing
  | "rounds" // stores (and answers) numbers rounded to whole numbers
  | "resets-status" // every accepted patch sets the EVSE status to AVAILABLE
  | "creates-unknown-evse"; // a patch of an unknown uid creates that EVSE and answers 200

/** Server errors on requests that must be accepted or refused. */
export type ServerError = "empty-body-500" | "valid-patch-500";

export interface FakeOptions {
  breakage?: Breakage;
  stateBug?: StateBug;
  serverError?: ServerError;
  /** Drops unknown fields before validating, so `{maxAmperage: 16, max_amperage: 16}` is accepted. */
  ignoresUnknownFields?: boolean;
  /** The EVSE status at the start (default AVAILABLE). */
  status?: string;
  /** Enforce a write limit honestly: at most `limit` PATCHes per `windowMs`, with X-RateLimit headers and Retry-After on 429. */
  rateLimit?: { limit: number; windowMs: number };
  /** Answer 429 (Retry-After: 1) to every PATCH whose body is exactly the connector's values before the run: a restore that stays rate-limited (no case of a run sends three of those values at once). */
  rateLimitsRestore?: boolean;
  /** Serve GET /v2/evses/{uid}, so verify can read the values to restore (default true). */
  readable?: boolean;
  /** GET /v2/evses/{uid} answers the EVSE without `connectors` (or without maxVoltage on connector 1). */
  readDrops?: "connectors" | "maxVoltage";
  /** Quote the Authorization header back in error messages, as careless servers do. */
  echoKey?: boolean;
  /** Echo the Authorization header as a property NAME in every body (`{"Bearer <key>": true}`). */
  echoKeyAsProperty?: boolean;
  /** The API key the fake accepts (default FAKE_KEY). */
  key?: string;
  /** Answer 503 to these PATCHes (1-based, counted in arrival order): a provider that fails mid-run. */
  failingPatches?: readonly number[];
}

export interface FakeProvider {
  url: string;
  /** The connector as the fake holds it now. */
  connector(): Record<string, unknown>;
  /** Everything the fake holds: every EVSE, created ones included. */
  state(): Record<string, unknown>;
  /** PATCHes answered 429, and the most PATCHes any one window let through (rateLimit only). */
  limits: { rateLimited: number; mostInAWindow: number };
  /** Requests received, in order (method, path, query and body as received, and when: performance.now()). */
  requests: Array<{ method: string; path: string; search: string; body: string; at: number }>;
  close(): Promise<void>;
}

export const INITIAL_CONNECTOR = {
  id: FAKE_CONNECTOR_ID,
  standard: "IEC_62196_T2",
  format: "SOCKET",
  powerType: "AC_3_PHASE",
  maxElectricPower: 11,
  maxAmperage: 16,
  maxVoltage: 400,
  tariffIds: ["58652fe8-d840-4aa4-bb4f-3ebd944df9d6"],
  error: null,
  deletedAt: null,
  firmwareVersion: "1.4.2", // a field the contract does not list: responses are open
};

export function initialEvse(status = "AVAILABLE") {
  return {
    uid: FAKE_UID,
    evseId: "DK*SPI*E123*1",
    chargeboxId: 456,
    status,
    connectors: [
      structuredClone(INITIAL_CONNECTOR),
      // An OCPI standard a request may not set, but a response may carry.
      { id: 2, standard: "TESLA_S", format: "CABLE", powerType: "DC", maxVoltage: 500, maxAmperage: 125, deletedAt: "2025-01-27 09:38:41" },
    ],
    physicalReference: "left post", // another unlisted field
  };
}

type Evse = ReturnType<typeof initialEvse>;

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);

const envelope = (code: string, message: string) => ({ error: { type: "invalid_request_error", code, message, request_id: "req_fake" } });

/** The answer to a successful patch, bent by the breakage. */
function successAnswer(evse: Evse, breakage: Breakage | undefined): { status: number; contentType: string; body: string } {
  const body: Record<string, unknown> = structuredClone(evse);
  const connectors = body["connectors"] as Array<Record<string, unknown>>;
  let status = 200;
  let contentType = "application/json; charset=utf-8";
  switch (breakage) {
    case "wrong-enum":
      body["status"] = "charging"; // a known value in another casing: a look-alike, not a new value (which the open enum accepts)
      break;
    case "missing-required":
      delete body["evseId"];
      break;
    case "wrong-type":
      body["chargeboxId"] = "456";
      break;
    case "null-not-allowed":
      connectors[0]!["maxVoltage"] = null;
      break;
    case "undocumented-status":
      status = 201;
      break;
    case "non-json-200":
      return { status: 200, contentType, body: "<html><body>Connector updated</body></html>" };
    case "wrong-content-type":
      contentType = "text/plain";
      break;
    case "ocpp-status":
      body["status"] = "Charging";
      break;
  }
  return { status, contentType, body: JSON.stringify(body) };
}

export async function startFakeProvider(options: FakeOptions = {}): Promise<FakeProvider> {
  const { breakage, readable = true, echoKey = false, echoKeyAsProperty = false, key = FAKE_KEY, failingPatches = [], stateBug, serverError, rateLimit } = options;
  let patches = 0;
  // A provider on a later release holds the new status: every answer and every read shows it.
  const evse = initialEvse(options.status ?? (breakage === "new-enum-value" ? "PARKED" : undefined));
  const created = new Map<number, Record<string, unknown>>();
  const limits = { rateLimited: 0, mostInAWindow: 0 };
  let window = { start: Date.now(), used: 0 };
  const known = new Set(["standard", "format", "maxElectricPower", "maxAmperage", "maxVoltage"]);
  const patchable = ["standard", "format", "maxElectricPower", "maxAmperage", "maxVoltage"] as const;
  const requests: FakeProvider["requests"] = [];
  const patchPath = new RegExp(`^/v2/evses/(\\d+)/connectors/(\\d+)$`);
  const readPath = new RegExp(`^/v2/evses/(\\d+)$`);
  const commandPath = /^\/v2\/evses\/(\d+)\/connectors\/(\d+)\/(unlock|remote-stop-transaction|change-availability)$/;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const received = new URL(req.url ?? "/", "http://fake");
      const path = received.pathname;
      requests.push({ method: req.method ?? "", path, search: received.search, body: Buffer.concat(chunks).toString("utf8"), at: performance.now() });
      const echo = (body: unknown) => (echoKeyAsProperty && isObject(body) ? { ...body, [req.headers.authorization ?? "no key"]: true } : body);
      const rateHeaders: Record<string, string> = {};
      const send = (status: number, body: unknown, contentType = "application/json") => {
        res.writeHead(status, { "content-type": contentType, ...(rateLimit ? rateHeaders : { "x-ratelimit-limit": "120", "x-ratelimit-remaining": "119" }) });
        res.end(typeof body === "string" ? body : JSON.stringify(echo(body)));
      };
      const sendError = (status: number, code: string, text: string) => {
        const message = echoKey ? `${text} (request made with ${req.headers.authorization ?? "no key"})` : text;
        return breakage === "bare-error-bodies" ? send(status, message, "text/plain") : send(status, envelope(code, message));
      };

      const authorized = breakage === "ignores-auth" || req.headers.authorization === `Bearer ${key}`;
      if (breakage === "rejects-key" || !authorized) {
        return sendError(401, "invalid_api_key", "API key is invalid, expired, or revoked.");
      }
      const readUid = readPath.exec(path)?.[1];
      if (req.method === "GET" && readable && readUid === String(FAKE_UID)) {
        if (options.readDrops === "connectors") return send(200, { ...evse, connectors: undefined });
        if (options.readDrops === "maxVoltage") return send(200, { ...evse, connectors: evse.connectors.map((c, i) => (i === 0 ? { ...c, maxVoltage: undefined } : c)) });
        return send(200, evse);
      }
      if (req.method === "GET" && readable && readUid !== undefined && created.has(Number(readUid))) return send(200, created.get(Number(readUid)));
      if (rateLimit && req.method === "PATCH") {
        const now = Date.now();
        if (now - window.start >= rateLimit.windowMs) window = { start: now, used: 0 };
        const resetSeconds = (window.start + rateLimit.windowMs) / 1000;
        Object.assign(rateHeaders, { "x-ratelimit-limit": String(rateLimit.limit), "x-ratelimit-reset": resetSeconds.toFixed(3) });
        if (window.used >= rateLimit.limit) {
          limits.rateLimited++;
          res.writeHead(429, { ...rateHeaders, "x-ratelimit-remaining": "0", "retry-after": String(Math.ceil((window.start + rateLimit.windowMs - now) / 1000)), "content-type": "application/json" });
          return res.end(JSON.stringify(envelope("rate_limited", "Too many requests.")));
        }
        window.used++;
        limits.mostInAWindow = Math.max(limits.mostInAWindow, window.used);
        rateHeaders["x-ratelimit-remaining"] = String(rateLimit.limit - window.used);
      }
      if (options.rateLimitsRestore && req.method === "PATCH") {
        const body = Buffer.concat(chunks).toString("utf8");
        try {
          const parsed = JSON.parse(body) as Record<string, unknown>;
          if (isObject(parsed) && Object.keys(parsed).length > 0 && Object.entries(parsed).every(([f, v]) => (INITIAL_CONNECTOR as Record<string, unknown>)[f] === v) && Object.keys(parsed).length >= 3) {
            limits.rateLimited++;
            res.writeHead(429, { "retry-after": "1", "content-type": "application/json" });
            return res.end(JSON.stringify(envelope("rate_limited", "Too many requests.")));
          }
        } catch {
          // not JSON: judged below
        }
      }
      // The family beside the PATCH, kept simply: one page of the one EVSE, commands answered but without state.
      if (req.method === "GET" && path === "/v2/evses") {
        const limit = received.searchParams.get("limit");
        if (limit !== null && !(/^\d+$/.test(limit) && Number(limit) >= 1 && Number(limit) <= 100)) return sendError(400, "invalid_request", "limit must be 1 to 100.");
        const uids = received.searchParams.getAll("uids");
        return send(200, { data: uids.length === 0 || uids.includes(String(FAKE_UID)) ? [evse] : [] });
      }
      const command = commandPath.exec(path);
      if (req.method === "POST" && command) {
        if (Number(command[1]) !== FAKE_UID || !evse.connectors.some((c) => c.id === Number(command[2]))) return sendError(404, "resource_not_found", `No connector ${command[2]} on EVSE ${command[1]}.`);
        if (command[3] === "unlock") return send(200, { status: "Unlocked" });
        let body: unknown;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        } catch {
          return sendError(400, "invalid_request", "The body is not JSON.");
        }
        if (command[3] === "remote-stop-transaction") return isObject(body) && Number.isInteger(body["transactionId"]) ? send(200, { status: "Rejected" }) : sendError(400, "invalid_request", "transactionId must be a whole number.");
        return isObject(body) && (body["type"] === "Operative" || body["type"] === "Inoperative") ? send(200, { status: "Accepted", description: "Done." }) : sendError(400, "invalid_request", "type must be Operative or Inoperative.");
      }
      const match = patchPath.exec(path);
      if (req.method !== "PATCH" || !match) return sendError(404, "resource_not_found", `No route ${req.method} ${path}.`);
      if (breakage === "hangs") return; // never answers; the socket stays open until close()
      if (failingPatches.includes(++patches)) return sendError(503, "unavailable", "The service is temporarily unavailable.");
      if (stateBug === "creates-unknown-evse" && Number(match[1]) !== FAKE_UID) {
        const made = { ...initialEvse(), uid: Number(match[1]), connectors: [{ ...structuredClone(INITIAL_CONNECTOR), id: Number(match[2]) }] };
        created.set(made.uid, made);
        return send(200, made);
      }
      let connector: Record<string, unknown> | undefined = Number(match[1]) === FAKE_UID ? evse.connectors.find((c) => c.id === Number(match[2])) : undefined;
      if (!connector) return sendError(404, "resource_not_found", `No connector ${match[2]} on EVSE ${match[1]}.`);
      if (breakage === "rejects-everything") return sendError(409, "conflict", "The connector is busy.");
      const rawBody = Buffer.concat(chunks).toString("utf8");
      if (serverError === "empty-body-500" && rawBody.trim() === "{}") return sendError(500, "internal", "Internal error.");

      let patch: unknown;
      try {
        patch = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        return sendError(400, "invalid_body", "The body is not JSON.");
      }
      if (breakage === "case-insensitive-enums" && isObject(patch)) {
        for (const field of ["standard", "format"]) if (typeof patch[field] === "string") patch[field] = patch[field].toUpperCase();
      }
      if (options.ignoresUnknownFields && isObject(patch)) patch = Object.fromEntries(Object.entries(patch).filter(([f]) => known.has(f)));
      if (breakage !== "accepts-invalid") {
        // accepts-zero checks the patch as if maxAmperage were positive, then applies it as sent.
        const checked = breakage === "accepts-zero" && isObject(patch) && typeof patch["maxAmperage"] === "number" ? { ...patch, maxAmperage: 1 } : patch;
        const check = validateConnectorUpdate(checked);
        if (!check.ok) {
          if (stateBug === "refused-partly-applied" && isObject(patch)) {
            // Writes field by field and stops at the first bad one, leaving the earlier ones written.
            for (const [f, v] of Object.entries(patch)) {
              if (!known.has(f) || !validateConnectorUpdate({ [f]: v }).ok) break;
              connector[f] = v;
            }
          }
          return sendError(400, "invalid_body", formatIssues(check.issues));
        }
      }
      if (serverError === "valid-patch-500" && isObject(patch) && "maxVoltage" in patch) return sendError(500, "internal", "Internal error.");
      if (isObject(patch) && ["maxElectricPower", "maxAmperage", "maxVoltage"].some((f) => typeof patch[f] === "number" && patch[f] > HARDWARE_MAX)) {
        return sendError(422, "unsupported_limit", `A limit above ${HARDWARE_MAX} is beyond this connector's hardware.`);
      }
      const before = structuredClone(evse);
      if (stateBug === "wrong-connector") connector = evse.connectors.find((c) => c.id !== Number(match[2]))!;
      // A sloppy provider (accepts-invalid) applies whatever known fields arrive; objects only.
      if (patch !== null && typeof patch === "object" && !Array.isArray(patch)) {
        for (const field of patchable) {
          if (!(field in patch)) continue;
          const value = (patch as Record<string, unknown>)[field];
          connector[field] = stateBug === "rounds" && typeof value === "number" ? Math.round(value) : value;
        }
      }
      if (stateBug === "resets-status") evse.status = "AVAILABLE";
      const answered = stateBug === "stale-answer" ? before : evse;
      const answer = successAnswer(answered, breakage);
      if (stateBug === "not-stored") {
        evse.connectors = before.connectors;
        evse.status = before.status;
      }
      res.writeHead(answer.status, { "content-type": answer.contentType, ...rateHeaders });
      res.end(echoKeyAsProperty && answer.contentType.startsWith("application/json") ? JSON.stringify(echo(JSON.parse(answer.body))) : answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    connector: () => structuredClone(evse.connectors[0]!) as Record<string, unknown>,
    state: () => structuredClone({ evse, created: Object.fromEntries(created) }),
    limits,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // ends the sockets a hanging fake holds open
      }),
  };
}
