import { describe, expect, it } from 'vitest';
import { completed, via } from '../../results/test-fixtures.ts';
import type { Measurement } from '../../results/schema.ts';
import { enginePalette, orderEngines } from '../palette.ts';
import { batchTimeChart } from './batch-time.ts';

const failed: Measurement = { workload: 'wordcount', engine: 'flink', mode: 'batch', scale: 0.01, params: {}, status: 'failed', reason: 'TaskManager lost' };
const unsupported: Measurement = { workload: 'multijoin', engine: 'spark', mode: 'batch', scale: 0.01, params: {}, status: 'unsupported', reason: 'no' };
const measurements: Measurement[] = [
  via(completed('spark', 'topn', [2000, 3000, 4000], null), 'spark-connect', 'session'),
  via(completed('flink', 'topn', [1000, 1500, 2000], [900, 1000, 1100]), 'flink-gateway', 'session'),
  via(completed('spark', 'topn', [5000, 6000, 7000], null), 'spark-submit', 'job'),
  via(completed('duckdb', 'topn', [500, 600, 700], null), 'duckdb-in-process', 'in-process'),
  completed('spark', 'wordcount', [1000], null),
  failed,
  unsupported,
];
const engines = ['spark', 'flink', 'duckdb'];
const colors = { order: orderEngines(engines), colors: enginePalette(engines) };

