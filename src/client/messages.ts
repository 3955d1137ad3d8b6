// One sentence per failure, for people: what was sent where, what came back, what to do next.
import { API_KEY_ENV_VAR } from "./auth.js";
import type { ConnectorApiErrorDetails, HttpDetails, InvalidResponseDetails } from "./errors.js";

const after = (attempts: number) => (attempts > 1 ? ` after ${attempts} attempts` : "");

function quoted(d: { apiMessage?: string; code?: string; requestId?: string }): string {
  const parts = [
    d.apiMessage === undefined ? undefined : JSON.stringify(d.apiMessage),
    d.code === undefined ? undefined : `code ${d.code}`,
    d.requestId === undefined ? undefined : `request id ${d.requestId}`,
  ].filter((part) => part !== undefined);
  return parts.length ? ` (${parts.join(", ")})` : "";
}

function httpAdvice(d: HttpDetails): string {
  const s = d.status;
  if (s >= 300 && s < 400) return "the client does not follow redirects, so the key is not sent on to another address; check baseUrl";
  if (s === 400) return "the API found the request malformed; compare the patch with the contract";
  if (s === 401) return `check that ${API_KEY_ENV_VAR} holds a valid, unexpired key for this server (sandbox and production keys differ)`;
  if (s === 403) return "the key is valid but lacks permission for this EVSE or operation; ask Spirii to grant it";
  if (s === 404) return "check that the EVSE uid and the connector id exist and that this key can see them";
  if (s === 409) return "the connector cannot be changed in its current state (for example while charging); try again later";
  if (s === 422) return "the API cannot apply these values (for example a limit the hardware does not support); adjust the patch";
  if (s >= 500) return "Spirii failed to process it; the update is idempotent, so try again later, and quote the request id to Spirii support if it persists";
  return "see error.body for the API's explanation";
}

function invalidResponse(d: InvalidResponseDetails, sent: string): string {
  const got = `${sent} returned ${d.status}${after(d.attempts)}`;
  const applied = "the update was probably applied";
  switch (d.problem) {
    case "content-type":
      return `${got} as ${d.contentType ?? "an unknown media type"} instead of JSON, so something other than the API may have answered (a proxy or captive portal); check baseUrl and the network path.`;
    case "empty":
      return `${got} with an empty body where the contract promises the updated EVSE; ${applied}, so check the connector before relying on it and report this to Spirii.`;
    case "not-json":
      return `${got} with a body that is not valid JSON (${d.detail ?? "unparseable"}); ${applied}, so check the connector before relying on it and report this to Spirii.`;
    case "too-large":
      return `${got} with a body larger than ${d.detail ?? "the limit"}, far more than an EVSE needs, so the client stopped reading; check baseUrl, or raise maxResponseBytes if such bodies are expected.`;
    case "contract":
      return `${got} with an EVSE that breaks the contract (${d.issues.map((i) => `${i.path || "(the body)"} ${i.message}`).join("; ")}); ${applied}; pass validateResponses: "report" to accept such bodies, and report the mismatch to the maintainers of spirii-connector-contract.`;
  }
}

function reasonText(reason: unknown): string {
  if (reason instanceof Error) return `${reason.name}: ${reason.message}`;
  if (reason === undefined) return "no reason given";
  return typeof reason === "string" ? reason : JSON.stringify(reason) ?? String(reason);
}

export function describeFailure(d: ConnectorApiErrorDetails): string {
  const sent = `${d.method} ${d.url}`;
  const unsure = "the update may or may not have been applied, and sending it again is safe because it is idempotent";
  switch (d.kind) {
    case "invalid-request":
      return `${sent} was not sent because the request breaks the contract: ${d.issues
        .map((i) => `${i.in} ${i.path || "(the whole value)"} ${i.message}`)
        .join("; ")}; fix ${d.issues.length > 1 ? "these" : "this"} and call again.`;
    case "http":
      return `${sent} returned ${d.status}${d.statusText ? ` ${d.statusText}` : ""}${after(d.attempts)}${quoted(d)}: ${httpAdvice(d)}.`;
    case "rate-limited": {
      const limits = d.rateLimit.limit === undefined ? "" : `, limit ${d.rateLimit.limit}${d.rateLimit.remaining === undefined ? "" : `, ${d.rateLimit.remaining} remaining`}`;
      const wait = d.retryAfterMs === undefined ? "wait a while" : `wait ${Math.ceil(d.retryAfterMs / 1000)} s as Retry-After asks`;
      return `${sent} was rate-limited (429)${after(d.attempts)}${limits}${quoted(d)}: ${wait} before sending again, and spread requests to stay under the limit.`;
    }
    case "timeout":
      return `${sent} got no complete response within ${d.timeoutMs} ms${after(d.attempts)}: check the network path to ${new URL(d.url).host} or raise timeoutMs; ${unsure}.`;
    case "aborted":
      return `${sent} was aborted by the caller's AbortSignal (${reasonText(d.reason)}) before a complete response${d.attempts > 1 ? `, during attempt ${d.attempts}` : ""}; ${unsure}.`;
    case "network":
      return `${sent} failed without an HTTP response${after(d.attempts)} (${d.detail}): check that ${new URL(d.url).origin} is reachable from here (DNS, proxy, firewall) and that baseUrl is right; ${unsure}.`;
    case "invalid-response":
      return invalidResponse(d, sent);
  }
}
