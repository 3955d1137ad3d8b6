// spirii-connector-contract/testing/msw: the fake as Mock Service Worker handlers. A separate entry
// point so that nothing loads msw unless this is imported; msw is an optional peer (2.x on Node 20,
// 3.x on Node 22.12+), and a project without it is told the exact command to install it.
import type { HttpHandler } from "msw";
import { SERVER_URLS } from "../../generated/values.js";
import { engineOf, fromRequest, toResponse, type Fake } from "./fake/engine.js";
import { assertKnownOptions, type ExactNames } from "../options.js";
import { MissingPeerError } from "./peers.js";

/** The msw this entry was built and tested with: 2.x runs on Node 20, 3.x needs Node 22.12 or later. */
export const MSW_PACKAGES = { node20: { msw: "2.15.0" }, node22: { msw: "3.0.5" } } as const;

/** The msw to install on this Node: 3 where it runs (Node 22.12+), else 2. */
function mswForThisNode(): string {
  const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
  const modern = major > 22 || (major === 22 && minor >= 12);
  return `msw@${(modern ? MSW_PACKAGES.node22 : MSW_PACKAGES.node20).msw}`;
}

type Msw = typeof import("msw");
// Loaded once, here, so that the handlers below are made by the same msw as the caller's setupServer.
const msw: Msw = await import("msw").catch((error: unknown) => {
  throw new MissingPeerError("msw", [mswForThisNode()], { cause: error });
});

export interface FakeHandlersOptions {
  /**
   * The origins to answer for, as the client's `baseUrl`. Default: the contract's servers
   * (production and sandbox), so a client made without a `baseUrl` reaches the fake.
   */
  baseUrl?: string | readonly string[];
}

const HANDLER_OPTIONS = ["baseUrl"] as const;
true satisfies ExactNames<FakeHandlersOptions, (typeof HANDLER_OPTIONS)[number]>;

function checkBaseUrls(value: unknown): string[] {
  const list = value === undefined ? Object.values(SERVER_URLS) : typeof value === "string" ? [value] : value;
  if (!Array.isArray(list) || list.length === 0) throw new TypeError(`createFakeHandlers: baseUrl must be a URL or a non-empty array of URLs, got ${JSON.stringify(value)}.`);
  return list.map((url: unknown) => {
    let parsed: URL;
    try {
      parsed = new URL(String(url));
    } catch {
      throw new TypeError(`createFakeHandlers: baseUrl ${JSON.stringify(url)} is not a URL; give an origin such as "https://api.spirii.com".`);
    }
    if (typeof url !== "string" || (parsed.pathname !== "/" && parsed.pathname !== "") || parsed.search || parsed.hash) {
      throw new TypeError(`createFakeHandlers: baseUrl ${JSON.stringify(url)} must be an origin only (the client's baseUrl), e.g. ${JSON.stringify(parsed.origin)}.`);
    }
    return parsed.origin;
  });
}

/**
 * MSW request handlers that hand every request under the API's origin to `fake`:
 * `setupServer(...createFakeHandlers(fake))`. The fake answers as it does over HTTP (state,
 * documented errors, its per-bucket rate limits and clock, faults, `fake.use(...)` overrides, coverage); a
 * `{ reset: true }` fault is a network error (`HttpResponse.error()`); an override that answers off
 * the contract throws, so MSW reports the test's mistake, with the JSON pointer.
 */
export function createFakeHandlers(fake: Fake, options: FakeHandlersOptions = {}): HttpHandler[] {
  const engine = engineOf(fake, "createFakeHandlers");
  if (options === null || typeof options !== "object" || Array.isArray(options)) throw new TypeError(`createFakeHandlers: options are { baseUrl? }, got ${JSON.stringify(options)}.`);
  assertKnownOptions("createFakeHandlers", options, HANDLER_OPTIONS);
  return checkBaseUrls(options.baseUrl).map((origin) =>
    msw.http.all(`${origin}/*`, async ({ request }) => {
      if (engine.closed) throw new Error("createFakeHandlers: the fake behind these handlers is closed; close it after the last test (afterAll), or make a new one.");
      return toResponse(await engine.answer(await fromRequest(request)));
    }),
  );
}
