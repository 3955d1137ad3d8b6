// The client's option names, each function's once (create-client.ts checks at compile time that
// they are exactly the keys of its options interfaces), and where each belongs, so that an option
// given to the wrong function is refused with the place it goes (src/options.ts).
import type { OptionAdvice } from "../options.js";

/** createConnectorClient's options. */
export const CLIENT_OPTIONS = ["apiKey", "baseUrl", "fetch", "timeoutMs", "deadlineMs", "retry", "validateResponses", "userAgent", "maxResponseBytes", "onEvent"] as const;
/** The retry policy's options (createConnectorClient({ retry: { ... } })). */
export const RETRY_OPTIONS = ["maxAttempts", "baseDelayMs", "maxDelayMs", "maxRetryAfterMs", "statuses"] as const;
/** The options of each call (updateConnector's third argument). */
export const CALL_OPTIONS = ["signal", "headers", "deadlineMs"] as const;
/** updateConnectors' options. */
export const BATCH_OPTIONS = ["concurrency", "signal", "headers", "deadlineMs", "onProgress"] as const;

/** What the client's option checks tell a caller who used another function's option or another library's name. */
export const CLIENT_OPTION_ADVICE: OptionAdvice = {
  places: [
    { names: CLIENT_OPTIONS, where: (name) => `it is a client option: createConnectorClient({ ${name} })` },
    { names: CALL_OPTIONS, where: (name) => `it is an option of each call: client.updateConnector(path, patch, { ${name} }), client.getEvse(path, { ${name} })` },
    { names: BATCH_OPTIONS, where: (name) => `it is an option of the batch: client.updateConnectors(updates, { ${name} })` },
  ],
  // axios, ky, got and fetch wrappers' names for ours.
  aliases: {
    url: "baseUrl",
    prefixurl: "baseUrl",
    endpoint: "baseUrl",
    timeout: "timeoutMs",
    deadline: "deadlineMs",
    key: "apiKey",
    token: "apiKey",
    retries: "retry",
    maxretries: "maxAttempts",
    attempts: "maxAttempts",
  },
};
