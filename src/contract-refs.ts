// The contract's local `$ref`s ("#/components/schemas/Evse"), as the bundler writes them: one resolver
// for the testing kit, the generator and the breaking-change gate.
import { valueAtPointer } from "./json-pointer.js";

type Node = { readonly [keyword: string]: unknown };

const isObject = (value: unknown): value is Node =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The node a local reference ("#" or "#/a/b") names in `doc`, or undefined where there is none. */
export function refTarget(doc: unknown, ref: string): unknown {
  if (!ref.startsWith("#")) return undefined;
  return valueAtPointer(doc, ref.slice(1));
}

/**
 * Follows `$ref`s until a node without one. A reference that is not local, points nowhere or loops
 * is an error that names it: the bundled contract has none, so one means a broken build.
 */
export function derefLocal<T = Node>(doc: unknown, node: unknown): T {
  let current = node;
  const seen = new Set<unknown>();
  while (isObject(current) && typeof current["$ref"] === "string") {
    const ref = current["$ref"];
    if (seen.has(current)) throw new Error(`contract: $ref cycle at ${ref}`);
    seen.add(current);
    if (!ref.startsWith("#")) throw new Error(`contract: only local $refs are expected, found ${ref}`);
    current = refTarget(doc, ref);
    if (current === undefined) throw new Error(`contract: $ref ${ref} points nowhere`);
  }
  return current as T;
}
