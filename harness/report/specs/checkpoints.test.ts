import { describe, expect, it } from 'vitest';
import { summarizeMetrics, type RawMetricsSection } from '../../metrics/summaries.ts';
import type { Measurement } from '../../results/schema.ts';
import { exampleDocument } from '../../results/test-fixtures.ts';
import { enginePalette, orderEngines } from '../palette.ts';
import { flinkCheckpointStats, flinkRestRecord, streamingDocument } from '../test-fixtures.ts';
import { checkpointCharts, unreadableCheckpointTable } from './checkpoints.ts';

const measurements = streamingDocument().measurements;
const engines = [...measurements.map((m) => m.engine), 'flink-hashmap'];
const colors = { order: orderEngines(engines), colors: enginePalette(engines) };
const values = (spec: unknown) => (spec as { data: { values: unknown[] } }).data.values;

/** The Flink measurement of the fixture with its flink-rest scraper record replaced (and the section summarized again, as the sampler would). */
function flinkWith(engine: string, flinkRest: RawMetricsSection['scrapers'][string]): Measurement {
  const flink = measurements.find((m) => m.engine === 'flink-rocksdb')!;
  const { figures: _figures, checkpoints: _checkpoints, timeline: _timeline, ...raw } = flink.metrics!;
  return { ...flink, engine, metrics: summarizeMetrics({ ...raw, scrapers: { ...raw.scrapers, 'flink-rest': flinkRest } }) };
}

describe('checkpoint charts', () => {
  it('do not appear without Flink checkpoint records', () => {
    expect(checkpointCharts(exampleDocument().measurements, colors)).toEqual([]);
    expect(checkpointCharts(measurements.filter((m) => m.engine !== 'flink-rocksdb'), colors)).toEqual([]);
    expect(unreadableCheckpointTable(measurements)).toBeUndefined();
  });

  it('draw each completed checkpoint: older ones as sampled live, then the history at trigger time', () => {
    const [chart] = checkpointCharts(measurements, colors);
    expect(chart.id).toBe('streaming-checkpoints-passthrough');
    const row = (checkpointId: number | undefined, seconds: number, durationMs: number, stateMiB: number, source: string) =>
      [
        ['Checkpoint duration (ms)', durationMs],
        ['State size (MiB)', stateMiB],
        ['Checkpointed size (MiB, incremental)', 1],
      ].map(([metric, value]) => ({ engine: 'flink-rocksdb', job: '3f2a9c1e', ...(checkpointId === undefined ? {} : { checkpointId }), metric, seconds, value, source }));
    expect(values(chart.spec)).toEqual([
      ...row(undefined, 1, 120, 1, 'sampled'),
      ...row(undefined, 2, 90, 2, 'sampled'),
      ...row(3, 3.2, 100, 3, 'history'),
      ...row(4, 4.1, 80, 4, 'history'),
    ]);
    expect((chart.spec as { facet: unknown }).facet).toEqual({
      row: { field: 'metric', type: 'nominal', title: null, sort: ['Checkpoint duration (ms)', 'State size (MiB)', 'Checkpointed size (MiB, incremental)'], header: { labelAngle: 0, labelAlign: 'left', labelOrient: 'top', labelFontWeight: 'bold' } },
    });
    // The failed checkpoint is listed, not drawn.
    expect(chart.table.rows).toEqual([
      ['flink-rocksdb', '3f2a9c1e', 'latest seen by a sample', '1.000', 'COMPLETED', '120', '1.00', '1.00'],
      ['flink-rocksdb', '3f2a9c1e', 'latest seen by a sample', '2.000', 'COMPLETED', '90.0', '2.00', '1.00'],
      ['flink-rocksdb', '3f2a9c1e', '3', '3.200', 'COMPLETED', '100', '3.00', '1.00'],
      ['flink-rocksdb', '3f2a9c1e', '4', '4.100', 'COMPLETED', '80.0', '4.00', '1.00'],
      ['flink-rocksdb', '3f2a9c1e', '5', '4.500', 'FAILED', '3,000', '0', '0'],
    ]);
  });

  it('list a variant whose checkpoints could not be read with the reason, beside one that has them', () => {
    const reason = 'Flink REST GET http://127.0.0.1:8081/jobs/3f2a9c1e000000000000000000000000/checkpoints answered 404';
    const unreadable = flinkRestRecord({ missing: true, reason });
    (unreadable as { series: Record<string, unknown> }).series = { jobs_running: [1, 1, 1, 1, 1, 1] };
    const [chart] = checkpointCharts([...measurements, flinkWith('flink-hashmap', unreadable)], colors);
    expect(values(chart.spec).every((v) => (v as { engine: string }).engine === 'flink-rocksdb')).toBe(true);
    expect(chart.table.rows.at(-1)).toEqual(['flink-hashmap', '3f2a9c1e', '—', '—', `missing: ${reason}`, '—', '—', '—']);
  });

  it('with nothing to draw anywhere, give a table of reasons instead of a chart', () => {
    const noCheckpoints = flinkRestRecord({ ...flinkCheckpointStats(), counts: { completed: 0, failed: 0, in_progress: 0, total: 0, restored: 0 }, history: [] });
    const series = (noCheckpoints as { series: Record<string, unknown> }).series;
    for (const name of Object.keys(series)) if (name.includes('checkpoint_')) delete series[name];
    const neverRead = { kind: 'flink-rest' as const, status: 'missing' as const, reason: 'Flink REST GET http://127.0.0.1:8081/jobs/overview failed: connect ECONNREFUSED', failedSamples: 6, skippedTicks: 0, failures: [] };
    const streaming = [flinkWith('flink-rocksdb', noCheckpoints), flinkWith('flink-hashmap', neverRead)];
    expect(checkpointCharts(streaming, colors)).toEqual([]);
    expect(unreadableCheckpointTable(streaming)).toEqual({
      columns: [{ header: 'Workload' }, { header: 'Engine variant' }, { header: 'Job' }, { header: 'Why there are no checkpoint figures' }],
      rows: [
        ['passthrough', 'flink-rocksdb', '3f2a9c1e', 'no checkpoint was triggered during the measurement (checkpointing off, or the interval is longer than the run)'],
        ['passthrough', 'flink-hashmap', '—', 'Flink REST was never read: Flink REST GET http://127.0.0.1:8081/jobs/overview failed: connect ECONNREFUSED'],
      ],
    });
  });

  it('use the live samples alone when the job details could not be gathered', () => {
    const record = flinkRestRecord();
    delete (record as { details?: unknown }).details;
    (record as { detailsMissingReason?: string }).detailsMissingReason = 'no Flink job started on http://127.0.0.1:8081 during the measurement';
    const [chart] = checkpointCharts([flinkWith('flink-rocksdb', record)], colors);
    const durations = (values(chart.spec) as { metric: string; seconds: number; value: number; source: string }[]).filter((v) => v.metric === 'Checkpoint duration (ms)');
    expect(durations.map((v) => [v.seconds, v.value, v.source])).toEqual([
      [1, 120, 'sampled'],
      [2, 90, 'sampled'],
      [4, 100, 'sampled'],
      [5, 80, 'sampled'],
    ]);
    expect(chart.table.rows.at(-1)).toEqual(['flink-rocksdb', '—', '—', '—', 'missing: job details could not be read: no Flink job started on http://127.0.0.1:8081 during the measurement', '—', '—', '—']);
  });
});
