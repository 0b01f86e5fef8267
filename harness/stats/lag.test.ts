import { describe, expect, it } from 'vitest';
import { lagFloorSlopePerSecond, lagFromOffsets, lagOverTopics, lagSlopePerSecond, steadyStateStart } from './lag.ts';

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

describe('steadyStateStart', () => {
  const options = { earliestMs: 10_000, endMs: 40_000, blockMs: 2_000, toleranceRecords: 200 };
  /** Samples every 500 ms from t=0 to 40 s: `backlog(t)` plus a sawtooth of one second's commits. */
  const run = (backlog: (tMs: number) => number) =>
    Array.from({ length: 81 }, (_, i) => i * 500).map((tMs) => ({ tMs, lag: backlog(tMs) + (tMs % 1000 === 0 ? 0 : 2000) }));

  it('starts at the warm-up end when the lag is already at its floor', () => {
    expect(steadyStateStart(run(() => 0), options)).toMatchObject({ reached: true, fromMs: 10_000, floorLag: 0 });
  });

  it('starts after the start-up backlog has come down to the floor (the sawtooth of commits does not count)', () => {
    // 30,000 records behind at t=0, caught up at 2,000 rec/s: back at the floor at t=15 s.
    const steady = steadyStateStart(run((t) => Math.max(0, 30_000 - 2 * t)), options);
    expect(steady).toEqual({
      reached: true,
      fromMs: 15_000,
      floorLag: 0,
      toleranceRecords: 200,
      rule: "the first lag sample after the warm-up within 200 records of the run's floor (the least lag per 2000 ms block, lowest over the last half of the window), leaving at least half of the window",
    });
  });

  it('is not reached when the backlog drains only in the second half of the window', () => {
    const steady = steadyStateStart(run((t) => Math.max(0, 60_000 - 2 * t)), options);
    expect(steady).toMatchObject({ reached: false, fromMs: 30_000, floorLag: 0 });
  });

  it('has no start without lag samples in the window', () => {
    expect(steadyStateStart([{ tMs: 1_000, lag: 5 }], options)).toMatchObject({ reached: false, fromMs: null, floorLag: null });
  });
});
