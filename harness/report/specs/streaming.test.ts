import { describe, expect, it } from 'vitest';
import { exampleDocument } from '../../results/test-fixtures.ts';
import { enginePalette, orderEngines } from '../palette.ts';
import { streamingDocument } from '../test-fixtures.ts';
import { latencyCdfChart, latencyPercentilesChart, rateSearchChart, timeSeriesCharts } from './streaming.ts';

const measurements = streamingDocument().measurements;
const engines = measurements.map((m) => m.engine);
const colors = { order: orderEngines(engines), colors: enginePalette(engines) };
const values = (spec: unknown) => (spec as { data: { values: unknown[] } }).data.values;

describe('streaming charts', () => {
  it('do not appear without streaming data', () => {
    const batch = exampleDocument().measurements;
    expect([latencyPercentilesChart(batch, colors), latencyCdfChart(batch, colors), rateSearchChart(batch, colors), ...timeSeriesCharts(batch, colors)]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('percentiles: one point per variant × percentile, on a log axis', () => {
    const chart = latencyPercentilesChart(measurements, colors)!;
    expect(values(chart.spec)).toEqual([
      { workload: 'passthrough', engine: 'flink-rocksdb', percentile: 'p50', latencyMs: 20 },
      { workload: 'passthrough', engine: 'flink-rocksdb', percentile: 'p95', latencyMs: 40 },
      { workload: 'passthrough', engine: 'flink-rocksdb', percentile: 'p99', latencyMs: 80 },
      { workload: 'passthrough', engine: 'flink-rocksdb', percentile: 'p99.9', latencyMs: 160 },
      { workload: 'passthrough', engine: 'flink-rocksdb', percentile: 'max', latencyMs: 240 },
      { workload: 'passthrough', engine: 'spark-microbatch', percentile: 'p50', latencyMs: 300 },
      { workload: 'passthrough', engine: 'spark-microbatch', percentile: 'p95', latencyMs: 600 },
      { workload: 'passthrough', engine: 'spark-microbatch', percentile: 'p99', latencyMs: 1200 },
      { workload: 'passthrough', engine: 'spark-microbatch', percentile: 'p99.9', latencyMs: 2400 },
      { workload: 'passthrough', engine: 'spark-microbatch', percentile: 'max', latencyMs: 3600 },
    ]);
    expect((chart.spec as { spec: { encoding: unknown } }).spec.encoding).toEqual({
      x: { field: 'percentile', type: 'ordinal', title: 'Percentile', sort: ['p50', 'p95', 'p99', 'p99.9', 'max'], axis: { labelAngle: 0 } },
      y: { field: 'latencyMs', type: 'quantitative', title: 'Latency (ms, log scale)', scale: { type: 'log' } },
      color: { field: 'engine', type: 'nominal', title: 'Engine variant', scale: { domain: ['spark-microbatch', 'flink-rocksdb'], range: ['#f5a25d', '#3f1d66'] } },
    });
    expect(chart.table.rows[1]).toEqual(['passthrough', 'spark-microbatch', '300', '600', '1,200', '2,400', '3,600', '100,000']);
  });

  it('rate search: steps by achieved rate, the sustainable rate as its own mark', () => {
    const chart = rateSearchChart(measurements, colors)!;
    expect(values(chart.spec)).toEqual([
      { kind: 'step', workload: 'passthrough', engine: 'flink-rocksdb', rate: 19995, rateShown: 'achieved', targetRate: 20000, p99Ms: 40, sustainable: 'sustainable' },
      { kind: 'step', workload: 'passthrough', engine: 'flink-rocksdb', rate: 39990, rateShown: 'achieved', targetRate: 40000, p99Ms: 80, sustainable: 'sustainable' },
      { kind: 'step', workload: 'passthrough', engine: 'flink-rocksdb', rate: 79980, rateShown: 'achieved', targetRate: 80000, p99Ms: 800, sustainable: 'not sustainable' },
      { kind: 'step', workload: 'passthrough', engine: 'spark-microbatch', rate: 9995, rateShown: 'achieved', targetRate: 10000, p99Ms: 600, sustainable: 'sustainable' },
      { kind: 'step', workload: 'passthrough', engine: 'spark-microbatch', rate: 19990, rateShown: 'achieved', targetRate: 20000, p99Ms: 1200, sustainable: 'sustainable' },
      { kind: 'step', workload: 'passthrough', engine: 'spark-microbatch', rate: 39980, rateShown: 'achieved', targetRate: 40000, p99Ms: 12000, sustainable: 'not sustainable' },
      { kind: 'sustainable', workload: 'passthrough', engine: 'flink-rocksdb', sustainableRate: 40000 },
      { kind: 'sustainable', workload: 'passthrough', engine: 'spark-microbatch', sustainableRate: 20000 },
    ]);
    expect(chart.table.rows[2]).toEqual(['passthrough', 'flink-rocksdb', '80,000', '79,980', '800', 'no: lag grows 500 rec/s']);
  });

  it('CDF and time series carry every point, with units in the metric names', () => {
    expect(values(latencyCdfChart(measurements, colors)!.spec)).toHaveLength(10);
    const [series] = timeSeriesCharts(measurements, colors);
    expect(series.id).toBe('streaming-time-series-passthrough');
    expect([...new Set((values(series.spec) as { metric: string }[]).map((v) => v.metric))]).toEqual([
      'Output rate (records/s)',
      'Consumer lag (records)',
      'Generator behind schedule (ms)',
      'CPU (cores)',
      'Memory (MiB)',
    ]);
    const cpu = (values(series.spec) as { engine: string; metric: string; seconds: number; value: number }[]).filter((v) => v.engine === 'flink-rocksdb' && v.metric === 'CPU (cores)');
    expect(cpu).toEqual([
      { engine: 'flink-rocksdb', metric: 'CPU (cores)', seconds: 1, value: 1 },
      { engine: 'flink-rocksdb', metric: 'CPU (cores)', seconds: 2, value: 1.5 },
    ]);
  });
});
