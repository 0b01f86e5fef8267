// The rate search on a real engine (Flink passthrough, local runtime) at tiny rates and short
// steps: the search terminates within its step budget, every step carries the condition that
// decided it, and a step is sustainable exactly when every condition held.
import { describe, expect, it } from 'vitest';
import { isMissing } from '../results/schema.ts';
import { runLocalStreaming } from './test-run.ts';

describe('rate search on flink (local runtime)', () => {
  it('terminates and records the deciding condition of every step', async () => {
    const maxSteps = 3;
    const { measurements } = await runLocalStreaming({
      variants: ['flink'],
      workloads: ['stream-passthrough'],
      rate: 200,
      durationMs: 6000,
      warmupMs: 1000,
      seed: 11,
      quietMs: 1000,
      drainTimeoutMs: 30_000,
      searchRate: { initialRate: 200, maxRate: 400, precision: 0.5, maxSteps, p99BoundMs: 5000, maxLagSlopeFraction: 0.01 },
    });
    expect(measurements).toHaveLength(1);
    const m = measurements[0]!;
    expect(m.mode).toBe('streaming');
    const search = 'streaming' in m ? m.streaming?.rateSearch : undefined;
    expect(search, `no rate search on ${m.status} measurement: ${'reason' in m ? m.reason : ''}`).toBeDefined();
    expect(search!.steps.length).toBeGreaterThanOrEqual(1);
    expect(search!.steps.length).toBeLessThanOrEqual(maxSteps);
    expect(search!.why.length).toBeGreaterThan(0);
    for (const step of search!.steps) {
      console.log(`step ${step.rate} rec/s: ${step.sustainable ? 'sustainable' : 'not sustainable'} (${step.decidedBy}: ${step.reason})`);
      expect(step.decidedBy).toBeDefined();
      expect(step.sustainable).toBe(step.decidedBy === 'all-met');
      expect(step.drained).toBeDefined();
      expect(step.finalStateEqual).toBeDefined();
      expect(isMissing(step.achievedRate)).toBe(false);
    }
    const sustainable = search!.steps.filter((s) => s.sustainable).map((s) => s.rate);
    if (isMissing(search!.sustainableRate)) expect(sustainable).toEqual([]);
    else expect(search!.sustainableRate).toBe(Math.max(...sustainable));
  }, 300_000);
});
