// client.raw and the key: openapi-fetch lets one request override baseUrl, and hands the same
// Request to middleware again in onResponse/onError. Neither may take the key anywhere.
import { describe, expect, it } from "vitest";
import { ConnectorApiError, createConnectorClient } from "../../src/index.js";

const KEY = "sk_test_raw_4f1c9a";
const PATH = "/v2/evses/{uid}/connectors/{connectorId}" as const;
const EVSE = { uid: 1, evseId: "DK.1*1", chargeboxId: 1, status: "AVAILABLE", connectors: [] };

function recordingFetch() {
  const sent: Request[] = [];
  const fetch = async (request: Request) => {
    sent.push(request);
    return new Response(JSON.stringify(EVSE), { status: 200, headers: { "content-type": "application/json" } });
  };
  return { sent, fetch };
}

describe("client.raw", () => {
  it.each(["http://attacker.example", "https://attacker.example", "https://api.example.com.attacker.example"])(
    "refuses a per-request baseUrl %s with invalid-request, and sends nothing",
    async (elsewhere) => {
      const { sent, fetch } = recordingFetch();
      const client = createConnectorClient({ apiKey: KEY, baseUrl: "https://api.example.com", fetch });
      const error = await client.raw
        .PATCH(PATH, { baseUrl: elsewhere, params: { path: { uid: 1, connectorId: 1 } }, body: { maxAmperage: 16 } })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConnectorApiError);
      expect(error).toMatchObject({ kind: "invalid-request", attempts: 0, issues: [{ in: "options", path: "/baseUrl" }] });
      expect((error as Error).message).toContain("is not under the client's baseUrl https://api.example.com");
      expect(sent).toEqual([]);
    },
  );

  it("still sends requests under its own baseUrl, with the key", async () => {
    const { sent, fetch } = recordingFetch();
    const client = createConnectorClient({ apiKey: KEY, baseUrl: "https://api.example.com", fetch });
    const { data } = await client.raw.PATCH(PATH, { params: { path: { uid: 1, connectorId: 1 } }, body: { maxAmperage: 16 } });
    expect(data).toEqual(EVSE);
    expect(sent.map((r) => [r.url, r.headers.get("authorization")])).toEqual([["https://api.example.com/v2/evses/1/connectors/1", `Bearer ${KEY}`]]);
  });

  it("never shows the key to middleware, in onRequest or onResponse", async () => {
    const { fetch } = recordingFetch();
    const client = createConnectorClient({ apiKey: KEY, baseUrl: "https://api.example.com", fetch });
    const seen: (string | null)[] = [];
    client.raw.use({
      onRequest: ({ request }) => void seen.push(request.headers.get("authorization")),
      onResponse: ({ request }) => void seen.push(request.headers.get("authorization")),
    });
    await client.raw.PATCH(PATH, { params: { path: { uid: 1, connectorId: 1 } }, body: { maxAmperage: 16 } });
    expect(seen).toEqual([null, null]);
  });
});
