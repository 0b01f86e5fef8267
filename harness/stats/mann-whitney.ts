// Mann-Whitney U (Wilcoxon rank-sum) test: does one set of repetitions tend to be larger than
// the other? Chosen for regression detection because it assumes no distribution (run times
// are skewed, with occasional slow outliers) and is exact for the few repetitions a benchmark
// has (3–10). Exact p-values come from the permutation distribution of the rank sum, computed
// with the observed mid-ranks, so ties are handled exactly too (no normal approximation, no
// continuity correction). Above EXACT_LIMIT samples in total the normal approximation with tie
// correction is used (what R's wilcox.test does with ties or n ≥ 50).

/** Total number of samples up to which the exact permutation distribution is computed. */
export const EXACT_LIMIT = 60;

export interface MannWhitneyResult {
  /** Number of (baseline, candidate) pairs where the candidate is larger; ties count ½. */
  u: number;
  /** Samples in each group. */
  nBaseline: number;
  nCandidate: number;
  /** P(|W − E W| ≥ |w − E W|) under "both groups come from the same distribution". */
  pTwoSided: number;
  /** P(W ≥ w): small when the candidate is larger (slower, for run times). */
  pGreater: number;
  /** P(W ≤ w): small when the candidate is smaller. */
  pLess: number;
  /**
   * The smallest two-sided p-value any arrangement of these samples could give. When it is
   * above the significance level, no difference can be significant at these sample sizes
   * (n = 3 vs 3 cannot go below 0.1).
   */
  minimumPTwoSided: number;
  method: 'exact' | 'normal-approximation';
}

/**
 * Mid-ranks (1-based; tied values share the mean of their ranks) of `values`, doubled so they
 * are integers: exact arithmetic for the permutation distribution.
 */
export function doubledMidRanks(values: readonly number[]): number[] {
  const order = values.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value);
  const ranks = new Array<number>(values.length);
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && order[end + 1].value === order[start].value) end++;
    // Ranks start+1 .. end+1 share their mean; doubled: (start + 1) + (end + 1).
    const doubled = start + end + 2;
    for (let k = start; k <= end; k++) ranks[order[k].index] = doubled;
    start = end + 1;
  }
  return ranks;
}

function checkSamples(name: string, samples: readonly number[]): void {
  if (samples.length === 0) throw new Error(`mannWhitney: ${name} has no samples (need at least 1)`);
  samples.forEach((value, index) => {
    if (!Number.isFinite(value)) throw new Error(`mannWhitney: ${name}[${index}] is ${value}, expected a finite number`);
  });
}

export function mannWhitney(baseline: readonly number[], candidate: readonly number[]): MannWhitneyResult {
  checkSamples('baseline', baseline);
  checkSamples('candidate', candidate);
  const n = baseline.length;
  const m = candidate.length;
  const ranks = doubledMidRanks([...baseline, ...candidate]);
  const candidateRanks = ranks.slice(n);
  const observedDoubledSum = candidateRanks.reduce((sum, r) => sum + r, 0);
  // W = rank sum of the candidate; U = W − m(m+1)/2. In doubled units: 2U = 2W − m(m+1).
  const u = (observedDoubledSum - m * (m + 1)) / 2;
  if (n + m <= EXACT_LIMIT) return exact(ranks, n, m, observedDoubledSum, u);
  return normalApproximation(ranks, n, m, u);
}

function exact(ranks: number[], n: number, m: number, observed: number, u: number): MannWhitneyResult {
  // counts[k][s]: number of ways to choose k of the ranks seen so far with doubled sum s.
  const maxSum = ranks.reduce((sum, r) => sum + r, 0);
  let counts: number[][] = Array.from({ length: m + 1 }, () => new Array<number>(maxSum + 1).fill(0));
  counts[0][0] = 1;
  for (const rank of ranks) {
    const next = counts.map((row) => row.slice());
    for (let k = 0; k < m; k++) {
      const row = counts[k];
      for (let s = 0; s + rank <= maxSum; s++) if (row[s] !== 0) next[k + 1][s + rank] += row[s];
    }
    counts = next;
  }
  const distribution = counts[m];
  const total = distribution.reduce((sum, c) => sum + c, 0);
  // Sums are doubled: E[2W] = m(N + 1), an integer.
  const doubledCentre = m * (n + m + 1);
  const distanceOf = (s: number) => Math.abs(s - doubledCentre);
  const observedDistance = distanceOf(observed);
  let greater = 0;
  let less = 0;
  let extreme = 0;
  let maxDistance = 0;
  for (let s = 0; s <= maxSum; s++) {
    const c = distribution[s];
    if (c === 0) continue;
    if (s >= observed) greater += c;
    if (s <= observed) less += c;
    if (distanceOf(s) >= observedDistance) extreme += c;
    maxDistance = Math.max(maxDistance, distanceOf(s));
  }
  let mostExtreme = 0;
  for (let s = 0; s <= maxSum; s++) if (distribution[s] !== 0 && distanceOf(s) === maxDistance) mostExtreme += distribution[s];
  return {
    u,
    nBaseline: n,
    nCandidate: m,
    pTwoSided: extreme / total,
    pGreater: greater / total,
    pLess: less / total,
    minimumPTwoSided: mostExtreme / total,
    method: 'exact',
  };
}

function normalApproximation(ranks: number[], n: number, m: number, u: number): MannWhitneyResult {
  const total = n + m;
  const mean = (n * m) / 2;
  // Tie correction: Σ(t³ − t) over groups of tied values.
  const tieGroups = new Map<number, number>();
  for (const r of ranks) tieGroups.set(r, (tieGroups.get(r) ?? 0) + 1);
  let tieTerm = 0;
  for (const t of tieGroups.values()) tieTerm += t ** 3 - t;
  const variance = ((n * m) / 12) * (total + 1 - tieTerm / (total * (total - 1)));
  const sd = Math.sqrt(variance);
  const z = sd === 0 ? 0 : (u - mean) / sd;
  const zMax = sd === 0 ? 0 : (n * m - mean) / sd;
  return {
    u,
    nBaseline: n,
    nCandidate: m,
    pTwoSided: Math.min(1, 2 * normalUpperTail(Math.abs(z))),
    pGreater: normalUpperTail(z),
    pLess: 1 - normalUpperTail(z),
    minimumPTwoSided: Math.min(1, 2 * normalUpperTail(zMax)),
    method: 'normal-approximation',
  };
}

/** P(Z ≥ z) for a standard normal Z. */
export function normalUpperTail(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

// erfc with relative error < 1.2e-7 everywhere (Numerical Recipes' Chebyshev fit); enough for p-values.
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}
