// walkEvsePages: every EVSE of every page, following nextPageCursor, stopping on an absent, null or
// empty cursor, and bounded (page limit, a cursor sent twice, a page without data).
import { describe, expect, it } from "vitest";
import { EvsePagingError, walkEvsePages, type EvsePage, type ListEvsesQuery, type ListedEvse } from "../../src/client/evse-pages.js";

const evse = (uid: number): ListedEvse => ({ uid, evseId: `DK*SPI*E${uid}*1`, chargeboxId: 1, status: "AVAILABLE", connectors: [] });

/** A provider of `total` EVSEs in pages of `query.limit` (default 25), with opaque cursors, recording each query. */
function provider(total: number, last: (page: EvsePage) => EvsePage = (p) => p) {
  const queries: ListEvsesQuery[] = [];
  const fetchPage = async (query: ListEvsesQuery): Promise<EvsePage> => {
    queries.push(query);
    const limit = query.limit ?? 25;
    const start = query.nextPageCursor === undefined ? 0 : Number(Buffer.from(query.nextPageCursor, "base64url").toString());
    const data = Array.from({ length: Math.max(0, Math.min(limit, total - start)) }, (_, i) => evse(start + i + 1));
    const end = start + data.length;
    const page: EvsePage = { data, ...(start > 0 ? { previousPageCursor: Buffer.from(String(Math.max(0, start - limit))).toString("base64url") } : {}) };
    return end < total ? { ...page, nextPageCursor: Buffer.from(String(end)).toString("base64url") } : last(page);
  };
  return { fetchPage, queries };
}

async function all(iterable: AsyncIterable<ListedEvse>): Promise<number[]> {
  const uids: number[] = [];
  for await (const e of iterable) uids.push(e.uid);
  return uids;
}

describe("walkEvsePages", () => {
  it("walks 250 EVSEs in pages of 100: three requests, every EVSE once, in order, filters kept", async () => {
    const { fetchPage, queries } = provider(250);
    const uids = await all(walkEvsePages(fetchPage, { limit: 100, chargeboxIds: [1] }));
    expect(uids).toEqual(Array.from({ length: 250 }, (_, i) => i + 1));
    expect(queries).toHaveLength(3);
    expect(queries[0]).toEqual({ limit: 100, chargeboxIds: [1] });
    for (const q of queries.slice(1)) expect(q).toMatchObject({ limit: 100, chargeboxIds: [1], nextPageCursor: expect.any(String) });
  });

  it.each([
    ["absent", (p: EvsePage) => p],
    ["null", (p: EvsePage) => ({ ...p, nextPageCursor: null })],
    ["empty", (p: EvsePage) => ({ ...p, nextPageCursor: "" })],
  ])("stops on a last page whose cursor is %s", async (_name, last) => {
    const { fetchPage, queries } = provider(30, last);
    expect(await all(walkEvsePages(fetchPage, { limit: 10 }))).toHaveLength(30);
    expect(queries).toHaveLength(3);
  });

  it("an empty fleet is one request and no EVSE", async () => {
    const { fetchPage, queries } = provider(0);
    expect(await all(walkEvsePages(fetchPage, {}))).toEqual([]);
    expect(queries).toHaveLength(1);
  });

  it("resumes from a nextPageCursor in the query, and does not resend a previousPageCursor", async () => {
    const { fetchPage, queries } = provider(30);
    const cursor = Buffer.from("20").toString("base64url");
    expect(await all(walkEvsePages(fetchPage, { limit: 5, nextPageCursor: cursor, previousPageCursor: "x" }))).toEqual([21, 22, 23, 24, 25, 26, 27, 28, 29, 30]);
    expect(queries[1]).toEqual({ limit: 5, nextPageCursor: Buffer.from("25").toString("base64url") });
  });

  it("stops at maxPages with an error that says where to resume, after yielding what it read", async () => {
    const { fetchPage, queries } = provider(100);
    const uids: number[] = [];
    const walk = async () => {
      for await (const e of walkEvsePages(fetchPage, { limit: 10 }, 3)) uids.push(e.uid);
    };
    const error = await walk().then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(EvsePagingError);
    expect(error).toMatchObject({ reason: "page-limit", pages: 3, nextPageCursor: Buffer.from("30").toString("base64url") });
    expect((error as Error).message).toContain("maxPages");
    expect(uids).toHaveLength(30);
    expect(queries).toHaveLength(3);
    // Resuming from the cursor reads the rest.
    expect(await all(walkEvsePages(fetchPage, { limit: 10, nextPageCursor: (error as EvsePagingError).nextPageCursor! }))).toHaveLength(70);
  });

  it("refuses to loop on a provider that sends the same cursor again", async () => {
    let calls = 0;
    const stuck = async (): Promise<EvsePage> => ({ data: [evse(++calls)], nextPageCursor: "same" });
    await expect(all(walkEvsePages(stuck, {}))).rejects.toMatchObject({ reason: "cursor-repeated", pages: 2 });
    expect(calls).toBe(2);
  });

  it("stops on a page without data instead of reading garbage", async () => {
    const broken = async () => ({ nextPageCursor: "x" }) as unknown as EvsePage;
    await expect(all(walkEvsePages(broken, {}))).rejects.toMatchObject({ reason: "no-data", pages: 1 });
  });

  it("stops when the caller stops: breaking out of the loop sends no further request", async () => {
    const { fetchPage, queries } = provider(100);
    for await (const e of walkEvsePages(fetchPage, { limit: 10 })) if (e.uid === 5) break;
    expect(queries).toHaveLength(1);
  });

  it("a failing page rejects the walk with that error, and nothing more is sent", async () => {
    const { fetchPage, queries } = provider(100);
    const failing = async (q: ListEvsesQuery) => {
      if (queries.length === 2) throw new Error("boom");
      return fetchPage(q);
    };
    await expect(all(walkEvsePages(failing, { limit: 10 }))).rejects.toThrow("boom");
    expect(queries).toHaveLength(2);
  });
});
