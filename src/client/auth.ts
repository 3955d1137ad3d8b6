// The API key: checked once when the client is created, turned into the Authorization header, and
// never echoed, not even in the errors about it.

/** The environment variable the Spirii docs use for the key; named in errors so people know where to look. */
export const API_KEY_ENV_VAR = "SPIRII_API_KEY";

/** Returns `Bearer <key>` for a usable key; throws a TypeError that names SPIRII_API_KEY and never the key. */
export function bearerAuthorization(apiKey: unknown): string {
  if (apiKey === undefined || apiKey === null || apiKey === "") {
    throw new TypeError(
      `createConnectorClient: apiKey is missing or empty; pass your Spirii API key, usually from the ${API_KEY_ENV_VAR} environment variable: createConnectorClient({ apiKey: process.env.${API_KEY_ENV_VAR} }).`,
    );
  }
  if (typeof apiKey !== "string") {
    throw new TypeError(`createConnectorClient: apiKey must be a string (got ${typeof apiKey}); pass the value of ${API_KEY_ENV_VAR}.`);
  }
  if (/^bearer\s/i.test(apiKey)) {
    throw new TypeError(`createConnectorClient: apiKey starts with "Bearer "; pass the key alone (the value of ${API_KEY_ENV_VAR}), the client adds the scheme.`);
  }
  // Header values must be visible ASCII; a stray newline (common from .env files) would otherwise
  // surface as a Headers error that quotes the whole value, key included.
  if (!/^[\x21-\x7e]+$/.test(apiKey)) {
    throw new TypeError(
      `createConnectorClient: apiKey contains whitespace, control or non-ASCII characters (often a trailing newline); check and trim ${API_KEY_ENV_VAR}.`,
    );
  }
  return `Bearer ${apiKey}`;
}
