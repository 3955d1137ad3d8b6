// The operation, top to bottom: check the options and the request against the contract, send it
// through openapi-fetch (which builds the Request) and the transport (attempts, deadline, key), and
// hand the final response to the reader, which resolves to the EVSE or rejects with one error.
import type { Client } from "openapi-fetch";
import type { operations, paths } from "../../generated/types.js";
import { UPDATE_CONNECTOR } from "../../generated/values.js";
import { unknownOptionIssues } from "../options.js";
import { compilePath } from "../path-template.js";
import type { Redactor } from "../redact.js";
import { validateConnectorPath, validateConnectorUpdate, type ValidationResult } from "../validation.js";
import { ConnectorApiError, type RequestIssue } from "./errors.js";
import { CALL_OPTIONS, CLIENT_OPTION_ADVICE } from "./option-names.js";
import { readUpdateResponse, redactIssues, type ReaderConfig, type UpdatedEvse } from "./response.js";
import type { CallOptions, Transport } from "./transport.js";

type Operation = operations["updateConnector"];
/** `{ uid, connectorId }`: which connector to update. */
export type UpdateConnectorPath = Operation["parameters"]["path"];
/** The fields to change (at least one). */
export type UpdateConnectorPatch = Operation["requestBody"]["content"]["application/json"];

export interface UpdateConnectorOptions {
  /** Aborts the call (every attempt and every wait between them); reported as kind "aborted". */
  signal?: AbortSignal | undefined;
  /**
   * Extra request headers, e.g. `Prefer: code=404` for a Prism mock. Authorization and
   * User-Agent are always the client's own.
   */
  headers?: Record<string, string> | undefined;
  /** Bounds this call, attempts, reads and waits included (default: the client's deadlineMs). */
  deadlineMs?: number | undefined;
}

export type UpdateConnector = (
  path: UpdateConnectorPath,
  patch: UpdateConnectorPatch,
  /** `null` and `undefined` mean no options. */
  options?: UpdateConnectorOptions | null,
) => Promise<UpdatedEvse>;

export const MAX_WHOLE_MS = 2_147_483_647;

/** A whole number of milliseconds that setTimeout reads as it is (above 2^31-1 it would fire at once). */
export const isWholeMs = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 1 && (value as number) <= MAX_WHOLE_MS;

const typeName = (value: unknown) => (value === null ? "null" : Array.isArray(value) ? "an array" : typeof value);
const optionIssue = (field: string, message: string): RequestIssue => ({ in: "options", path: field ? `/${field}` : "", keyword: "type", message });

/** The problems with an options argument (`null` and `undefined` are no options). Never quotes a value: a header may hold a secret. */
export function checkOptions(options: unknown, extra: (o: Record<string, unknown>) => RequestIssue[] = () => []): RequestIssue[] {
  if (options === undefined || options === null) return [];
  if (typeof options !== "object" || Array.isArray(options)) return [optionIssue("", `must be an object, null or undefined (got ${typeName(options)})`)];
  const o = options as Record<string, unknown>;
  const issues: RequestIssue[] = [];
  if (o.signal !== undefined && !(o.signal instanceof AbortSignal)) issues.push(optionIssue("signal", `must be an AbortSignal (got ${typeName(o.signal)})`));
  if (o.headers !== undefined) {
    const problem = headersProblem(o.headers);
    if (problem) issues.push(optionIssue("headers", `must be an object of header names to string values (${problem})`));
  }
  if (o.deadlineMs !== undefined && !isWholeMs(o.deadlineMs)) issues.push(optionIssue("deadlineMs", `must be a whole number from 1 to ${MAX_WHOLE_MS}`));
  return [...issues, ...extra(o)];
}

function headersProblem(headers: unknown): string | undefined {
  if (headers === null || typeof headers !== "object" || Array.isArray(headers)) return `got ${typeName(headers)}`;
  for (const value of Object.values(headers)) if (typeof value !== "string") return `a value is ${typeName(value)}`;
  try {
    new Headers(headers as Record<string, string>);
  } catch {
    return "a name or a value is not allowed in HTTP, e.g. a line break";
  }
  return undefined;
}

