// The project's own rules, for what `redocly diff` misses in this contract:
//   contract/response-header-no-longer-required  a response header that was required no longer is
//   contract/generated-type-removed              a path key or a component name disappears: the
//                                                package exports the types generated from them
//   contract/open-enum                           enum values added (responses) or removed (requests)
//                                                where the enum is a branch of an anyOf/oneOf whose
//                                                sibling accepts every value of its type change
//                                                nothing a consumer sees, so they are not breaking
//                                                (a value added to a response enum is still minor:
//                                                undoing it is the next rule's major)
//   contract/response-enum-value-removed         a response enum lists fewer values: redocly diff
//                                                rates it nothing (a response may narrow), but the
//                                                generated type and constant lose a name consumers
//                                                handle, and Spirii's versioning page makes only
//                                                added values non-breaking
import { derefLocal, refTarget } from "../../src/contract-refs.js";
import { escapePointer } from "../../src/json-pointer.js";
import type { Json } from "./inputs.js";
import type { DiffChange, DiffVerdict } from "./redocly-diff.js";
import { isObject, responseHeaders, type Usage } from "./schema-graph.js";

export interface Finding {
  location: string;
  rule: string;
  message: string;
}

/** contract/response-header-no-longer-required: redocly diff does not see `required: true` go away. */
export function headersNoLongerRequired(baseDoc: Json, revisionDoc: Json): Finding[] {
  const after = responseHeaders(revisionDoc);
  const findings: Finding[] = [];
  for (const [key, before] of responseHeaders(baseDoc)) {
    const now = after.get(key);
    if (!before.required || !now || now.required) continue;
    findings.push({
      location: now.location,
      rule: "contract/response-header-no-longer-required",
      message: `Response header \`${before.name}\` of the ${before.status} response (${before.method.toUpperCase()} ${before.path}) is no longer required.`,
    });
  }
  return findings;
}

/**
 * Sections of `components` that openapi-typescript turns into named types. The package exports the
 * generated `paths` and `components` types, so their keys are names consumers compile against.
 */
const TYPED_COMPONENTS = ["schemas", "responses", "parameters", "requestBodies", "headers", "pathItems"];

/**
 * contract/generated-type-removed: a path key or a component name that disappears removes a type
 * consumers may use. redocly diff compares the resolved documents, so it rates a renamed component
 * schema as a patch and a renamed path parameter (`{uid}` to `{evseUid}`) as nothing that breaks.
 */
export function generatedTypesRemoved(baseDoc: Json, revisionDoc: Json): Finding[] {
  const findings: Finding[] = [];
  const keys = (value: unknown) => Object.keys(isObject(value) ? value : {});
  const revisionPaths = new Set(keys(revisionDoc.paths));
  for (const path of keys(baseDoc.paths)) {
    if (revisionPaths.has(path)) continue;
    findings.push({
      location: `#/paths/${escapePointer(path)}`,
      rule: "contract/generated-type-removed",
      message: `Path \`${path}\` is gone (renamed or removed), and with it the generated type \`paths["${path}"]\`.`,
    });
  }
  for (const section of TYPED_COMPONENTS) {
    const revisionNames = new Set(keys(revisionDoc.components?.[section]));
    for (const name of keys(baseDoc.components?.[section])) {
      if (revisionNames.has(name)) continue;
      findings.push({
        location: `#/components/${section}/${escapePointer(name)}`,
        rule: "contract/generated-type-removed",
        message: `Component \`${section}/${name}\` is gone (renamed or removed), and with it the generated type \`components["${section}"]["${name}"]\`.`,
      });
    }
  }
  return findings;
}

/** contract/open-enum: the direction in which each enum rule's verdict would be breaking. */
const ENUM_RULE_DIRECTIONS: Record<string, "request" | "response"> = {
  "enum-values-added": "response",
  "enum-values-removed": "request",
};

/** Is this enum verdict about an enum used only as an open anyOf/oneOf branch, in its breaking direction? */
export function isOpenEnumChange(change: DiffChange, verdict: DiffVerdict, revisionDoc: Json, usages: Map<object, Set<Usage>>): boolean {
  const direction = ENUM_RULE_DIRECTIONS[verdict.ruleId];
  const pointer = change.revision?.pointer;
  if (!direction || change.property !== "enum" || typeof pointer !== "string") return false;
  const target = refTarget(revisionDoc, pointer.endsWith("/enum") ? pointer.slice(0, -"/enum".length) : pointer);
  const node = derefLocal<Json>(revisionDoc, target);
  const uses = isObject(node) ? usages.get(node) : undefined;
  return !!uses && uses.has(`${direction}:true`) && !uses.has(`${direction}:false`);
}

/**
 * contract/response-enum-value-removed: an `enum` (closed, or the known values of an open one) used in
 * a response lost values. Consumers compile against the generated literal union and the values'
 * constant (EVSE_STATUSES), so a name they handle disappears: major. (In a request, redocly diff's
 * enum-values-removed already says so.)
 */
export function responseEnumValuesRemoved(change: DiffChange, revisionDoc: Json, usages: Map<object, Set<Usage>>): Finding | undefined {
  const before = change.base?.value;
  const after = change.revision?.value;
  const pointer = change.revision?.pointer;
  if (change.property !== "enum" || !Array.isArray(before) || !Array.isArray(after) || typeof pointer !== "string") return undefined;
  const lost = before.filter((value) => !after.some((kept) => JSON.stringify(kept) === JSON.stringify(value)));
  if (lost.length === 0) return undefined;
  const at = pointer.endsWith("/enum") ? pointer.slice(0, -"/enum".length) : pointer;
  const node = derefLocal<Json>(revisionDoc, refTarget(revisionDoc, at));
  const uses = isObject(node) ? usages.get(node) : undefined;
  if (!uses || !(uses.has("response:true") || uses.has("response:false"))) return undefined;
  return {
    location: at,
    rule: "contract/response-enum-value-removed",
    message: `Response enum values removed: ${lost.map((v) => `'${String(v)}'`).join(", ")}. Consumers lose them from the generated type and the values' constant; only added values are non-breaking.`,
  };
}
