// The client's reading of the one base-URL policy (src/base-url.ts): plain http only to loopback,
// never overridable, and a TypeError that says how to fix the URL.
import { PRODUCTION_URL, SANDBOX_URL, checkBaseUrl } from "../base-url.js";

export { PRODUCTION_URL, SANDBOX_URL } from "../base-url.js";

/** Checks a base URL and returns it without a trailing slash; throws a TypeError saying what to fix. */
export function clientBaseUrl(baseUrl: string): string {
  const checked = checkBaseUrl(baseUrl);
  if (checked.ok) return checked.href;
  const advice = checked.problem === "not-a-url" || checked.problem === "scheme" ? `; pass e.g. PRODUCTION_URL (${PRODUCTION_URL}) or SANDBOX_URL (${SANDBOX_URL})` : "";
  throw new TypeError(`createConnectorClient: baseUrl ${checked.reason}${advice}.`);
}
