// The family's methods through the client's one call path: listEvses and evses() (paging),
// changeConnectorAvailability, unlockConnector and remoteStopTransaction. What they share with the
// other methods (redaction, bad options) is in safety.test.ts through NAMED_CALLS; here is what is
// their own: the requests they send, the bad input they refuse before sending, refusals returned as
// answers, and the commands that are never sent twice.
import { describe, expect, it } from "vitest";
import contract from "../../generated/openapi.json" with { type: "json" };
import { EvsePagingError, type ListedEvse } from "../../src/index.js";
import { json, ok, reset, type Handler, useFaultServer } from "./fault-server.js";
import { PATH, failure, fastClient } from "./helpers.js";

const server = useFaultServer();

const examples = contract.components.examples;
const CONNECTOR = `/v2/evses/${PATH.uid}/connectors/${PATH.connectorId}`;

/** A provider of `total` EVSEs, paged by `limit` with opaque cursors; the last page's cursor as `last` says. */
function fleet(total: number, last: "absent" | "null" | "empty" = "absent"): Handler {
  return (res, req) => {
    const url = new URL(req.url ?? "/", "http://x");
    const limit = Number(url.searchParams.get("limit") ?? 25);
    const cursor = url.searchParams.get("nextPageCursor");
    const start = cursor === null ? 0 : Number(Buffer.from(cursor, "base64url").toString());
    const template = examples.EvseTwoAcConnectors.value;
    const data = Array.from({ length: Math.max(0, Math.min(limit, total - start)) }, (_, i) => ({ ...template, uid: start + i + 1 }));
    const end = start + data.length;
    const next = end < total ? { nextPageCursor: Buffer.from(String(end)).toString("base64url") } : { absent: {}, null: { nextPageCursor: null }, empty: { nextPageCursor: "" } }[last];
    json(200, { data, ...next })(res, req);
  };
}

describe("client.listEvses", () => {
  it("sends one GET /v2/evses with the query, arrays as repeated keys, and resolves to the page", async () => {
    server.script(ok(examples.EvsePageFirst.value));
    const page = await fastClient(server.url).listEvses({ limit: 100, uids: [123, 456], chargeboxIds: [7] });
    expect(page).toEqual(examples.EvsePageFirst.value);
    expect(server.received).toHaveLength(1);
    const [request] = server.received;
    expect(request?.method).toBe("GET");
    const url = new URL(request!.url, "http://x");
    expect(url.pathname).toBe("/v2/evses");
    expect(url.searchParams.get("limit")).toBe("100");
    expect(url.searchParams.getAll("uids")).toEqual(["123", "456"]);
    expect(url.searchParams.getAll("chargeboxIds")).toEqual(["7"]);
    expect(request?.body).toBe("");
  });

  it("with no query sends no query", async () => {
    server.script(ok({ data: [] }));
    await fastClient(server.url).listEvses();
    expect(server.received[0]?.url).toBe("/v2/evses");
  });

  it.each([
    ["limit 0", { limit: 0 }, "/limit", /query \/limit must be 1 or more/],
    ["limit 101", { limit: 101 }, "/limit", /query \/limit .*"maximum"/],
    ["a string uid", { uids: ["123"] }, "/uids/0", /query \/uids\/0 must be of type integer/],
    ["a misspelt parameter", { cursor: "x" }, "/cursor", /query \/cursor/],
  ])("refuses %s before sending, naming the pointer", async (_name, query, pointer, message) => {
    const error = await failure(fastClient(server.url).listEvses(query as never));
    expect(error.kind).toBe("invalid-request");
    expect(error.message).toMatch(message);
    if (error.kind === "invalid-request") expect(error.issues.map((i) => [i.in, i.path])).toContainEqual(["query", pointer]);
    expect(error.attempts).toBe(0);
    expect(server.received).toHaveLength(0);
  });
});

