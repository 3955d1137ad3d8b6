// Records what a run exercised, one exchange at a time, on the operation it was for: given by the
// caller, or found from the method and the concrete path by the contract's path templates. The item
// list is derived once per process (items.ts); a call here only walks the bodies it is given and
// bumps counters. A request for no operation of the contract is counted as such, never filed
// under one.
import { operationValidators } from "../../generated/validators.js";
import { UPDATE_CONNECTOR } from "../../generated/values.js";
import { escapePointer, unescapePointer } from "../json-pointer.js";
import type { SchemaNode } from "../testing/contract-document.js";
import {
  childSchema,
  CONTRACT_ITEMS,
  itemId,
  localId,
  ruleId,
  type ContractItems,
  type CoverageKind,
  type Deref,
  type FieldProbe,
  type OperationItems,
} from "./items.js";
import { mergeOutside, summarize, type ContractCoverage, type OutsideContract } from "./model.js";
import { documentedStatusKey } from "../documented-status.js";

/** A compiled request validator, as generated/validators.js exports them (Ajv, errors on `.errors`). */
export interface RequestValidator {
  (data: unknown): boolean;
  errors?: { instancePath: string; keyword: string; params: Record<string, unknown> }[] | null;
}

/** One exchange to record. Name its operation, or give the method and path to find it by. */
export interface CoverageExchange {
  /** The operationId, when the caller knows it (`updateConnector`). */
  operation?: string;
  /** Else: the request's method (`PATCH`) ... */
  method?: string;
  /** ... and its concrete path (`/v2/evses/123456/connectors/1`; a query is ignored), matched against the contract's path templates. */
  path?: string;
  /**
   * The request body as sent, parsed (null when none was sent: that breaks a required body's rules).
   * Read when the operation takes a body; leave the key out when only the answer is known.
   */
  requestBody?: unknown;
  /** The status answered; leave it out when no answer came (a timeout, a lost connection). */
  status?: number;
  /** The answer's body, parsed. */
  responseBody?: unknown;
}

/** Which operation a request or response is for: an operationId, or the method and concrete path. */
export type OperationRef = string | { method: string; path: string };

