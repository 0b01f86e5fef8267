import { describe, expect, it } from 'vitest';
import { lagFloorSlopePerSecond, lagFromOffsets, lagOverTopics, lagSlopePerSecond } from './lag.ts';

describe('lag', () => {
  it('sums end − consumed over partitions; unread partitions count whole', () => {
    expect(lagFromOffsets({ '0': 100, '1': 50, '2': 7 }, { '0': 90, '1': 50 })).toBe(17);
    expect(lagFromOffsets({ '0': 10 }, { '0': 12 })).toBe(0);
    expect(lagOverTopics({ a: { '0': 100, '1': 50 }, b: { '0': 30 } }, { a: { '0': 90, '1': 50 } })).toBe(40);
    expect(lagOverTopics({ a: { '0': 100 }, b: { '0': 30 } }, { a: { '0': 100 }, b: { '0': 29 } })).toBe(1);
  });

  it('fits the least-squares slope in records per second', () => {
    const t0 = 1_700_000_000_000;
    // lag = 100 + 25·t(s) exactly
    expect(lagSlopePerSecond([0, 1, 2, 3].map((s) => ({ tMs: t0 + s * 1000, lag: 100 + 25 * s })))).toBe(25);
    // (0,0) (1,10) (2,0) (3,10): slope = 2 (x̄ = 1.5, ȳ = 5; Σdxdy = 10, Σdx² = 5)
    expect(lagSlopePerSecond([0, 10, 0, 10].map((lag, s) => ({ tMs: t0 + s * 1000, lag })))).toBeCloseTo(2, 12);
    // flat lag → 0; a draining backlog → negative
    expect(lagSlopePerSecond([0, 500, 1000].map((ms) => ({ tMs: t0 + ms, lag: 40 })))).toBe(0);
    expect(lagSlopePerSecond([{ tMs: t0, lag: 1000 }, { tMs: t0 + 2000, lag: 0 }])).toBe(-500);
  });

  it('has no slope with fewer than two samples or a single time', () => {
    expect(lagSlopePerSecond([])).toBeNull();
    expect(lagSlopePerSecond([{ tMs: 5, lag: 1 }])).toBeNull();
    expect(lagSlopePerSecond([{ tMs: 5, lag: 1 }, { tMs: 5, lag: 3 }])).toBeNull();
  });

  it('floor slope: level under a commit sawtooth, rising when the engine falls behind', () => {
    // Commits every 1 s at 5000 rec/s: lag 0 just after a commit, 4500 just before, sampled every
    // 500 ms over 20 s, the window starting on a low and ending on a high. Fitting every sample
    // gives a slope from the edges alone; the floor (2 s blocks) is flat.
    const sawtooth = Array.from({ length: 40 }, (_, i) => ({ tMs: 1000 + i * 500, lag: (i % 2) * 4500 }));
    expect(lagSlopePerSecond(sawtooth)).toBeCloseTo(16.886, 3);
    expect(lagFloorSlopePerSecond(sawtooth, 2000)).toBe(0);
    // The same teeth on a floor rising 100 rec/s.
    const rising = sawtooth.map((s) => ({ ...s, lag: s.lag + (s.tMs - 1000) / 10 }));
    expect(lagFloorSlopePerSecond(rising, 2000)).toBeCloseTo(100, 9);
    expect(lagFloorSlopePerSecond(sawtooth.slice(0, 4), 2000)).toBeNull();
    expect(() => lagFloorSlopePerSecond(sawtooth, 0)).toThrow('blockMs is 0, expected > 0');
  });
});
