// Loads fast-check, the optional peer behind `verify`'s patches and the patch arbitraries. Apart from
// peers.ts because its type is fast-check's own: no declaration a consumer compiles may name it
// (a consumer of /testing need not have fast-check installed), and peers.ts's declarations are
// reachable from /testing's index.
import { FAST_CHECK_PACKAGE, MissingPeerError, pinned } from "./peers.js";

export type FastCheck = typeof import("fast-check");

let fastCheck: Promise<FastCheck> | undefined;

/**
 * fast-check, loaded once. It is imported rather than required: the package ships separate ESM and
 * CommonJS builds, and arbitraries from one build do not mix with `fc.assert` from the other, so the
 * kit must use the same (ESM) instance as a test file that imports fast-check itself.
 */
export function loadFastCheck(): Promise<FastCheck> {
  fastCheck ??= import("fast-check").catch((error: unknown) => {
    fastCheck = undefined;
    throw new MissingPeerError("fast-check", pinned(FAST_CHECK_PACKAGE), { cause: error });
  });
  return fastCheck;
}