export interface CoverageRecorder {
  /**
   * Records one exchange: the request's fields, values and the rules it broke, the status answered,
   * and a 2xx body's values and shapes. Returns the operationId it was filed under, or undefined
   * when the contract has no operation for the method and path (counted in `outsideContract`).
   */
  record(exchange: CoverageExchange): string | undefined;
  /**
   * A request body that was sent (valid or not). Without `operation`, it is updateConnector's (as
   * before coverage was per operation). A request for no operation counts in `outsideContract`.
   */
  request(body: unknown, operation?: OperationRef): void;
  /** A response: its status item, and for a 2xx body its value and shape items. Call `request` for the same exchange first. */
  response(status: number, body: unknown, operation?: OperationRef): void;
  coverage(): ContractCoverage;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** Each operation's compiled request body validator, from the generated registry (validators per operation). */
function generatedRequestValidators(items: ContractItems): Map<string, RequestValidator> {
  const generated = operationValidators as unknown as Record<string, { body: RequestValidator | null } | undefined>;
  return new Map(
    items.operations.flatMap((o) => {
      const validator = generated[o.operationId]?.body;
      return validator ? [[o.operationId, validator] as const] : [];
    }),
  );
}

function operationNamed(items: ContractItems, operationId: string): OperationItems {
  const operation = items.byId.get(operationId);
  if (!operation) {
    throw new TypeError(`coverage: the contract has no operation ${JSON.stringify(operationId)}; its operations are ${[...items.byId.keys()].join(", ")}`);
  }
  return operation;
}

/** The documented status key a status falls under (`503` -> `5XX`). */
const statusKey = (operation: OperationItems, status: number): string | undefined => documentedStatusKey(status, operation.statusKeys);

/** The status item a status falls under (`503` -> `updateConnector status:5XX`), or undefined when undocumented. */
export function statusItemId(status: number, operationId: string = UPDATE_CONNECTOR.operationId, items: ContractItems = CONTRACT_ITEMS): string | undefined {
  const key = statusKey(operationNamed(items, operationId), status);
  return key === undefined ? undefined : itemId(operationId, `status:${key}`);
}

/** An Ajv instance path with array indexes and extra property names as `*`, as rule items name places. */
function schemaPointer(deref: Deref, schema: SchemaNode, instancePath: string): string {
  let node: SchemaNode | undefined = schema;
  let out = "";
  for (const token of instancePath.split("/").slice(1).map(unescapePointer)) {
    const child: { node: SchemaNode; token: string } | undefined = node && childSchema(deref, node, token);
    out += `/${escapePointer(child ? child.token : token)}`;
    node = child?.node;
  }
  return out;
}

/** The local rule ids a validator's errors name. */
function rulesBroken(validator: RequestValidator, operation: OperationItems, deref: Deref, body: unknown): string[] {
  if (validator(body)) return [];
  const schema = operation.requestSchema ?? {};
  return (validator.errors ?? []).map((error) => {
    const at = schemaPointer(deref, schema, error.instancePath);
    // Ajv reports a missing field at its parent; the rule is named by the field, as the arbitraries do.
    return error.keyword === "required" ? ruleId("required", `${at}/${escapePointer(String(error.params["missingProperty"]))}`) : ruleId(error.keyword, at);
  });
}

let generated: Map<string, RequestValidator> | undefined;

/** The rule items an invalid body breaks, from the operation's compiled request validator (empty for a valid body). */
export function brokenRuleIds(body: unknown, operationId: string = UPDATE_CONNECTOR.operationId): string[] {
  const operation = operationNamed(CONTRACT_ITEMS, operationId);
  const validator = (generated ??= generatedRequestValidators(CONTRACT_ITEMS)).get(operationId);
  return validator ? rulesBroken(validator, operation, CONTRACT_ITEMS.deref, body).map((local) => itemId(operationId, local)) : [];
}

/**
 * The rule item an invalid patch of the arbitraries (`InvalidPatch.breaks`) probes. They point at
 * the offending value; an unknown field breaks `additionalProperties` of the object holding it.
 */
export function ruleIdOfBrokenRule(breaks: { keyword: string; pointer: string }, operationId: string = UPDATE_CONNECTOR.operationId): string {
  const at = breaks.keyword === "additionalProperties" ? breaks.pointer.slice(0, breaks.pointer.lastIndexOf("/")) : breaks.pointer;
  return itemId(operationId, ruleId(breaks.keyword, at));
}

/** The objects at `path` (entering arrays on the way): the connectors of an EVSE, or the EVSE itself. */
function holdersAt(body: unknown, path: readonly string[]): Record<string, unknown>[] {
  let at: unknown[] = [body];
  for (const name of path) {
    at = at.flatMap((holder) => {
      if (!isObject(holder)) return [];
      const next = holder[name];
      return Array.isArray(next) ? next : [next];
    });
  }
  return at.filter(isObject);
}

/** A probe with its item ids turned into indexes, grouped by the objects that hold the fields. */
interface ProbeGroup {
  holderPath: readonly string[];
  probes: { field: string; index: number | undefined; values: Map<unknown, number> }[];
}

function groups(probes: readonly FieldProbe[], indexOf: (id: string) => number | undefined, withField: boolean): ProbeGroup[] {
  const byPath = new Map<string, ProbeGroup>();
  for (const probe of probes) {
    const key = probe.holderPath.join("/");
    let group = byPath.get(key);
    if (!group) byPath.set(key, (group = { holderPath: probe.holderPath, probes: [] }));
    group.probes.push({
      field: probe.field,
      index: withField ? indexOf(probe.prefix) : undefined,
      values: new Map([...probe.values].map(([value, id]) => [value, indexOf(id)!])),
    });
  }
  return [...byPath.values()];
}

/** What recording one operation's exchange looks up, prepared once: item indexes, no string building per call. */
interface PreparedOperation {
  operation: OperationItems;
  statusIndexes: Map<string, number>;
  requestGroups: ProbeGroup[];
  validator: RequestValidator | undefined;
  ruleIndexes: Map<string, number>;
  responses: Map<string, { values: ProbeGroup[]; shapes: ProbeGroup[] }>;
}

/**
 * A recorder over a contract's items. The default is the bundled contract with its compiled
 * validators; tests pass a derived contract of their own (and validators for its request bodies).
 */
export function createCoverageRecorder(options: { contract?: ContractItems; validators?: ReadonlyMap<string, RequestValidator> } = {}): CoverageRecorder {
  const items = options.contract ?? CONTRACT_ITEMS;
  const validators = options.validators ?? (items === CONTRACT_ITEMS ? (generated ??= generatedRequestValidators(items)) : new Map<string, RequestValidator>());
  const index = new Map(items.definitions.map((d, i) => [d.id, i]));
  const indexOf = (id: string) => index.get(id);
  const prepared = new Map<string, PreparedOperation>(
    items.operations.map((operation) => {
      /** The operation's items of one kind, by their local id (`status:5XX`, `rule:enum /standard`). */
      const byLocalId = (kind: CoverageKind) => new Map(operation.definitions.filter((d) => d.kind === kind).map((d) => [localId(d.id), index.get(d.id)!]));
      return [
        operation.operationId,
        {
          operation,
          statusIndexes: new Map([...byLocalId("status")].map(([local, i]) => [local.slice("status:".length), i])),
          requestGroups: groups(operation.requestFields, indexOf, true),
          validator: validators.get(operation.operationId),
          ruleIndexes: byLocalId("rule"),
          responses: new Map(operation.responses.map((r) => [r.key, { values: groups(r.valueProbes, indexOf, false), shapes: groups(r.shapeProbes, indexOf, false) }])),
        },
      ];
    }),
  );

  const counts = new Array<number>(items.definitions.length).fill(0);
  // Each item counts once per request or response, however many connectors showed it: an item
  // seen in the current call carries the call's number.
  const seenIn = new Array<number>(items.definitions.length).fill(0);
  let call = 0;
  const mark = (i: number | undefined) => {
    if (i === undefined || seenIn[i] === call) return;
    seenIn[i] = call;
    counts[i]! += 1;
  };
  let outside: OutsideContract = { count: 0, requests: [] };

  function requestPart(op: PreparedOperation, body: unknown): void {
    if (op.operation.requestSchema === undefined) return;
    call++;
    for (const group of op.requestGroups) {
      for (const holder of holdersAt(body, group.holderPath)) {
        for (const probe of group.probes) {
          if (!Object.hasOwn(holder, probe.field) || holder[probe.field] === undefined) continue;
          mark(probe.index);
          mark(probe.values.get(holder[probe.field]));
        }
      }
    }
    if (op.validator) for (const rule of rulesBroken(op.validator, op.operation, items.deref, body)) mark(op.ruleIndexes.get(rule));
  }

  function responsePart(op: PreparedOperation, status: number, body: unknown): void {
    call++;
    const key = statusKey(op.operation, status);
    if (key === undefined) return;
    mark(op.statusIndexes.get(key));
    const response = op.responses.get(key);
    if (!response || status < 200 || status >= 300) return;
    for (const group of response.values) {
      // A value the items do not list (an OCPI standard a request cannot set, an unknown value) is seen, not counted.
      for (const holder of holdersAt(body, group.holderPath)) for (const probe of group.probes) mark(probe.values.get(holder[probe.field]));
    }
    for (const group of response.shapes) {
      for (const holder of holdersAt(body, group.holderPath)) {
        for (const probe of group.probes) {
          const value = holder[probe.field];
          const shape = !Object.hasOwn(holder, probe.field) || value === undefined ? "absent" : value === null ? "null" : "present";
          mark(probe.values.get(shape));
        }
      }
    }
  }

  /** The operation of a reference, or undefined (counted outside the contract) for a method and path it does not have. */
  function resolve(ref: OperationRef | undefined, countOutside: boolean): PreparedOperation | undefined {
    if (ref === undefined) ref = UPDATE_CONNECTOR.operationId;
    if (typeof ref === "string") return prepared.get(operationNamed(items, ref).operationId);
    if (typeof ref?.method !== "string" || typeof ref.path !== "string") {
      throw new TypeError("coverage: name the exchange's operation, or give its method and path");
    }
    const found = items.attribute(ref.method, ref.path);
    if (found) return prepared.get(found.operationId);
    if (countOutside) outside = mergeOutside([outside, { count: 1, requests: [{ method: ref.method.toUpperCase(), path: ref.path.replace(/[?#].*$/s, ""), count: 1 }] }]);
    return undefined;
  }

  return {
    record(exchange) {
      const ref =
        exchange.operation !== undefined
          ? exchange.operation
          : exchange.method !== undefined && exchange.path !== undefined
            ? { method: exchange.method, path: exchange.path }
            : (() => {
                throw new TypeError("coverage: record({ operation }) or record({ method, path }): the exchange names no operation");
              })();
      const op = resolve(ref, true);
      if (!op) return undefined;
      if ("requestBody" in exchange) requestPart(op, exchange.requestBody);
      if (typeof exchange.status === "number") responsePart(op, exchange.status, exchange.responseBody);
      return op.operation.operationId;
    },
    request(body, operation) {
      const op = resolve(operation, true);
      if (op) requestPart(op, body);
    },
    response(status, body, operation) {
      const op = resolve(operation, false);
      if (op) responsePart(op, status, body);
    },
    coverage() {
      return summarize(
        items.definitions.map(({ id, operation, kind }, i) => {
          const count = counts[i]!;
          return { id, operation, kind, covered: count > 0, count };
        }),
        mergeOutside([outside]),
        items,
      );
    },
  };
}
