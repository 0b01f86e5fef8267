import { describe, expect, it } from 'vitest';
import type { Measurement } from '../../results/schema.ts';
import type { FaultSection } from '../../results/streaming-section.ts';
import { GENERATION_START_MS, streamingDocument } from '../test-fixtures.ts';
import { batchFaultsTable, faultsChart } from './faults.ts';
import { completed } from '../../results/test-fixtures.ts';

const values = (spec: unknown) => (spec as { data: { values: unknown[] } }).data.values;

function fault(kept: boolean): FaultSection {
  return {
    injected: [{ text: 'restart:flink-taskmanager-1@1s', action: 'restart', service: 'flink-taskmanager-1', atMs: 1000, injectedAtMs: GENERATION_START_MS + 1000, doneAtMs: GENERATION_START_MS + 1400 }],
    engineNoticed: { atMs: GENERATION_START_MS + 1250, what: 'Flink job j: tasks CANCELING' },
    recovery: { detectMs: 250, firstOutputAfterMs: 600, recoveryMs: 1000, peakLag: 10, baseline: { outputRowsPerSecond: 100, lagFloor: 0 }, rule: 'recovered: …' },
    delivery: { unit: 'records', lost: 0, duplicated: kept ? 0 : 3, unexpected: 0, isolation: 'read_committed' },
    guarantee: kept ? { promised: 'exactly-once', kept: true, why: 'no records lost; none written twice' } : { promised: 'exactly-once', kept: false, why: '3 records written twice: exactly-once promises none' },
  };
}

/** The fixture's two completed variants with a fault each: flink kept its promise, spark did not. */
function withFaults(): Measurement[] {
  return streamingDocument().measurements.map((m) => (m.status === 'completed' && m.streaming ? { ...m, streaming: { ...m.streaming, fault: fault(m.engine.startsWith('flink')) } } : m));
}

describe('faults chart', () => {
  it('does not appear when no measurement had a fault', () => {
    expect(faultsChart(streamingDocument().measurements)).toBeUndefined();
  });

  it('plots output and lag per faulted run with the fault and the recovery as rules, seconds from the input start', () => {
    const chart = faultsChart(withFaults())!;
    expect(chart.id).toBe('faults');
    const flink = values(chart.spec).filter((v) => (v as { run: string }).run === 'flink-rocksdb · passthrough');
    expect(flink).toEqual([
      { run: 'flink-rocksdb · passthrough', series: 'output rows/s', kind: 'sample', t: 0, value: 40000 },
      { run: 'flink-rocksdb · passthrough', series: 'output rows/s', kind: 'sample', t: 1, value: 39990 },
      { run: 'flink-rocksdb · passthrough', series: 'output rows/s', kind: 'sample', t: 2, value: 39980 },
      { run: 'flink-rocksdb · passthrough', series: 'lag (records)', kind: 'sample', t: 0, value: 0 },
      { run: 'flink-rocksdb · passthrough', series: 'lag (records)', kind: 'sample', t: 1, value: 5 },
      { run: 'flink-rocksdb · passthrough', series: 'lag (records)', kind: 'sample', t: 2, value: 10 },
      { run: 'flink-rocksdb · passthrough', series: 'output rows/s', kind: 'fault', t: 1, value: 0, what: 'restart:flink-taskmanager-1@1s' },
      { run: 'flink-rocksdb · passthrough', series: 'lag (records)', kind: 'fault', t: 1, value: 0, what: 'restart:flink-taskmanager-1@1s' },
      { run: 'flink-rocksdb · passthrough', series: 'output rows/s', kind: 'recovered', t: 2, value: 0, what: 'recovered' },
      { run: 'flink-rocksdb · passthrough', series: 'lag (records)', kind: 'recovered', t: 2, value: 0, what: 'recovered' },
    ]);
  });

  it('tabulates detect, recover, lost, duplicated; a broken promise is a red cell saying why', () => {
    const table = faultsChart(withFaults())!.table;
    expect(table.rows).toEqual([
      ['passthrough', 'flink-rocksdb', 'restart:flink-taskmanager-1@1s', '0.3', '0.6', '1.0', '10', '0 records', '0', 'exactly-once', { text: 'kept', title: 'no records lost; none written twice', status: 'completed' }],
      [
        'passthrough',
        'spark-microbatch',
        'restart:flink-taskmanager-1@1s',
        '0.3',
        '0.6',
        '1.0',
        '10',
        '0 records',
        '3',
        'exactly-once',
        { text: 'broken: 3 records written twice: exactly-once promises none', title: '3 records written twice: exactly-once promises none', status: 'invalid' },
      ],
    ]);
  });
});

describe('batch faults table', () => {
  const injected = (text: string) => [{ text, action: 'kill' as const, service: 'spark-worker-1', atMs: 3000, injectedAtMs: 1_000_003_000, doneAtMs: 1_000_003_100 }];
  it('is absent without a faulted batch measurement', () => {
    expect(batchFaultsTable([completed('spark', 'topn', [20_000, 21_000, 22_000], null)])).toBeUndefined();
  });

  it('puts the faulted execution beside the median of the same unit without the fault; a failed one says so', () => {
    const unfaulted = completed('spark', 'topn', [20_000, 21_000, 22_000], null);
    const faulted: Measurement = { ...completed('spark', 'topn', [26_500], null), params: { limit: 100, faults: 'kill:spark-worker-1@3s' }, fault: { injected: injected('kill:spark-worker-1@3s'), executionStartedAtMs: 1_000_000_000 } };
    const failed: Measurement = {
      workload: 'topn',
      engine: 'flink',
      mode: 'batch',
      scale: 0.01,
      params: { limit: 100, faults: 'kill:flink-taskmanager-1@3s' },
      status: 'failed',
      reason: 'Flink job j is FAILED: NoResourceAvailableException',
      fault: { injected: injected('kill:flink-taskmanager-1@3s'), executionStartedAtMs: 1_000_000_000 },
    };
    expect(batchFaultsTable([unfaulted, faulted, failed])!.rows).toEqual([
      ['topn', 'spark (spark-submit)', 'kill:spark-worker-1@3s', { text: 'finished, answer verified', status: 'completed' }, '26.5', '21.0', '+5.5 s (1.26×)'],
      [
        'topn',
        'flink (flink-gateway)',
        'kill:flink-taskmanager-1@3s',
        { text: 'failed', title: 'Flink job j is FAILED: NoResourceAvailableException', status: 'failed' },
        { text: '—', title: 'the faulted execution did not finish' },
        { text: 'missing', title: 'no completed measurement of the same unit without the fault in this run' },
        '—',
      ],
    ]);
  });
});
