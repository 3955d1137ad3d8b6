// Per-test answers for the fake, as MSW's `server.use(...)`: a value naming an operation of the
// contract (method and path template, checked by the compiler against `paths`) and the answer to
// give, with a status the contract documents for it and a body of that status's schema. The
// compiler checks what it can; every answer is also checked at run time by the compiled
// validators, so an untyped or `as any` answer that breaks the contract fails the test with the
// JSON pointer that is wrong.
import type { paths } from "../../../generated/types.js";
import { OPERATIONS, type OperationId } from "../../../generated/operations.js";
import type { CompiledValidator } from "../../../generated/validators.js";
import { operationValidators } from "../../../generated/validators.js";
import { formatIssues, toIssues } from "../../validation.js";
import { documentedStatusKey } from "../../documented-status.js";

type HttpMethod = "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace";
type Defined<T> = [NonNullable<T>] extends [never] ? false : true;

/** A path template of the contract, e.g. `"/v2/evses/{uid}/connectors/{connectorId}"`. */
export type ContractPath = keyof paths & string;
/** The methods the contract documents on `P`, upper case (`"PATCH"`). */
export type ContractMethod<P extends ContractPath> = Uppercase<{ [M in HttpMethod]: Defined<paths[P][M]> extends true ? M : never }[HttpMethod]>;
type Operation<P extends ContractPath, M extends ContractMethod<P>> = NonNullable<paths[P][Lowercase<M> & HttpMethod]>;

type Digit = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;
type ToNumber<S> = S extends `${infer N extends number}` ? N : never;
/** A response key as statuses: `200` is 200, `"5XX"` is 500 to 599. */
type StatusOf<K> = K extends number ? K : K extends `${infer C extends 1 | 2 | 3 | 4 | 5}XX` ? ToNumber<`${C}${Digit}${Digit}`> : never;
type JsonBody<R> = R extends { content: { "application/json": infer B } } ? B : undefined;

/** The answers the contract documents for an operation: each status with its own body type. */
export type OverrideAnswer<P extends ContractPath, M extends ContractMethod<P>> = Operation<P, M> extends { responses: infer R }
  ? { [K in keyof R]: { status: StatusOf<K>; body: JsonBody<R[K]>; headers?: Record<string, string> } }[keyof R]
  : never;

/** What an override function is given: the request's path parameters and body, already valid by the contract. */
export interface OverrideRequest<P extends ContractPath, M extends ContractMethod<P>> {
  params: Operation<P, M> extends { parameters: { path: infer T } } ? T : Record<string, never>;
  body: Operation<P, M> extends { requestBody: { content: { "application/json": infer B } } } ? B : undefined;
}

/** One per-test answer: made by `override(...)`, given to `fake.use(...)`. */
export interface FakeOverride {
  readonly method: string;
  readonly path: string;
  /** Answers one request only, then is gone (MSW's `{ once: true }`). */
  readonly once: boolean;
  /** @internal */
  readonly answer: (request: { params: Record<string, unknown>; body: unknown }) => unknown;
}

/** An answer from an override broke the contract: names the operation, the status and the JSON pointer. */
export class OffContractAnswerError extends Error {
  override readonly name = "OffContractAnswerError";
  constructor(
    message: string,
    /** The JSON pointer into the body that is wrong ("" for the body itself); undefined when the status or headers are. */
    readonly pointer: string | undefined,
  ) {
    super(message);
  }
}

interface OperationInfo {
  id: OperationId;
  /** Documented response keys: "200", "5XX". */
  statuses: readonly string[];
}

function operationInfo(method: string, path: string, who: string): OperationInfo {
  const operation = Object.values(OPERATIONS).find((op) => op.method === method && op.path === path);
  if (!operation) {
    const known = Object.values(OPERATIONS).map((op) => `${op.method} ${op.path}`);
    throw new TypeError(`${who}: ${String(method)} ${String(path)} is not an operation of the contract; the operations are ${known.join(", ")}.`);
  }
  return { id: operation.operationId as OperationId, statuses: operation.documentedStatuses };
}

/** The documented response key for `status` on an operation, or undefined. */
const responseKey = (info: OperationInfo, status: number) => documentedStatusKey(status, info.statuses);

/** Checks one answer against the contract; returns it as the fake sends it. */
function checkAnswer(info: OperationInfo, label: string, value: unknown): { status: number; headers: Record<string, string>; body: string } {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new OffContractAnswerError(`${label}: an answer is { status, body, headers? }, got ${JSON.stringify(value)}.`, undefined);
  }
  const { status, body, headers, ...rest } = value as Record<string, unknown>;
  if (Object.keys(rest).length) throw new OffContractAnswerError(`${label}: an answer takes status, body and headers, not ${Object.keys(rest).join(", ")}.`, undefined);
  const key = typeof status === "number" && Number.isInteger(status) ? responseKey(info, status) : undefined;
  if (key === undefined) {
    throw new OffContractAnswerError(`${label}: status ${JSON.stringify(status)} is not documented for this operation; the contract documents ${info.statuses.join(", ")}.`, undefined);
  }
  if (headers !== undefined && (headers === null || typeof headers !== "object" || Array.isArray(headers) || Object.values(headers).some((v) => typeof v !== "string"))) {
    throw new OffContractAnswerError(`${label}: headers must be an object of strings, got ${JSON.stringify(headers)}.`, undefined);
  }
  const response = (OPERATIONS[info.id].responses as Record<string, { mediaType: string | null; schema: string | null }>)[key]!;
  const validate = (operationValidators[info.id].responses as Record<string, CompiledValidator<unknown> | null>)[key] ?? null;
  if (response.mediaType === null || validate === null) {
    if (body !== undefined) throw new OffContractAnswerError(`${label}: the contract documents no body for ${key}, got ${JSON.stringify(body)}.`, "");
    return { status: status as number, headers: { ...(headers as Record<string, string> | undefined) }, body: "" };
  }
  if (!validate(body)) {
    const issues = toIssues(validate.errors, body);
    const pointer = issues[0]?.path ?? "";
    throw new OffContractAnswerError(`${label}: the ${String(status)} body breaks the contract's ${response.schema ?? `${key} schema`} at ${pointer || "(the body itself)"}: ${formatIssues(issues)}.`, pointer);
  }
  return { status: status as number, headers: { "Content-Type": response.mediaType, ...(headers as Record<string, string> | undefined) }, body: JSON.stringify(body) };
}

