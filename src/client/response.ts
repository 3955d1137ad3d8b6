// The response reader: turns the final response of an updateConnector call into the updated EVSE
// or one ConnectorApiError (http, rate-limited, invalid-response). A 2xx body is read here, once,
// under the size cap and within the attempt's time; an error body openapi-fetch has already parsed
// (the transport capped it first). Every value from the response is redacted before it goes into
// the error's details, so the error's message, written once from them, is clean.
import type { operations } from "../../generated/types.js";
import type { Redactor } from "../redact.js";
import { judgeEnumValues } from "../enum-values.js";
import { validateApiError, validateEvse } from "../validation.js";
import { ConnectorApiError } from "./errors.js";
import type { ClientEvent } from "./events.js";
import { readRateLimit } from "./retry.js";
import type { Call } from "./transport.js";

/** The EVSE after the update. */
export type UpdatedEvse = operations["updateConnector"]["responses"][200]["content"]["application/json"];

/** What a client does with a 2xx body that breaks the contract. */
export type ResponseValidation = "off" | "report" | "strict";
export const RESPONSE_VALIDATION_MODES = ["off", "report", "strict"] as const satisfies readonly ResponseValidation[];

export interface ReaderConfig {
  validateResponses: ResponseValidation;
  redact: Redactor;
  emit: ((event: ClientEvent) => void) | undefined;
}

/** What openapi-fetch resolved to, asked for with `parseAs: "stream"`. */
export interface FetchResult {
  data?: unknown;
  error?: unknown;
  response: Response;
}

const TEXT_LIMIT = 4096;
const excerpt = (text: string) => (text.length > TEXT_LIMIT ? `${text.slice(0, TEXT_LIMIT)}…` : text);
/** What response.text() would do: UTF-8, a leading BOM dropped, malformed bytes replaced. */
const utf8 = new TextDecoder();

/** application/json and the +json family (e.g. application/problem+json). */
export function isJsonMediaType(contentType: string): boolean {
  return /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i.test(contentType.trim());
}

/** The fields of the documented error envelope, when the body has it (read before redaction, so a short key cannot break the shape). */
function envelope(body: unknown): { apiMessage?: string; code?: string; requestId?: string } {
  const result = validateApiError(body);
  if (!result.ok) return {};
  const { message, code, request_id: requestId } = result.value.error;
  return { apiMessage: message, ...(code === undefined ? {} : { code }), ...(requestId === undefined ? {} : { requestId }) };
}

/**
 * Our own object with outside values in it: each string value redacted, the field names (ours)
 * kept. (Redacting the object as a whole would also rewrite its names: with a key "e", `reset`.)
 */
export function redactFields<T extends object>(fields: T, redact: Redactor): T {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) out[name] = typeof value === "string" ? redact.text(value) : value;
  return out as T;
}

/** Issues about outside data: their pointers and messages quote it. */
export function redactIssues<T extends { path: string; message: string }>(issues: readonly T[], redact: Redactor): T[] {
  // `in` and `keyword` are the client's and Ajv's own words: kept.
  return issues.map((issue) => ({ ...issue, path: redact.text(issue.path), message: redact.text(issue.message) }));
}

export async function readUpdateResponse({ data, error, response }: FetchResult, call: Call, config: ReaderConfig): Promise<UpdatedEvse> {
  const { redact } = config;
  const status = response.status;
  const at = { method: call.method, url: call.url, attempts: call.attempts, status };

  if (!response.ok) {
    const body = typeof error === "string" ? excerpt(error) : error;
    const fromBody = { ...(body === undefined || body === "" ? {} : { body: redact.value(body) }), ...redactFields(envelope(error), redact) };
    if (status === 429) {
      const retryAfterMs = call.retryAfterMs;
      throw new ConnectorApiError({
        kind: "rate-limited",
        ...at,
        rateLimit: redactFields(readRateLimit(response.headers), redact),
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        ...fromBody,
      });
    }
    throw new ConnectorApiError({ kind: "http", ...at, statusText: redact.text(response.statusText), ...fromBody });
  }

  const rawType = response.headers.get("content-type");
  const contentType = rawType === null ? undefined : redact.text(rawType);
  const invalid = () => ({ kind: "invalid-response" as const, ...at, issues: [], ...(contentType === undefined ? {} : { contentType }) });
  const { bytes, tooLarge } = await call.readBody(data as ReadableStream<Uint8Array> | null | undefined, response.headers.get("content-length"));
  if (tooLarge) throw new ConnectorApiError({ ...invalid(), problem: "too-large", detail: `${call.maxResponseBytes} bytes (maxResponseBytes)` });
  const text = utf8.decode(bytes);
  if (rawType !== null && !isJsonMediaType(rawType)) {
    throw new ConnectorApiError({ ...invalid(), problem: "content-type", ...(text ? { body: redact.text(excerpt(text)) } : {}) });
  }
  if (text.trim() === "") throw new ConnectorApiError({ ...invalid(), problem: "empty" });
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (parseError) {
    const cause = redact.error(parseError);
    throw new ConnectorApiError({ ...invalid(), problem: "not-json", body: redact.text(excerpt(text)), detail: cause.message }, { cause });
  }

  if (config.validateResponses === "off") return parsed as UpdatedEvse;
  reportUnknownValues(parsed, { operationId: "updateConnector", status, method: call.method, url: call.url }, config);
  const checked = validateEvse(parsed);
  if (checked.ok) return checked.value;
  const mode = config.validateResponses;
  if (config.emit || mode === "strict") {
    // The issues name the body's own fields, so they are outside values too.
    const issues = redactIssues(checked.issues, redact);
    const body = redact.value(parsed);
    config.emit?.({ type: "contract-violation", method: call.method, url: call.url, status, mode, issues, body });
    if (mode === "strict") throw new ConnectorApiError({ ...invalid(), problem: "contract", issues, body });
  }
  return parsed as UpdatedEvse;
}

/**
 * Tells the hook of each value of an open (response) enum that the contract does not list yet. Spirii's
 * versioning policy makes new enum values non-breaking, so this is an `unknown-value` event, never a
 * contract violation, and no mode rejects the body for it. (Look-alikes of a known value, such as
 * "Charging", are violations: validateEvse reports them.)
 */
export function reportUnknownValues(body: unknown, exchange: { operationId: string; status: number; method: string; url: string }, config: Pick<ReaderConfig, "redact" | "emit">): void {
  if (!config.emit) return;
  const { operationId, status, method, url } = exchange;
  const { redact } = config;
  for (const found of judgeEnumValues(body, { operationId, status }).unknown) {
    config.emit({ type: "unknown-value", method, url, status, path: redact.text(found.path), value: redact.text(found.value), enum: found.enum });
  }
}
