import { describe, expect, it } from 'vitest';
import { doubledMidRanks, mannWhitney, normalUpperTail } from './mann-whitney.ts';

describe('doubledMidRanks', () => {
  it('gives tied values the mean of their ranks (doubled)', () => {
    // values 10, 20, 20, 30 → ranks 1, 2.5, 2.5, 4
    expect(doubledMidRanks([20, 10, 30, 20])).toEqual([5, 2, 8, 5]);
  });
});

describe('mannWhitney (exact)', () => {
  it('separated groups of 5: U = 25, p = 2/252', () => {
    const result = mannWhitney([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]);
    expect(result.u).toBe(25);
    expect(result.method).toBe('exact');
    expect(result.pTwoSided).toBe(2 / 252);
    expect(result.pGreater).toBe(1 / 252);
    expect(result.pLess).toBe(1);
    expect(result.minimumPTwoSided).toBe(2 / 252);
  });

  it("matches R's wilcox.test example (W = 35, one-sided p = 0.1272) exactly: 382/3003", () => {
    const x = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
    const y = [1.15, 0.88, 0.9, 0.74, 1.21];
    const result = mannWhitney(y, x);
    expect(result.u).toBe(35);
    expect(result.pGreater).toBeCloseTo(382 / 3003, 15);
    expect(result.pTwoSided).toBeCloseTo(764 / 3003, 15);
    expect(result.pLess).toBeCloseTo(2693 / 3003, 15);
  });

  it('handles ties exactly with mid-ranks (checked by enumerating all 70 splits)', () => {
    const result = mannWhitney([1, 2, 2, 3], [2, 3, 3, 4]);
    expect(result.u).toBe(13);
    expect(result.pTwoSided).toBeCloseTo(2 / 7, 15);
    expect(result.pGreater).toBeCloseTo(1 / 7, 15);
    expect(result.pLess).toBeCloseTo(69 / 70, 15);
  });

  it('3 vs 3 can never go below p = 0.1 (two-sided)', () => {
    const result = mannWhitney([1, 2, 3], [4, 5, 6]);
    expect(result.pTwoSided).toBe(0.1);
    expect(result.minimumPTwoSided).toBe(0.1);
  });

  it('identical groups give p = 1 and U = n·m/2', () => {
    const result = mannWhitney([5, 5, 5], [5, 5, 5]);
    expect(result.u).toBe(4.5);
    expect(result.pTwoSided).toBe(1);
  });

  it('rejects empty and non-finite samples, naming them', () => {
    expect(() => mannWhitney([], [1])).toThrow('mannWhitney: baseline has no samples (need at least 1)');
    expect(() => mannWhitney([1], [2, Number.NaN])).toThrow('mannWhitney: candidate[1] is NaN, expected a finite number');
  });
});

describe('mannWhitney (normal approximation above 60 samples)', () => {
  it('normalUpperTail(1.959964) = 0.025', () => {
    expect(normalUpperTail(1.959963985)).toBeCloseTo(0.025, 7);
    expect(normalUpperTail(0)).toBeCloseTo(0.5, 7);
  });

  it('31 vs 31 separated groups: z = (961 − 480.5)/√(961·63/12) → p ≈ 1.57e-11', () => {
    const baseline = Array.from({ length: 31 }, (_, i) => i);
    const candidate = Array.from({ length: 31 }, (_, i) => 100 + i);
    const result = mannWhitney(baseline, candidate);
    expect(result.method).toBe('normal-approximation');
    expect(result.u).toBe(961);
    const z = (961 - 480.5) / Math.sqrt((961 * 63) / 12);
    expect(result.pTwoSided).toBeCloseTo(2 * normalUpperTail(z), 15);
    expect(result.pTwoSided).toBeLessThan(1e-10);
  });
});
