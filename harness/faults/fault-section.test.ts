import { describe, expect, it } from 'vitest';
import { faultSection, type FaultObservation } from './fault-section.ts';

const T0 = 1_800_000_000_000;
const at = (s: number) => T0 + s * 1000;

/** 40 s at 100 rows/s, the TaskManager restarted at t=20 s: nothing until 26 s, a catch-up burst, normal from 28 s. */
function observation(overrides: Partial<FaultObservation> = {}): FaultObservation {
  const perSecond = new Map(Array.from({ length: 40 }, (_, s) => [at(s), s >= 20 && s < 26 ? 0 : s === 26 || s === 27 ? 400 : 100] as [number, number]));
  return {
    injected: [{ text: 'restart:flink-taskmanager-1@20s', action: 'restart', service: 'flink-taskmanager-1', atMs: 20_000, injectedAtMs: at(20), doneAtMs: at(21) }],
    troubles: [
      { tMs: at(10), what: 'Flink job j: tasks DEPLOYING' }, // start-up, before the fault: not the detection
      { tMs: at(23.25), what: 'Flink job j: tasks CANCELING' },
      { tMs: at(23.5), what: 'Flink job j: tasks SCHEDULED' },
    ],
    generator: { startedAtMs: at(0) },
    output: { perSecond, finalState: { duplicates: 120 } },
    lagSamples: Array.from({ length: 80 }, (_, i) => ({ tMs: at(i / 2), lag: i / 2 >= 20 && i / 2 < 28 ? 50 + (i / 2 - 20) * 100 : 50 })),
    durationMs: 40_000,
    warmupMs: 5000,
    commitIntervalMs: 1000,
    lagToleranceRecords: 100,
    guarantee: 'at-least-once: Kafka sink …',
    outputKind: 'append',
    check: { equal: true, rows: 4000 },
    ...overrides,
  };
}

describe('faultSection', () => {
  it('times detection from the first trouble after the fault, recovery against the pre-fault normal, and judges the promise', () => {
    const section = faultSection(observation());
    expect(section.engineNoticed).toEqual({ atMs: at(23.25), what: 'Flink job j: tasks CANCELING' });
    expect(section.recovery).toMatchObject({ detectMs: 3250, firstOutputAfterMs: 6000, recoveryMs: 8000, peakLag: 800, baseline: { outputRowsPerSecond: 100, lagFloor: 50 } });
    expect(section.recovery.rule).toBe("recovered: output rows/s (over 2 s windows) within 10 % of the 10 s before the fault and the lag's floor back within 100 records of its pre-fault floor, held for 3 s");
    expect(section.delivery).toEqual({ unit: 'records', lost: 0, duplicated: 120, unexpected: 0, isolation: 'read_committed: output of a transactional sink counts once its transaction committed' });
    expect(section.guarantee).toEqual({ promised: 'at-least-once', kept: true, why: 'no records lost; 120 written twice, as at-least-once allows' });
  });

  it('exactly-once with a duplicate is broken; a fault never injected leaves every figure missing with why', () => {
    expect(faultSection(observation({ guarantee: 'exactly-once: transactional …' })).guarantee).toEqual({ promised: 'exactly-once', kept: false, why: '120 records written twice: exactly-once promises none' });
    const never = faultSection(observation({ injected: [{ text: 'kill:kafka@50s', action: 'kill', service: 'kafka', atMs: 50_000, error: 'not injected: the measurement ended before its time' }] }));
    expect(never.recovery.recoveryMs).toEqual({ missing: true, reason: 'no fault was injected (kill:kafka@50s: not injected: the measurement ended before its time)' });
    expect(never.engineNoticed).toBeUndefined();
  });

  it('a wrong final state is lost output', () => {
    const wrong = faultSection(observation({ check: { equal: false, summary: 's', missing: 7, extra: 0, different: 2 } as never, output: { perSecond: new Map(), finalState: { duplicates: 0 } } }));
    expect(wrong.delivery.lost).toBe(9);
    expect(wrong.guarantee).toEqual({ promised: 'at-least-once', kept: false, why: '9 records lost: at-least-once promises none' });
  });
});
