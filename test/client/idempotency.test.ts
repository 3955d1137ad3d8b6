// What the transport may send again is a fact of the contract (x-idempotent), read from the
// registry: an idempotent operation (updateConnector, getEvse) is retried after an ambiguous
// failure; anything else (a non-idempotent operation, or a request of client.raw that is no
// operation of the contract) only when the server provably did not act on it: the connection was
// never made, or it answered 429. The errors say "safe to resend" only where it is.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { OPERATIONS, ConnectorApiError, type OperationFacts } from "../../src/index.js";
import { resolveRetry } from "../../src/client/retry.js";
import { createTransport } from "../../src/client/transport.js";
import { createRedactor } from "../../src/redact.js";
import { json, ok, reset, startFaultServer, type FaultServer, type Handler } from "./fault-server.js";
import { API_KEY, PATH, failure, fastClient } from "./helpers.js";

let server: FaultServer;
beforeEach(async () => {
  server = await startFaultServer();
});
afterEach(async () => {
  await server.close();
});

/** Never answers: the attempt times out. */
const silent: Handler = () => {};
const busy = json(503, { error: { message: "busy" } });
const limited = json(429, { error: { message: "slow down" } }, { "retry-after": "0" });

/**
 * A POST-shaped operation as a test contract would state it (the shape of Spirii's unlock command):
 * not idempotent, a physical effect. It is given to the transport as the registry would give it.
 */
const UNLOCK: OperationFacts = {
  ...OPERATIONS.updateConnector,
  operationId: "unlockConnector",
  method: "POST",
  path: "/v2/evses/{uid}/connectors/{connectorId}/unlock",
  requestBody: null,
  idempotent: false,
  effect: "physical",
};
const UNLOCK_PATH = `/v2/evses/${PATH.uid}/connectors/${PATH.connectorId}/unlock`;

/** Sends one call of `operation` through a transport like the client's (fast retries, short timeout). */
async function sendAs(operation: OperationFacts, baseUrl: string, fetch?: (request: Request) => Promise<Response>) {
  const transport = createTransport({
    baseUrl,
    authorization: `Bearer ${API_KEY}`,
    userAgent: "test",
    fetch,
    timeoutMs: 150,
    deadlineMs: 10_000,
    retry: resolveRetry({ maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 }),
    maxResponseBytes: 1_000_000,
    redact: createRedactor(API_KEY),
    emit: undefined,
  });
  const call = transport.open(operation, "", {});
  try {
    return await call.send(new Request(`${baseUrl}${UNLOCK_PATH}`, { method: operation.method }));
  } finally {
    call.close();
  }
}

describe("a non-idempotent operation (a POST in a test contract)", () => {
  it.each([
    ["a timeout", silent],
    ["a reset connection", reset],
  ])("is not sent again after %s", async (_name, handler) => {
    server.script(handler, ok());
    const error = await sendAs(UNLOCK, server.url).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConnectorApiError);
    expect((error as ConnectorApiError).attempts).toBe(1);
    expect(server.received).toHaveLength(1);
  });

  it("is not sent again after a 503 (a gateway may answer it after the server acted)", async () => {
    server.script(busy, ok());
    const response = await sendAs(UNLOCK, server.url);
    expect(response.status).toBe(503);
    expect(server.received).toHaveLength(1);
  });

  it("is sent again after a 429 (the server refused it unprocessed)", async () => {
    server.script(limited, ok());
    const response = await sendAs(UNLOCK, server.url);
    expect(response.status).toBe(200);
    expect(server.received).toHaveLength(2);
  });

  it("is sent again when the connection was refused (nothing left), as undici reports it (cause.code ECONNREFUSED)", async () => {
    let attempts = 0;
    const fetch = async (request: Request) => {
      if (++attempts === 1) throw new TypeError("fetch failed", { cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" }) });
      return globalThis.fetch(request);
    };
    const response = await sendAs(UNLOCK, server.url, fetch);
    expect(response.status).toBe(200);
    expect(attempts).toBe(2);
    expect(server.received).toHaveLength(1);
  });

  it("is not sent again after a network error that may have happened mid-request (ECONNRESET)", async () => {
    let attempts = 0;
    const fetch = async () => {
      attempts++;
      throw new TypeError("fetch failed", { cause: Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }) });
    };
    const error = await failure(sendAs(UNLOCK, server.url, fetch));
    expect(error).toMatchObject({ kind: "network", attempts: 1 });
    expect(attempts).toBe(1);
  });
});

