import { describe, expect, it } from 'vitest';
import { judgeStep, nextSearchDecision, type JudgedStep, type StepMeasurement } from './rate-search.ts';

const criteria = { p99BoundMs: 1000, maxLagSlopeFraction: 0.01 };
const settings = { initialRate: 1000, maxRate: 64_000, precision: 0.1, maxSteps: 12 };
const judged = (step: StepMeasurement): JudgedStep => ({ ...step, verdict: judgeStep(step, criteria) });

/** A step where every condition holds (input achieved, drained, right final state); tests override one. */
const ok = (rate: number, lagSlope: number | null, p99Ms: number | null): StepMeasurement => ({ rate, lagSlope, p99Ms, achievedRate: rate, drained: true, finalStateEqual: true });

describe('judgeStep', () => {
  it('is sustainable only when every condition holds, and names the one that decided', () => {
    expect(judgeStep(ok(1000, 9.9, 999), criteria)).toEqual({
      sustainable: true,
      decidedBy: 'all-met',
      reason: 'input 1000 rec/s ≥ 990, drained, final state right, lag slope 9.9 rec/s < 10 rec/s, p99 999 ms < 1000 ms',
    });
    expect(judgeStep(ok(1000, 10, 10), criteria)).toEqual({ sustainable: false, decidedBy: 'lag', reason: 'lag grows 10 rec/s ≥ 10 rec/s (1 % of the rate)' });
    expect(judgeStep(ok(1000, -50, 1000), criteria)).toEqual({ sustainable: false, decidedBy: 'p99', reason: 'p99 1000 ms ≥ bound 1000 ms' });
    expect(judgeStep(ok(1000, null, 5), criteria)).toEqual({ sustainable: false, decidedBy: 'lag', reason: 'lag slope could not be measured' });
    expect(judgeStep(ok(1000, 0, null), criteria)).toEqual({ sustainable: false, decidedBy: 'p99', reason: 'no latency measured (no output)' });
    expect(judgeStep({ ...ok(1000, 0, 5), invalidReason: '3 malformed output rows' }, criteria)).toEqual({ sustainable: false, decidedBy: 'run-invalid', reason: 'run invalid: 3 malformed output rows' });
    // The harness's own limit decides before anything about the engine.
    expect(judgeStep({ ...ok(1000, 500, 5000), harnessLimit: 'the generator fell 1500 ms behind its schedule (bound 1000 ms)', invalidReason: 'x' }, criteria)).toEqual({
      sustainable: false,
      decidedBy: 'harness-limit',
      reason: 'harness limit: the generator fell 1500 ms behind its schedule (bound 1000 ms)',
    });
  });

  it('does not credit the target rate: the achieved input must reach 99 % of it', () => {
    expect(judgeStep({ ...ok(1000, 0, 5), achievedRate: 990 }, criteria).decidedBy).toBe('all-met');
    expect(judgeStep({ ...ok(1000, 0, 5), achievedRate: 989.9 }, criteria)).toEqual({ sustainable: false, decidedBy: 'input-rate', reason: 'achieved input 989.9 rec/s < 990 rec/s (99 % of the target)' });
    expect(judgeStep({ ...ok(1000, 0, 5), achievedRate: null }, criteria)).toEqual({ sustainable: false, decidedBy: 'input-rate', reason: 'achieved input rate unknown' });
  });

  it('is never sustainable when the engine did not drain or its final state is wrong, however good lag and p99 look', () => {
    expect(judgeStep({ ...ok(1000, 0, 5), drained: false }, criteria)).toEqual({ sustainable: false, decidedBy: 'drain', reason: 'the engine did not drain after the input stopped' });
    expect(judgeStep({ ...ok(1000, 0, 5), finalStateEqual: false }, criteria)).toEqual({ sustainable: false, decidedBy: 'final-state', reason: 'final state differs from the oracle' });
    // The first failing condition decides: input rate before drain before final state before lag before p99.
    expect(judgeStep({ rate: 1000, lagSlope: 500, p99Ms: 5000, achievedRate: 10, drained: false, finalStateEqual: false }, criteria).decidedBy).toBe('input-rate');
    expect(judgeStep({ rate: 1000, lagSlope: 500, p99Ms: 5000, achievedRate: 1000, drained: false, finalStateEqual: false }, criteria).decidedBy).toBe('drain');
    expect(judgeStep({ rate: 1000, lagSlope: 500, p99Ms: 5000, achievedRate: 1000, drained: true, finalStateEqual: false }, criteria).decidedBy).toBe('final-state');
  });
});

