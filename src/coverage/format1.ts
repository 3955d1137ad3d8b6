// Coverage format 1, before coverage was per operation: the items of the one PATCH, ids without an
// operation (`status:429`, `response:connectors/error=null`). Every such item was updateConnector's,
// so a format-1 id has exactly one reading today; files and `--require` use it to migrate.
import { UPDATE_CONNECTOR } from "../../generated/values.js";
import { CONTRACT_ITEMS, itemId, localId } from "./items.js";

/** The old spelling: a kind prefix and no operation in front. */
export const isFormat1Id = (id: string): boolean => /^(?:status|request|rule|response):/.test(id);

/** The operation every format-1 item belonged to. */
export const FORMAT1_OPERATION: string = UPDATE_CONNECTOR.operationId;

/**
 * The id a format-1 id has now: `status:429` -> `updateConnector status:429`, and a response item
 * gains the success status whose body gives it (`response:status=AVAILABLE` ->
 * `updateConnector response:200 status=AVAILABLE`). Undefined when this contract has no such item.
 */
export function idFromFormat1(id: string): string | undefined {
  if (!isFormat1Id(id)) return undefined;
  if (id.startsWith("response:")) {
    const rest = id.slice("response:".length);
    const matches = CONTRACT_ITEMS.definitions.filter(
      (d) => d.operation === FORMAT1_OPERATION && /^response:\S+ /.test(localId(d.id)) && localId(d.id).replace(/^response:\S+ /, "") === rest,
    );
    return matches.length === 1 ? matches[0]!.id : undefined;
  }
  const now = itemId(FORMAT1_OPERATION, id);
  return CONTRACT_ITEMS.ids.has(now) ? now : undefined;
}
