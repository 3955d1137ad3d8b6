// Shared access to the bundled contract for the contract tests.
import { readFileSync } from "node:fs";
import { UPDATE_CONNECTOR } from "../../generated/values.js";
import { derefLocal } from "../../src/contract-refs.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the contract is untyped JSON here
export const CONTRACT: any = JSON.parse(readFileSync(new URL("../../generated/openapi.json", import.meta.url), "utf8"));

export const OPERATION = CONTRACT.paths[UPDATE_CONNECTOR.path][UPDATE_CONNECTOR.method.toLowerCase()];

/** Follows a local `$ref` ("#/components/...") to what it points at. */
export const deref = <T = any>(node: any): T => derefLocal<T>(CONTRACT, node);

/** The component name a `$ref` names: "#/components/schemas/Evse" -> "Evse". */
export const refName = (node: { $ref: string }) => node.$ref.split("/").pop()!;