describe("client.evses", () => {
  const walk = async (iterable: AsyncIterable<ListedEvse>) => {
    const uids: number[] = [];
    for await (const evse of iterable) uids.push(evse.uid);
    return uids;
  };

  it.each(["absent", "null", "empty"] as const)("walks 250 EVSEs in pages of 100 and stops on a last cursor that is %s", async (last) => {
    server.script(fleet(250, last));
    const uids = await walk(fastClient(server.url).evses({ limit: 100 }));
    expect(uids).toEqual(Array.from({ length: 250 }, (_, i) => i + 1));
    expect(server.received).toHaveLength(3);
    expect(server.received.map((r) => new URL(r.url, "http://x").searchParams.get("limit"))).toEqual(["100", "100", "100"]);
  });

  it("sends nothing until iterated, and refuses a bad query at the first step, sending nothing", async () => {
    const client = fastClient(server.url);
    const iterable = client.evses({ limit: 0 });
    expect(server.received).toHaveLength(0);
    const error = await failure(walk(iterable));
    expect(error.kind).toBe("invalid-request");
    expect(server.received).toHaveLength(0);
  });

  it.each([0, 1.5, "3"])("refuses maxPages %j, naming options/maxPages", async (maxPages) => {
    const error = await failure(walk(fastClient(server.url).evses({}, { maxPages } as never)));
    expect(error.message).toMatch(/options\.maxPages must be a whole number of at least 1/);
    expect(server.received).toHaveLength(0);
  });

  it("refuses an option it does not have, before sending (a misspelt maxPages)", async () => {
    const error = await failure(walk(fastClient(server.url).evses({}, { maxPage: 3 } as never)));
    expect(error.kind).toBe("invalid-request");
    expect(error.message).toMatch(/maxPage/);
    expect(server.received).toHaveLength(0);
  });

  it("stops at maxPages with an error that resumes", async () => {
    server.script(fleet(250));
    const client = fastClient(server.url);
    const read: number[] = [];
    const error = await (async () => {
      for await (const evse of client.evses({ limit: 100 }, { maxPages: 2 })) read.push(evse.uid);
    })().then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(EvsePagingError);
    expect(read).toHaveLength(200);
    expect(await walk(client.evses({ limit: 100, nextPageCursor: (error as EvsePagingError).nextPageCursor! }))).toHaveLength(50);
  });

  it("an aborted signal stops the walk: no page is requested after it", async () => {
    server.script(fleet(250));
    const controller = new AbortController();
    const read: number[] = [];
    const error = await failure(
      (async () => {
        for await (const evse of fastClient(server.url).evses({ limit: 100 }, { signal: controller.signal })) {
          read.push(evse.uid);
          if (read.length === 150) controller.abort(new Error("enough"));
        }
      })(),
    );
    expect(error).toMatchObject({ kind: "aborted", operationId: "listEvses", attempts: 0 });
    expect(error.message).toContain("aborted by the caller's AbortSignal");
    expect(read).toHaveLength(150);
    expect(server.received).toHaveLength(2);
  });
});

describe("client.changeConnectorAvailability", () => {
  it("POSTs { type } as JSON to change-availability and resolves to the answer", async () => {
    server.script(ok(examples.AvailabilityChangeAccepted.value));
    const result = await fastClient(server.url).changeConnectorAvailability(PATH, { type: "Inoperative" });
    expect(result).toEqual(examples.AvailabilityChangeAccepted.value);
    const [request] = server.received;
    expect([request?.method, request?.url]).toEqual(["POST", `${CONNECTOR}/change-availability`]);
    expect(request?.headers["content-type"]).toMatch(/^application\/json/);
    expect(JSON.parse(request!.body)).toEqual({ type: "Inoperative" });
  });

  it("returns a refusal (Rejected) and Scheduled as answers, not errors", async () => {
    server.script(ok(examples.AvailabilityChangeRejected.value), ok(examples.AvailabilityChangeScheduled.value));
    const client = fastClient(server.url);
    expect((await client.changeConnectorAvailability(PATH, { type: "Operative" })).status).toBe("Rejected");
    expect((await client.changeConnectorAvailability(PATH, { type: "Operative" })).status).toBe("Scheduled");
  });

  it.each([
    ["an OCPI-cased type", { type: "INOPERATIVE" }, "/type"],
    ["no type", {}, "/type"],
    ["an extra field", { type: "Operative", at: "now" }, "/at"],
  ])("refuses %s before sending", async (_name, body, pointer) => {
    const error = await failure(fastClient(server.url).changeConnectorAvailability(PATH, body as never));
    expect(error.kind).toBe("invalid-request");
    if (error.kind === "invalid-request") expect(error.issues.map((i) => [i.in, i.path])).toContainEqual(["body", pointer]);
    expect(server.received).toHaveLength(0);
  });

  it("is idempotent: sent again after a lost connection", async () => {
    server.script(reset, ok(examples.AvailabilityChangeAccepted.value));
    expect((await fastClient(server.url).changeConnectorAvailability(PATH, { type: "Inoperative" })).status).toBe("Accepted");
    expect(server.received).toHaveLength(2);
  });
});

