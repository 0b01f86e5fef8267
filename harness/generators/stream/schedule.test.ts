import { describe, expect, it } from 'vitest';
import { SendSchedule } from './schedule.ts';

describe('SendSchedule', () => {
  it('constant rate: record k at k·1000/rate ms, no drift over a simulated minute', () => {
    const schedule = new SendSchedule({ kind: 'constant', rate: 1000 });
    expect([0, 1, 999, 59_999].map((k) => schedule.sendTimeMs(k))).toEqual([0, 1, 999, 59_999]);
    expect(schedule.recordsDueBy(60_000)).toBe(60_001); // records 0 … 60 000 (record 60 000 is due exactly at 60 s)
    expect(schedule.recordsDueBy(59_999.5)).toBe(60_000);
    // A rate whose interval is not representable exactly (1/3 ms): 3 000 000 records in exactly 60 s.
    const odd = new SendSchedule({ kind: 'constant', rate: 3_000_000 / 60 });
    expect(odd.recordsDueBy(60_000)).toBe(3_000_001);
    expect(odd.sendTimeMs(3_000_000)).toBe(60_000);
    // Simulate a minute of 1 ms ticks: each record is due exactly once, in order, none skipped.
    let sent = 0;
    for (let t = 0; t <= 60_000; t++) {
      const due = schedule.recordsDueBy(t);
      expect(due).toBe(t + 1);
      sent = due;
    }
    expect(sent).toBe(60_001);
  });

  it('steps: integral over the segments', () => {
    const schedule = new SendSchedule({ kind: 'steps', steps: [{ atMs: 0, rate: 100 }, { atMs: 10_000, rate: 1000 }] });
    expect(schedule.recordsDueBy(10_000)).toBe(1001); // 1000 in the first 10 s, record 1000 due at 10 s
    expect(schedule.recordsDueBy(20_000)).toBe(11_001);
    expect(schedule.recordsDueBy(0)).toBe(1);
    expect(schedule.recordsDueBy(-1)).toBe(0);
    expect(schedule.sendTimeMs(999)).toBe(9990);
    expect(schedule.sendTimeMs(1000)).toBe(10_000);
    expect(schedule.sendTimeMs(1500)).toBe(10_500);
    expect(schedule.rateAt(5000)).toBe(100);
    expect(schedule.rateAt(15_000)).toBe(1000);
  });

  it('ramp: quadratic integral, then the final rate', () => {
    // 0 → 2000 rec/s over 10 s: 10 000 records in the ramp, then 2000/s.
    const schedule = new SendSchedule({ kind: 'ramp', fromRate: 0, toRate: 2000, durationMs: 10_000 });
    expect(schedule.recordsDueBy(5000)).toBe(2501);
    expect(schedule.recordsDueBy(10_000)).toBe(10_001);
    expect(schedule.recordsDueBy(11_000)).toBe(12_001);
    expect(schedule.sendTimeMs(2500)).toBeCloseTo(5000, 9);
    expect(schedule.sendTimeMs(12_000)).toBe(11_000);
    expect(schedule.rateAt(2500)).toBe(500);
  });

  it('rejects profiles that cannot be scheduled, naming the problem', () => {
    expect(() => new SendSchedule({ kind: 'constant', rate: 0 })).toThrow('constant profile: rate must be above 0');
    expect(() => new SendSchedule({ kind: 'steps', steps: [{ atMs: 5, rate: 1 }] })).toThrow('the first step must be at 0 ms');
    expect(() => new SendSchedule({ kind: 'steps', steps: [{ atMs: 0, rate: 10 }, { atMs: 0, rate: 5 }] })).toThrow('step 1 at 0 ms is not after step 0 at 0 ms');
    expect(() => new SendSchedule({ kind: 'ramp', fromRate: 10, toRate: 0, durationMs: 1000 })).toThrow('the final rate must be above 0');
  });
});
