// 7. Coverage recording: what the mock adds to each exchange it answers (one request body, one 200
// with 8 connectors, filed under its operation by method and path, as the mock does), against the floor of what it already does per exchange: the raw compiled Ajv
// checks of the same request and body. Interleaved rounds in one process; the spread is the range
// of the rounds, and a margin inside it is reported as inconclusive.
import * as compiled from "../generated/validators.js";
import { UPDATE_CONNECTOR } from "../src/contract.js";
import { createCoverageRecorder } from "../src/coverage/index.js";
import { EVSE_WITH_8, FULL_PATCH } from "./fixtures.js";
import { compareThroughput } from "./measure.js";
import type { Result } from "./result.js";

export async function coverageRecording(): Promise<Result[]> {
  const recorder = createCoverageRecorder();
  const exchange = { method: UPDATE_CONNECTOR.method, path: UPDATE_CONNECTOR.path.replace(/\{\w+\}/g, "1"), requestBody: FULL_PATCH, status: 200, responseBody: EVSE_WITH_8 };
  if (recorder.record(exchange) !== UPDATE_CONNECTOR.operationId) throw new Error("the benchmark exchange is not filed under updateConnector");
  // A recorder that counts nothing measures nothing: the exchange must cover items.
  if (recorder.coverage().covered < 10) throw new Error("the benchmark exchange covers almost nothing; check the fixtures");
  const r = await compareThroughput(
    {
      record: () => recorder.record(exchange),
      validate: () => compiled.connectorUpdate(FULL_PATCH) && compiled.evse(EVSE_WITH_8),
    },
    { sync: true, rounds: 7, roundMs: 300, warmupMs: 300 },
  );
  const spread = (rounds: number[]) => `${Math.round(Math.min(...rounds)).toLocaleString("en")}–${Math.round(Math.max(...rounds)).toLocaleString("en")} ops/s`;
  const overlap = Math.min(...r.validate!.rounds) <= Math.max(...r.record!.rounds);
  process.stderr.write(
    `bench: coverage recording ${spread(r.record!.rounds)} vs raw validation ${spread(r.validate!.rounds)}${overlap ? " (the rounds overlap: inconclusive)" : ""}\n`,
  );
  return [
    {
      id: "coverage-record-exchange",
      name: "coverage recording of one exchange (full patch, 200 with 8 connectors)",
      unit: "ops/s",
      value: r.record!.opsPerSecond,
      baseline: "the raw compiled Ajv checks of the same request and body",
      baselineValue: r.validate!.opsPerSecond,
      better: "higher",
      // At most 50 µs an exchange: a few percent of what a Prism mock exchange costs (about 1 ms).
      budgetValue: 20_000,
    },
  ];
}
