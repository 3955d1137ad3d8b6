// Walks the pages of listEvses (GET /v2/evses) as one async iterator of EVSEs: each page's
// `nextPageCursor` goes back unchanged as the query parameter of the same name, and the walk ends on
// a cursor that is absent, null or empty (the EVSE pages do not say which marks the last page, so any
// of them does). It is bounded: by the caller's signal (passed to every page's request) and by a page
// limit, past which it stops with an error that says where to resume rather than end silently short.
import type { components, operations } from "../../generated/types.js";

/** The query of listEvses: filters, `limit` (1..100, default 25) and the cursors. */
export type ListEvsesQuery = NonNullable<operations["listEvses"]["parameters"]["query"]>;
/** One page of EVSEs, as listEvses answers. */
export type EvsePage = components["schemas"]["EvsePage"];
/** One EVSE of a page. */
export type ListedEvse = EvsePage["data"][number];

/** Pages read at most by one walk unless `maxPages` says otherwise: 100 000 EVSEs at `limit: 100`. */
export const DEFAULT_MAX_PAGES = 1000;

/** Why a walk stopped before the last page. */
export class EvsePagingError extends Error {
  override readonly name = "EvsePagingError";
  constructor(
    /**
     * "page-limit": `maxPages` pages were read and there are more; "cursor-repeated": the provider
     * sent a cursor it had already sent (it would loop); "no-data": a page without a `data` array
     * (the client's `validateResponses: "report"` lets such a body through).
     */
    readonly reason: "page-limit" | "cursor-repeated" | "no-data",
    /** Pages read. */
    readonly pages: number,
    /** The cursor to resume from (`evses({ ...query, nextPageCursor })`), as the last page gave it. */
    readonly nextPageCursor: string | undefined,
  ) {
    super(
      {
        "page-limit": `client.evses: read ${pages} page(s), the maxPages limit, and the last one has a next page. Pass a larger maxPages, narrow the query, or resume with error.nextPageCursor.`,
        "cursor-repeated": `client.evses: after ${pages} page(s) the provider sent a nextPageCursor it had already sent; walking on would loop. The provider's paging is broken.`,
        "no-data": `client.evses: page ${pages} has no \`data\` array, so its EVSEs cannot be read (the provider broke the contract; see the client's onEvent hook).`,
      }[reason],
    );
  }
}

/** The end of the pages in that direction: a cursor that is absent, null or empty. */
export const isLastCursor = (cursor: string | null | undefined): cursor is null | undefined | "" => cursor === undefined || cursor === null || cursor === "";

/**
 * Every EVSE of every page, in order. `fetchPage` reads one page (the client's listEvses); the first
 * request carries `query` as given, each next one the same filters and limit with the page's cursor
 * (a `previousPageCursor` of the first query is not sent again: the walk goes forward).
 */
export async function* walkEvsePages(
  fetchPage: (query: ListEvsesQuery) => Promise<EvsePage>,
  query: ListEvsesQuery,
  maxPages: number = DEFAULT_MAX_PAGES,
): AsyncGenerator<ListedEvse, void, undefined> {
  const { previousPageCursor: _backwards, nextPageCursor: first, ...filters } = query;
  const sent = new Set<string>();
  let next: ListEvsesQuery = query;
  if (!isLastCursor(first)) sent.add(first);
  for (let pages = 1; ; pages++) {
    const page = await fetchPage(next);
    if (!Array.isArray(page?.data)) throw new EvsePagingError("no-data", pages, undefined);
    yield* page.data;
    const cursor = page.nextPageCursor;
    if (isLastCursor(cursor)) return;
    if (sent.has(cursor)) throw new EvsePagingError("cursor-repeated", pages, cursor);
    if (pages >= maxPages) throw new EvsePagingError("page-limit", pages, cursor);
    sent.add(cursor);
    next = { ...filters, nextPageCursor: cursor };
  }
}
