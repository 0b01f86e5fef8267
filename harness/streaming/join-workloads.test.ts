// stream-interval-join and stream-regular-join end to end on real engines at a tiny rate (local
// runtime): two input topics read as two tables/views, flink and spark-microbatch joining them,
// the final state equal to the DuckDB oracle over the generated records (with the stamped
// times: the 1 s bound decides which pairs exist), latency measured and plausible, the lag
// sampled over both topics; Spark's continuous mode refusing a join in its own words.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resourceBudget } from '../config/budget.ts';
import { openRuntime } from '../runtime/open-runtime.ts';
import { ResultsStore, newRunId } from '../results/store.ts';
import { exampleRun } from '../results/test-fixtures.ts';
import type { Measurement } from '../results/schema.ts';
import { metricsSectionSchema } from '../metrics/metrics-section.ts';
import { runStreaming } from './run-streaming.ts';
import { LAG_SCRAPER } from './stream-metrics.ts';

const budget = resourceBudget({ workers: 1, cores: 2, memoryMiB: 2048 });

interface StreamingRecord {
  latencyMs: { count: number; p50Ms: number; p99Ms: number; negative: { count: number } };
  drain: { finalStateRows: number; expectedRows: number; drained: boolean };
  throughput: { inputRecordsTotal: number };
}

describe('stream joins on the local runtime', () => {
  it('interval and regular join on flink and spark-microbatch; spark-continuous refuses', async () => {
    const runId = newRunId();
    const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-join-streaming-'));
    const opened = await openRuntime({ choice: 'local', runId, runDir, distributions: ['spark', 'flink', 'kafka'] });
    let measurements: Measurement[];
    try {
      const store = ResultsStore.create(runId, { run: { ...exampleRun(), mode: 'streaming' }, resultsDir: path.join(runDir, 'results') });
      measurements = await runStreaming({
        store,
        opened,
        budget,
        startTimeoutMs: 240_000,
        variants: ['flink', 'spark-microbatch', 'spark-continuous'],
        workloads: ['stream-interval-join', 'stream-regular-join'],
        rate: 300,
        durationMs: 12_000,
        warmupMs: 2000,
        seed: 7,
        metricsIntervalMs: 1000,
      });
    } finally {
      await opened.close();
    }
    for (const m of measurements) {
      const s = m.streaming as unknown as StreamingRecord | undefined;
      const figures = s?.latencyMs && 'p50Ms' in s.latencyMs ? ` p50 ${s.latencyMs.p50Ms} ms, p99 ${s.latencyMs.p99Ms} ms, ${s.latencyMs.count} rows, final state ${s.drain.finalStateRows}/${s.drain.expectedRows}` : '';
      console.log(`${m.engine} ${m.workload}: ${m.status}${'reason' in m ? ` (${m.reason})` : ''}${figures}`);
    }
    const find = (engine: string, workload: string) => measurements.find((m) => m.engine === engine && m.workload === workload);
    const joinedRows: Record<string, number> = {};
    for (const engine of ['flink', 'spark-microbatch']) {
      for (const workload of ['stream-interval-join', 'stream-regular-join']) {
        const m = find(engine, workload);
        expect(m?.status, m && 'reason' in m ? m.reason : `${engine} ${workload} missing`).toBe('completed');
        if (m?.status !== 'completed') continue;
        const s = m.streaming as unknown as StreamingRecord;
        expect(s.latencyMs.count).toBeGreaterThan(0);
        expect(s.latencyMs.p50Ms).toBeGreaterThan(0);
        expect(s.latencyMs.p99Ms).toBeLessThan(60_000);
        expect(s.latencyMs.negative.count).toBe(0);
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