describe('batch time chart', () => {
  const chart = batchTimeChart(measurements, colors)!;

  it('is the exact spec: one bar per engine and path, min–max whiskers, × fastest within the family (the baseline unranked), status text where nothing completed', () => {
    const y = (field: string) => ({ field, type: 'quantitative', title: 'Wall time (s)' });
    expect(chart.spec).toEqual({
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: {
        text: 'Batch query time (median, min–max)',
        subtitle: ['bar = median, whisker = min–max, label = × fastest of the same family; lower is better', 'not drawn, no engine completed: multijoin (see table)'],
      },
      data: {
        values: [
          { workload: 'topn', engine: 'spark', series: 'spark (spark-connect)', status: 'completed', medianS: 3, minS: 2, maxS: 4, ratioToFastest: 2, ratioLabel: '2.00×' },
          { workload: 'topn', engine: 'flink', series: 'flink (flink-gateway)', status: 'completed', medianS: 1.5, minS: 1, maxS: 2, ratioToFastest: 1, ratioLabel: '1.00×' },
          { workload: 'topn', engine: 'spark', series: 'spark (spark-submit)', status: 'completed', medianS: 6, minS: 5, maxS: 7, ratioToFastest: 1, ratioLabel: '1.00×' },
          { workload: 'topn', engine: 'duckdb', series: 'duckdb (duckdb-in-process)', status: 'completed', medianS: 0.6, minS: 0.5, maxS: 0.7, ratioToFastest: null, ratioLabel: '' },
          { workload: 'wordcount', engine: 'spark', series: 'spark (spark-submit)', status: 'completed', medianS: 1, minS: 1, maxS: 1, ratioToFastest: 1, ratioLabel: '1.00×' },
          { workload: 'wordcount', engine: 'flink', series: 'flink (flink-gateway)', status: 'failed', medianS: null, minS: null, maxS: null, ratioToFastest: null, ratioLabel: 'failed' },
        ],
      },
      facet: { field: 'workload', type: 'nominal', title: 'Workload' },
      columns: 3,
      resolve: { scale: { y: 'independent' } },
      spec: {
        width: 240,
        height: 200,
        encoding: {
          x: {
            field: 'series',
            type: 'nominal',
            title: 'Engine (submission path)',
            sort: ['spark (spark-connect)', 'spark (spark-submit)', 'flink (flink-gateway)', 'duckdb (duckdb-in-process)'],
            axis: { labelAngle: -30 },
          },
        },
        layer: [
          {
            transform: [{ filter: "datum.status === 'completed'" }],
            mark: { type: 'bar', tooltip: true },
            encoding: {
              y: y('medianS'),
              color: { field: 'engine', type: 'nominal', title: 'Engine', scale: { domain: ['spark', 'flink', 'duckdb'], range: ['#e8710a', '#6a3d9a', '#7f7f7f'] } },
            },
          },
          { transform: [{ filter: "datum.status === 'completed'" }], mark: { type: 'errorbar', ticks: true, color: '#222' }, encoding: { y: y('minS'), y2: { field: 'maxS' } } },
          {
            transform: [{ filter: "datum.status === 'completed'" }],
            mark: { type: 'text', baseline: 'bottom', dy: -4, fontSize: 11 },
            encoding: { y: y('maxS'), text: { field: 'ratioLabel' } },
          },
          {
            transform: [{ filter: "!(datum.status === 'completed')" }],
            mark: { type: 'text', angle: 270, align: 'left', baseline: 'middle', dx: 4, color: '#b00020', fontWeight: 'bold' },
            encoding: { y: { value: 200 }, text: { field: 'status' } },
          },
        ],
      },
    });
  });

  it('has a table of the same numbers, with statuses instead of numbers', () => {
    expect(chart.table.columns.map((c) => c.header)).toEqual([
      'Workload',
      'Engine (submission path)',
      'Median wall (s)',
      'Min (s)',
      'Max (s)',
      'Repetitions (+ warm-ups)',
      'Engine-reported median (s)',
      '× fastest of its family',
      '× duckdb',
      'Status',
    ]);
    expect(chart.table.rows).toEqual([
      ['topn', 'spark (spark-connect)', '3.00', '2.00', '4.00', '3 (+1)', { text: 'missing', title: 'no engine timing in REST reply' }, '2.00×', '5.00×', { text: 'completed (verified)', status: 'completed' }],
      ['topn', 'flink (flink-gateway)', '1.50', '1.00', '2.00', '3 (+1)', '1.00', '1.00×', '2.50×', { text: 'completed (verified)', status: 'completed' }],
      ['topn', 'spark (spark-submit)', '6.00', '5.00', '7.00', '3 (+1)', { text: 'missing', title: 'no engine timing in REST reply' }, '1.00×', '10.0×', { text: 'completed (verified)', status: 'completed' }],
      ['topn', 'duckdb (duckdb-in-process)', '0.600', '0.500', '0.700', '3 (+1)', { text: 'missing', title: 'no engine timing in REST reply' }, '—', '1.00×', { text: 'completed (verified)', status: 'completed' }],
      ['wordcount', 'spark (spark-submit)', '1.00', '1.00', '1.00', '1 (+1)', { text: 'missing', title: 'no engine timing in REST reply' }, '1.00×', '—', { text: 'completed (verified)', status: 'completed' }],
      ['wordcount', 'flink (flink-gateway)', '—', '—', '—', '—', '—', '—', '—', { text: 'failed: TaskManager lost', title: 'TaskManager lost', status: 'failed' }],
      ['multijoin', 'spark (spark-submit)', '—', '—', '—', '—', '—', '—', '—', { text: 'unsupported: no', title: 'no', status: 'unsupported' }],
    ]);
  });

  it('never carries a number for an invalid measurement, even one with statistics', () => {
    const invalid: Measurement = { ...completed('spark', 'topn', [1, 2, 3], null), status: 'invalid', reason: 'wrong answer', answer: undefined } as Measurement;
    const only = batchTimeChart([invalid, completed('flink', 'topn', [5], null)], colors)!;
    const values = (only.spec as { data: { values: { engine: string; medianS: number | null }[] } }).data.values;
    expect(values.find((v) => v.engine === 'spark')!.medianS).toBeNull();
    expect(only.table.rows[0].slice(2, 9)).toEqual(['—', '—', '—', '—', '—', '—', '—']);
  });

  it('does not appear without batch measurements', () => {
    expect(batchTimeChart([], colors)).toBeUndefined();
  });
});
