// The fake's family: pages with real cursors, availability, unlock and remote stop with state, as
// the fake reads the pages (src/testing/fake/family.ts), through the client and fake.fetch.
import { afterEach, describe, expect, it } from "vitest";
import { createConnectorClient, type Evse } from "../../../src/index.js";
import { createFake, type Fake } from "../../../src/testing/index.js";

const template = (uid: number, format: "SOCKET" | "CABLE" = "SOCKET", chargeboxId = 1): Evse => ({
  uid,
  evseId: `DK*SPI*E${uid}*1`,
  chargeboxId,
  status: "AVAILABLE",
  connectors: [{ id: 1, standard: "IEC_62196_T2", format, powerType: "AC_3_PHASE", maxVoltage: 400, maxAmperage: 32 }],
});

let fake: Fake | undefined;
afterEach(() => fake?.close());
const clientOf = (f: Fake) => createConnectorClient({ apiKey: "test-key", fetch: f.fetch, retry: false });

describe("the fake's pages", () => {
  it("client.evses() walks 250 fake EVSEs in pages of 100 and stops", async () => {
    fake = createFake({ evses: Array.from({ length: 250 }, (_, i) => template(i + 1)) });
    const uids: number[] = [];
    for await (const evse of clientOf(fake).evses({ limit: 100 })) uids.push(evse.uid);
    expect(uids).toEqual(Array.from({ length: 250 }, (_, i) => i + 1));
    const lists = fake.requests.filter((r) => r.method === "GET");
    expect(lists).toHaveLength(3);
  });

  it("filters by uids and charge boxes, and its cursors round-trip both ways", async () => {
    fake = createFake({ evses: [template(1, "SOCKET", 7), template(2, "SOCKET", 8), template(3, "SOCKET", 7)] });
    const client = clientOf(fake);
    expect((await client.listEvses({ chargeboxIds: [7] })).data.map((e) => e.uid)).toEqual([1, 3]);
    expect((await client.listEvses({ uids: [2, 3] })).data.map((e) => e.uid)).toEqual([2, 3]);
    const first = await client.listEvses({ limit: 1 });
    const second = await client.listEvses({ limit: 1, nextPageCursor: first.nextPageCursor! });
    expect(second.data.map((e) => e.uid)).toEqual([2]);
    expect((await client.listEvses({ limit: 1, previousPageCursor: second.previousPageCursor! })).data.map((e) => e.uid)).toEqual([1]);
  });

  it("answers 400 to a cursor it did not give and to limit 101 sent past the client", async () => {
    fake = createFake({ evses: [template(1)] });
    const raw = await fake.fetch(new Request("http://fake/v2/evses?nextPageCursor=bogus", { headers: { authorization: "Bearer k" } }));
    expect(raw.status).toBe(400);
    const limit = await fake.fetch(new Request("http://fake/v2/evses?limit=101", { headers: { authorization: "Bearer k" } }));
    expect(limit.status).toBe(400);
    expect(((await limit.json()) as { error: { param: string } }).error.param).toBe("limit");
  });
});

describe("the fake's answer to a command body that breaks the contract", () => {
  it("is 400, the status the commands document (422 is the PATCH's alone), naming the field", async () => {
    fake = createFake({ evses: [template(1)] });
    const post = (suffix: string, body: unknown) =>
      fake!.fetch(new Request(`http://fake/v2/evses/1/connectors/1/${suffix}`, { method: "POST", headers: { authorization: "Bearer k", "content-type": "application/json" }, body: JSON.stringify(body) }));
    for (const [suffix, body, param] of [["remote-stop-transaction", {}, "transactionId"], ["remote-stop-transaction", { transactionId: "7" }, "transactionId"], ["change-availability", { type: 1 }, "type"]] as const) {
      const answer = await post(suffix, body);
      expect(answer.status).toBe(400);
      expect(((await answer.json()) as { error: { param: string } }).error.param).toBe(param);
    }
  });
});

