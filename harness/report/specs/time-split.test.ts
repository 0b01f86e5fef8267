import { describe, expect, it } from 'vitest';
import type { Measurement } from '../../results/schema.ts';
import { completed, via } from '../../results/test-fixtures.ts';
import { timeSplitChart, timeSplitRows } from './time-split.ts';

function withClientStarts<M extends Measurement>(m: M, clientStartMs: number[]): M {
  if (m.status !== 'completed') return m;
  return { ...m, repetitions: m.repetitions.map((r, i) => ({ ...r, clientStartMs: clientStartMs[i] })) };
}

function measurements(): Measurement[] {
  return [
    via(completed('spark', 'topn', [9000, 10000, 11000], [3000, 3500, 4000]), 'spark-submit', 'job'),
    withClientStarts(via(completed('spark', 'topn', [1500, 2000, 2500], [1000, 1200, 1400]), 'spark-connect', 'session'), [4100, 3900, 4000]),
    via(completed('flink', 'topn', [3000, 3100, 3200], null), 'flink-gateway', 'session'),
    { workload: 'topn', engine: 'flink', mode: 'batch', scale: 0.01, params: {}, submission: { path: 'flink-application', family: 'job' }, status: 'failed', reason: 'JobManager did not start' },
  ];
}

describe('where the time goes', () => {
  it('splits each path\'s median wall into engine time and the rest (summing to the wall exactly), the client start beside it; a missing engine time leaves the wall whole; failures have no bar', () => {
    expect(timeSplitRows(measurements())).toEqual([
      { workload: 'topn', series: 'spark (spark-submit)', span: 'engine time', seconds: 3.5 },
      { workload: 'topn', series: 'spark (spark-submit)', span: 'outside the engine (wall − engine)', seconds: 6.5 },
      { workload: 'topn', series: 'spark (spark-connect)', span: 'engine time', seconds: 1.2 },
      { workload: 'topn', series: 'spark (spark-connect)', span: 'outside the engine (wall − engine)', seconds: 0.8 },
      { workload: 'topn', series: 'spark (spark-connect)', span: 'client start (kept out of the wall)', seconds: 4 },
      { workload: 'topn', series: 'flink (flink-gateway)', span: 'wall (engine time missing)', seconds: 3.1 },
    ]);
  });

  it('tabulates one row per workload × path with every span, — where a span does not apply; no chart without a completed batch measurement', () => {
    const chart = timeSplitChart(measurements())!;
    expect(chart.table.rows).toEqual([
      ['topn', 'spark (spark-submit)', '3.50', '6.50', '—', '—'],
      ['topn', 'spark (spark-connect)', '1.20', '0.800', '—', '4.00'],
      ['topn', 'flink (flink-gateway)', '—', '—', '3.10', '—'],
    ]);
    expect(timeSplitChart(measurements().slice(3))).toBeUndefined();
  });
});
