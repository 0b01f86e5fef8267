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
  /** Input rate the generator achieved (records/s); null when not known. */
  readonly achievedRate: number | null;
  /** Whether the engine drained (consumed everything, output quiet) after the input stopped. */
  readonly drained: boolean;
  /** Whether the final state equalled the oracle's. */
  readonly finalStateEqual: boolean;
  /** Set when the step's run itself was invalid (e.g. malformed output). */
  readonly invalidReason?: string;
  /**
   * Set when the harness could not drive the rate (the generator fell behind its schedule): the
   * step says nothing about the engine, so it is never counted against it (METHOD rule 15).
   */
  readonly harnessLimit?: string;
  /** Set when the start-up backlog never drained: there is no steady window to judge (METHOD rule 16). */
  readonly notSteady?: string;
}

/** The condition that decided a verdict: the first one that failed, or 'all-met'. */
export type DecidingCondition = 'harness-limit' | 'run-invalid' | 'input-rate' | 'drain' | 'final-state' | 'lag' | 'p99' | 'all-met';

export interface Verdict {
  readonly sustainable: boolean;
  readonly decidedBy: DecidingCondition;
  readonly reason: string;
}

/** The achieved input rate must reach this fraction of the target (METHOD rule 15). */
export const MIN_ACHIEVED_FRACTION = 0.99;

/**
 * Sustainable means all of (METHOD rules 6 and 15): the run valid, the achieved input rate
 * ≥ 99 % of the target, drained, the final state equal to the oracle's, the lag floor's slope
 * < the fraction of the rate, p99 < the bound. Checked in that order; the first that fails decides.
 */
export function judgeStep(step: StepMeasurement, criteria: SustainabilityCriteria): Verdict {
  const no = (decidedBy: DecidingCondition, reason: string): Verdict => ({ sustainable: false, decidedBy, reason });
  if (step.harnessLimit) return no('harness-limit', `harness limit: ${step.harnessLimit}`);
  if (step.invalidReason) return no('run-invalid', `run invalid: ${step.invalidReason}`);
  const minRate = MIN_ACHIEVED_FRACTION * step.rate;
  if (step.achievedRate === null) return no('input-rate', 'achieved input rate unknown');
  if (step.achievedRate < minRate) return no('input-rate', `achieved input ${round(step.achievedRate)} rec/s < ${round(minRate)} rec/s (${round(MIN_ACHIEVED_FRACTION * 100)} % of the target)`);
  if (!step.drained) return no('drain', 'the engine did not drain after the input stopped');
  if (!step.finalStateEqual) return no('final-state', 'final state differs from the oracle');
  if (step.notSteady) return no('lag', `never steady: ${step.notSteady}`);
  if (step.lagSlope === null) return no('lag', 'lag slope could not be measured');
  const maxSlope = criteria.maxLagSlopeFraction * step.rate;
  if (step.lagSlope >= maxSlope) return no('lag', `lag grows ${round(step.lagSlope)} rec/s ≥ ${round(maxSlope)} rec/s (${round(criteria.maxLagSlopeFraction * 100)} % of the rate)`);
  if (step.p99Ms === null) return no('p99', 'no latency measured (no output)');
  if (step.p99Ms >= criteria.p99BoundMs) return no('p99', `p99 ${step.p99Ms} ms ≥ bound ${criteria.p99BoundMs} ms`);
  return {
    sustainable: true,
    decidedBy: 'all-met',
    reason: `input ${round(step.achievedRate)} rec/s ≥ ${round(minRate)}, drained, final state right, lag slope ${round(step.lagSlope)} rec/s < ${round(maxSlope)} rec/s, p99 ${step.p99Ms} ms < ${criteria.p99BoundMs} ms`,
  };
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
  | {
      readonly done: true;
      readonly sustainableRate: number | null;
      readonly why: string;
      /** The lowest failing rate above the sustainable one was the harness's limit: the engine sustains at least `sustainableRate`. */
      readonly harnessLimitedAt?: number;
    };

export interface JudgedStep extends StepMeasurement {
  readonly verdict: Verdict;
}

/** Conditions that fail on the harness's side (it could not drive the rate), not the engine's. */
const HARNESS_SIDE: ReadonlySet<DecidingCondition> = new Set(['harness-limit', 'input-rate']);

/** The next rate to try given the judged steps so far (in the order they ran). */
export function nextSearchDecision(steps: readonly JudgedStep[], settings: SearchSettings): SearchDecision {
  if (steps.length === 0) return { done: false, nextRate: Math.min(settings.initialRate, settings.maxRate) };
  const sustainable = steps.filter((s) => s.verdict.sustainable).map((s) => s.rate);
  const unsustainable = steps.filter((s) => !s.verdict.sustainable).map((s) => s.rate);
  const low = sustainable.length ? Math.max(...sustainable) : null;
  const high = unsustainable.length ? Math.min(...unsustainable.filter((r) => low === null || r > low)) : null;
  // The step that bounds the search from above: when the harness could not drive it, the result is a lower bound.
  // The input side (generator → Kafka) is the harness's, never the engine's: a step that missed
  // its input rate bounds the search as the harness's limit too.
  const bounding = high === null ? undefined : steps.find((s) => s.rate === high && !s.verdict.sustainable);
  const harnessBound = bounding && HARNESS_SIDE.has(bounding.verdict.decidedBy) ? bounding.rate : undefined;
  const best = (why: string): SearchDecision =>
    harnessBound === undefined
      ? { done: true, sustainableRate: low, why }
      : {
          done: true,
          sustainableRate: low,
          why: `${why}; the harness could not drive ${harnessBound} rec/s, so ${low === null ? 'nothing is known of the engine' : `the engine sustains at least ${low} rec/s`} (harness limit)`,
          harnessLimitedAt: harnessBound,
        };

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
