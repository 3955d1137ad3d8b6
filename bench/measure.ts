// How the benchmarks measure: contenders of one comparison run in alternating rounds in the same
// process (so drift, GC and CPU frequency hit all of them alike); each round runs a contender for a
// fixed time after a warm-up, and the reported figure is the median round. Nothing here asserts.

export interface Throughput {
  opsPerSecond: number;
  rounds: number[];
}

async function runFor(fn: () => unknown, ms: number): Promise<number> {
  let ops = 0;
  const end = performance.now() + ms;
  // Batches keep the clock reads out of the measured work.
  while (performance.now() < end) {
    for (let i = 0; i < 64; i++) await fn();
    ops += 64;
  }
  return ops;
}

function runSyncFor(fn: () => unknown, ms: number): number {
  let ops = 0;
  const end = performance.now() + ms;
  while (performance.now() < end) {
    for (let i = 0; i < 1024; i++) fn();
    ops += 1024;
  }
  return ops;
}

export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Ops/s of each contender, interleaved: `rounds` rounds of `roundMs` each, after `warmupMs`. */
export async function compareThroughput(
  contenders: Record<string, () => unknown>,
  { rounds = 7, roundMs = 300, warmupMs = 300, sync = false } = {},
): Promise<Record<string, Throughput>> {
  const names = Object.keys(contenders);
  for (const name of names) sync ? runSyncFor(contenders[name]!, warmupMs) : await runFor(contenders[name]!, warmupMs);
  const perRound: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = 0; round < rounds; round++) {
    // Rotate the order so that no contender always runs first or last.
    const order = names.map((_, i) => names[(i + round) % names.length]!);
    for (const name of order) {
      const start = performance.now();
      const ops = sync ? runSyncFor(contenders[name]!, roundMs) : await runFor(contenders[name]!, roundMs);
      perRound[name]!.push(ops / ((performance.now() - start) / 1000));
    }
  }
  return Object.fromEntries(names.map((n) => [n, { opsPerSecond: median(perRound[n]!), rounds: perRound[n]! }]));
}

/** Median wall time in ms of `times` runs of an async action. */
export async function medianTime(action: () => Promise<unknown>, times: number): Promise<{ ms: number; runs: number[] }> {
  const runs: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    await action();
    runs.push(performance.now() - start);
  }
  return { ms: median(runs), runs };
}
