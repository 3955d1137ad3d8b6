// The client's one call path, for every operation of the contract (openapi-fetch style: one core,
// each named method a one-line facade). Top to bottom: check the options and the request (path,
// query, body) with the operation's generated validators, send it through openapi-fetch (which
// builds the Request) and the transport (attempts, deadline, key, what may be resent), and hand the
// final response to the reader, which resolves to the documented body or rejects with one error.
// Everything about the operation (method, path, parameters, body, statuses, x-idempotent) is read
// from the generated registry, never written here.
import type { Client } from "openapi-fetch";
import { OPERATIONS, type OperationFacts, type OperationId } from "../../generated/operations.js";
import type { paths } from "../../generated/types.js";
import { operationValidators, type CompiledValidator } from "../../generated/validators.js";
import { isPlainObject, unknownOptionIssues } from "../options.js";
import { compilePath } from "../path-template.js";
import type { Redactor } from "../redact.js";
import { toIssues } from "../validation.js";
import { ConnectorApiError, type RequestIssue } from "./errors.js";
import { CALL_OPTIONS, CLIENT_OPTION_ADVICE } from "./option-names.js";
import { readOperationResponse, redactIssues, type ReaderConfig } from "./response.js";
import type { CallOptions, Transport } from "./transport.js";

/** The options of every named method (updateConnector, getEvse). */
export interface OperationOptions {
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

/** What one call sends: the path parameters, the query parameters and the body, each where the operation has one. */
export interface OperationInput {
  path?: unknown;
  query?: unknown;
  body?: unknown;
}

export const MAX_WHOLE_MS = 2_147_483_647;

/** A whole number of milliseconds that setTimeout reads as it is (above 2^31-1 it would fire at once). */
export const isWholeMs = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 1 && (value as number) <= MAX_WHOLE_MS;

export { isPlainObject };

const typeName = (value: unknown) => (value === null ? "null" : Array.isArray(value) ? "an array" : typeof value);
const optionIssue = (field: string, message: string): RequestIssue => ({ in: "options", path: field ? `/${field}` : "", keyword: "type", message });

/** The problems with an options argument (`null` and `undefined` are no options). Never quotes a value: a header may hold a secret. */
export function checkOptions(options: unknown, extra: (o: Record<string, unknown>) => RequestIssue[] = () => []): RequestIssue[] {
  if (options === undefined || options === null) return [];
  if (!isPlainObject(options)) return [optionIssue("", `must be an object, null or undefined (got ${typeName(options)})`)];
  const o = options;
  const issues: RequestIssue[] = [];
  if (o.signal !== undefined && !(o.signal instanceof AbortSignal)) issues.push(optionIssue("signal", `must be an AbortSignal (got ${typeName(o.signal)})`));
  if (o.headers !== undefined) {
    const problem = headersProblem(o.headers);
    if (problem) issues.push(optionIssue("headers", `must be an object of header names to string values (${problem})`));
  }
  if (o.deadlineMs !== undefined && !isWholeMs(o.deadlineMs)) issues.push(optionIssue("deadlineMs", `must be a whole number from 1 to ${MAX_WHOLE_MS}`));
  return [...issues, ...extra(o)];
}

/**
 * Every problem with the options argument of one of the client's functions, in the order a caller
 * reads them: its shape and the options every call shares (checkOptions), the function's own
 * (`extra`), then each name it does not take, with where that name belongs (`known`: its names).
 */
export function optionsIssues(options: unknown, known: readonly string[], extra?: (o: Record<string, unknown>) => RequestIssue[]): RequestIssue[] {
  return [...checkOptions(options, extra), ...unknownOptionIssues(options, known, CLIENT_OPTION_ADVICE)];
}

function headersProblem(headers: unknown): string | undefined {
  if (!isPlainObject(headers)) return `got ${typeName(headers)}`;
  for (const value of Object.values(headers)) if (typeof value !== "string") return `a value is ${typeName(value)}`;
  try {
    new Headers(headers as Record<string, string>);
  } catch {
    return "a name or a value is not allowed in HTTP, e.g. a line break";
  }
  return undefined;
}

type PartValidators = { path: CompiledValidator<unknown> | null; query: CompiledValidator<unknown> | null; body: CompiledValidator<unknown> | null };
const VALIDATORS = operationValidators as unknown as Record<OperationId, PartValidators>;

function issuesIn(where: "path" | "query" | "body", validator: CompiledValidator<unknown>, value: unknown): RequestIssue[] {
  try {
    return validator(value) ? [] : toIssues(validator.errors, value).map((issue) => ({ in: where, ...issue }));
  } catch {
    // A value no JSON could hold (a BigInt, a cycle) can make describing it throw.
    return [{ in: where, path: "", keyword: "type", message: "is not a JSON value" }];
  }
}

/** The problems with one call's path parameters, query and body, each against the operation's contract. */
export function checkRequest(operationId: OperationId, input: OperationInput): RequestIssue[] {
  const facts: OperationFacts = OPERATIONS[operationId];
  const validators = VALIDATORS[operationId];
  const issues: RequestIssue[] = [];
  if (validators.path) issues.push(...issuesIn("path", validators.path, input.path));
  // An absent query is an empty one (its required parameters, if any, are then missing).
  if (validators.query) issues.push(...issuesIn("query", validators.query, input.query ?? {}));
  if (validators.body && (input.body !== undefined || facts.requestBody?.required === true)) issues.push(...issuesIn("body", validators.body, input.body));
  return issues;
}

const FILL = new Map(Object.values(OPERATIONS).map((facts: OperationFacts) => [facts.operationId, compilePath(facts.path)]));
const ID = /^\d{1,20}$/;

/** The request URL for an error about a request that was not sent: ids that are not ids stay as the template's names. */
export function urlFor(baseUrl: string, operationId: OperationId, path: unknown): string {
  const id = (name: string) => {
    try {
      const value = (path as Record<string, unknown> | null | undefined)?.[name];
      return typeof value === "number" || (typeof value === "string" && ID.test(value)) ? String(value) : `{${name}}`;
    } catch {
      return `{${name}}`;
    }
  };
  const ids = Object.fromEntries(OPERATIONS[operationId].pathParameters.map((name) => [name, id(name)]));
  return baseUrl + FILL.get(operationId)!(ids).replaceAll("%7B", "{").replaceAll("%7D", "}");
}

/** An invalid-request error: the caller's values in the issues are redacted (a body may quote the key). */
export function invalidRequest(config: { baseUrl: string; redact: Redactor }, operationId: OperationId, path: unknown, issues: RequestIssue[]): ConnectorApiError {
  return new ConnectorApiError({
    kind: "invalid-request",
    method: OPERATIONS[operationId].method,
    url: urlFor(config.baseUrl, operationId, path),
    attempts: 0,
    operationId,
    issues: redactIssues(issues, config.redact),
  });
}

export interface OperationConfig extends ReaderConfig {
  /** The named methods' own openapi-fetch client: no caller middleware, so what is sent is what was checked. */
  api: Client<paths>;
  transport: Transport;
  baseUrl: string;
  redact: Redactor;
}

/** Calls one operation: the client's one call path. `call` carries the transport's extra settings (updateConnectors leaves 429s to its queue). */
export type SendOperation = (operationId: OperationId, input: OperationInput, options: OperationOptions | null | undefined, call?: CallOptions) => Promise<unknown>;

type AnyRequest = (method: string, url: string, init: Record<string, unknown>) => Promise<{ data?: unknown; error?: unknown; response: Response }>;

export function createOperationSender(config: OperationConfig): SendOperation {
  const { api, transport } = config;
  const request = api.request as unknown as AnyRequest;

  return async function send(operationId, input, options, settings) {
    const issues = [...optionsIssues(options, CALL_OPTIONS), ...checkRequest(operationId, input)];
    if (issues.length) throw invalidRequest(config, operationId, input.path, issues);
    const facts: OperationFacts = OPERATIONS[operationId];
    const o: OperationOptions = options ?? {};

    const call = transport.open(facts, "", { ...settings, signal: o.signal, deadlineMs: o.deadlineMs });
    try {
      const signal = call.firstSignal();
      const result = await request(facts.method, facts.path, {
        params: { path: input.path, query: input.query },
        ...(input.body === undefined ? {} : { body: input.body, bodySerializer: call.serialize }),
        // Left to the reader: it reads the body under the size cap and the attempt's deadline.
        parseAs: "stream",
        fetch: call.send,
        ...(o.headers === undefined ? {} : { headers: o.headers }),
        ...(signal === undefined ? {} : { signal }),
      });
      return await readOperationResponse(result, call, config);
    } catch (error) {
      if (error instanceof ConnectorApiError) throw error;
      // Not reachable with checked input; should openapi-fetch throw, it is still our error type.
      const cause = config.redact.error(error);
      throw new ConnectorApiError(
        { kind: "network", ...call.target(), url: call.url || urlFor(config.baseUrl, operationId, input.path), detail: `${cause.name}: ${cause.message}` },
        { cause },
      );
    } finally {
      call.close();
    }
  };
}
