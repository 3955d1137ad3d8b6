// Loads Prism, an optional peer dependency: a consumer who only wants the types and the client
// installs nothing heavy, and one who uses the testing kit without Prism is told what to install.
import { createRequire } from "node:module";

/** The exact Prism packages (the versions @stoplight/prism-cli 5.14.2 uses) this kit is built on. */
export const PRISM_PACKAGES = {
  "@stoplight/prism-http": "5.12.0",
  "@stoplight/prism-http-server": "5.12.2",
  "@stoplight/prism-core": "5.8.0",
} as const;

type PrismHttp = typeof import("@stoplight/prism-http");
type PrismHttpServer = typeof import("@stoplight/prism-http-server");
type PrismCore = typeof import("@stoplight/prism-core");

export interface Prism {
  http: PrismHttp;
  server: PrismHttpServer;
  core: PrismCore;
}

let loaded: Prism | undefined;

/** The Prism modules, loaded once; throws an Error naming the exact packages to install. */
export function loadPrism(): Prism {
  if (loaded) return loaded;
  const require = createRequire(import.meta.url);
  const load = <T>(name: keyof typeof PRISM_PACKAGES): T => {
    try {
      return require(name) as T;
    } catch (error) {
      const install = Object.entries(PRISM_PACKAGES)
        .map(([pkg, version]) => `${pkg}@${version}`)
        .join(" ");
      throw new Error(
        `spirii-connector-contract/testing needs ${name}, which is not installed. Install the testing kit's optional peers with: npm install --save-dev --save-exact ${install}`,
        { cause: error },
      );
    }
  };
  loaded = {
    http: load<PrismHttp>("@stoplight/prism-http"),
    server: load<PrismHttpServer>("@stoplight/prism-http-server"),
    core: load<PrismCore>("@stoplight/prism-core"),
  };
  return loaded;
}
