// Sustainable-throughput search (METHOD rule 6): start at a rate, double while sustainable,
// then bisect between the highest sustainable and the lowest unsustainable rate. Pure
// decisions over the steps measured so far, so the run loop stays a plain loop and every step
// (rate, lag slope, p99, verdict) is recorded for throughput-vs-latency curves.

export interface SustainabilityCriteria {
  /** p99 latency must stay under this (ms). */
  readonly p99BoundMs: number;
  /** Lag slope must stay under this fraction of the rate (0.01 = 1 %). */
  readonly maxLagSlopeFraction: number;
}

export interface StepMeasurement {
  readonly rate: number;
  /** Records per second; null when it could not be fitted. */
  readonly lagSlope: number | null;
  /** Null when no latency was measured. */
  readonly p99Ms: number | null;
  /** Input rate the generator achieved (records/s). */
  readonly achievedRate?: number;
  /** Set when the step's run itself was invalid (e.g. the generator fell behind). */
  readonly invalidReason?: string;
}

export interface Verdict {
  readonly sustainable: boolean;
  readonly reason: string;
}

export function judgeStep(step: StepMeasurement, criteria: SustainabilityCriteria): Verdict {
  if (step.invalidReason) return { sustainable: false, reason: `run invalid: ${step.invalidReason}` };
  if (step.lagSlope === null) return { sustainable: false, reason: 'lag slope could not be measured' };
  if (step.p99Ms === null) return { sustainable: false, reason: 'no latency measured (no output)' };
  const maxSlope = criteria.maxLagSlopeFraction * step.rate;
  if (step.lagSlope >= maxSlope) return { sustainable: false, reason: `lag grows ${round(step.lagSlope)} rec/s ≥ ${round(maxSlope)} rec/s (${round(criteria.maxLagSlopeFraction * 100)} % of the rate)` };
  if (step.p99Ms >= criteria.p99BoundMs) return { sustainable: false, reason: `p99 ${step.p99Ms} ms ≥ bound ${criteria.p99BoundMs} ms` };
  return { sustainable: true, reason: `lag slope ${round(step.lagSlope)} rec/s < ${round(maxSlope)} rec/s and p99 ${step.p99Ms} ms < ${criteria.p99BoundMs} ms` };
}

export interface SearchSettings {
  readonly initialRate: number;
  /** Never ask for more than this (the generator's proven limit). */
  readonly maxRate: number;
  /** Stop bisecting when (high − low) / high ≤ this (e.g. 0.1). */
  readonly precision: number;
  readonly maxSteps: number;
}

export type SearchDecision =
  | { readonly done: false; readonly nextRate: number }
  | { readonly done: true; readonly sustainableRate: number | null; readonly why: string };

export interface JudgedStep extends StepMeasurement {
  readonly verdict: Verdict;
}

/** The next rate to try given the judged steps so far (in the order they ran). */
export function nextSearchDecision(steps: readonly JudgedStep[], settings: SearchSettings): SearchDecision {
  if (steps.length === 0) return { done: false, nextRate: Math.min(settings.initialRate, settings.maxRate) };
  const sustainable = steps.filter((s) => s.verdict.sustainable).map((s) => s.rate);
  const unsustainable = steps.filter((s) => !s.verdict.sustainable).map((s) => s.rate);
  const low = sustainable.length ? Math.max(...sustainable) : null;
  const high = unsustainable.length ? Math.min(...unsustainable.filter((r) => low === null || r > low)) : null;
  const best = (why: string): SearchDecision => ({ done: true, sustainableRate: low, why });

  if (high === null || !Number.isFinite(high)) {
    // Still stepping up.
    if (low !== null && low >= settings.maxRate) return best(`sustainable at the maximum rate ${settings.maxRate} rec/s`);
    if (steps.length >= settings.maxSteps) return best(`stopped after ${settings.maxSteps} steps`);
    return { done: false, nextRate: Math.min(settings.maxRate, (low ?? settings.initialRate) * 2) };
  }
  const floor = low ?? 0;
  if ((high - floor) / high <= settings.precision) return best(`bracketed within ${round(settings.precision * 100)} %: ${floor} sustainable, ${high} not`);
  if (steps.length >= settings.maxSteps) return best(`stopped after ${settings.maxSteps} steps (between ${floor} and ${high} rec/s)`);
  const next = Math.round((floor + high) / 2);
  if (next <= floor || next >= high) return best(`no integer rate left between ${floor} and ${high}`);
  return { done: false, nextRate: next };
}

const round = (v: number) => Math.round(v * 10) / 10;
