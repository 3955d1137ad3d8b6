// What the transport may send again is a fact of the contract (x-idempotent), read from the
// registry: an idempotent operation (updateConnector, getEvse) is retried after an ambiguous
// failure; anything else (a non-idempotent operation, or a request of client.raw that is no
// operation of the contract) only when the server provably did not act on it: the connection was
// never made, or it answered 429. The errors say "safe to resend" only where it is. Attempts are
// counted by a scripted fetch as they are made, so no outcome depends on how fast a server answers.
import { describe, expect, it } from "vitest";
import { OPERATIONS, ConnectorApiError, type OperationFacts } from "../../src/index.js";
import { resolveRetry } from "../../src/client/retry.js";
import { createBucketPacers } from "../../src/client/pacing.js";
import { createTransport } from "../../src/client/transport.js";
import { createRedactor } from "../../src/redact.js";
import { startFaultServer } from "./fault-server.js";
import { API_KEY, PATH, answer, failure, fastClient, fetchFailed, scriptedFetch, type FetchStep } from "./helpers.js";

const BASE_URL = "https://api.example.test";
const EVSE = OPERATIONS.getEvse.path.replace("{uid}", String(PATH.uid));
const busy = answer(503, { error: { message: "busy" } });
const limited = answer(429, { error: { message: "slow down" } }, { "retry-after": "0" });
const done = answer(200, { status: "Unlocked" });

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
/** A path no operation of the contract has (unlock joined the contract with the EVSE family). */
const UNKNOWN_PATH = `/v2/evses/${PATH.uid}/connectors/${PATH.connectorId}/lock`;

/** Sends one call of `operation` through a transport like the client's (fast retries, a short attempt timeout), with `steps` as the network. */
async function sendAs(operation: OperationFacts, ...steps: FetchStep[]) {
  const fetch = scriptedFetch(...steps);
  const transport = createTransport({
    baseUrl: BASE_URL,
    authorization: `Bearer ${API_KEY}`,
    userAgent: "test",
    fetch,
    timeoutMs: 50,
    deadlineMs: 60_000,
    retry: resolveRetry({ maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 }),
    maxResponseBytes: 1_000_000,
    redact: createRedactor(API_KEY),
    emit: undefined,
    pacers: createBucketPacers(),
  });
  const call = transport.open(operation, "", {});
  try {
    const response = await call.send(new Request(`${BASE_URL}${UNLOCK_PATH}`, { method: operation.method }));
    return { response, attempts: fetch.requests.length };
  } catch (error) {
    return { error: error as ConnectorApiError, attempts: fetch.requests.length };
  } finally {
    call.close();
  }
}

describe("a non-idempotent operation (a POST in a test contract)", () => {
  it.each([
    ["a timeout", "hang", "timeout"],
    ["a reset connection (ECONNRESET: it may have been written)", fetchFailed("ECONNRESET", "read ECONNRESET"), "network"],
    ["a closed socket (undici's 'other side closed')", fetchFailed("UND_ERR_SOCKET", "other side closed"), "network"],
  ] as const)("is not sent again after %s", async (_name, step, kind) => {
    const { error, attempts } = await sendAs(UNLOCK, step, done);
    expect(error).toBeInstanceOf(ConnectorApiError);
    expect(error).toMatchObject({ kind, attempts: 1, operationId: "unlockConnector" });
    expect(attempts).toBe(1);
  });

  it("is not sent again after a 503 (a gateway may answer it after the server acted)", async () => {
    const { response, attempts } = await sendAs(UNLOCK, busy, done);
    expect(response?.status).toBe(503);
    expect(attempts).toBe(1);
  });

  it("is sent again after a 429 (the server refused it unprocessed)", async () => {
    const { response, attempts } = await sendAs(UNLOCK, limited, done);
    expect(response?.status).toBe(200);
    expect(attempts).toBe(2);
  });

  it.each(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "UND_ERR_CONNECT_TIMEOUT"])("is sent again when the connection was never made (cause.code %s, as undici reports it)", async (code) => {
    const { response, attempts } = await sendAs(UNLOCK, fetchFailed(code), done);
    expect(response?.status).toBe(200);
    expect(attempts).toBe(2);
  });
});

