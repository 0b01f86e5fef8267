// stream-window-agg and stream-topn end to end on real engines at a tiny rate (local runtime,
// one Kafka, one cluster per variant): flink and spark-microbatch. Checks latency is measured
// and plausible, the final state equals the DuckDB oracle over the generated records (with the
// stamped generation times for the windows), and Spark refuses the ranking in its own words.
import { describe, expect, it } from 'vitest';
import { ResultsStore } from '../results/store.ts';
import type { Measurement } from '../results/schema.ts';
import { measuredLatency, runLocalStreaming } from './test-run.ts';

interface StreamingRecord {
  drain: { finalStateRows: number; expectedRows: number; drained: boolean };
}

function expectCompletedAndRight(m: Measurement | undefined, expectedRows: (n: number) => boolean): void {
  expect(m, 'measurement missing').toBeDefined();
  expect(m!.status, 'reason' in m! ? m!.reason : '').toBe('completed');
  if (m!.status !== 'completed') return;
  const s = m!.streaming as unknown as StreamingRecord;
  const { latency } = measuredLatency(m!.streaming!);
  expect(latency.count).toBeGreaterThan(0);
  expect(latency.p50Ms).toBeGreaterThan(0);
  expect(latency.p99Ms).toBeLessThan(60_000);
  expect(latency.negative.count).toBe(0);
  expect(s.drain.finalStateRows).toBe(s.drain.expectedRows);
  expect(expectedRows(s.drain.expectedRows), `expected rows ${s.drain.expectedRows}`).toBe(true);
  expect(m!.answer.verified).toBe(true);
}

describe('more streaming workloads on the local runtime', () => {
  it('window-agg and topn on flink and spark-microbatch', async () => {
    const { measurements, file } = await runLocalStreaming({
      variants: ['flink', 'spark-microbatch'],
      workloads: ['stream-window-agg', 'stream-topn'],
      rate: 200,
      durationMs: 12_000,
      warmupMs: 2000,
      seed: 7,
    });
    expect(ResultsStore.load(file).measurements).toHaveLength(4);
    const find = (engine: string, workload: string) => measurements.find((m) => m.engine === engine && m.workload === workload);
    // 12 s at 200 rec/s: ≥ 11 window starts × most of the 50 products.
    expectCompletedAndRight(find('flink', 'stream-window-agg'), (n) => n > 300);
    expectCompletedAndRight(find('spark-microbatch', 'stream-window-agg'), (n) => n > 300);
    expectCompletedAndRight(find('flink', 'stream-topn'), (n) => n === 10);
    const refused = find('spark-microbatch', 'stream-topn');
    expect(refused?.status, JSON.stringify(refused)).toBe('unsupported');
    if (refused?.status === 'unsupported') expect(refused.reason).toMatch(/^AnalysisException: .*(not supported|does not support).*streaming DataFrames?\/Datasets?/);
  }, 900_000);
});
