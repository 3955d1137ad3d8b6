// The client's view of the operations registry (generated from the contract): which operation a
// request is, so that what the transport may retry and what an error says about resending follow
// the operation's `x-idempotent` and `x-effect`, for named methods and client.raw alike.
import { OPERATIONS, type OperationFacts } from "../../generated/operations.js";
import { compileOperationMatcher } from "../path-template.js";

// The one matcher of method and path to operation, shared with the mock's and the fake's coverage.
const match = compileOperationMatcher<OperationFacts>(Object.values(OPERATIONS));

/** The facts of the operation with this operationId, or undefined (e.g. details a caller built by hand). */
export function operationFacts(operationId: string | undefined): OperationFacts | undefined {
  return operationId !== undefined && Object.hasOwn(OPERATIONS, operationId) ? (OPERATIONS as Record<string, OperationFacts>)[operationId] : undefined;
}

/**
 * The operation a request to `url` is, by its method and its path below `baseUrl`; undefined for
 * any other request (client.raw can send anything), which is then treated as not idempotent.
 */
export function operationOf(method: string, url: string, baseUrl: string): OperationFacts | undefined {
  if (!URL.canParse(url) || !URL.canParse(baseUrl)) return undefined;
  const path = new URL(url).pathname;
  const base = new URL(baseUrl).pathname.replace(/\/$/, "");
  if (base && !path.startsWith(`${base}/`)) return undefined;
  const below = path.slice(base.length);
  return match(method, below)?.operation;
}
