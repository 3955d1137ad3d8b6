// The fake's lazy coverage files an exchange by its method and path when it is given them (a GET of
// the EVSE under getEvse, a path the contract lacks outside it), and under updateConnector when not.
import { describe, expect, it } from "vitest";
import { GET_EVSE, UPDATE_CONNECTOR } from "../../src/contract.js";
import { LazyCoverage } from "../../src/testing/fake/coverage.js";

const coveredIds = (lazy: LazyCoverage) => lazy.coverage().items.filter((i) => i.covered).map((i) => `${i.id} ${i.count}`);
const answer = (status: number, body: unknown = {}) => ({ status, headers: {}, body: JSON.stringify(body) }) as never;

describe("the fake's lazy coverage", () => {
  it("files each exchange under the operation its method and path name, counting repeats", () => {
    const lazy = new LazyCoverage();
    lazy.add("", answer(200, { status: "AVAILABLE", connectors: [] }), { method: "GET", path: "/v2/evses/1" });
    lazy.add("", answer(200, { status: "AVAILABLE", connectors: [] }), { method: "GET", path: "/v2/evses/1?x=1" });
    lazy.add("", answer(404), { method: "GET", path: "/v2/evses/999" });
    lazy.add('{"format":"CABLE"}', answer(429), { method: "PATCH", path: "/v2/evses/1/connectors/1" });
    lazy.add("", answer(404), { method: "GET", path: "/v2/chargers" });
    expect(coveredIds(lazy)).toEqual([
      `${UPDATE_CONNECTOR.operationId} status:429 1`,
      `${UPDATE_CONNECTOR.operationId} request:format 1`,
      `${UPDATE_CONNECTOR.operationId} request:format=CABLE 1`,
      `${GET_EVSE.operationId} status:200 2`,
      `${GET_EVSE.operationId} status:404 1`,
      `${GET_EVSE.operationId} response:200 status=AVAILABLE 2`,
    ]);
    expect(lazy.coverage().outsideContract).toEqual({ count: 1, requests: [{ method: "GET", path: "/v2/chargers", count: 1 }] });
  });

  it("without a method and path, files the exchange under updateConnector, as before", () => {
    const lazy = new LazyCoverage();
    lazy.add('{"maxVoltage":0}', answer(422));
    lazy.add('{"maxAmperage":16}', undefined); // dropped: the request alone
    expect(coveredIds(lazy)).toEqual(
      ["status:422 1", "request:maxAmperage 1", "request:maxVoltage 1", "rule:exclusiveMinimum /maxVoltage 1"].map((id) => `${UPDATE_CONNECTOR.operationId} ${id}`),
    );
  });
});
