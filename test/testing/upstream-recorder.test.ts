// The relay between Prism and the provider files each exchange it records under the contract's
// operation for its method and path (as the mock files its coverage), and under none for a request
// the contract has no operation for.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET_EVSE, UPDATE_CONNECTOR } from "../../src/contract.js";
import { sendHttp } from "../../src/testing/http-exchange.js";
import { CASE_HEADER, startUpstreamRecorder, type UpstreamRecorder } from "../../src/testing/upstream-recorder.js";

let provider: http.Server;
let relay: UpstreamRecorder;

beforeAll(async () => {
  provider = http.createServer((request, response) => {
    request.resume();
    request.on("end", () => response.writeHead(200, { "content-type": "application/json" }).end("{}"));
  });
  await new Promise<void>((resolve) => provider.listen(0, "127.0.0.1", resolve));
  const { port } = provider.address() as { port: number };
  // A base path of its own: attribution reads the request's path, not the provider's URL.
  relay = await startUpstreamRecorder({ target: new URL(`http://127.0.0.1:${port}/api`), timeoutMs: 5_000 });
});
afterAll(async () => {
  await relay?.close();
  await new Promise((resolve) => provider?.close(resolve));
});

async function through(caseId: string, method: string, path: string) {
  const outcome = await sendHttp({ method, url: new URL(path, relay.url), headers: { [CASE_HEADER]: caseId }, ...(method === "GET" ? {} : { body: "{}" }), timeoutMs: 5_000 });
  expect(outcome.kind).toBe("answered");
  return relay.take(caseId);
}

describe("the upstream recorder", () => {
  it("files an exchange under the operation its method and path name", async () => {
    const patch = await through("a", UPDATE_CONNECTOR.method, "/v2/evses/123456/connectors/1?x=1");
    expect(patch).toMatchObject({ operation: UPDATE_CONNECTOR.operationId, request: { method: UPDATE_CONNECTOR.method }, outcome: { kind: "answered", status: 200 } });
    expect(patch?.request.url).toMatch(/\/api\/v2\/evses\/123456\/connectors\/1\?x=1$/);
    expect((await through("b", GET_EVSE.method, "/v2/evses/123456"))?.operation).toBe(GET_EVSE.operationId);
  });

  it("files a request for no operation of the contract under none", async () => {
    const elsewhere = await through("c", "GET", "/v2/chargers/1");
    expect(elsewhere).toMatchObject({ operation: undefined, outcome: { kind: "answered" } });
    expect((await through("d", "DELETE", "/v2/evses/123456"))?.operation).toBeUndefined();
  });
});
