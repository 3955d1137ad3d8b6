// Where the bundled contract lives, from both src/ (tests) and dist/src/ (the published package):
// the relative path to generated/ is the same in both layouts.
import { fileURLToPath } from "node:url";

/** Absolute path of the bundled contract, generated/openapi.json. */
export const CONTRACT_PATH = fileURLToPath(new URL("../../generated/openapi.json", import.meta.url));
