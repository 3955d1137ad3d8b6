// listEvses and client.evses: facades over the client's one call path (operation.ts), typed from the
// contract. listEvses reads one page; evses() walks every page (evse-pages.ts) through the same call
// as listEvses, so each page has the same checks, retries (a read is idempotent), deadline and errors.
// Before each page the walk waits for listEvses' rate-limit bucket (pacing.ts) as long as its window takes,
// bounded by the signal and not by a page's deadline, so that a big fleet waits for the reset instead
// of running into 429s.
import { OPERATIONS } from "../../generated/operations.js";
import { ConnectorApiError, type RequestIssue } from "./errors.js";
import type { ClientEvent } from "./events.js";
import { reserveRoom, type BucketPacers } from "./pacing.js";
import { DEFAULT_MAX_PAGES, walkEvsePages, type EvsePage, type ListEvsesQuery, type ListedEvse } from "./evse-pages.js";
import { CALL_OPTIONS } from "./option-names.js";
import { checkRequest, invalidRequest, optionsIssues, urlFor, type OperationConfig, type OperationOptions, type SendOperation } from "./operation.js";

/** evses()'s options: each call's, and the page limit. */
const EVSES_OPTIONS = [...CALL_OPTIONS, "maxPages"] as const;

export type { EvsePage, ListEvsesQuery, ListedEvse };
/** The options of listEvses (as of every named method). */
export type ListEvsesOptions = OperationOptions;

export type ListEvses = (
  /** Filters, `limit` (1..100, default 25) and a cursor; `undefined` and `null` mean none. */
  query?: ListEvsesQuery | null,
  /** `null` and `undefined` mean no options. */
  options?: ListEvsesOptions | null,
) => Promise<EvsePage>;

export interface EvsesOptions extends OperationOptions {
  /**
   * Pages read at most (default 1 000). A walk with more pages stops with an EvsePagingError
   * (`reason: "page-limit"`) whose `nextPageCursor` resumes it. `deadlineMs` bounds each page's
   * request; `signal` the whole walk, including the waits for the read window before each page
   * (which no deadline bounds: a walk waits for the window's reset rather than take a 429).
   */
  maxPages?: number | undefined;
}

/** Every EVSE of every page, in order; nothing is sent before the first `next()`. */
export type Evses = (query?: ListEvsesQuery | null, options?: EvsesOptions | null) => AsyncIterable<ListedEvse>;

export function createListEvses(send: SendOperation): ListEvses {
  return (query, options) => send("listEvses", { query: query ?? {} }, options) as Promise<EvsePage>;
}

const maxPagesIssue = (o: Record<string, unknown>): RequestIssue[] =>
  o.maxPages === undefined || (Number.isInteger(o.maxPages) && (o.maxPages as number) >= 1)
    ? []
    : [{ in: "options", path: "/maxPages", keyword: "minimum", message: "must be a whole number of at least 1" }];

export function createEvses(
  send: SendOperation,
  config: Pick<OperationConfig, "baseUrl" | "redact" | "emit"> & { pacers: BucketPacers },
): Evses {
  const paced = config.pacers.of(OPERATIONS.listEvses)!;
  const { method } = OPERATIONS.listEvses;
  const url = urlFor(config.baseUrl, "listEvses", undefined);
  const { emit } = config;
  const where = () => ({ method, url });
  const aborted = (signal: AbortSignal) => {
    const reason: unknown = signal.reason;
    return new ConnectorApiError({
      kind: "aborted",
      method,
      url,
      attempts: 0,
      operationId: "listEvses",
      ...(reason === undefined ? {} : { reason: config.redact.value(reason) }),
    });
  };
  return (query, options) => ({
    async *[Symbol.asyncIterator]() {
      const issues = optionsIssues(options, EVSES_OPTIONS, maxPagesIssue);
      if (issues.length) throw invalidRequest(config, "listEvses", undefined, issues);
      const { maxPages = DEFAULT_MAX_PAGES, ...pageOptions } = options ?? {};
      const signal = pageOptions.signal;
      // Each page is one listEvses call, its query checked (limit 1..100, whole-number ids) before the
      // wait for the window, so that bad input fails at once rather than after a window's reset (the
      // call checks it again: the cost is small). An aborted signal fails the request of the next page.
      const page = async (pageQuery: ListEvsesQuery) => {
        const queryIssues = checkRequest("listEvses", { query: pageQuery });
        if (queryIssues.length) throw invalidRequest(config, "listEvses", undefined, queryIssues);
        let reservation;
        try {
          reservation = await reserveRoom(paced, signal, emit, where);
        } catch {
          throw aborted(signal!); // only the signal ends the wait
        }
        try {
          // The page's first attempt uses the place its wait took.
          return (await send("listEvses", { query: pageQuery }, pageOptions, { reservation })) as EvsePage;
        } finally {
          reservation.release(); // only if nothing was sent
        }
      };
      for await (const evse of walkEvsePages(page, query ?? {}, maxPages)) {
        // Aborted while the caller was on this page: stop here rather than hand out the rest of it.
        if (signal?.aborted) throw aborted(signal);
        yield evse;
      }
    },
  });
}
