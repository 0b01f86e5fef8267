// Consumer lag of the engine (records produced to the input topic but not yet consumed by the
// engine) and its growth rate. METHOD rule 6: a rate is sustainable only when the lag does not
// grow — its least-squares slope over the measurement window is below 1 % of the rate.

export interface LagSample {
  /** Wall-clock time of the sample (ms). */
  readonly tMs: number;
  /** Records behind (input log-end offsets minus the engine's consumed offsets, summed over partitions). */
  readonly lag: number;
}

/** Sum over partitions of (end offset − consumed offset); a partition the engine has not read yet counts whole. */
export function lagFromOffsets(endOffsets: Readonly<Record<string, number>>, consumedOffsets: Readonly<Record<string, number>>): number {
  let lag = 0;
  for (const [partition, end] of Object.entries(endOffsets)) lag += Math.max(0, end - (consumedOffsets[partition] ?? 0));
  return lag;
}

/** Lag summed over topics (offsets per topic, per partition); a topic with nothing consumed counts whole. */
export function lagOverTopics(endOffsets: Readonly<Record<string, Readonly<Record<string, number>>>>, consumedOffsets: Readonly<Record<string, Readonly<Record<string, number>>>>): number {
  let lag = 0;
  for (const [topic, ends] of Object.entries(endOffsets)) lag += lagFromOffsets(ends, consumedOffsets[topic] ?? {});
  return lag;
}

/**
 * Least-squares slope of lag over time, in records per second. Null with fewer than two
 * samples or when all samples share one time (no slope can be fitted).
 */
export function lagSlopePerSecond(samples: readonly LagSample[]): number | null {
  const n = samples.length;
  if (n < 2) return null;
  // Centre times on the first sample so epoch milliseconds do not cost precision.
  const t0 = samples[0]!.tMs;
  let sumT = 0;
  let sumLag = 0;
  for (const s of samples) {
    sumT += (s.tMs - t0) / 1000;
    sumLag += s.lag;
  }
  const meanT = sumT / n;
  const meanLag = sumLag / n;
  let covariance = 0;
  let variance = 0;
  for (const s of samples) {
    const dt = (s.tMs - t0) / 1000 - meanT;
    covariance += dt * (s.lag - meanLag);
    variance += dt * dt;
  }
  return variance === 0 ? null : covariance / variance;
}

/**
 * Slope of the lag's floor: the least lag in each consecutive block of `blockMs` (from the
 * first sample), fitted by least squares, in records per second. Engines report consumed
 * offsets only when they commit (Flink on each checkpoint, Spark per micro-batch), so the raw
 * lag is a sawtooth whose teeth are rate × commit interval high; fitting every sample lets one
 * tooth more or less at the window's edges swing the slope by about 1 % of the rate — the very
 * threshold of the sustainability test. The floor (just after each commit) stays level while
 * the engine keeps up and rises when it falls behind. Blocks should hold at least one commit.
 * Null with fewer than two blocks.
 */
export function lagFloorSlopePerSecond(samples: readonly LagSample[], blockMs: number): number | null {
  if (!(blockMs > 0)) throw new Error(`lagFloorSlopePerSecond: blockMs is ${blockMs}, expected > 0`);
  if (samples.length === 0) return null;
  const t0 = samples[0]!.tMs;
  const floors = new Map<number, LagSample>();
  for (const s of samples) {
    const block = Math.floor((s.tMs - t0) / blockMs);
    const low = floors.get(block);
    if (!low || s.lag < low.lag) floors.set(block, s);
  }
  return lagSlopePerSecond([...floors.values()]);
}

export interface SteadyState {
  /** Whether the start-up backlog came down to the lag's floor early enough to leave a steady window. */
  readonly reached: boolean;
  /** Epoch ms the lag first came back near the run's floor (at or after `earliestMs`); null without lag samples. */
  readonly fromMs: number | null;
  /** The run's floor (records): the least lag in the last half of the window; null without samples. */
  readonly floorLag: number | null;
  /** How near counts, in records above the floor. */
  readonly toleranceRecords: number;
  /** In words, for the results and the report. */
  readonly rule: string;
}

/**
 * Where steady state starts (METHOD rule 16, pure): the lag is cut into `blockMs` blocks from
 * `earliestMs` (the end of the warm-up) to `endMs` (the end of generation) and each block keeps
 * its least lag (its floor, immune to the sawtooth of commits). The run's floor is the least lag
 * of the last half; steady state starts at the first lag sample within `toleranceRecords` of it. It is reached only when that leaves at least half of the window —
 * a backlog that drains only near the end is start-up, not a steady state to report.
 */
export function steadyStateStart(samples: readonly LagSample[], options: { earliestMs: number; endMs: number; blockMs: number; toleranceRecords: number }): SteadyState {
  const { earliestMs, endMs, blockMs, toleranceRecords } = options;
  if (!(blockMs > 0)) throw new Error(`steadyStateStart: blockMs is ${blockMs}, expected > 0`);
  const rule = `the first lag sample after the warm-up within ${toleranceRecords} records of the run's floor (the least lag per ${blockMs} ms block, lowest over the last half of the window), leaving at least half of the window`;
  const floors = new Map<number, number>();
  for (const s of samples) {
    if (s.tMs < earliestMs || s.tMs > endMs) continue;
    const block = Math.floor((s.tMs - earliestMs) / blockMs);
    floors.set(block, Math.min(floors.get(block) ?? Infinity, s.lag));
  }
  const blocks = [...floors.entries()].sort((a, b) => a[0] - b[0]);
  if (blocks.length === 0) return { reached: false, fromMs: null, floorLag: null, toleranceRecords, rule };
  const lastHalf = blocks.filter(([block]) => earliestMs + block * blockMs >= (earliestMs + endMs) / 2).map(([, floor]) => floor);
  const floorLag = Math.min(...(lastHalf.length ? lastHalf : [blocks.at(-1)![1]]));
  // The lag itself back near the floor: the first such sample, not its block's start (a block can
  // begin while the backlog still drains and end at the floor).
  const first = samples.find((s) => s.tMs >= earliestMs && s.tMs <= endMs && s.lag <= floorLag + toleranceRecords)!;
  const fromMs = first.tMs;
  return { reached: endMs - fromMs >= (endMs - earliestMs) / 2, fromMs, floorLag, toleranceRecords, rule };
}