function issuesIn(where: "path" | "body", check: () => ValidationResult<unknown>): RequestIssue[] {
  try {
    const result = check();
    return result.ok ? [] : result.issues.map((issue) => ({ in: where, ...issue }));
  } catch {
    // A value no JSON could hold (a BigInt, a cycle) can make describing it throw.
    return [{ in: where, path: "", keyword: "type", message: "is not a JSON value" }];
  }
}

/** The problems with one update's path ids and patch (both must follow the contract). */
export function checkUpdate(path: unknown, patch: unknown): RequestIssue[] {
  return [...issuesIn("path", () => validateConnectorPath(path)), ...issuesIn("body", () => validateConnectorUpdate(patch))];
}

const fillPath = compilePath(UPDATE_CONNECTOR.path);
const ID = /^\d{1,20}$/;

/** The request URL for an error about a request that was not sent: ids that are not ids stay as the template's names. */
export function urlFor(baseUrl: string, path: unknown): string {
  const id = (name: "uid" | "connectorId") => {
    try {
      const value = (path as Record<string, unknown> | null | undefined)?.[name];
      return typeof value === "number" || (typeof value === "string" && ID.test(value)) ? String(value) : `{${name}}`;
    } catch {
      return `{${name}}`;
    }
  };
  return baseUrl + fillPath({ uid: id("uid"), connectorId: id("connectorId") }).replaceAll("%7B", "{").replaceAll("%7D", "}");
}

export interface UpdateConnectorConfig extends ReaderConfig {
  /** updateConnector's own openapi-fetch client: no caller middleware, so what is sent is what was checked. */
  api: Client<paths>;
  transport: Transport;
  baseUrl: string;
  redact: Redactor;
}

/** An invalid-request error: the caller's values in the issues are redacted (a patch may quote the key). */
export function invalidRequest(config: { baseUrl: string; redact: Redactor }, path: unknown, issues: RequestIssue[]): ConnectorApiError {
  return new ConnectorApiError({ kind: "invalid-request", method: UPDATE_CONNECTOR.method, url: urlFor(config.baseUrl, path), attempts: 0, issues: redactIssues(issues, config.redact) });
}

/** updateConnector with the transport's extra call settings (updateConnectors paces itself through them). */
export type SendUpdate = (path: UpdateConnectorPath, patch: UpdateConnectorPatch, options: UpdateConnectorOptions | null | undefined, call?: CallOptions) => Promise<UpdatedEvse>;

export function createUpdateConnector(config: UpdateConnectorConfig): SendUpdate {
  const { api, transport } = config;
  const method = UPDATE_CONNECTOR.method;

  return async function updateConnector(path, patch, options, settings) {
    const issues = [...checkOptions(options), ...unknownOptionIssues(options, CALL_OPTIONS, CLIENT_OPTION_ADVICE), ...checkUpdate(path, patch)];
    if (issues.length) throw invalidRequest(config, path, issues);
    const o: UpdateConnectorOptions = options ?? {};

    const call = transport.open(method, "", { ...settings, signal: o.signal, deadlineMs: o.deadlineMs });
    try {
      const signal = call.firstSignal();
      const result = await api.PATCH(UPDATE_CONNECTOR.path, {
        params: { path },
        body: patch,
        bodySerializer: call.serialize,
        // Left to the reader: it reads the body under the size cap and the attempt's deadline.
        parseAs: "stream",
        fetch: call.send,
        ...(o.headers === undefined ? {} : { headers: o.headers }),
        ...(signal === undefined ? {} : { signal }),
      });
      return await readUpdateResponse(result, call, config);
    } catch (error) {
      if (error instanceof ConnectorApiError) throw error;
      // Not reachable with checked input; should openapi-fetch throw, it is still our error type.
      const cause = config.redact.error(error);
      throw new ConnectorApiError({ kind: "network", method, url: call.url || urlFor(config.baseUrl, path), attempts: call.attempts, detail: `${cause.name}: ${cause.message}` }, { cause });
    } finally {
      call.close();
    }
  };
}

export type { UpdatedEvse };
