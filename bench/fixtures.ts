// Payloads for the benchmarks, taken from the contract's own examples (not retyped).
import { readFileSync } from "node:fs";
import type { ConnectorUpdate, Evse } from "../src/index.js";

const contract = JSON.parse(readFileSync(new URL("../generated/openapi.json", import.meta.url), "utf8"));

/** The reference page's response (the contract's `EvseReferencePage` example). */
export const PAGE_EVSE: Evse = contract.components.examples.EvseReferencePage.value;
/** The reference page's request (the contract's `ConnectorUpdateReferencePage` example): every field set. */
export const FULL_PATCH: ConnectorUpdate = contract.components.examples.ConnectorUpdateReferencePage.value;
/** An EVSE with eight connectors, each a copy of the page's connector with its own id. */
export const EVSE_WITH_8: Evse = {
  ...PAGE_EVSE,
  connectors: Array.from({ length: 8 }, (_, i) => ({ ...PAGE_EVSE.connectors[0]!, id: i + 1 })),
};
export const PAGE_EVSE_JSON = JSON.stringify(PAGE_EVSE);
