// 3. Validator throughput: the package's result-typed validators against the raw compiled Ajv
// functions they wrap (the floor), on the page's example, an 8-connector EVSE and a full patch.
// Method (bench/measure.ts): wrapped and raw alternate in short slices within interleaved rounds;
// each row's ratio is the median per-round ratio, with its spread; the 1 M/s budget is judged on
// the lowest and highest round.
import * as compiled from "../generated/validators.js";
import { validateConnectorUpdate, validateEvse } from "../src/index.js";
import { EVSE_WITH_8, FULL_PATCH, PAGE_EVSE } from "./fixtures.js";
import { compareThroughput, versus } from "./measure.js";
import type { Result } from "./result.js";

export async function validators(): Promise<Result[]> {
  // Make sure every contender really validates (a benchmark of a rejecting validator measures nothing).
  for (const [name, ok] of [
    ["validateEvse(page)", validateEvse(PAGE_EVSE).ok],
    ["validateEvse(8 connectors)", validateEvse(EVSE_WITH_8).ok],
    ["validateConnectorUpdate(full)", validateConnectorUpdate(FULL_PATCH).ok],
  ] as const) {
    if (!ok) throw new Error(`${name} rejects its benchmark input`);
  }
  const options = { sync: true, rounds: 9, roundMs: 200, warmupMs: 300 };
  const evse = await compareThroughput({ wrapped: () => validateEvse(PAGE_EVSE), raw: () => compiled.evse(PAGE_EVSE) }, options);
  const evse8 = await compareThroughput({ wrapped: () => validateEvse(EVSE_WITH_8), raw: () => compiled.evse(EVSE_WITH_8) }, options);
  const update = await compareThroughput(
    { wrapped: () => validateConnectorUpdate(FULL_PATCH), raw: () => compiled.connectorUpdate(FULL_PATCH) },
    options,
  );
  const row = (id: string, name: string, r: typeof evse, budgetValue?: number): Result => ({
    id,
    name,
    unit: "ops/s",
    ...versus(r.wrapped!, r.raw!),
    baseline: "the raw compiled Ajv function it wraps",
    better: "higher",
    ...(budgetValue === undefined ? {} : { budgetValue }),
  });
  return [
    row("validate-evse", "validateEvse on the page's example", evse, 1_000_000),
    row("validate-evse-8", "validateEvse on an EVSE with 8 connectors", evse8),
    row("validate-connector-update", "validateConnectorUpdate on a full patch", update),
  ];
}
