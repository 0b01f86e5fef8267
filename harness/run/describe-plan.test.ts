import { describe, expect, it } from 'vitest';
import { describePlan } from './describe-plan.ts';
import type { WallTimeEstimate } from './estimate.ts';

const identity = (engine: string, workload: string) => ({ workload, engine, mode: 'batch' as const, scale: 'small', params: {} });

describe('describePlan', () => {
  it('lists every unit with its expected time and sums the wall time, naming its sources', () => {
    const estimate: WallTimeEstimate = {
      units: [
        { unit: { identity: identity('spark', 'topn'), group: 'g1' }, ms: 90_000, fromRun: 'r1' },
        { unit: { identity: identity('flink', 'topn'), group: 'g2' } },
      ],
      knownMs: 150_000,
      perGroupOverheadMs: 30_000,
      unknownUnits: 1,
      runsUsed: ['r1'],
    };
    const text = describePlan({ parts: ['batch at scale small: 1 warm-up + 3 repetitions per unit'], groups: [{ label: 'spark via spark-submit', units: ['topn on spark (spark-submit)'] }, { label: 'flink via flink-application', units: ['topn on flink (flink-application)'] }] }, estimate);
    expect(text).toBe(
      [
        'Plan (dry run: nothing was started)',
        '  batch at scale small: 1 warm-up + 3 repetitions per unit',
        '  [spark via spark-submit]',
        `    ${'topn on spark (spark-submit)'.padEnd(70)} ≈ 1.5 min (run r1)`,
        '  [flink via flink-application]',
        `    ${'topn on flink (flink-application)'.padEnd(70)} no earlier measurement`,
        '2 units in 2 groups; expected wall time ≈ 2.5 min (from run r1; each group adds 30 s to start and stop); 1 unit without an earlier measurement not included',
        '',
      ].join('\n'),
    );
  });

  it('says when there is nothing to estimate from', () => {
    const text = describePlan({ parts: [], groups: [{ label: 'g', units: ['u'] }] }, { units: [{ unit: { identity: identity('spark', 'topn'), group: 'g' } }], knownMs: 0, perGroupOverheadMs: 0, unknownUnits: 1, runsUsed: [] });
    expect(text.split('\n').at(-2)).toBe('1 unit in 1 group; no earlier run to estimate the wall time from (give --history s3://bucket/prefix|DIR)');
  });
});
