// Loads the testing kit's optional peer dependencies (Prism, fast-check) on first use: a consumer who
// only wants the types and the client installs nothing heavy, and one who uses the kit without a peer
// is told exactly what to install.
import { createRequire } from "node:module";
import { keepingGlobals } from "./process-globals.js";

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

export const pinned = (packages: Record<string, string>) => Object.entries(packages).map(([name, version]) => `${name}@${version}`);

/**
 * The part of Prism's configuration this kit sets (Prism's IHttpConfig). Typed here, with the other
 * Prism shapes below, rather than imported: the kit's published declarations must not pull in
 * Prism's own, which need @types for pino that Prism does not ship, and so fail a consumer's
 * compile with skipLibCheck off.
 */
export interface PrismHttpConfig {
  isProxy: boolean;
  upstream?: URL;
  upstreamProxy?: undefined;
  validateRequest: boolean;
  validateResponse: boolean;
  checkSecurity: boolean;
  errors: boolean;
  mock: { dynamic: boolean; ignoreExamples?: boolean; seed?: string };
}

/** fp-ts's Either, as Prism's request task resolves to it. */
export type PrismEither<L, R> = { _tag: "Left"; left: L } | { _tag: "Right"; right: R };

/** The Prism instance behind a server: its `request` is looked up on every request the server handles. */
export interface PrismInstance {
  request(
    input: { method: string; url: { path: string }; body?: unknown },
    operations: unknown[],
    config?: unknown,
  ): () => Promise<PrismEither<unknown, { output: { statusCode: number; body?: unknown } }>>;
}

interface PrismHttpServer {
  listen(port: number, host: string): Promise<string>;
  close(): Promise<void>;
  readonly prism: PrismInstance;
}

/** The Prism functions this kit calls. */
export interface Prism {
  http: { getHttpOperationsFromSpec(spec: string): Promise<unknown[]> };
  server: {
    createServer(operations: unknown[], options: { cors: boolean; components: { logger: unknown }; config: PrismHttpConfig }): PrismHttpServer;
  };
  core: { createLogger(name: string, options: { level: string }): unknown };
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
  // Loading Prism replaces Error.prepareStackTrace and adds globals: undone at once (process-globals.ts).
  prism = keepingGlobals(() => ({
    http: load<Prism["http"]>("@stoplight/prism-http"),
    server: load<Prism["server"]>("@stoplight/prism-http-server"),
    core: load<Prism["core"]>("@stoplight/prism-core"),
  }));
  return prism;
}
