// Guards for a run against a real connector.
import { SERVER_URLS } from "../../../generated/values.js";
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

/** Parses and checks a provider base URL: http or https, no credentials in it. */
export function parseBaseUrl(baseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new SetupError(`--base-url ${JSON.stringify(baseUrl)} is not a URL (expected e.g. http://127.0.0.1:8080)`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new SetupError(`--base-url must be http or https, got ${url.protocol}`);
  if (url.username || url.password) throw new SetupError("--base-url must not carry credentials; the API key comes from an environment variable");
  if (url.search || url.hash) throw new SetupError("--base-url must not have a query or fragment");
  return url;
}
