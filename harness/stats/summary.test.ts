import { describe, expect, it } from 'vitest';
import { percentile, sortSamples, summarize, tCritical95 } from './summary.ts';

// Expected values computed independently with mpmath (25 digits).
describe('summarize', () => {
  it('gives exact statistics for a skewed sample', () => {
    const stats = summarize([100, 2, 4, 1, 3]);
    expect(stats.samples).toBe(5);
    expect(stats.min).toBe(1);
    expect(stats.max).toBe(100);
    expect(stats.mean).toBe(22);
    expect(stats.median).toBe(3);
    // squared deviations 441 + 400 + 361 + 324 + 6084 = 7610; / (n - 1) = 1902.5
    expect(stats.sd).toBe(Math.sqrt(1902.5));
    expect(stats.sd).toBeCloseTo(43.61765697512878, 12);
    // t(0.975, 4) = 2.776445105
    expect(stats.ci95!.low).toBeCloseTo(-32.15847434816046, 9);
    expect(stats.ci95!.high).toBeCloseTo(76.15847434816046, 9);
    expect(stats.relativeSpread).toBe(100);
  });

  it('uses t(0.975, 1) = 12.706 for two samples', () => {
    const stats = summarize([12, 10]);
    expect(stats.mean).toBe(11);
    expect(stats.median).toBe(11);
    expect(stats.sd).toBeCloseTo(Math.SQRT2, 14);
    expect(stats.ci95!.low).toBeCloseTo(-1.70620474, 9);
    expect(stats.ci95!.high).toBeCloseTo(23.70620474, 9);
    expect(stats.relativeSpread).toBe(1.2);
  });

  it('uses the table up to 30 degrees of freedom and the normal quantile above', () => {
    // n = 31 → df = 30 → t = 2.042272456
    const thirtyOne = summarize(Array.from({ length: 31 }, (_, i) => i + 1));
    expect(thirtyOne.mean).toBe(16);
    expect(thirtyOne.sd).toBeCloseTo(9.092121131323904, 12);
    expect(thirtyOne.ci95!.low).toBeCloseTo(12.66498304470626, 9);
    expect(thirtyOne.ci95!.high).toBeCloseTo(19.33501695529374, 9);

    // n = 32 → df = 31 → normal 1.959963985
    const thirtyTwo = summarize(Array.from({ length: 32 }, (_, i) => i + 1));
    expect(thirtyTwo.median).toBe(16.5);
    expect(thirtyTwo.sd).toBeCloseTo(9.380831519646859, 12);
    expect(thirtyTwo.ci95!.low).toBeCloseTo(13.24976742957262, 9);
    expect(thirtyTwo.ci95!.high).toBeCloseTo(19.75023257042738, 9);
  });

  it('leaves sd and the interval null for one sample instead of inventing 0', () => {
    expect(summarize([42])).toEqual({
      samples: 1,
      min: 42,
      max: 42,
      mean: 42,
      median: 42,
      sd: null,
      ci95: null,
      relativeSpread: 1,
    });
  });

  it('has no relative spread when the minimum is not positive', () => {
    expect(summarize([0, 5]).relativeSpread).toBeNull();
  });

  it('rejects empty and non-finite samples with the offending index', () => {
    expect(() => summarize([])).toThrow('sortSamples: no samples (need at least 1)');
    expect(() => summarize([1, Number.NaN])).toThrow('sortSamples: sample 1 is NaN, expected a finite number');
    expect(() => summarize([Infinity])).toThrow('sortSamples: sample 0 is Infinity, expected a finite number');
  });
});

describe('sortSamples', () => {
  it('sorts numerically into a copy', () => {
    const input = [10, 9, 100, 1];
    expect([...sortSamples(input)]).toEqual([1, 9, 10, 100]);
    expect(input).toEqual([10, 9, 100, 1]);
  });
});

describe('percentile', () => {
  const sorted = sortSamples([1, 2, 3, 4, 100]);

  it('interpolates linearly between closest ranks (h = (n - 1) q)', () => {
    expect(percentile(sorted, 0)).toBe(1);
    expect(percentile(sorted, 1)).toBe(100);
    expect(percentile(sorted, 0.5)).toBe(3);
    expect(percentile(sorted, 0.25)).toBe(2);
    // h = 3.6 → 4 + 0.6 · (100 - 4)
    expect(percentile(sorted, 0.9)).toBeCloseTo(61.6, 12);
    // h = 0.4 → 1 + 0.4 · 1
    expect(percentile(sorted, 0.1)).toBeCloseTo(1.4, 12);
    expect(percentile(sortSamples([10, 20]), 0.5)).toBe(15);
    expect(percentile(sortSamples([7]), 0.99)).toBe(7);
  });

  it('rejects q outside [0, 1]', () => {
    expect(() => percentile(sorted, 1.5)).toThrow('percentile: q is 1.5, expected a number in [0, 1]');
    expect(() => percentile(sorted, Number.NaN)).toThrow('percentile: q is NaN');
  });
});

describe('tCritical95', () => {
  it('reads the table for small df and the normal quantile beyond 30', () => {
    expect(tCritical95(1)).toBe(12.70620474);
    expect(tCritical95(4)).toBe(2.776445105);
    expect(tCritical95(30)).toBe(2.042272456);
    expect(tCritical95(31)).toBe(1.959963985);
    expect(() => tCritical95(0)).toThrow('tCritical95: degrees of freedom is 0, expected an integer ≥ 1');
  });
});
