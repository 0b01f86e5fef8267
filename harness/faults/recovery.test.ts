import { describe, expect, it } from 'vitest';
import { deliveryCounts, guaranteeVerdict, promiseOf, recoveryFigures } from './recovery.ts';

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
      rule: "recovered: output rows/s within 10 % of the 10 s before the fault and the lag's floor back within 10 records of its pre-fault floor, held for 3 s",
    });
  });

  it('judges a sink that commits in bursts over windows, and a sawtooth lag by its floor', () => {
    // 1,000 rows every other second (a commit per checkpoint), the lag climbing 0 → 500 between commits.
    const bursts = Array.from({ length: 40 }, (_, s) => ({ tMs: at(s), rows: s >= 20 && s < 30 ? (s === 28 ? 3000 : 0) : s % 2 === 0 ? 1000 : 0 }));
    const sawtooth = Array.from({ length: 80 }, (_, i) => {
      const s = i / 2;
      return { tMs: at(s), lag: s >= 20 && s < 29 ? (s - 20) * 500 : (i % 4) * 125 };
    });
    const perSecond = recoveryFigures({ faultAtMs: at(20), outputPerSecond: bursts, lag: sawtooth, inputEndMs: at(40), baselineFromMs: at(12) });
    // Second by second every value is 0 or 1,000, 100 % from their median of 500: never "back".
    expect(perSecond.baseline.outputRowsPerSecond).toBe(500);
    expect(perSecond.recoveryMs).toEqual({ missing: true, reason: 'not recovered before the input ended (20 s after the fault)' });
    const windowed = recoveryFigures({ faultAtMs: at(20), outputPerSecond: bursts, lag: sawtooth, inputEndMs: at(40), baselineFromMs: at(12), rateWindowMs: 2000, lagToleranceRecords: 500 });
    expect(windowed.baseline).toEqual({ outputRowsPerSecond: 500, lagFloor: 0 });
    expect(windowed.recoveryMs).toBe(9000); // from t=29 s: the catch-up burst at 28 s is past, the lag's floor back at 0
    expect(windowed.rule).toBe("recovered: output rows/s (over 2 s windows) within 10 % of the 8 s before the fault and the lag's floor back within 500 records of its pre-fault floor, held for 3 s");
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
  it('append output: missing and wrong rows are lost, repeated appends duplicated, extra rows unexpected', () => {
    expect(deliveryCounts('append', { missing: 1, extra: 1, different: 0 }, 2)).toEqual({ lost: 1, duplicated: 2, unexpected: 1, unit: 'records' });
    expect(deliveryCounts('append', { missing: 0, extra: 0, different: 0 }, 0)).toEqual({ lost: 0, duplicated: 0, unexpected: 0, unit: 'records' });
  });

  it('upsert output: keys lost or wrong; duplicates are not visible', () => {
    expect(deliveryCounts('upsert', { missing: 1, extra: 0, different: 2 }, 5)).toEqual({
      lost: 3,
      duplicated: { missing: true, reason: 'an upsert output keeps the last value per key: a repeated update is not visible, the final state decides' },
      unexpected: 0,
      unit: 'keys',
    });
  });
});

describe('guaranteeVerdict', () => {
  const append = (lost: number, duplicated: number) => deliveryCounts('append', { missing: lost, extra: 0, different: 0 }, duplicated);
  it('exactly-once is broken by a duplicate or a loss', () => {
    expect(guaranteeVerdict('exactly-once', append(0, 0))).toEqual({ promised: 'exactly-once', kept: true, why: 'no records lost; none written twice' });
    expect(guaranteeVerdict('exactly-once', append(0, 7))).toEqual({ promised: 'exactly-once', kept: false, why: '7 records written twice: exactly-once promises none' });
    expect(guaranteeVerdict('exactly-once', append(3, 0))).toEqual({ promised: 'exactly-once', kept: false, why: '3 records lost: exactly-once promises none' });
  });

  it('at-least-once allows duplicates, never a loss', () => {
    expect(guaranteeVerdict('at-least-once', append(0, 12))).toEqual({ promised: 'at-least-once', kept: true, why: 'no records lost; 12 written twice, as at-least-once allows' });
    expect(guaranteeVerdict('at-least-once', append(1, 0)).kept).toBe(false);
    expect(guaranteeVerdict('at-least-once', deliveryCounts('upsert', { missing: 0, extra: 0, different: 0 }, 0)).why).toBe('no keys lost; duplicates not visible in an upsert output (the final state per key is right)');
  });

  it('reads the promise from the guarantee text', () => {
    expect(promiseOf('at-least-once: Kafka sink with …')).toBe('at-least-once');
    expect(() => promiseOf('best effort')).toThrow("guarantee 'best effort' does not start with exactly-once, at-least-once or at-most-once");
  });
});
