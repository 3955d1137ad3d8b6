// The client against Prism's mock of the bundled contract: what a consumer sees from documented
// responses. Prism validates each request and checks that a bearer token is present; it cannot
// tell a valid key from an invalid one, so "invalid key" is the documented 401 chosen with Prefer.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import contract from "../../generated/openapi.json" with { type: "json" };
import { GET_EVSE, UPDATE_CONNECTOR, createConnectorClient, validateEvse } from "../../src/index.js";
import { startMockServer, type MockServer } from "../../src/testing/index.js";
import { API_KEY, PATH, failure } from "./helpers.js";

let mock: MockServer;
beforeAll(async () => {
  mock = await startMockServer();
});
afterAll(async () => {
  await mock?.close();
});

const client = (overrides: Parameters<typeof createConnectorClient>[0] extends infer O ? Partial<O> : never = {}) =>
  createConnectorClient({ apiKey: API_KEY, baseUrl: mock.url, validateResponses: "strict", retry: false, ...overrides });

type Responses = typeof contract.paths["/v2/evses/{uid}/connectors/{connectorId}"]["patch"]["responses"];
type Envelope = { error: { code?: string; request_id?: string; message: string } };

/** The first example envelope the contract documents for a status: what Prism will answer with. */
function documentedError(status: keyof Responses): Envelope["error"] {
  const ref = (contract.paths[UPDATE_CONNECTOR.path].patch.responses[status] as { $ref: string }).$ref;
  const name = ref.split("/").pop() as keyof typeof contract.components.responses;
  const examples = contract.components.responses[name].content["application/json"].examples as Record<string, { value: Envelope }>;
  const first = Object.values(examples)[0];
  if (!first) throw new Error(`the contract has no example for ${String(status)}`);
  return first.value.error;
}

describe("updateConnector against the contract's mock", () => {
  it("a valid update resolves to a contract-valid EVSE", async () => {
    const evse = await client().updateConnector(PATH, { standard: "IEC_62196_T2", format: "SOCKET", maxElectricPower: 22 });
    expect(validateEvse(evse).ok).toBe(true);
    expect(evse.connectors.length).toBeGreaterThan(0);
  });

  it("no Authorization header (a proxy dropped it) is an http 401", async () => {
    const dropAuth = (request: Request) => {
      const headers = new Headers(request.headers);
      headers.delete("authorization");
      return fetch(new Request(request, { headers }));
    };
    const error = await failure(client({ fetch: dropAuth }).updateConnector(PATH, { maxVoltage: 400 }));
    expect(error).toMatchObject({ kind: "http", status: 401 });
    expect(error.message).toContain("SPIRII_API_KEY");
  });

  it("an invalid key: the documented 401, with its code and request id", async () => {
    const documented = documentedError("401");
    const error = await failure(client().updateConnector(PATH, { maxVoltage: 400 }, { headers: { Prefer: "code=401" } }));
    expect(error.kind).toBe("http");
    if (error.kind !== "http") return;
    expect(error).toMatchObject({ status: 401, code: documented.code, requestId: documented.request_id, apiMessage: documented.message });
  });

  it.each(["400", "403", "404", "409", "422"] as const)("Prefer: code=%s gives the documented error as kind http", async (status) => {
    const documented = documentedError(status);
    const error = await failure(client().updateConnector(PATH, { maxVoltage: 400 }, { headers: { Prefer: `code=${status}` } }));
    expect(error).toMatchObject({ kind: "http", status: Number(status), code: documented.code, requestId: documented.request_id });
    expect(error.message).toContain(`returned ${status}`);
  });

  it("Prefer: code=429 gives kind rate-limited with the documented envelope", async () => {
    const documented = documentedError("429");
    const error = await failure(client().updateConnector(PATH, { maxVoltage: 400 }, { headers: { Prefer: "code=429" } }));
    expect(error).toMatchObject({ kind: "rate-limited", status: 429, code: documented.code, requestId: documented.request_id });
  });

  it("the check before sending agrees with the mock: the same unknown field is a 422 there, and never sent here", async () => {
    const body = { maxElectricPower: 22, maxPower: 22 };
    const raw = await client().raw.PATCH(UPDATE_CONNECTOR.path, { params: { path: PATH }, body: body as never });
    expect(raw.response.status).toBe(422);

    const sent: string[] = [];
    const spy = (request: Request) => {
      sent.push(request.url);
      return fetch(request);
    };
    const error = await failure(client({ fetch: spy }).updateConnector(PATH, body as never));
    expect(error.kind).toBe("invalid-request");
    if (error.kind !== "invalid-request") return;
    expect(error.issues).toMatchObject([{ in: "body", path: "/maxPower", keyword: "additionalProperties" }]);
    expect(sent).toEqual([]);
  });
});

describe("getEvse against the contract's mock", () => {
  /** The first example envelope the contract documents for a status of getEvse. */
  const documentedRead = (status: string) => {
    const ref = (contract.paths[GET_EVSE.path].get.responses as unknown as Record<string, { $ref: string }>)[status]!.$ref;
    const name = ref.split("/").pop() as keyof typeof contract.components.responses;
    return (Object.values(contract.components.responses[name].content["application/json"].examples)[0] as { value: Envelope }).value.error;
  };

  it("resolves to a contract-valid EVSE (strict)", async () => {
    const evse = await client().getEvse({ uid: PATH.uid });
    expect(validateEvse(evse).ok).toBe(true);
    expect(evse.connectors.length).toBeGreaterThan(0);
  });

  it.each(["401", "403", "404"])("Prefer: code=%s gives the documented error as kind http", async (status) => {
    const documented = documentedRead(status);
    const error = await failure(client().getEvse({ uid: PATH.uid }, { headers: { Prefer: `code=${status}` } }));
    expect(error).toMatchObject({ kind: "http", status: Number(status), code: documented.code, requestId: documented.request_id, operationId: "getEvse" });
  });

  it("Prefer: code=429 gives kind rate-limited", async () => {
    const error = await failure(client().getEvse({ uid: PATH.uid }, { headers: { Prefer: "code=429" } }));
    expect(error).toMatchObject({ kind: "rate-limited", status: 429, code: documentedRead("429").code });
  });
});
