// The operation itself: check the request against the contract, send it through openapi-fetch,
// and turn whatever comes back into the updated EVSE or one ConnectorApiError.
import type { Client } from "openapi-fetch";
import type { operations, paths } from "../../generated/types.js";
import { UPDATE_CONNECTOR } from "../../generated/values.js";
import { validateApiError, validateConnectorPath, validateConnectorUpdate, validateEvse, type ValidationResult } from "../validation.js";
import type { ConnectorApiError, ConnectorApiErrorDetails, RequestIssue } from "./errors.js";
import type { ClientEvent } from "./events.js";
import { RETRY_AFTER, isJsonMediaType, readRateLimit } from "./headers.js";
import { compilePath } from "../path-template.js";
import type { Receipt } from "./prepared-request.js";
import { parseRetryAfter } from "./retry.js";

type Operation = operations["updateConnector"];
/** `{ uid, connectorId }`: which connector to update. */
export type UpdateConnectorPath = Operation["parameters"]["path"];
/** The fields to change (at least one). */
export type UpdateConnectorPatch = Operation["requestBody"]["content"]["application/json"];
/** The EVSE after the update. */
export type UpdatedEvse = Operation["responses"][200]["content"]["application/json"];

/** What a client does with a 2xx body that breaks the contract. */
export type ResponseValidation = "off" | "report" | "strict";
export const RESPONSE_VALIDATION_MODES = ["off", "report", "strict"] as const satisfies readonly ResponseValidation[];

export interface UpdateConnectorOptions {
  /** Aborts the call (every attempt and every wait between them); reported as kind "aborted". */
  signal?: AbortSignal | undefined;
  /**
   * Extra request headers, e.g. `Prefer: code=404` for a Prism mock. Authorization and
   * User-Agent are always the client's own.
   */
  headers?: Record<string, string> | undefined;
}

export type UpdateConnector = (
  path: UpdateConnectorPath,
  patch: UpdateConnectorPatch,
  options?: UpdateConnectorOptions,
) => Promise<UpdatedEvse>;

export interface UpdateConnectorDeps {
  /** updateConnector's own openapi-fetch client, whose requests are PreparedRequests. */
  api: Client<paths>;
  baseUrl: string;
  validateResponses: ResponseValidation;
  /** Undefined without a hook. */
  emit: ((event: ClientEvent) => void) | undefined;
  fail: (details: ConnectorApiErrorDetails, cause?: unknown) => ConnectorApiError;
}

const TEXT_LIMIT = 4096;
const excerpt = (text: string) => (text.length > TEXT_LIMIT ? `${text.slice(0, TEXT_LIMIT)}…` : text);
/** What response.text() would do: UTF-8, a leading BOM dropped, malformed bytes replaced. */
const utf8 = new TextDecoder();

function issuesIn(where: RequestIssue["in"], result: ValidationResult<unknown>): RequestIssue[] {
  return result.ok ? [] : result.issues.map((issue) => ({ in: where, ...issue }));
}

const fillPath = compilePath(UPDATE_CONNECTOR.path);
/** The request URL for messages, from the contract's path template (also for ids that fail it). */
function urlFor(baseUrl: string, path: Record<string, unknown>): string {
  return baseUrl + fillPath(path);
}

/** The fields of the documented error envelope, when the body has it. */
function envelope(body: unknown): { apiMessage?: string; code?: string; requestId?: string } {
  const result = validateApiError(body);
  if (!result.ok) return {};
  const { message, code, request_id: requestId } = result.value.error;
  return { apiMessage: message, ...(code === undefined ? {} : { code }), ...(requestId === undefined ? {} : { requestId }) };
}

export function createUpdateConnector(deps: UpdateConnectorDeps): UpdateConnector {
  const { api, fail, emit } = deps;
  const method = UPDATE_CONNECTOR.method;

  return async function updateConnector(path, patch, options = {}) {
    const pathCheck = validateConnectorPath(path);
    const patchCheck = validateConnectorUpdate(patch);
    if (!pathCheck.ok || !patchCheck.ok) {
      const issues = [...issuesIn("path", pathCheck), ...issuesIn("body", patchCheck)];
      throw fail({ kind: "invalid-request", method, url: urlFor(deps.baseUrl, path), attempts: 0, issues });
    }

    // The transport fills this in: how many attempts it took, and the 2xx body it has already read
    // (within the deadline and the size cap). openapi-fetch must not read that body again
    // (parseAs "stream"), and a malformed body must be an error of ours.
    const receipt: Receipt = { attempts: 1, bytes: undefined };
    const init = {
      params: { path },
      body: patch,
      parseAs: "stream" as const,
      // Passed on to the PreparedRequest, as fetch options openapi-fetch does not know are.
      receipt,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.headers === undefined ? {} : { headers: options.headers }),
    };
    const { error, response } = await api.PATCH(UPDATE_CONNECTOR.path, init);
    const status = response.status;
    const contentType = response.headers.get("content-type") ?? undefined;
    // Only failures need the URL; build it then.
    const at = () => ({ method, url: urlFor(deps.baseUrl, path), attempts: receipt.attempts, status });

    if (!response.ok) {
      const body = typeof error === "string" ? excerpt(error) : error;
      const fromBody = { ...(body === undefined || body === "" ? {} : { body }), ...envelope(error) };
      if (status === 429) {
        const retryAfterMs = parseRetryAfter(response.headers.get(RETRY_AFTER));
        throw fail({
          kind: "rate-limited",
          ...at(),
          rateLimit: readRateLimit(response.headers),
          ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
          ...fromBody,
        });
      }
      throw fail({ kind: "http", ...at(), statusText: response.statusText, ...fromBody });
    }

    const text = receipt.bytes === undefined ? "" : utf8.decode(receipt.bytes);
    const invalid = () => ({ kind: "invalid-response" as const, ...at(), issues: [], ...(contentType === undefined ? {} : { contentType }) });
    if (contentType !== undefined && !isJsonMediaType(contentType)) {
      throw fail({ ...invalid(), problem: "content-type", ...(text ? { body: excerpt(text) } : {}) });
    }
    if (text.trim() === "") throw fail({ ...invalid(), problem: "empty" });
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (parseError) {
      throw fail({ ...invalid(), problem: "not-json", body: excerpt(text), detail: (parseError as Error).message }, parseError);
    }

    if (deps.validateResponses === "off") return parsed as UpdatedEvse;
    const checked = validateEvse(parsed);
    if (checked.ok) return checked.value;
    emit?.({ type: "contract-violation", method, url: urlFor(deps.baseUrl, path), status, mode: deps.validateResponses, issues: checked.issues, body: parsed });
    if (deps.validateResponses === "strict") throw fail({ ...invalid(), problem: "contract", issues: checked.issues, body: parsed });
    return parsed as UpdatedEvse;
  };
}
