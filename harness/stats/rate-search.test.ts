import { describe, expect, it } from 'vitest';
import { judgeStep, nextSearchDecision, type JudgedStep, type StepMeasurement } from './rate-search.ts';

const criteria = { p99BoundMs: 1000, maxLagSlopeFraction: 0.01 };
const settings = { initialRate: 1000, maxRate: 64_000, precision: 0.1, maxSteps: 12 };
const judged = (step: StepMeasurement): JudgedStep => ({ ...step, verdict: judgeStep(step, criteria) });

describe('judgeStep', () => {
  it('is sustainable only when lag slope < 1 % of the rate and p99 < bound', () => {
    expect(judgeStep({ rate: 1000, lagSlope: 9.9, p99Ms: 999 }, criteria).sustainable).toBe(true);
    expect(judgeStep({ rate: 1000, lagSlope: 10, p99Ms: 10 }, criteria)).toEqual({ sustainable: false, reason: 'lag grows 10 rec/s ≥ 10 rec/s (1 % of the rate)' });
    expect(judgeStep({ rate: 1000, lagSlope: -50, p99Ms: 1000 }, criteria)).toEqual({ sustainable: false, reason: 'p99 1000 ms ≥ bound 1000 ms' });
    expect(judgeStep({ rate: 1000, lagSlope: null, p99Ms: 5 }, criteria).sustainable).toBe(false);
    expect(judgeStep({ rate: 1000, lagSlope: 0, p99Ms: null }, criteria).sustainable).toBe(false);
    expect(judgeStep({ rate: 1000, lagSlope: 0, p99Ms: 5, invalidReason: 'generator fell behind' }, criteria)).toEqual({ sustainable: false, reason: 'run invalid: generator fell behind' });
  });
});

describe('nextSearchDecision', () => {
  it('starts at the initial rate, doubles while sustainable, then bisects to the precision', () => {
    // An engine that sustains up to 5,000 rec/s.
    const engine = (rate: number): StepMeasurement => ({ rate, lagSlope: rate <= 5000 ? 0 : rate * 0.2, p99Ms: 100 });
    const steps: JudgedStep[] = [];
    const rates: number[] = [];
    for (;;) {
      const decision = nextSearchDecision(steps, settings);
      if (decision.done) {
        expect(decision.sustainableRate).toBe(5000);
        expect(decision.why).toBe('bracketed within 10 %: 5000 sustainable, 5500 not');
        break;
      }
      rates.push(decision.nextRate);
      steps.push(judged(engine(decision.nextRate)));
    }
    // 1000, 2000, 4000 ok; 8000 not; bisect 6000 (no), 5000 (ok), 5500 (no) → (5500-5000)/5500 = 9.1 % ≤ 10 %
    expect(rates).toEqual([1000, 2000, 4000, 8000, 6000, 5000, 5500]);
  });

  it('bisects below the initial rate when even that is unsustainable, and reports none when nothing is', () => {
    const steps = [judged({ rate: 1000, lagSlope: 500, p99Ms: 50 })];
    expect(nextSearchDecision(steps, settings)).toEqual({ done: false, nextRate: 500 });
    const none = [1000, 500, 250, 125, 63, 32, 16, 8, 4, 2, 1].map((rate) => judged({ rate, lagSlope: rate, p99Ms: 50 }));
    expect(nextSearchDecision(none, { ...settings, maxSteps: 99 })).toEqual({ done: true, sustainableRate: null, why: 'no integer rate left between 0 and 1' });
  });

  it('stops at the maximum rate and after the step budget', () => {
    const atMax = [1000, 2000].map((rate) => judged({ rate, lagSlope: 0, p99Ms: 5 }));
    expect(nextSearchDecision(atMax, { ...settings, maxRate: 2000 })).toEqual({ done: true, sustainableRate: 2000, why: 'sustainable at the maximum rate 2000 rec/s' });
    expect(nextSearchDecision(atMax, { ...settings, maxRate: 3000 })).toEqual({ done: false, nextRate: 3000 });
    expect(nextSearchDecision(atMax, { ...settings, maxSteps: 2 })).toEqual({ done: true, sustainableRate: 2000, why: 'stopped after 2 steps' });
  });
});
