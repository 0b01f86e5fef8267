import { describe, expect, it } from 'vitest';
import { completed, exampleMeasurements } from '../../results/test-fixtures.ts';
import type { Measurement } from '../../results/schema.ts';
import { streamingDocument } from '../test-fixtures.ts';
import { headlineRows, headlineTable } from './headline.ts';

describe('headline', () => {
  it('names the winner among the clusters, the margin over the runner-up and whether all answers were verified', () => {
    expect(headlineRows(exampleMeasurements())).toEqual([
      { workload: 'topn', mode: 'batch', winner: 'spark', ratio: 10000 / 4500, verdict: '2.22× faster than flink', verified: true },
      { workload: 'multijoin', mode: 'batch', winner: null, ratio: null, verdict: 'no winner: no engine completed with a verified answer', verified: false },
    ]);
  });

  it('does not let the DuckDB baseline win, and says when only one cluster completed', () => {
    const measurements: Measurement[] = [
      completed('duckdb', 'topn', [10], null),
      completed('flink', 'topn', [50], null),
      { workload: 'topn', engine: 'spark', mode: 'batch', scale: 0.01, params: {}, status: 'timed-out', timeoutMs: 1000, reason: 'slow' },
    ];
    expect(headlineRows(measurements)).toEqual([
      { workload: 'topn', mode: 'batch', winner: 'flink', ratio: null, verdict: 'only flink completed (spark timed-out)', verified: false },
    ]);
  });

  it('judges streaming by sustainable rate (higher wins)', () => {
    expect(headlineRows(streamingDocument().measurements)).toEqual([
      { workload: 'passthrough', mode: 'streaming', winner: 'flink-rocksdb', ratio: 2, verdict: '2.00× higher sustainable rate than spark-microbatch', verified: true },
    ]);
  });

  it('tabulates one cell per engine: the score, or the status with the reason as tooltip, never a number', () => {
    const table = headlineTable(exampleMeasurements(), ['spark', 'spark-continuous', 'flink', 'duckdb']);
    expect(table.columns.map((c) => c.header)).toEqual(['Workload', 'Mode', 'Winner', 'Margin', 'Answers verified', 'spark', 'spark-continuous', 'flink', 'duckdb (baseline)']);
    expect(table.rows).toEqual([
      ['topn', 'batch', 'spark', '2.22× faster than flink', { text: 'yes (3 of 3 that ran)', status: 'completed' }, '4.50 s', 'not run', '10.0 s', '1.30 s'],
      [
        'multijoin',
        'batch',
        '—',
        'no winner: no engine completed with a verified answer',
        { text: 'no: spark invalid, flink failed, duckdb timed-out', status: 'invalid' },
        { text: 'invalid', title: 'wrong answer: 3 of 12 rows differ from the DuckDB reference', status: 'invalid' },
        { text: 'unsupported', title: 'Continuous processing does not support Aggregate operations.', status: 'unsupported' },
        { text: 'failed', title: 'job failed: OutOfMemoryError in TaskManager', status: 'failed' },
        { text: 'timed-out', title: 'no result after 600000 ms', status: 'timed-out' },
      ],
    ]);
  });
});
