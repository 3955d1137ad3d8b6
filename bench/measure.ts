// How the benchmarks measure. Contenders of one comparison run in one process, after a warm-up, in
// interleaved rounds. A round gives every contender the same time, cut into short slices that
// alternate between the contenders (A B A B …, the order rotating), so drift, GC and a burst of a
// neighbour's load land on all of them alike; a contender's figure for the round is its calls over
// its time summed over its slices. Time is the process's CPU clock by default (user + system time
// of all its threads, `process.cpuUsage()`): on a shared machine the wall clock also counts the
// time the process waited for a core, which is the neighbours' noise, not this code's cost. Calls
// run in batches sized from the warm-up, so clock reads stay out of the measured work. A row's
// ratio is the median of its per-round ratios and its spread the lowest and highest round (`versus`
// here, `score` in result.ts). Nothing here asserts.
// Why not tinybench or mitata: both time each task on its own, one after another (tinybench's
// `concurrency: "bench"` runs them at once instead); neither alternates contenders within rounds
// nor pairs their rounds into ratios, and that pairing is what cancels a shared machine's load.

/**
 * Which clock times a slice: the process's CPU time (default) or elapsed wall time. Use "wall" for
 * a contender that waits on something outside this process (another process, a timer): CPU time
 * would not count the wait, and a slice would last until enough CPU time was spent.
 */
export type Clock = "cpu" | "wall";

export interface Throughput {
  /** The median round's ops/s. */
  opsPerSecond: number;
  /** Ops/s of each round, in round order (round i of every contender of one comparison ran together). */
  rounds: number[];
}

export interface CompareOptions {
  /** Interleaved rounds (each contender once per round). */
  rounds?: number;
  /** Time (on `clock`) of one contender in a round, all its slices together. */
  roundMs?: number;
  /** Slices per contender and round, alternating between the contenders. */
  slices?: number;
  /** Time (on `clock`) each contender runs before the first round. */
  warmupMs?: number;
  /** The contenders are synchronous (calls are not awaited). */
  sync?: boolean;
  clock?: Clock;
}

// Calls between two clock reads: enough that reading the clock is no part of the measured work,
// few enough that a slice ends close to its time. Set per contender from its warm-up.
const BATCHES_PER_SLICE = 8;

/** Seconds on `clock` since an opaque start mark. */
function stopwatch(clock: Clock): () => number {
  if (clock === "wall") {
    const start = performance.now();
    return () => (performance.now() - start) / 1000;
  }
  const start = process.cpuUsage();
  return () => {
    const used = process.cpuUsage(start);
    return (used.user + used.system) / 1e6;
  };
}

/**
 * Runs `fn` in batches of `batch` calls until `ms` passed on `clock` (so a slice does the same work
 * however busy the machine is); the calls made and the seconds they took on `clock`.
 */
async function slice(fn: () => unknown, ms: number, batch: number, sync: boolean, clock: Clock): Promise<{ ops: number; seconds: number }> {
  let ops = 0;
  const elapsed = stopwatch(clock);
  const end = ms / 1000;
  let seconds = 0;
  if (sync) {
    do {
      for (let i = 0; i < batch; i++) fn();
      ops += batch;
    } while ((seconds = elapsed()) < end);
  } else {
    do {
      for (let i = 0; i < batch; i++) await fn();
      ops += batch;
    } while ((seconds = elapsed()) < end);
  }
  return { ops, seconds };
}

/** Warms `fn` up for `ms` on `clock` and returns the batch size that makes a slice of `sliceMs` about `BATCHES_PER_SLICE` batches. */
async function warmUp(fn: () => unknown, ms: number, sliceMs: number, sync: boolean, clock: Clock): Promise<number> {
  const { ops, seconds } = await slice(fn, ms, sync ? 64 : 1, sync, clock);
  const callsPerMs = ops / Math.max(seconds * 1000, 1e-3);
  return Math.max(1, Math.floor((callsPerMs * sliceMs) / BATCHES_PER_SLICE));
}

export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/**
 * Ops/s of each contender, interleaved: `rounds` rounds after `warmupMs` per contender. A round gives
 * each contender `roundMs`, cut into `slices` slices that alternate between the contenders (A B A B
 * …, the order rotating), so that a burst of a neighbour's load lands on all of them alike; a
 * contender's figure for the round is its calls over its clock time summed over its slices.
 */