describe('nextSearchDecision', () => {
  it('starts at the initial rate, doubles while sustainable, then bisects to the precision', () => {
    // An engine that sustains up to 5,000 rec/s.
    const engine = (rate: number): StepMeasurement => ok(rate, rate <= 5000 ? 0 : rate * 0.2, 100);
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
    const steps = [judged(ok(1000, 500, 50))];
    expect(nextSearchDecision(steps, settings)).toEqual({ done: false, nextRate: 500 });
    const none = [1000, 500, 250, 125, 63, 32, 16, 8, 4, 2, 1].map((rate) => judged(ok(rate, rate, 50)));
    expect(nextSearchDecision(none, { ...settings, maxSteps: 99 })).toEqual({ done: true, sustainableRate: null, why: 'no integer rate left between 0 and 1' });
  });

  it('a harness-limited step bounds the search as the harness limit: the engine sustains at least the rate below it', () => {
    // The engine would sustain anything; the generator cannot drive more than 20,000 rec/s.
    const harness = (rate: number): StepMeasurement => (rate <= 20_000 ? ok(rate, 0, 10) : { ...ok(rate, 0, 10), harnessLimit: 'the generator fell 1200 ms behind its schedule (bound 1000 ms)' });
    const steps: JudgedStep[] = [];
    let decision = nextSearchDecision(steps, settings);
    while (!decision.done) {
      steps.push(judged(harness(decision.nextRate)));
      decision = nextSearchDecision(steps, settings);
    }
    expect(steps.map((s) => [s.rate, s.verdict.decidedBy])).toEqual([
      [1000, 'all-met'], [2000, 'all-met'], [4000, 'all-met'], [8000, 'all-met'], [16000, 'all-met'], [32000, 'harness-limit'], [24000, 'harness-limit'], [20000, 'all-met'], [22000, 'harness-limit'],
    ]);
    expect(decision).toEqual({
      done: true,
      sustainableRate: 20000,
      why: 'bracketed within 10 %: 20000 sustainable, 22000 not; the harness could not drive 22000 rec/s, so the engine sustains at least 20000 rec/s (harness limit)',
      harnessLimitedAt: 22000,
    });
    // A missed input rate is the harness's side too; an engine failure below it is the engine's limit.
    const inputShort = [judged(ok(1000, 0, 5)), judged({ ...ok(2000, 0, 5), achievedRate: 1500 })];
    expect(nextSearchDecision(inputShort, { ...settings, precision: 0.6 })).toMatchObject({ done: true, sustainableRate: 1000, harnessLimitedAt: 2000 });
    const engineBound = [judged(ok(1000, 0, 5)), judged({ ...ok(4000, 0, 5), harnessLimit: 'behind' }), judged(ok(2000, 900, 5))];
    const engineDecision = nextSearchDecision(engineBound, { ...settings, precision: 0.6 });
    expect(engineDecision).toEqual({ done: true, sustainableRate: 1000, why: 'bracketed within 60 %: 1000 sustainable, 2000 not' });
  });

  it('stops at the maximum rate and after the step budget', () => {
    const atMax = [1000, 2000].map((rate) => judged(ok(rate, 0, 5)));
    expect(nextSearchDecision(atMax, { ...settings, maxRate: 2000 })).toEqual({ done: true, sustainableRate: 2000, why: 'sustainable at the maximum rate 2000 rec/s' });
    expect(nextSearchDecision(atMax, { ...settings, maxRate: 3000 })).toEqual({ done: false, nextRate: 3000 });
    expect(nextSearchDecision(atMax, { ...settings, maxSteps: 2 })).toEqual({ done: true, sustainableRate: 2000, why: 'stopped after 2 steps' });
  });
});
