import { describe, expect, it } from 'vitest';
import { exampleMeasurements } from '../../results/test-fixtures.ts';
import { supportMatrixChart, supportRows } from './support-matrix.ts';

describe('support matrix', () => {
  it('has a cell for every workload × engine, with the reason', () => {
    expect(supportRows(exampleMeasurements(), ['spark', 'spark-continuous', 'flink', 'duckdb'])).toEqual([
      { workload: 'topn', engine: 'spark (spark-submit)', mode: 'batch', status: 'completed', reason: 'answer verified' },
      { workload: 'topn', engine: 'spark-continuous', mode: 'batch', status: 'not run', reason: 'not part of this run' },
      { workload: 'topn', engine: 'flink (flink-gateway)', mode: 'batch', status: 'completed', reason: 'answer verified' },
      { workload: 'topn', engine: 'duckdb (duckdb-in-process)', mode: 'batch', status: 'completed', reason: 'answer verified' },
      { workload: 'multijoin', engine: 'spark (spark-submit)', mode: 'batch', status: 'invalid', reason: 'wrong answer: 3 of 12 rows differ from the DuckDB reference' },
      { workload: 'multijoin', engine: 'spark-continuous', mode: 'batch', status: 'unsupported', reason: 'Continuous processing does not support Aggregate operations.' },
      { workload: 'multijoin', engine: 'flink (flink-gateway)', mode: 'batch', status: 'failed', reason: 'job failed: OutOfMemoryError in TaskManager' },
      { workload: 'multijoin', engine: 'duckdb (duckdb-in-process)', mode: 'batch', status: 'timed-out', reason: 'no result after 600000 ms' },
    ]);
  });

  it('colours by status with a fixed map, only the statuses present', () => {
    const chart = supportMatrixChart(exampleMeasurements(), ['spark', 'spark-continuous', 'flink', 'duckdb'])!;
    const spec = chart.spec as { layer: { encoding: { color: unknown } }[] };
    expect(spec.layer[0].encoding.color).toEqual({
      field: 'status',
      type: 'nominal',
      title: 'Status',
      scale: {
        domain: ['completed', 'invalid', 'failed', 'timed-out', 'unsupported', 'not run'],
        range: ['#2e7d32', '#c62828', '#ef6c00', '#f9a825', '#9e9e9e', '#eeeeee'],
      },
    });
    expect(supportMatrixChart([], ['spark'])).toBeUndefined();
  });
});
