// Where the package sends a request carrying the API key, and the one rule about it, for the client
// and for verify alike: a bearer key never travels in clear text, so plain http is accepted only
// for a server on this machine, unless the caller says the network is private (a CI job's service
// host), which only verify offers.
import { SERVER_URLS, UPDATE_CONNECTOR } from "../generated/values.js";

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

export type BaseUrlProblem = "not-a-url" | "scheme" | "insecure-http" | "credentials" | "query" | "path";

export type BaseUrlCheck =
  | { ok: true; url: URL; /** The URL without a trailing slash, ready to prefix a path. */ href: string; insecureHttp: boolean }
  | { ok: false; problem: BaseUrlProblem; /** What is wrong, as the end of a sentence about the URL. */ reason: string };

export interface BaseUrlPolicy {
  /** Accept plain http to any host (the key then travels in clear text). Default false. */
  allowInsecureHttp?: boolean | undefined;
}

/**
 * Checks a base URL against the policy. Never throws, and never quotes a query: a key pasted into
 * a URL must not reach an error message. Callers put the reason into their own error type.
 */
export function checkBaseUrl(baseUrl: unknown, policy: BaseUrlPolicy = {}): BaseUrlCheck {
  let url: URL;
  try {
    url = new URL(String(baseUrl));
  } catch {
    return { ok: false, problem: "not-a-url", reason: `${JSON.stringify(String(baseUrl).split("?")[0])} is not an absolute URL` };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return { ok: false, problem: "scheme", reason: `must use https, or http to a loopback host (got ${url.protocol})` };
  }
  if (url.username || url.password) {
    // Credentials in a URL end up in logs and error messages; the key travels in Authorization.
    return { ok: false, problem: "credentials", reason: "must not contain a user name or password" };
  }
  if (url.search || url.hash) {
    return { ok: false, problem: "query", reason: `${url.origin}${url.pathname} must not have a query or fragment; the path of the operation is appended to it` };
  }
  if (url.pathname !== "/") {
    // The operations' paths start with /v2 and are appended to the base URL: `.../v2` would send to
    // /v2/v2/... and the provider's 404 would blame the EVSE id.
    return {
      ok: false,
      problem: "path",
      reason: `${url.origin}${url.pathname} has a path, and the operation's whole path is appended to it (${url.origin}${url.pathname.replace(/\/+$/, "")}${UPDATE_CONNECTOR.path}); pass the origin alone: ${url.origin}`,
    };
  }
  const insecureHttp = url.protocol === "http:" && !isLoopbackHost(url.hostname);
  if (insecureHttp && policy.allowInsecureHttp !== true) {
    return {
      ok: false,
      problem: "insecure-http",
      reason: `${url.origin} is plain http to a host that is not loopback, so the API key would be sent in clear text; use https, or http only to a loopback host (localhost, 127.0.0.1, ::1)`,
    };
  }
  return { ok: true, url, href: url.href.replace(/\/+$/, ""), insecureHttp };
}
