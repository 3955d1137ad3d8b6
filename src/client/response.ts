// The response reader: turns the final response of a call of an operation (updateConnector, getEvse)
// into its documented body, checked by that operation's generated validator for the status, or into
// one ConnectorApiError (http, rate-limited, invalid-response). A 2xx body is read here, once,
// under the size cap and within the attempt's time; an error body openapi-fetch has already parsed
// (the transport capped it first). Every value from the response is redacted before it goes into
// the error's details, so the error's message, written once from them, is clean.
import type { OperationFacts } from "../../generated/operations.js";
import type { operations } from "../../generated/types.js";
import { operationValidators, type CompiledValidator } from "../../generated/validators.js";
import type { Redactor } from "../redact.js";
import { judgeEnumValues, type UnlistedEnumValue } from "../enum-values.js";
import { toIssues, validateApiError } from "../validation.js";
import { ConnectorApiError } from "./errors.js";
import type { ClientEvent } from "./events.js";
import { readRateLimit } from "./retry.js";
import type { Call } from "./transport.js";
import { documentedStatusKey } from "../documented-status.js";

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

type Validators = { readonly responses: { readonly [status: string]: CompiledValidator<unknown> | null } };

/**
 * What the contract says a `status` of `operation` answers: the documented response's key, the validator of its body, or null when
 * it documents no body. The exact status wins over its range ("2XX"), then "default"; a 2xx the
 * operation does not document is judged as its first documented 2xx would be.
 */
export function responseContract(operation: OperationFacts, status: number): { key: string; body: boolean; validate: CompiledValidator<unknown> | null } {
  const validators = (operationValidators as unknown as Record<string, Validators>)[operation.operationId]!.responses;
  const documented = operation.documentedStatuses;
  const key =
    documentedStatusKey(status, documented) ??
    documented.find((k) => k.startsWith("2")) ??
    String(status);
  return { key, body: operation.responses[key]?.mediaType !== null, validate: validators[key] ?? null };
}

/** Reads the final response of a call of `call.operation` (which a named method always has). */
export async function readOperationResponse({ data, error, response }: FetchResult, call: Call, config: ReaderConfig): Promise<unknown> {
  const { redact } = config;
  const status = response.status;
  const at = { ...call.target(), status };

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
  const expected = responseContract(call.operation!, status);
  // A status the contract documents without a body (a 204) resolves to undefined, whatever came.
  if (!expected.body) return undefined;
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

  const { validate } = expected;
  if (config.validateResponses === "off" || validate === null) return parsed;
  const valid = validate(parsed);
  const schemaIssues = valid ? [] : toIssues(validate.errors, parsed);
  // Open (response) enums: a new value is told, never a violation; a look-alike of a known one is a violation.
  // Judged against the same documented response as the schema above (a 201 the operation does not document is its 200).
  const enums = judgeEnumValues(parsed, { operationId: call.operation!.operationId, status: expected.key });
  reportUnknownValues(enums.unknown, { status, method: call.method, url: call.url }, config);
  if (valid && enums.violations.length === 0) return parsed;
  const mode = config.validateResponses;
  if (config.emit || mode === "strict") {
    // The issues name the body's own fields, so they are outside values too.
    const issues = redactIssues([...schemaIssues, ...enums.violations], redact);
    const body = redact.value(parsed);
    config.emit?.({ type: "contract-violation", method: call.method, url: call.url, status, mode, issues, body });
    if (mode === "strict") throw new ConnectorApiError({ ...invalid(), problem: "contract", issues, body });
  }
  return parsed;
}

/**
 * Tells the hook of each value of an open (response) enum that the contract does not list yet. Spirii's
 * versioning policy makes new enum values non-breaking, so this is an `unknown-value` event, never a
 * contract violation, and no mode rejects the body for it.
 */
function reportUnknownValues(unknown: readonly UnlistedEnumValue[], at: { status: number; method: string; url: string }, config: Pick<ReaderConfig, "redact" | "emit">): void {
  if (!config.emit) return;
  const { redact } = config;
  for (const found of unknown) {
    config.emit({ type: "unknown-value", ...at, path: redact.text(found.path), value: redact.text(found.value), enum: found.enum });
  }
}
