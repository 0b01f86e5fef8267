// The verdict of an experiment: from each arm's values per workload, is the claim supported,
// contradicted, or is the evidence not enough to say? Pure; every threshold is here.
import { mannWhitney } from '../stats/mann-whitney.ts';
import { sortSamples, percentile } from '../stats/summary.ts';

export type Verdict = 'supported' | 'contradicted' | 'inconclusive';
export const SIGNIFICANCE = 0.05;

/** One arm's values on one workload: repetitions (spread known) or one metrics figure. */
export type ArmValues = { readonly values: readonly number[] } | { readonly missing: string };

export interface RatioRule {
  readonly supported: readonly [number | null, number | null];
}

export interface WorkloadVerdict {
  readonly workload: string;
  readonly verdict: Verdict;
  /** median(numerator) / median(denominator); null when an arm has no values. */
  readonly ratio: number | null;
  /** The ratio over the extreme pairings of the repetitions: [min/max, max/min]. */
  readonly spread: readonly [number, number] | null;
  /** Exact Mann-Whitney two-sided p between the arms; null when either arm has one value. */
  readonly pTwoSided: number | null;
  readonly why: string;
}

const median = (values: readonly number[]) => percentile(sortSamples(values), 0.5);
const round = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2));

export function describeRange([low, high]: RatioRule['supported']): string {
  if (low !== null && high !== null) return `[${low}, ${high}]`;
  return low !== null ? `≥ ${low}` : `≤ ${high}`;
}

function inRange(x: number, [low, high]: RatioRule['supported']): boolean {
  return (low === null || x >= low) && (high === null || x <= high);
}

/** Does the interval [a, b] meet the range at all? */
function meetsRange([a, b]: readonly [number, number], [low, high]: RatioRule['supported']): boolean {
  return (low === null || b >= low) && (high === null || a <= high);
}

/**
 * One workload. Supported: the median ratio is in the range and, when the range excludes 1 (the
 * claim says the arms differ), the arms differ significantly (exact Mann-Whitney, p < 0.05).
 * Contradicted: the median ratio is outside the range and so is every pairing of repetitions
 * (the spread does not reach the range). Anything else is inconclusive, saying why.
 */
export function judgeWorkload(workload: string, numerator: ArmValues, denominator: ArmValues, rule: RatioRule, names: { numerator: string; denominator: string }): WorkloadVerdict {
  if ('missing' in numerator || 'missing' in denominator) {
    const why = ['missing' in numerator ? `${names.numerator}: ${numerator.missing}` : '', 'missing' in denominator ? `${names.denominator}: ${denominator.missing}` : ''].filter(Boolean).join('; ');
    return { workload, verdict: 'inconclusive', ratio: null, spread: null, pTwoSided: null, why: `no value to compare (${why})` };
  }
  const num = numerator.values;
  const den = denominator.values;
  const ratio = median(num) / median(den);
  const spread: [number, number] = [Math.min(...num) / Math.max(...den), Math.max(...num) / Math.min(...den)];
  const single = num.length < 2 || den.length < 2;
  const p = single ? null : mannWhitney(den, num).pTwoSided;
  const range = describeRange(rule.supported);
  const claimsDifference = !inRange(1, rule.supported);
  const stated = `${names.numerator}/${names.denominator} = ${round(ratio)} (spread ${round(spread[0])}–${round(spread[1])}${p !== null ? `, p = ${p.toFixed(3)}` : ', one value per arm'})`;
  if (inRange(ratio, rule.supported)) {
    if (single) return { workload, verdict: 'inconclusive', ratio, spread, pTwoSided: p, why: `${stated} is in ${range}, but with one value per arm there is no spread to judge it by` };
    if (claimsDifference && p! >= SIGNIFICANCE) {
      return { workload, verdict: 'inconclusive', ratio, spread, pTwoSided: p, why: `${stated} is in ${range}, but the arms do not differ significantly (p ≥ ${SIGNIFICANCE}; ${num.length} vs ${den.length} repetitions)` };
    }
    return { workload, verdict: 'supported', ratio, spread, pTwoSided: p, why: `${stated} is in ${range}` };
  }
  if (meetsRange(spread, rule.supported)) {
    return { workload, verdict: 'inconclusive', ratio, spread, pTwoSided: p, why: `${stated} is outside ${range}, but the spread reaches it` };
  }
  return { workload, verdict: 'contradicted', ratio, spread, pTwoSided: p, why: `${stated}: outside ${range}, and so is every pairing of the values` };
}

/** The experiment: supported only if every workload is; contradicted only if every workload is; else inconclusive, naming them. */
export function overallVerdict(workloads: readonly WorkloadVerdict[]): { verdict: Verdict; why: string } {
  const by = (v: Verdict) => workloads.filter((w) => w.verdict === v).map((w) => w.workload);
  const supported = by('supported');
  const contradicted = by('contradicted');
  const inconclusive = by('inconclusive');
  if (workloads.length > 0 && supported.length === workloads.length) return { verdict: 'supported', why: `supported on every workload (${supported.join(', ')})` };
  if (workloads.length > 0 && contradicted.length === workloads.length) return { verdict: 'contradicted', why: `contradicted on every workload (${contradicted.join(', ')})` };
  const parts = [supported.length ? `supported on ${supported.join(', ')}` : '', contradicted.length ? `contradicted on ${contradicted.join(', ')}` : '', inconclusive.length ? `inconclusive on ${inconclusive.join(', ')}` : ''].filter(Boolean);
  return { verdict: 'inconclusive', why: parts.join('; ') || 'no workload measured' };
}
