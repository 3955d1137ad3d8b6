// Validators compiled from the contract at generation time (Ajv standalone, JSON Schema 2020-12),
// wrapped in a result type whose issues a person can read. No schema is compiled at run time.
import * as compiled from "../generated/validators.js";
import type { AjvError, CompiledValidator } from "../generated/validators.js";
import type { ApiError, ConnectorPath, ConnectorUpdate, Evse } from "./contract.js";
import { allowed } from "./allowed-values.js";
import { judgeEnumValues, type SchemaWithOpenEnums } from "./enum-values.js";
import { escapePointer, valueAtPointer } from "./json-pointer.js";

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

function wrap<T>(validator: CompiledValidator<T>): (value: unknown) => ValidationResult<T> {
  return (value) => (validator(value) ? { ok: true, value } : { ok: false, issues: toIssues(validator.errors, value) });
}

/** Checks a patch against the contract's `ConnectorUpdate` (closed, at least one field, values > 0). */
export const validateConnectorUpdate: (value: unknown) => ValidationResult<ConnectorUpdate> = wrap(compiled.connectorUpdate);
/**
 * A response schema's check, completed for its open enums: the schema accepts any string there (new
 * values are non-breaking), but a known value in another casing or an OCPP status where the OCPI one
 * belongs is still a violation the contract states (src/enum-values.ts). A new value is not an issue.
 */
function withEnumLookAlikes<T>(check: (value: unknown) => ValidationResult<T>, schema: SchemaWithOpenEnums): (value: unknown) => ValidationResult<T> {
  return (value) => {
    const result = check(value);
    const { violations } = judgeEnumValues(value, schema);
    if (violations.length === 0) return result;
    return { ok: false, issues: result.ok ? violations : [...result.issues, ...violations] };
  };
}

/**
 * Checks an EVSE (a 200 body) against the contract's `Evse` (liberal: open objects and open enums, so
 * a value added later passes; a known value in another casing or an OCPP status does not).
 */
export const validateEvse: (value: unknown) => ValidationResult<Evse> = withEnumLookAlikes(wrap(compiled.evse), "Evse");
/** Checks `{ uid, connectorId }` against the contract's path parameters (integers >= 1). */
export const validateConnectorPath: (value: unknown) => ValidationResult<ConnectorPath> = wrap(compiled.connectorPath);
/** Checks an error body against the documented error envelope. */
export const validateApiError: (value: unknown) => ValidationResult<ApiError> = wrap(compiled.apiError);

/** "/connectors/0/standard must be one of ..." — issues as one line each, for messages and logs. */
export function formatIssues(issues: readonly ContractIssue[]): string {
  return issues.map((i) => `${i.path || "(the value itself)"} ${i.message}`).join("; ");
}
