// npm run bench [-- --only group,group] [--out FILE]: runs the benchmark groups, prints a table and
// writes bench/results.json (a full run) or FILE. How rows are measured and judged: bench/measure.ts,
// bench/result.ts and README "Benchmarks". Benchmarks assert nothing; a missed budget is reported.
import { clientOverhead, loopbackRoundTrip } from "./client.bench.js";
import { fleetUpdate } from "./fleet.bench.js";
import { runBench, type Group } from "./harness.js";
import { coverageRecording } from "./coverage.bench.js";
import { fakeApi, fakeFetch } from "./fake.bench.js";
import { mockStart } from "./mock.bench.js";
import { footprint, pipeline } from "./pipeline.bench.js";
import { validators } from "./validators.bench.js";

const GROUPS: Record<string, Group> = { clientOverhead, loopbackRoundTrip, fleetUpdate, validators, mockStart, footprint, pipeline, coverageRecording, fakeApi, fakeFetch };

process.exitCode = await runBench(GROUPS, process.argv.slice(2), { resultsFile: new URL("./results.json", import.meta.url) });
