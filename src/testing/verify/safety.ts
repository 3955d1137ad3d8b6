// Guards for a run against a real connector.
import { SERVER_URLS } from "../../../generated/values.js";
import { checkBaseUrl, type BaseUrlProblem } from "../../base-url.js";
import { SetupError } from "./setup-error.js";

const hostOf = (url: string) => new URL(url).hostname.toLowerCase().replace(/\.$/, "");

/** True when `baseUrl` points at the production API (any scheme or port on its host). */
export const isProduction = (baseUrl: string) => hostOf(baseUrl) === hostOf(SERVER_URLS.production);

/** Refuses the production host unless the caller allowed it explicitly. */
export function assertTargetAllowed(baseUrl: string, allowProduction: boolean): void {
  if (isProduction(baseUrl) && !allowProduction) {
    throw new SetupError(
      `${baseUrl} is the production API: verify changes a real connector and sends invalid patches. ` +
        `Use the sandbox (${SERVER_URLS.sandbox}) or a local provider, or pass --allow-production if you really mean it.`,
    );
  }
}

/**
 * Checks a provider base URL with the package's one base-URL policy (src/base-url.ts): https, or
 * http only to loopback unless `allowInsecureHttp` (a CI job's private service host such as
 * http://provider:8080). Runs before any network access.
 */
export function parseBaseUrl(baseUrl: string, allowInsecureHttp = false): URL {
  const checked = checkBaseUrl(baseUrl, { allowInsecureHttp });
  if (checked.ok) return checked.url;
  const advice: Record<BaseUrlProblem, string> = {
    "not-a-url": " (expected e.g. http://127.0.0.1:8080)",
    scheme: "",
    credentials: "; the API key comes from an environment variable",
    query: "",
    path: "",
    "insecure-http":
      ". If this host is only reachable inside a private network (a CI job's service container), pass --allow-insecure-http (option allowInsecureHttp) to send the key over plain http anyway",
  };
  throw new SetupError(`--base-url ${checked.reason}${advice[checked.problem]}.`);
}

/** The warning printed when plain http to a host that is not loopback was allowed. */
export function insecureHttpWarning(url: URL): string {
  return `warning: --allow-insecure-http: the API key is sent in clear text to ${url.origin}; use this only inside a private network.`;
}
