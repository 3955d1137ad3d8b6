// The state logic of a connector patch, as pure functions over plain JSON: what an EVSE must look
// like after a patch is applied (every field the patch names set to the value sent, nothing else
// changed), and where two EVSEs differ. verify uses it as the oracle it compares a provider with,
// and the fake applies patches with it (src/testing/fake/state.ts), so both follow one rule.

import { isPlainObject } from "../options.js";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = Record<string, unknown>;

const isObject: (value: unknown) => value is JsonObject = isPlainObject;

/** The connector `connectorId` inside an EVSE body, if the body has one. */
export function connectorOf(evse: unknown, connectorId: number): JsonObject | undefined {
  const connectors = isObject(evse) ? evse["connectors"] : undefined;
  if (!Array.isArray(connectors)) return undefined;
  return (connectors as unknown[]).find((c): c is JsonObject => isObject(c) && c["id"] === connectorId);
}

/** A copy of `evse` with the patch's fields set on connector `connectorId` (the patch is contract-valid). */
export function applyConnectorPatch<T>(evse: T, connectorId: number, patch: JsonObject): T {
  const next = structuredClone(evse);
  const connector = connectorOf(next, connectorId);
  if (connector) Object.assign(connector, patch);
  return next;
}

/** One place where two JSON values differ, as a JSON Pointer (`/connectors/0/maxAmperage`). */
export interface Difference {
  pointer: string;
  /** Absent (`undefined`) when the field is missing on that side. */
  expected: unknown;
  actual: unknown;
}

const escape = (token: string) => token.replaceAll("~", "~0").replaceAll("/", "~1");

/**
 * Every leaf where `actual` differs from `expected`. Connectors are matched by `id`, not by
 * position, so a provider that lists them in another order differs in nothing.
 */
export function differences(expected: unknown, actual: unknown, pointer = ""): Difference[] {
  if (Object.is(expected, actual)) return [];
  if (Array.isArray(expected) && Array.isArray(actual)) {
    const byId = (list: unknown[]) => list.every((x) => isObject(x) && typeof x["id"] === "number");
    if (byId(expected) && byId(actual)) {
      const found: Difference[] = [];
      const ids = new Set([...expected, ...actual].map((x) => (x as JsonObject)["id"] as number));
      for (const id of ids) {
        const e = expected.find((x) => (x as JsonObject)["id"] === id);
        const a = actual.find((x) => (x as JsonObject)["id"] === id);
        const index = expected.indexOf(e) >= 0 ? expected.indexOf(e) : actual.indexOf(a);
        found.push(...differences(e, a, `${pointer}/${index}`));
      }
      return found;
    }
    if (expected.length !== actual.length) return [{ pointer, expected, actual }];
    return expected.flatMap((e, i) => differences(e, actual[i], `${pointer}/${i}`));
  }
  if (isObject(expected) && isObject(actual)) {
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    return [...keys].flatMap((key) => differences(expected[key], actual[key], `${pointer}/${escape(key)}`));
  }
  return [{ pointer, expected, actual }];
}
