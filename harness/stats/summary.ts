// Summary statistics of repeated measurements (METHOD.md rule 5: median, min, max and a
// confidence interval). Pure functions over sorted samples; the brand makes "sorted" a
// type-level fact so percentile() cannot be handed unsorted data by mistake.

declare const sortedBrand: unique symbol;
/** Finite numbers in ascending order. Obtain one only through `sortSamples`. */
export type SortedSamples = readonly number[] & { readonly [sortedBrand]: true };

/**
 * Statistics of one timed metric over the measured repetitions (warm-ups excluded).
 * Same unit as the samples (milliseconds for the harness' timings).
 */
export interface Statistics {
  /** Number of samples (measured repetitions). */
  samples: number;
  min: number;
  max: number;
  /** Arithmetic mean. */
  mean: number;
  /** 50th percentile (see `percentile` for the interpolation rule). */
  median: number;
  /** Sample standard deviation (divisor n - 1); null for a single sample, where it is undefined. */
  sd: number | null;
  /**
   * Two-sided 95 % confidence interval of the mean: mean ± t(0.975, n-1) · sd / √n, with
   * Student's t from a table for n-1 = 1..30 and the normal quantile 1.959964 above.
   * Assumes roughly normal, independent repetitions. Null for a single sample.
   */
  ci95: { low: number; high: number } | null;
  /** max / min: how far apart the slowest and the fastest repetition are. Null when min ≤ 0. */
  relativeSpread: number | null;
}

/** Sorts a copy ascending; rejects empty input and non-finite values (a NaN timing is a bug upstream). */
export function sortSamples(samples: readonly number[]): SortedSamples {
  if (samples.length === 0) throw new Error('sortSamples: no samples (need at least 1)');
  samples.forEach((value, index) => {
    if (!Number.isFinite(value)) throw new Error(`sortSamples: sample ${index} is ${value}, expected a finite number`);
  });
  const sorted = [...samples].sort((a, b) => a - b);
  if (!isSorted(sorted)) throw new Error('sortSamples: sort did not order the samples');
  return sorted;
}

/** The brand is earned by checking, not asserted. */
function isSorted(values: readonly number[]): values is SortedSamples {
  return values.every((v, i) => i === 0 || values[i - 1]! <= v);
}

/**
 * The q-quantile (0 ≤ q ≤ 1) by linear interpolation between closest ranks — the rule of
 * numpy's default, R's type 7 and spreadsheet PERCENTILE.INC: with h = (n - 1) · q,
 * result = x[⌊h⌋] + (h - ⌊h⌋) · (x[⌊h⌋ + 1] - x[⌊h⌋]) on 0-based sorted x.
 */
export function percentile(sorted: SortedSamples, q: number): number {
  if (!(q >= 0 && q <= 1)) throw new Error(`percentile: q is ${q}, expected a number in [0, 1]`);
  if (sorted.length === 0) throw new Error('percentile: no samples');
  const h = (sorted.length - 1) * q;
  const lower = Math.floor(h);
  const upper = Math.min(lower + 1, sorted.length - 1);
  return sorted[lower] + (h - lower) * (sorted[upper] - sorted[lower]);
}

// t(0.975, df) for df = 1..30 (index df - 1), computed from the regularized incomplete beta
// function to 10 significant digits.
const STUDENT_T_975 = [
  12.70620474, 4.30265273, 3.182446305, 2.776445105, 2.570581836, 2.446911851, 2.364624252, 2.306004135,
  2.262157163, 2.228138852, 2.20098516, 2.17881283, 2.160368656, 2.144786688, 2.131449546, 2.119905299,
  2.109815578, 2.10092204, 2.093024054, 2.085963447, 2.079613845, 2.073873068, 2.06865761, 2.063898562,
  2.059538553, 2.055529439, 2.051830516, 2.048407142, 2.045229642, 2.042272456,
] as const;
const NORMAL_975 = 1.959963985;

/** Critical value for a two-sided 95 % interval with `degreesOfFreedom` (≥ 1). */
export function tCritical95(degreesOfFreedom: number): number {
  if (!Number.isInteger(degreesOfFreedom) || degreesOfFreedom < 1) {
    throw new Error(`tCritical95: degrees of freedom is ${degreesOfFreedom}, expected an integer ≥ 1`);
  }
  return degreesOfFreedom <= STUDENT_T_975.length ? STUDENT_T_975[degreesOfFreedom - 1] : NORMAL_975;
}

export function summarize(samples: readonly number[]): Statistics {
  return summarizeSorted(sortSamples(samples));
}

export function summarizeSorted(sorted: SortedSamples): Statistics {
  const n = sorted.length;
  if (n === 0) throw new Error('summarize: no samples (need at least 1)');
  const min = sorted[0];
  const max = sorted[n - 1];
  const mean = sorted.reduce((sum, x) => sum + x, 0) / n;
  let sd: number | null = null;
  let ci95: Statistics['ci95'] = null;
  if (n >= 2) {
    // Two-pass (deviations from the mean) for accuracy on large, close values.
    const squaredDeviations = sorted.reduce((sum, x) => sum + (x - mean) ** 2, 0);
    sd = Math.sqrt(squaredDeviations / (n - 1));
    const halfWidth = (tCritical95(n - 1) * sd) / Math.sqrt(n);
    ci95 = { low: mean - halfWidth, high: mean + halfWidth };
  }
  return {
    samples: n,
    min,
    max,
    mean,
    median: percentile(sorted, 0.5),
    sd,
    ci95,
    relativeSpread: min > 0 ? max / min : null,
  };
}