describe("client.unlockConnector", () => {
  it("POSTs to unlock with no body and no Content-Type", async () => {
    server.script(ok(examples.UnlockReferencePage.value));
    const result = await fastClient(server.url).unlockConnector(PATH);
    // The page's own example: Unlocked with an error message, accepted as it is.
    expect(result).toEqual({ status: "Unlocked", error: { message: "Charge box is not connected" } });
    const [request] = server.received;
    expect([request?.method, request?.url]).toEqual(["POST", `${CONNECTOR}/unlock`]);
    expect(request?.headers["content-type"]).toBeUndefined();
    expect(request?.body).toBe("");
  });

  it("returns UnlockFailed with its message, and NotSupported, as answers", async () => {
    server.script(ok(examples.UnlockFailedOffline.value), ok(examples.UnlockNotSupported.value));
    const client = fastClient(server.url);
    const failed = await client.unlockConnector(PATH);
    expect(failed.status).toBe("UnlockFailed");
    expect(failed.error?.message).toBe("Charge box is not connected");
    expect((await client.unlockConnector(PATH)).status).toBe("NotSupported");
  });

  it("refuses a body before sending, naming it", async () => {
    const unlock = fastClient(server.url).unlockConnector as (...args: unknown[]) => Promise<unknown>;
    const error = await failure(unlock(PATH, {}, { type: "force" }));
    expect(error.kind).toBe("invalid-request");
    expect(error.message).toMatch(/takes no body/);
    if (error.kind === "invalid-request") expect(error.issues).toEqual([expect.objectContaining({ in: "body", path: "" })]);
    expect(server.received).toHaveLength(0);
  });

  it("is never sent twice: a lost connection is an error, not a retry", async () => {
    server.script(reset, ok(examples.UnlockReferencePage.value));
    const error = await failure(fastClient(server.url).unlockConnector(PATH));
    expect(error).toMatchObject({ kind: "network", attempts: 1, operationId: "unlockConnector" });
    expect(server.received).toHaveLength(1);
  });
});

describe("client.remoteStopTransaction", () => {
  it("POSTs { transactionId } and returns Accepted or Rejected as answers", async () => {
    server.script(ok(examples.RemoteStopAccepted.value), ok(examples.RemoteStopRejected.value));
    const client = fastClient(server.url);
    expect(await client.remoteStopTransaction(PATH, { transactionId: 1 })).toEqual({ status: "Accepted" });
    expect(await client.remoteStopTransaction(PATH, { transactionId: 2 })).toEqual({ status: "Rejected" });
    expect(server.received.map((r) => [r.method, r.url, JSON.parse(r.body)])).toEqual([
      ["POST", `${CONNECTOR}/remote-stop-transaction`, { transactionId: 1 }],
      ["POST", `${CONNECTOR}/remote-stop-transaction`, { transactionId: 2 }],
    ]);
  });

  it("an undocumented status is an answer too (the enum is open)", async () => {
    server.script(ok({ status: "Deferred" }));
    expect((await fastClient(server.url).remoteStopTransaction(PATH, { transactionId: 1 })).status).toBe("Deferred");
  });

  it.each([
    ["a missing transactionId", {}, "/transactionId"],
    ["a string transactionId", { transactionId: "1" }, "/transactionId"],
  ])("refuses %s before sending, naming the pointer", async (_name, body, pointer) => {
    const error = await failure(fastClient(server.url).remoteStopTransaction(PATH, body as never));
    expect(error.kind).toBe("invalid-request");
    if (error.kind === "invalid-request") expect(error.issues.map((i) => [i.in, i.path])).toContainEqual(["body", pointer]);
    expect(server.received).toHaveLength(0);
  });

  it("is never sent twice: a lost connection is an error, not a retry", async () => {
    server.script(reset, ok(examples.RemoteStopAccepted.value));
    const error = await failure(fastClient(server.url).remoteStopTransaction(PATH, { transactionId: 1 }));
    expect(error).toMatchObject({ kind: "network", attempts: 1, operationId: "remoteStopTransaction" });
    expect(server.received).toHaveLength(1);
  });
});
