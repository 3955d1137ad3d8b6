// Where the client sends requests, and the one rule about it: a bearer key never travels in clear
// text, so plain http is only accepted for a server on this machine (tests, local mocks).
import { SERVER_URLS } from "../../generated/values.js";

/** The production API (from the contract's servers). The client's default. */
export const PRODUCTION_URL = SERVER_URLS.production;
/** The sandbox API (from the contract's servers); sandbox and production keys differ. */
export const SANDBOX_URL = SERVER_URLS.sandbox;

/** True for 127.0.0.0/8, ::1 and localhost: hosts whose traffic never leaves the machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  // WHATWG URL parsing has already normalised forms like "127.1" to "127.0.0.1".
  return host === "localhost" || host === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Checks a base URL and returns it without a trailing slash; throws a TypeError saying what to fix. */
export function checkBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError(
      // Quoted up to any query: a key pasted into a URL must not reach the message.
      `createConnectorClient: baseUrl ${JSON.stringify(String(baseUrl).split("?")[0])} is not an absolute URL; pass e.g. PRODUCTION_URL (${PRODUCTION_URL}) or SANDBOX_URL (${SANDBOX_URL}).`,
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new TypeError(`createConnectorClient: baseUrl must use https (got ${url.protocol}); for example ${PRODUCTION_URL}.`);
  }
  if (url.protocol === "http:" && !isLoopbackHost(url.hostname)) {
    throw new TypeError(
      `createConnectorClient: refusing plain-http baseUrl ${url.origin} because the API key would be sent in clear text; use https, or http only to a loopback host (localhost, 127.0.0.1, ::1).`,
    );
  }
  if (url.username || url.password) {
    // Credentials in a URL end up in logs and error messages; the client authenticates with apiKey.
    throw new TypeError("createConnectorClient: baseUrl must not contain a user name or password; pass the key as apiKey.");
  }
  if (url.search || url.hash) {
    // The query is not quoted: it is where a key pasted into a URL would be.
    throw new TypeError(`createConnectorClient: baseUrl ${url.origin}${url.pathname} must not have a query or fragment; the client appends the operation's path to it.`);
  }
  return url.href.replace(/\/+$/, "");
}
