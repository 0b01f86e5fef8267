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
