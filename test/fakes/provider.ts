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

export interface FakeOptions {
  breakage?: Breakage;
  /** Serve GET /v2/evses/{uid}, so verify can read the values to restore (default true). */
  readable?: boolean;
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
  /** Requests received, in order (method and path). */
  requests: Array<{ method: string; path: string }>;
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

function initialEvse() {
  return {
    uid: FAKE_UID,
    evseId: "DK*SPI*E123*1",
    chargeboxId: 456,
    status: "AVAILABLE",
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
    case "new-enum-value":
      body["status"] = "PARKED";
      break;
  }
  return { status, contentType, body: JSON.stringify(body) };
}

export async function startFakeProvider(options: FakeOptions = {}): Promise<FakeProvider> {
  const { breakage, readable = true, echoKey = false, echoKeyAsProperty = false, key = FAKE_KEY, failingPatches = [] } = options;
  let patches = 0;
  const evse = initialEvse();
  const requests: FakeProvider["requests"] = [];
  const patchPath = new RegExp(`^/v2/evses/(\\d+)/connectors/(\\d+)$`);
  const readPath = new RegExp(`^/v2/evses/(\\d+)$`);

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = new URL(req.url ?? "/", "http://fake").pathname;
      requests.push({ method: req.method ?? "", path });
      const echo = (body: unknown) => (echoKeyAsProperty && isObject(body) ? { ...body, [req.headers.authorization ?? "no key"]: true } : body);
      const send = (status: number, body: unknown, contentType = "application/json") => {
        res.writeHead(status, { "content-type": contentType, "x-ratelimit-limit": "120", "x-ratelimit-remaining": "119" });
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
      if (req.method === "GET" && readable && readPath.exec(path)?.[1] === String(FAKE_UID)) return send(200, evse);
      const match = patchPath.exec(path);
      if (req.method !== "PATCH" || !match) return sendError(404, "resource_not_found", `No route ${req.method} ${path}.`);
      if (breakage === "hangs") return; // never answers; the socket stays open until close()
      if (failingPatches.includes(++patches)) return sendError(503, "unavailable", "The service is temporarily unavailable.");
      if (breakage === "rejects-everything") return sendError(409, "conflict", "The connector is busy.");
      const connector = Number(match[1]) === FAKE_UID ? evse.connectors.find((c) => c.id === Number(match[2])) : undefined;
      if (!connector) return sendError(404, "resource_not_found", `No connector ${match[2]} on EVSE ${match[1]}.`);

      let patch: unknown;
      try {
        patch = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        return sendError(400, "invalid_body", "The body is not JSON.");
      }
      if (breakage === "case-insensitive-enums" && isObject(patch)) {
        for (const field of ["standard", "format"]) if (typeof patch[field] === "string") patch[field] = patch[field].toUpperCase();
      }
      if (breakage !== "accepts-invalid") {
        // accepts-zero checks the patch as if maxAmperage were positive, then applies it as sent.
        const checked = breakage === "accepts-zero" && isObject(patch) && typeof patch["maxAmperage"] === "number" ? { ...patch, maxAmperage: 1 } : patch;
        const check = validateConnectorUpdate(checked);
        if (!check.ok) return sendError(400, "invalid_body", formatIssues(check.issues));
      }
      if (isObject(patch) && ["maxElectricPower", "maxAmperage", "maxVoltage"].some((f) => typeof patch[f] === "number" && patch[f] > HARDWARE_MAX)) {
        return sendError(422, "unsupported_limit", `A limit above ${HARDWARE_MAX} is beyond this connector's hardware.`);
      }
      // A sloppy provider (accepts-invalid) applies whatever known fields arrive; objects only.
      if (patch !== null && typeof patch === "object" && !Array.isArray(patch)) {
        for (const field of ["standard", "format", "maxElectricPower", "maxAmperage", "maxVoltage"] as const) {
          if (field in patch) (connector as Record<string, unknown>)[field] = (patch as Record<string, unknown>)[field];
        }
      }
      const answer = successAnswer(evse, breakage);
      res.writeHead(answer.status, { "content-type": answer.contentType });
      res.end(echoKeyAsProperty && answer.contentType.startsWith("application/json") ? JSON.stringify(echo(JSON.parse(answer.body))) : answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    connector: () => structuredClone(evse.connectors[0]!) as Record<string, unknown>,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // ends the sockets a hanging fake holds open
      }),
  };
}
