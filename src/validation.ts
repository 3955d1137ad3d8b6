// Validators compiled from the contract at generation time (Ajv standalone, JSON Schema 2020-12),
// wrapped in a result type whose issues a person can read. No schema is compiled at run time. Each
// validator is also a Standard Schema (`~standard`), so tRPC, Hono, TanStack Form and the other
// tools that accept one take it with no adapter; its issues are the same ones, as { message, path }.
import * as compiled from "../generated/validators.js";
import type { AjvError, CompiledValidator } from "../generated/validators.js";
import type { ApiError, ConnectorPath, ConnectorUpdate, Evse } from "./contract.js";
import { allowed } from "./allowed-values.js";
import { judgeEnumValues, type SchemaWithOpenEnums } from "./enum-values.js";
import { escapePointer, unescapePointer, valueAtPointer } from "./json-pointer.js";
import type { StandardSchemaV1 } from "./standard-schema.js";

export type { StandardSchemaV1 } from "./standard-schema.js";

/** One way a value breaks the contract. */
export interface ContractIssue {
  /** JSON Pointer (RFC 6901) to the offending value; "" is the value itself. */
  path: string;
  /** What is wrong, in one phrase, with the allowed values where the contract lists them. */
  message: string;
  /** The JSON Schema keyword that failed (`enum`, `required`, `additionalProperties`, ...). */
  keyword: string;
}

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; issues: ContractIssue[] };

/** `, got "Charging"`: what was there instead, short enough for one line. */
function got(root: unknown, pointer: string): string {
  const text = JSON.stringify(valueAtPointer(root, pointer)) ?? "undefined";
  return `, got ${text.length > 60 ? `${text.slice(0, 57)}...` : text}`;
}


function describe(error: AjvError, root: unknown): ContractIssue {
  const p = error.params;
  const at = error.instancePath;
  switch (error.keyword) {
    case "additionalProperties":
      return {
        path: `${at}/${escapePointer(String(p.additionalProperty))}`,
        keyword: error.keyword,
        message: `is not a field the contract allows here (check the spelling: unknown fields are rejected, not ignored)`,
      };
    case "required":
      return { path: `${at}/${escapePointer(String(p.missingProperty))}`, keyword: error.keyword, message: "is required" };
    case "enum":
      return {
        path: at,
        keyword: error.keyword,
        message: `must be one of ${allowed(p.allowedValues as unknown[])}${got(root, at)}`,
      };
    case "minProperties":
      return { path: at, keyword: error.keyword, message: `must have at least ${String(p.limit)} field(s); an empty object changes nothing` };
    case "type":
      return { path: at, keyword: error.keyword, message: `must be of type ${Array.isArray(p.type) ? p.type.join(" or ") : String(p.type)}${got(root, at)}` };
    case "exclusiveMinimum":
      return { path: at, keyword: error.keyword, message: `must be greater than ${String(p.limit)}${got(root, at)}` };
    case "minimum":
      return { path: at, keyword: error.keyword, message: `must be ${String(p.limit)} or more${got(root, at)}` };
    case "anyOf":
      return { path: at, keyword: error.keyword, message: "matches none of the shapes the contract allows here (see the issues listed with it)" };
    default:
      return { path: at, keyword: error.keyword, message: error.message ?? `breaks the "${error.keyword}" rule` };
  }
}

/** Turns Ajv's errors on `value` into issues, without the repeats that `anyOf` branches add. */
export function toIssues(errors: readonly AjvError[] | null | undefined, value?: unknown): ContractIssue[] {
  const issues = (errors ?? []).map((error) => describe(error, value));
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.path}\u0000${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The vendor name validators give in `~standard`. */
const STANDARD_SCHEMA_VENDOR = "spirii-connector-contract";

/**
 * A validator of the contract: call it for a ValidationResult, or hand it to anything that takes a
 * Standard Schema (its `~standard.validate` gives the same issues, as `{ message, path }`).
 */
export interface ContractValidator<T> extends StandardSchemaV1<T, T> {
  (value: unknown): ValidationResult<T>;
}

/**
 * A pointer as Standard Schema path keys: tokens unescaped, array indices as numbers (where the
 * value has an array), so `/connectors/0/standard` is `["connectors", 0, "standard"]`.
 */
function pathKeys(root: unknown, pointer: string): (string | number)[] {
  if (pointer === "") return [];
  const keys: (string | number)[] = [];
  let at: unknown = root;
  for (const token of pointer.split("/").slice(1)) {
    const key = unescapePointer(token);
    const index = Array.isArray(at) && /^(0|[1-9]\d*)$/.test(key) ? Number(key) : undefined;
    keys.push(index ?? key);
    at = at !== null && typeof at === "object" ? (at as Record<string, unknown>)[key] : undefined;
  }
  return keys;
}

/** The issues of a failed result in Standard Schema's shape: the message names the keyword's rule, the path the keys. */
function standardIssues(issues: readonly ContractIssue[], value: unknown): StandardSchemaV1.Issue[] {
  return issues.map((issue) => ({ message: issue.message, path: pathKeys(value, issue.path) }));
}

/**
 * A compiled schema's check as a ContractValidator. For a response schema (`openEnums`), it is
 * completed for its open enums: the schema accepts any string there (new values are non-breaking),
 * but a known value in another casing or an OCPP status where the OCPI one belongs is still a
 * violation the contract states (src/enum-values.ts). A new value is not an issue.
 */
function wrap<T>(validator: CompiledValidator<T>, openEnums?: SchemaWithOpenEnums): ContractValidator<T> {
  const validate = (value: unknown): ValidationResult<T> => {
    const valid = validator(value);
    const issues = valid ? [] : toIssues(validator.errors, value);
    if (openEnums !== undefined) issues.push(...judgeEnumValues(value, openEnums).violations);
    return issues.length === 0 ? { ok: true, value: value as T } : { ok: false, issues };
  };
  const standard: StandardSchemaV1.Props<T, T> = {
    version: 1,
    vendor: STANDARD_SCHEMA_VENDOR,
    validate: (value) => {
      const result = validate(value);
      return result.ok ? { value: result.value } : { issues: standardIssues(result.issues, value) };
    },
  };
  return Object.defineProperty(validate, "~standard", { value: Object.freeze(standard), enumerable: true }) as ContractValidator<T>;
}

/** Checks a patch against the contract's `ConnectorUpdate` (closed, at least one field, values > 0). */
export const validateConnectorUpdate: ContractValidator<ConnectorUpdate> = wrap(compiled.connectorUpdate);
/**
 * Checks an EVSE (a 200 body) against the contract's `Evse` (liberal: open objects and open enums, so
 * a value added later passes; a known value in another casing or an OCPP status does not).
 */
export const validateEvse: ContractValidator<Evse> = wrap(compiled.evse, "Evse");
/** Checks `{ uid, connectorId }` against the contract's path parameters (integers >= 1). */
export const validateConnectorPath: ContractValidator<ConnectorPath> = wrap(compiled.connectorPath);
/** Checks an error body against the documented error envelope. */
export const validateApiError: ContractValidator<ApiError> = wrap(compiled.apiError);

/** "/connectors/0/standard must be one of ..." — issues as one line each, for messages and logs. */
export function formatIssues(issues: readonly ContractIssue[]): string {
  return issues.map((i) => `${i.path || "(the value itself)"} ${i.message}`).join("; ");
}
