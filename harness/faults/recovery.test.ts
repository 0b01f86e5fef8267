import { describe, expect, it } from 'vitest';
import { deliveryCounts, recoveryFigures } from './recovery.ts';

const T0 = 1_800_000_000_000;
const at = (s: number) => T0 + s * 1000;
/** 100 rows/s, nothing from 20 s to 24 s, a catch-up burst at 25–26 s, normal again from 27 s. */
const output = Array.from({ length: 40 }, (_, s) => ({ tMs: at(s), rows: s >= 20 && s < 25 ? 0 : s === 25 || s === 26 ? 300 : 100 }));
/** Lag 5 before, climbing during the outage, back to 5 from 27 s. */
const lag = Array.from({ length: 80 }, (_, i) => {
  const s = i / 2;
  return { tMs: at(s), lag: s < 20 ? 5 : s < 25 ? 5 + (s - 20) * 100 : s < 27 ? 200 : 5 };
});

describe('recoveryFigures', () => {
  it('finds detection, first output, recovery and peak lag against the pre-fault normal', () => {
    const figures = recoveryFigures({ faultAtMs: at(20), engineNoticedAtMs: at(21.5), outputPerSecond: output, lag, inputEndMs: at(40) });
    expect(figures).toEqual({
      detectMs: 1500,
      firstOutputAfterMs: 5000,
      recoveryMs: 7000,
      peakLag: 455,
      baseline: { outputRowsPerSecond: 100, lagFloor: 5 },
      rule: 'recovered: output rows/s within 10 % of the 10 s before the fault and lag back under its pre-fault floor (+10 % of a second\'s output), held for 3 s',
    });
  });

  it('says why a figure is missing instead of inventing it', () => {
    const never = output.map((p) => (p.tMs >= at(20) ? { ...p, rows: 0 } : p));
    const figures = recoveryFigures({ faultAtMs: at(20), outputPerSecond: never, lag, inputEndMs: at(40) });
    expect(figures.detectMs).toEqual({ missing: true, reason: 'the engine reported nothing the harness could see' });
    expect(figures.firstOutputAfterMs).toEqual({ missing: true, reason: 'no output after the fault' });
    expect(figures.recoveryMs).toEqual({ missing: true, reason: 'not recovered before the input ended (20 s after the fault)' });
    expect(recoveryFigures({ faultAtMs: at(5), outputPerSecond: output.map((p) => ({ ...p, rows: 0 })), lag, inputEndMs: at(40) }).recoveryMs).toEqual({ missing: true, reason: 'no output in the 10 s before the fault: nothing to recover to' });
  });
});

describe('deliveryCounts', () => {
  it('append output: lost, duplicated and unexpected records', () => {
    const appends = new Map([['a', 1], ['b', 3], ['c', 1], ['x', 1]]);
    expect(deliveryCounts('append', new Set(['a', 'b', 'c', 'd']), appends)).toEqual({ lost: 1, duplicated: 2, unexpected: 1, unit: 'records' });
    expect(deliveryCounts('append', new Set(['a']), new Map([['a', 1]]))).toEqual({ lost: 0, duplicated: 0, unexpected: 0, unit: 'records' });
  });

  it('upsert output: keys lost or wrong; duplicates are not visible', () => {
    expect(deliveryCounts('upsert', new Set(['a', 'b']), new Map([['a', 4]]), 0)).toEqual({
      lost: 1,
      duplicated: { missing: true, reason: 'an upsert output keeps the last value per key: a repeated update is not visible, the final state decides' },
      unexpected: 0,
      unit: 'keys',
    });
  });
});
