// Loads the testing kit's optional peer dependencies (Prism, fast-check) on first use: a consumer who
// only wants the types and the client installs nothing heavy, and one who uses the kit without a peer
// is told exactly what to install.
import { createRequire } from "node:module";

/** The exact Prism packages (the versions @stoplight/prism-cli 5.14.2 uses) the kit is built on. */
export const PRISM_PACKAGES = {
  "@stoplight/prism-http": "5.12.0",
  "@stoplight/prism-http-server": "5.12.2",
  "@stoplight/prism-core": "5.8.0",
} as const;

/** fast-check, which generates the patches of `verify` and the arbitraries of `/testing`. */
export const FAST_CHECK_PACKAGE = { "fast-check": "4.3.0" } as const;

/** Every optional peer of the testing kit, with the exact version it is built and tested on. */
export const PEER_PACKAGES = { ...PRISM_PACKAGES, ...FAST_CHECK_PACKAGE } as const;

/** A peer dependency the kit needs is not installed; the message says what to install. */
export class MissingPeerError extends Error {
  override readonly name = "MissingPeerError";
  constructor(
    readonly missing: string,
    readonly install: readonly string[],
    options: { cause: unknown },
  ) {
    super(
      `spirii-connector-contract/testing needs ${missing}, which is not installed. ` +
        `Install it with: npm install --save-dev --save-exact ${install.join(" ")}`,
      options,
    );
  }
}

const pinned = (packages: Record<string, string>) => Object.entries(packages).map(([name, version]) => `${name}@${version}`);

type PrismHttp = typeof import("@stoplight/prism-http");
type PrismHttpServer = typeof import("@stoplight/prism-http-server");
type PrismCore = typeof import("@stoplight/prism-core");
export type FastCheck = typeof import("fast-check");

export interface Prism {
  http: PrismHttp;
  server: PrismHttpServer;
  core: PrismCore;
}

let prism: Prism | undefined;

/** The Prism modules, loaded once (they are CommonJS only, so `require` is exact and synchronous). */
export function loadPrism(): Prism {
  if (prism) return prism;
  const require = createRequire(import.meta.url);
  const load = <T>(name: keyof typeof PRISM_PACKAGES): T => {
    try {
      return require(name) as T;
    } catch (error) {
      // All three, since they must move together.
      throw new MissingPeerError(name, pinned(PRISM_PACKAGES), { cause: error });
    }
  };
  prism = {
    http: load<PrismHttp>("@stoplight/prism-http"),
    server: load<PrismHttpServer>("@stoplight/prism-http-server"),
    core: load<PrismCore>("@stoplight/prism-core"),
  };
  return prism;
}

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