describe("an idempotent operation", () => {
  it("the PATCH is sent again after a timeout, and resolves", async () => {
    server.script(silent, ok());
    await fastClient(server.url, { timeoutMs: 150 }).updateConnector(PATH, { maxVoltage: 400 });
    expect(server.received.map((r) => r.method)).toEqual(["PATCH", "PATCH"]);
  });

  it("the same transport call as the POST above, as updateConnector, is sent again after a timeout", async () => {
    server.script(silent, ok());
    const response = await sendAs(OPERATIONS.updateConnector, server.url);
    expect(response.status).toBe(200);
    expect(server.received).toHaveLength(2);
  });
});

describe("client.raw follows the same rule, by the request's method and path", () => {
  it("a POST to a path the contract does not have is not sent again after a timeout", async () => {
    server.script(silent, ok());
    const client = fastClient(server.url, { timeoutMs: 150 });
    const error = await failure((client.raw.POST as (url: string, init?: object) => Promise<unknown>)(UNLOCK_PATH));
    expect(error).toMatchObject({ kind: "timeout", attempts: 1 });
    expect(error.operationId).toBeUndefined();
    expect(error.message).toContain("is not known to be idempotent, so check its effect before sending it again");
    expect(error.message).not.toContain("safe");
    expect(server.received).toHaveLength(1);
  });

  it("a PATCH to the connector path is updateConnector: sent again after a timeout, and its error names it", async () => {
    server.script(silent);
    const client = fastClient(server.url, { timeoutMs: 150, retry: { maxAttempts: 2, baseDelayMs: 1 } });
    const error = await failure(client.raw.PATCH(OPERATIONS.updateConnector.path, { params: { path: PATH }, body: { maxVoltage: 400 } }));
    expect(error).toMatchObject({ kind: "timeout", attempts: 2, operationId: "updateConnector" });
    expect(error.message).toContain("sending it again is safe because updateConnector is idempotent");
  });

  it("a GET of an EVSE is getEvse: sent again after a reset", async () => {
    server.script(reset, ok());
    const result = await fastClient(server.url).raw.GET(OPERATIONS.getEvse.path, { params: { path: { uid: PATH.uid } } });
    expect(result.response.status).toBe(200);
    expect(server.received).toHaveLength(2);
  });

  it("a POST to a server that refuses the connection is sent again (nothing was sent), and the error says so", async () => {
    const gone = await startFaultServer();
    await gone.close();
    const client = fastClient(gone.url, { retry: { maxAttempts: 2, baseDelayMs: 1 } });
    const error = await failure((client.raw.POST as (url: string, init?: object) => Promise<unknown>)(UNLOCK_PATH));
    expect(error).toMatchObject({ kind: "network", attempts: 2 });
    expect(error.message).toContain("ECONNREFUSED");
    expect(error.message).toContain("the connection was never made, so nothing was processed and sending it again is safe");
  });
});

describe("what errors say about sending again comes from the registry", () => {
  const base = { method: "PATCH", url: "https://api.spirii.com/v2/evses/1/connectors/1", attempts: 2 };

  it.each([
    ["updateConnector", "the change may or may not have been applied, and sending it again is safe because updateConnector is idempotent"],
    ["getEvse", "it changes nothing, and sending it again is safe because getEvse is idempotent"],
    [undefined, "it may or may not have been processed, and this request is not known to be idempotent, so check its effect before sending it again"],
  ])("operation %s", (operationId, advice) => {
    const timeout = new ConnectorApiError({ kind: "timeout", ...base, timeoutMs: 100, limit: "timeoutMs", ...(operationId ? { operationId } : {}) });
    expect(timeout.message).toContain(advice);
    const http = new ConnectorApiError({ kind: "http", ...base, status: 503, statusText: "", ...(operationId ? { operationId } : {}) });
    expect(http.message).toContain(operationId ? `${operationId} is idempotent, so try again later` : "is not known to be idempotent, so check its effect");
  });
});
