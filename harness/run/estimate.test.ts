import { describe, expect, it } from 'vitest';
import type { Measurement, ResultsDocument } from '../results/schema.ts';
import { completed, exampleDocument } from '../results/test-fixtures.ts';
import { estimateWallTime, type PlannedUnit } from './estimate.ts';

const timed = (engine: string, workload: string, startSec: number, seconds: number, path: string): Measurement => ({
  ...completed(engine, workload, [1000], null),
  submission: { path, family: 'job' },
  startedAt: new Date(Date.UTC(2026, 10, 22, 3, 0, startSec)).toISOString(),
  finishedAt: new Date(Date.UTC(2026, 10, 22, 3, 0, startSec + seconds)).toISOString(),
});

function run(runId: string, startedAt: string, finishedAt: string, measurements: Measurement[]): ResultsDocument {
  return { ...exampleDocument(), runId, startedAt, finishedAt, measurements };
}

const unit = (engine: string, workload: string, path: string, group: string): PlannedUnit => ({ identity: { workload, engine, mode: 'batch', scale: 0.01, params: {}, submission: { path, family: 'job' } }, group });

describe('estimateWallTime', () => {
  it('takes each unit from the newest run that has it, and the start-up per group from the newest run', () => {
    // Newest run: 100 s wall, measurements 10 + 20 s inside, 2 groups → 35 s per group outside them.
    const newest = run('new', '2026-11-22T03:00:00.000Z', '2026-11-22T03:01:40.000Z', [timed('spark', 'topn', 0, 10, 'spark-submit'), timed('flink', 'topn', 20, 20, 'flink-gateway')]);
    const older = run('old', '2026-11-21T03:00:00.000Z', '2026-11-21T03:10:00.000Z', [timed('spark', 'topn', 0, 99, 'spark-submit'), timed('spark', 'multijoin', 100, 50, 'spark-submit')]);
    const estimate = estimateWallTime(
      [unit('spark', 'topn', 'spark-submit', 'spark'), unit('spark', 'multijoin', 'spark-submit', 'spark'), unit('flink', 'topn', 'flink-gateway', 'flink'), unit('flink', 'topn', 'flink-application', 'flink-app')],
      [older, newest],
    );
    expect(estimate.units.map((e) => [e.unit.identity.engine, e.unit.identity.workload, e.ms, e.fromRun])).toEqual([
      ['spark', 'topn', 10_000, 'new'],
      ['spark', 'multijoin', 50_000, 'old'],
      ['flink', 'topn', 20_000, 'new'],
      ['flink', 'topn', undefined, undefined],
    ]);
    expect(estimate.perGroupOverheadMs).toBe(35_000);
    // 10 + 50 + 20 s of units + 3 groups × 35 s.
    expect(estimate.knownMs).toBe(185_000);
    expect(estimate.unknownUnits).toBe(1);
    expect([...estimate.runsUsed].sort()).toEqual(['new', 'old']);
  });

  it('knows nothing without history, and says so by counting', () => {
    expect(estimateWallTime([unit('spark', 'topn', 'spark-submit', 'spark')], [])).toEqual({ units: [{ unit: unit('spark', 'topn', 'spark-submit', 'spark') }], knownMs: 0, perGroupOverheadMs: 0, unknownUnits: 1, runsUsed: [] });
  });
});
