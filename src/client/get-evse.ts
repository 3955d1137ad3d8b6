// getEvse: a facade over the client's one call path (operation.ts), typed from the contract.
import type { operations } from "../../generated/types.js";
import type { OperationOptions, SendOperation } from "./operation.js";

type Operation = operations["getEvse"];
/** `{ uid }`: which EVSE to read. */
export type GetEvsePath = Operation["parameters"]["path"];
/** The EVSE as the API has it. */
export type FetchedEvse = Operation["responses"][200]["content"]["application/json"];
/** The options of getEvse (as of every named method). */
export type GetEvseOptions = OperationOptions;

export type GetEvse = (
  path: GetEvsePath,
  /** `null` and `undefined` mean no options. */
  options?: GetEvseOptions | null,
) => Promise<FetchedEvse>;

export function createGetEvse(send: SendOperation): GetEvse {
  return (path, options) => send("getEvse", { path }, options) as Promise<FetchedEvse>;
}
