import { describe, expect, it } from 'vitest';
import { streamingDocument, streamingDocumentWithHarnessLoad } from '../test-fixtures.ts';
import { harnessLoadChart } from './harness-load.ts';

const values = (spec: unknown) => (spec as { data: { values: unknown[] } }).data.values;

const withLoad = () => streamingDocumentWithHarnessLoad().measurements;

describe('harness load chart', () => {
  it('does not appear for results without the harness load (generator in the run process)', () => {
    expect(harnessLoadChart(streamingDocument().measurements)).toBeUndefined();
  });

  it("draws each event loop's busy share against the bound; the table has both processes' CPU and loop", () => {
    const chart = harnessLoadChart(withLoad())!;
    expect(chart.id).toBe('streaming-harness-load');
    expect(values(chart.spec)).toEqual([
      { workload: 'passthrough', engine: 'flink-rocksdb', figure: 'generator event loop', value: 0.05 },
      { workload: 'passthrough', engine: 'flink-rocksdb', figure: 'run process event loop', value: 0.2 },
      { workload: 'passthrough', engine: 'spark-microbatch', figure: 'generator event loop', value: 0.1 },
      { workload: 'passthrough', engine: 'spark-microbatch', figure: 'run process event loop', value: 0.955 },
    ]);
    expect(chart.table.rows).toEqual([
      ['passthrough', 'flink-rocksdb', '0.0812', '5 %', '0.310', '20 %'],
      ['passthrough', 'spark-microbatch', '0.200', '10 %', '1.24', '96 %'],
    ]);
    expect(chart.caption).toContain('At 0.9 or above, a rate-search step is marked harness-limited');
  });
});