describe("the fake's commands", () => {
  const path = { uid: 1, connectorId: 1 };

  it("availability: Inoperative makes the EVSE INOPERATIVE, Operative puts its status back; Scheduled while a session runs", async () => {
    fake = createFake({ evses: [template(1), template(2)], sessions: [{ transactionId: 9, uid: 2, connectorId: 1 }] });
    const client = clientOf(fake);
    expect((await client.changeConnectorAvailability(path, { type: "Inoperative" })).status).toBe("Accepted");
    expect(fake.evse(1)?.status).toBe("INOPERATIVE");
    expect((await client.changeConnectorAvailability(path, { type: "Operative" })).status).toBe("Accepted");
    expect(fake.evse(1)?.status).toBe("AVAILABLE");
    expect((await client.changeConnectorAvailability({ uid: 2, connectorId: 1 }, { type: "Inoperative" })).status).toBe("Scheduled");
    expect(fake.evse(2)?.status).toBe("CHARGING"); // the running session shows, and Scheduled changed nothing
  });

  it("unlock: Unlocked for a socket, NotSupported for a fixed cable, UnlockFailed with a message when the charge box is offline", async () => {
    fake = createFake({ evses: [template(1, "SOCKET", 1), template(2, "CABLE", 2), template(3, "SOCKET", 3)], offlineChargeboxes: [3] });
    const client = clientOf(fake);
    expect(await client.unlockConnector({ uid: 1, connectorId: 1 })).toEqual({ status: "Unlocked" });
    expect(await client.unlockConnector({ uid: 2, connectorId: 1 })).toEqual({ status: "NotSupported" });
    expect(await client.unlockConnector({ uid: 3, connectorId: 1 })).toEqual({ status: "UnlockFailed", error: { message: "Charge box is not connected" } });
  });

  it("remote stop: Accepted ends a running session once; Rejected for an unknown or finished one; reset() brings the seed back", async () => {
    fake = createFake({ evses: [template(1)], sessions: [{ transactionId: 5, uid: 1, connectorId: 1 }] });
    const client = clientOf(fake);
    expect((await client.remoteStopTransaction(path, { transactionId: 5 })).status).toBe("Accepted");
    expect((await client.remoteStopTransaction(path, { transactionId: 5 })).status).toBe("Rejected");
    expect((await client.remoteStopTransaction(path, { transactionId: 6 })).status).toBe("Rejected");
    fake.reset();
    expect((await client.remoteStopTransaction(path, { transactionId: 5 })).status).toBe("Accepted");
  });

  it("a running session shows on its EVSE: CHARGING while one runs, AVAILABLE once the last one ends; reset() shows it again", async () => {
    const blocked = { ...template(2), status: "BLOCKED" as const };
    fake = createFake({
      evses: [template(1), blocked],
      sessions: [
        { transactionId: 5, uid: 1, connectorId: 1 },
        { transactionId: 6, uid: 1, connectorId: 1 },
        { transactionId: 7, uid: 2, connectorId: 1 },
      ],
    });
    const client = clientOf(fake);
    expect(fake.evse(1)?.status).toBe("CHARGING");
    expect(fake.evse(2)?.status).toBe("BLOCKED"); // a status the seed chose is left as it is
    expect((await client.remoteStopTransaction(path, { transactionId: 5 })).status).toBe("Accepted");
    expect(fake.evse(1)?.status).toBe("CHARGING"); // session 6 still runs there
    expect((await client.getEvse({ uid: 1 })).status).toBe("CHARGING");
    expect((await client.remoteStopTransaction(path, { transactionId: 6 })).status).toBe("Accepted");
    expect(fake.evse(1)?.status).toBe("AVAILABLE");
    expect((await client.remoteStopTransaction({ uid: 2, connectorId: 1 }, { transactionId: 7 })).status).toBe("Accepted");
    expect(fake.evse(2)?.status).toBe("BLOCKED");
    fake.reset();
    expect(fake.evse(1)?.status).toBe("CHARGING");
  });

  it("refuses a bad seed of sessions before starting", () => {
    expect(() => createFake({ sessions: [{ transactionId: "x" }] as never })).toThrow(/sessions must be an array/);
  });
});