interface CheckedOverride extends FakeOverride {
  readonly info: OperationInfo;
  readonly label: string;
}

const checked = new WeakMap<FakeOverride, CheckedOverride>();

/**
 * A per-test answer for one operation of the contract, for `fake.use(...)`:
 *
 *     fake.use(override("PATCH", "/v2/evses/{uid}/connectors/{connectorId}", { status: 409, body: { error: { ... } } }));
 *     fake.use(override("PATCH", "/v2/evses/{uid}/connectors/{connectorId}", ({ params, body }) => ({ status: 200, body: ... }), { once: true }));
 *
 * The path and method must be the contract's and the status one it documents for them (compile
 * errors otherwise); the body must be that status's schema (a compile error, and checked at run
 * time: a fixed answer here, an answer function's result when it answers). An override answers
 * only requests that the fake's own checks let through (authorized, path and body valid by the
 * contract), and instead of the rest: no state changes, no rate limit counted.
 */
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
type OverrideOf<P extends ContractPath, M extends ContractMethod<P>> = (
  method: M,
  path: P,
  answer: OverrideAnswer<P, M> | ((request: OverrideRequest<P, M>) => OverrideAnswer<P, M> | Promise<OverrideAnswer<P, M>>),
  options?: { once?: boolean },
) => FakeOverride;
/**
 * `override`'s type: one signature per operation of the contract (not one generic signature, under
 * which TypeScript would widen an answer function's `status: 409` to `number`).
 */
export type OverrideFunction = UnionToIntersection<{ [P in ContractPath]: { [M in ContractMethod<P>]: OverrideOf<P, M> }[ContractMethod<P>] }[ContractPath]>;

/**
 * A per-test answer for one operation of the contract, for `fake.use(...)`:
 *
 *     fake.use(override("PATCH", "/v2/evses/{uid}/connectors/{connectorId}", { status: 409, body: { error: { ... } } }));
 *     fake.use(override("PATCH", "/v2/evses/{uid}/connectors/{connectorId}", ({ params, body }) => ({ status: 200, body: ... }), { once: true }));
 *
 * The path and method must be the contract's and the status one it documents for them (compile
 * errors otherwise); the body must be that status's schema (a compile error, and checked at run
 * time: a fixed answer here, an answer function's result when it answers). An override answers
 * only requests that the fake's own checks let through (authorized, path and body valid by the
 * contract), and instead of the rest: no state changes, no rate limit counted.
 */
export const override: OverrideFunction = function override(method: string, path: string, answer: unknown, options: { once?: boolean } = {}): FakeOverride {
  const info = operationInfo(method, path, "override");
  const label = `override(${method} ${path})`;
  if (options === null || typeof options !== "object" || Object.keys(options).some((k) => k !== "once") || (options.once !== undefined && typeof options.once !== "boolean")) {
    throw new TypeError(`${label}: options are { once?: boolean }, got ${JSON.stringify(options)}.`);
  }
  let respond: FakeOverride["answer"];
  if (typeof answer === "function") {
    const make = answer as (request: { params: Record<string, unknown>; body: unknown }) => unknown;
    respond = (request) => {
      const made = make(request);
      return made instanceof Promise ? made.then((value: unknown) => checkAnswer(info, label, value)) : checkAnswer(info, label, made);
    };
  } else {
    const fixed = checkAnswer(info, label, answer); // a wrong fixed answer fails at this line
    respond = () => fixed;
  }
  const made: CheckedOverride = { method, path, once: options.once ?? false, answer: respond, info, label };
  checked.set(made, made);
  return made;
} as OverrideFunction;

/** The overrides of one fake: newest first; `once` ones go after answering. */
export class OverrideList {
  #list: CheckedOverride[] = [];

  use(overrides: readonly FakeOverride[]): void {
    const list = overrides.map((o, i) => {
      const found = checked.get(o);
      if (!found) throw new TypeError(`fake.use: argument ${i + 1} is not an override; make one with override(method, path, answer).`);
      return found;
    });
    this.#list = [...list, ...this.#list];
  }

  clear(): void {
    this.#list = [];
  }

  get size(): number {
    return this.#list.length;
  }

  /**
   * The newest override for a request of `operation` (the fake matched the request to its
   * operation once; an override names its operation by method and path template); a `once` one is
   * removed.
   */
  take(operation: OperationId): FakeOverride["answer"] | undefined {
    const index = this.#list.findIndex((candidate) => candidate.info.id === operation);
    if (index < 0) return undefined;
    const found = this.#list[index]!;
    if (found.once) this.#list.splice(index, 1);
    return found.answer;
  }
}