describe("an idempotent operation", () => {
  it("the same transport call, as updateConnector, is sent again after a timeout, a reset and a 503", async () => {
    const { response, attempts } = await (async () => {
      const first = await sendAs(OPERATIONS.updateConnector, "hang", answer(200, {}));
      expect(first.attempts).toBe(2);
      return sendAs(OPERATIONS.updateConnector, fetchFailed("ECONNRESET"), busy, answer(200, {}));
    })();
    expect(response?.status).toBe(200);
    expect(attempts).toBe(3);
  });

  it("client.updateConnector is sent again after a timeout, and resolves", async () => {
    const fetch = scriptedFetch("hang", answer(200, { uid: 1, evseId: "x", chargeboxId: 1, status: "AVAILABLE", connectors: [] }));
    const evse = await fastClient(BASE_URL, { fetch, timeoutMs: 50 }).updateConnector(PATH, { maxVoltage: 400 });
    expect(evse.uid).toBe(1);
    expect(fetch.requests.map((r) => r.method)).toEqual(["PATCH", "PATCH"]);
  });
});

describe("client.raw follows the same rule, by the request's method and path", () => {
  const rawPost = (client: ReturnType<typeof fastClient>, path: string) => (client.raw.POST as (url: string, init?: object) => Promise<unknown>)(path);

  it("a POST to a path the contract does not have is not sent again after a timeout, and its error says to check", async () => {
    const fetch = scriptedFetch("hang", done);
    const error = await failure(rawPost(fastClient(BASE_URL, { fetch, timeoutMs: 50 }), UNKNOWN_PATH));
    expect(error).toMatchObject({ kind: "timeout", attempts: 1 });
    expect(error.operationId).toBeUndefined();
    expect(error.message).toContain("is not known to be idempotent, so check its effect before sending it again");
    expect(error.message).not.toContain("safe");
    expect(fetch.requests).toHaveLength(1);
  });

  it("a PATCH to the connector path is updateConnector: sent again after a timeout, and its error names it", async () => {
    const fetch = scriptedFetch("hang");
    const client = fastClient(BASE_URL, { fetch, timeoutMs: 50, retry: { maxAttempts: 2, baseDelayMs: 1 } });
    const error = await failure(client.raw.PATCH(OPERATIONS.updateConnector.path, { params: { path: PATH }, body: { maxVoltage: 400 } }));
    expect(error).toMatchObject({ kind: "timeout", attempts: 2, operationId: "updateConnector" });
    expect(error.message).toContain("sending it again is safe because updateConnector is idempotent");
    expect(fetch.requests).toHaveLength(2);
  });

  it("a GET of an EVSE is getEvse: sent again after a reset; a POST to the same path is not", async () => {
    const get = scriptedFetch(fetchFailed("ECONNRESET"), answer(200, {}));
    const result = await fastClient(BASE_URL, { fetch: get }).raw.GET(OPERATIONS.getEvse.path, { params: { path: { uid: PATH.uid } } });
    expect(result.response.status).toBe(200);
    expect(get.requests).toHaveLength(2);
    const post = scriptedFetch(fetchFailed("ECONNRESET"), answer(200, {}));
    const error = await failure(rawPost(fastClient(BASE_URL, { fetch: post }), EVSE));
    expect(error).toMatchObject({ kind: "network", attempts: 1 });
    expect(post.requests).toHaveLength(1);
  });

  it("a POST to a real server that refuses the connection is sent again (nothing was sent), and the error says so", async () => {
    const gone = await startFaultServer();
    await gone.close();
    const client = fastClient(gone.url, { retry: { maxAttempts: 2, baseDelayMs: 1 } });
    const error = await failure(rawPost(client, UNLOCK_PATH));
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