export async function compareThroughput(
  contenders: Record<string, () => unknown>,
  { rounds = 15, roundMs = 200, slices = 40, warmupMs = 300, sync = false, clock = "cpu" }: CompareOptions = {},
): Promise<Record<string, Throughput>> {
  const names = Object.keys(contenders);
  if (names.length === 0 || !Number.isInteger(rounds) || rounds < 1 || !Number.isInteger(slices) || slices < 1 || !(roundMs > 0) || !(warmupMs >= 0)) {
    throw new Error(
      `compareThroughput: needs at least one contender, integer rounds and slices ≥ 1, roundMs > 0 and warmupMs ≥ 0 (got ${names.length} contenders, rounds ${rounds}, slices ${slices}, roundMs ${roundMs}, warmupMs ${warmupMs})`,
    );
  }
  const sliceMs = roundMs / slices;
  const batch: Record<string, number> = {};
  for (const name of names) batch[name] = await warmUp(contenders[name]!, Math.max(warmupMs, sliceMs), sliceMs, sync, clock);
  const perRound: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  let turn = 0;
  for (let round = 0; round < rounds; round++) {
    const sums: Record<string, { ops: number; seconds: number }> = Object.fromEntries(names.map((n) => [n, { ops: 0, seconds: 0 }]));
    for (let s = 0; s < slices; s++, turn++) {
      // Rotate the order so that no contender always runs first or last (or right after the other).
      for (const name of names.map((_, i) => names[(i + turn) % names.length]!)) {
        const { ops, seconds } = await slice(contenders[name]!, sliceMs, batch[name]!, sync, clock);
        sums[name]!.ops += ops;
        sums[name]!.seconds += seconds;
      }
    }
    // A round that got no time on the clock (a coarse clock) says nothing: NaN, which `score` skips.
    for (const name of names) perRound[name]!.push(sums[name]!.seconds > 0 ? sums[name]!.ops / sums[name]!.seconds : Number.NaN);
  }
  return Object.fromEntries(names.map((n) => [n, { opsPerSecond: median(perRound[n]!.filter(Number.isFinite)), rounds: perRound[n]! }]));
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

/**
 * Wall times in ms of async actions, interleaved: `times` rounds, each action once per round, the
 * order rotating. The same shape per action as `medianTime`, so `versus` can pair two of them.
 */
export async function compareTime(actions: Record<string, () => Promise<unknown>>, times: number): Promise<Record<string, { ms: number; runs: number[] }>> {
  const names = Object.keys(actions);
  const runs: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = 0; round < times; round++) {
    for (const name of names.map((_, i) => names[(i + round) % names.length]!)) {
      const start = performance.now();
      await actions[name]!();
      runs[name]!.push(performance.now() - start);
    }
  }
  return Object.fromEntries(names.map((n) => [n, { ms: median(runs[n]!), runs: runs[n]! }]));
}

/** One contender's measurement: from `compareThroughput` (ops/s) or `medianTime`/`compareTime` (ms). */
export type Measured = Throughput | { ms: number; runs: number[] };

/** The per-round figures of a contender and of its baseline, measured in the same rounds. */
export interface Paired {
  value: number;
  baselineValue: number;
  rounds: { value: number[]; baseline: number[] };
}

/**
 * A row's figures from a contender and its baseline of one interleaved comparison: the medians as
 * `value`/`baselineValue`, and the per-round figures from which `score` takes the row's ratio
 * (median of per-round ratios), spread and coefficient of variation. Spread it into a `Result`.
 */
export function versus(contender: Measured, baseline: Measured): Paired {
  const figures = (m: Measured) => ("opsPerSecond" in m ? { median: m.opsPerSecond, rounds: m.rounds } : { median: m.ms, rounds: m.runs });
  const a = figures(contender);
  const b = figures(baseline);
  if (a.rounds.length !== b.rounds.length) throw new Error(`versus: ${a.rounds.length} rounds against ${b.rounds.length}; pair two contenders of the same comparison`);
  return { value: a.median, baselineValue: b.median, rounds: { value: [...a.rounds], baseline: [...b.rounds] } };
}
