// Every answer the fake gives in its own tests passes through here and is judged by the compiled
// validators: a documented status, the documented media type, a contract-valid EVSE for a 200 and
// the documented error envelope otherwise. A fake that drifts from the contract fails these tests.
// (Only the deliberately broken answers of queued faults are fetched without it.)
import { expect } from "vitest";
import { documentedResponse } from "../../../src/testing/contract-document.js";
import { validateApiError, validateEvse } from "../../../src/validation.js";

export interface CheckedResponse {
  status: number;
  headers: Headers;
  body: any;
}

export async function checkedFetch(url: string, init: RequestInit = {}): Promise<CheckedResponse> {
  const response = await fetch(url, init);
  const text = await response.text();
  const documented = documentedResponse(response.status);
  expect(documented, `${response.status} is not a documented status`).toBeDefined();
  expect(documented!.mediaTypes).toContain(response.headers.get("content-type"));
  const body: unknown = JSON.parse(text);
  const result = response.status === 200 ? validateEvse(body) : validateApiError(body);
  expect(result.ok ? [] : result.issues, `the ${response.status} body breaks the contract: ${text}`).toEqual([]);
  return { status: response.status, headers: response.headers, body };
}

export const AUTH = { Authorization: "Bearer test-key", "Content-Type": "application/json" };

/** PATCH a connector of the fake, checked. */
export function patch(base: string, uid: number | string, connectorId: number | string, body: unknown, headers: Record<string, string> = AUTH) {
  return checkedFetch(`${base}/v2/evses/${uid}/connectors/${connectorId}`, { method: "PATCH", headers, body: typeof body === "string" ? body : JSON.stringify(body) });
}

/** GET an EVSE of the fake, checked. */
export function read(base: string, uid: number | string, headers: Record<string, string> = AUTH) {
  return checkedFetch(`${base}/v2/evses/${uid}`, { headers });
}
