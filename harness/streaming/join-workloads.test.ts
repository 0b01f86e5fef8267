// stream-interval-join and stream-regular-join end to end on real engines at a tiny rate (local
// runtime): two input topics read as two tables/views, flink and spark-microbatch joining them,
// the final state equal to the DuckDB oracle over the generated records (with the stamped
// times: the 1 s bound decides which pairs exist), latency measured and plausible, the lag
// sampled over both topics; Spark's continuous mode refusing a join in its own words.
import { describe, expect, it } from 'vitest';
import { measuredLatency, runLocalStreaming } from './test-run.ts';
import { metricsSectionSchema } from '../results/metrics-section.ts';
import { LAG_SCRAPER } from '../metrics/stream-lag.ts';

interface StreamingRecord {
  drain: { finalStateRows: number; expectedRows: number; drained: boolean };
  throughput: { inputRecordsTotal: number };
}

describe('stream joins on the local runtime', () => {
  it('interval and regular join on flink and spark-microbatch; spark-continuous refuses', async () => {
    const { measurements } = await runLocalStreaming({
      variants: ['flink', 'spark-microbatch', 'spark-continuous'],
      workloads: ['stream-interval-join', 'stream-regular-join'],
      rate: 300,
      durationMs: 12_000,
      warmupMs: 2000,
      seed: 7,
      metricsIntervalMs: 1000,
    });
    const find = (engine: string, workload: string) => measurements.find((m) => m.engine === engine && m.workload === workload);
    const joinedRows: Record<string, number> = {};
    for (const engine of ['flink', 'spark-microbatch']) {
      for (const workload of ['stream-interval-join', 'stream-regular-join']) {
        const m = find(engine, workload);
        expect(m?.status, m && 'reason' in m ? m.reason : `${engine} ${workload} missing`).toBe('completed');
        if (m?.status !== 'completed') continue;
        const s = m.streaming as unknown as StreamingRecord;
        const { latency } = measuredLatency(m.streaming!);
        expect(latency.count).toBeGreaterThan(0);
        expect(latency.p50Ms).toBeGreaterThan(0);
        expect(latency.p99Ms).toBeLessThan(60_000);
        expect(latency.negative.count).toBe(0);
        expect(s.drain.finalStateRows).toBe(s.drain.expectedRows);
        expect(m.answer.verified).toBe(true);
        joinedRows[`${engine} ${workload}`] = s.drain.expectedRows;
        // 12 s at 300 rec/s: every payment (half the input) in the regular join.
        if (workload === 'stream-regular-join') expect(s.drain.expectedRows).toBe(Math.floor(s.throughput.inputRecordsTotal / 2));
        // The lag reading covers both input topics.
        const lag = metricsSectionSchema.parse(JSON.parse(JSON.stringify(m.metrics))).scrapers[LAG_SCRAPER];
        const names = Object.keys(lag && 'series' in lag ? lag.series : {});
        expect(names.some((n) => n.endsWith('-orders/lag')), names.join(', ')).toBe(true);
        expect(names.some((n) => n.endsWith('-payments/lag')), names.join(', ')).toBe(true);
      }
    }
    // At 150 rounds/s the 1 s bound keeps only payments for orders ≤ ~150 rounds back of up to 1000.
    expect(joinedRows['flink stream-interval-join']).toBeGreaterThan(0);
    expect(joinedRows['flink stream-interval-join']).toBeLessThan(joinedRows['flink stream-regular-join']! / 2);
    for (const workload of ['stream-interval-join', 'stream-regular-join']) {
      const refused = find('spark-continuous', workload);
      expect(refused?.status, JSON.stringify(refused)).toBe('unsupported');
      if (refused?.status === 'unsupported') expect(refused.reason).toMatch(/^AnalysisException: Continuous processing does not support/);
    }
  }, 900_000);
});
