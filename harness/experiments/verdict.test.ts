import { describe, expect, it } from 'vitest';
import { judgeWorkload, overallVerdict, describeRange, type WorkloadVerdict } from './verdict.ts';

const names = { numerator: 'flink', denominator: 'spark' };
const range = { supported: [1.3, 1.5] as const };

describe('judgeWorkload', () => {
  it('supported: the median ratio in range and the arms differ significantly (4 vs 4, exact p = 0.029)', () => {
    const v = judgeWorkload('topn', { values: [14, 14.2, 14.4, 14.6] }, { values: [10, 10.1, 10.2, 10.3] }, range, names);
    expect(v.verdict).toBe('supported');
    expect(v.ratio).toBeCloseTo(14.3 / 10.15, 10);
    expect(v.pTwoSided).toBeCloseTo(0.028571, 5);
    expect(v.why).toBe('flink/spark = 1.41 (spread 1.36–1.46, p = 0.029) is in [1.3, 1.5]');
  });

  it('inconclusive: in range but 3 vs 3 repetitions cannot reach p < 0.05 (minimum 0.1)', () => {
    const v = judgeWorkload('topn', { values: [14, 14.2, 14.4] }, { values: [10, 10.1, 10.2] }, range, names);
    expect(v.verdict).toBe('inconclusive');
    expect(v.why).toBe('flink/spark = 1.41 (spread 1.37–1.44, p = 0.100) is in [1.3, 1.5], but the arms do not differ significantly (p ≥ 0.05; 3 vs 3 repetitions)');
  });

  it('supported without a test when the range contains 1 (the claim is "no difference")', () => {
    const v = judgeWorkload('w', { values: [10, 10.2, 9.9] }, { values: [10, 10.1, 9.8] }, { supported: [0.9, 1.1] }, names);
    expect(v.verdict).toBe('supported');
  });

  it('contradicted: outside the range and so is every pairing', () => {
    const v = judgeWorkload('multijoin', { values: [10, 10.5, 11] }, { values: [10, 10.2, 10.4] }, range, names);
    expect(v.verdict).toBe('contradicted');
    expect(v.spread).toEqual([10 / 10.4, 11 / 10]);
    expect(v.why).toBe('flink/spark = 1.03 (spread 0.96–1.10, p = 0.500): outside [1.3, 1.5], and so is every pairing of the values');
  });

  it('inconclusive: outside the range, but the spread reaches it', () => {
    const v = judgeWorkload('w', { values: [11, 12, 16] }, { values: [10, 10.5, 11] }, range, names);
    expect(v.verdict).toBe('inconclusive');
    expect(v.why).toContain('is outside [1.3, 1.5], but the spread reaches it');
  });

  it('one value per arm is never supported; it can be contradicted', () => {
    expect(judgeWorkload('w', { values: [14] }, { values: [10] }, range, names).verdict).toBe('inconclusive');
    expect(judgeWorkload('w', { values: [30] }, { values: [10] }, range, names)).toMatchObject({ verdict: 'contradicted', pTwoSided: null, ratio: 3 });
  });

  it('a missing arm is inconclusive with the reason', () => {
    const v = judgeWorkload('w', { missing: 'the measurement failed: boom' }, { values: [10] }, range, names);
    expect(v).toMatchObject({ verdict: 'inconclusive', ratio: null, why: 'no value to compare (flink: the measurement failed: boom)' });
  });

  it('one-sided ranges', () => {
    expect(describeRange([2, null])).toBe('≥ 2');
    expect(describeRange([null, 0.5])).toBe('≤ 0.5');
    expect(judgeWorkload('w', { values: [30, 31, 32, 33] }, { values: [10, 10, 10, 10] }, { supported: [2, null] }, names).verdict).toBe('supported');
  });
});

describe('overallVerdict', () => {
  const w = (workload: string, verdict: WorkloadVerdict['verdict']): WorkloadVerdict => ({ workload, verdict, ratio: 1, spread: [1, 1], pTwoSided: null, why: '' });
  it('each verdict is reachable, mixed results are inconclusive naming the workloads', () => {
    expect(overallVerdict([w('a', 'supported'), w('b', 'supported')])).toEqual({ verdict: 'supported', why: 'supported on every workload (a, b)' });
    expect(overallVerdict([w('a', 'contradicted')])).toEqual({ verdict: 'contradicted', why: 'contradicted on every workload (a)' });
    expect(overallVerdict([w('a', 'supported'), w('b', 'contradicted'), w('c', 'inconclusive')])).toEqual({ verdict: 'inconclusive', why: 'supported on a; contradicted on b; inconclusive on c' });
    expect(overallVerdict([])).toEqual({ verdict: 'inconclusive', why: 'no workload measured' });
  });
});
