// stream-window-agg and stream-topn end to end on real engines at a tiny rate (local runtime,
// one Kafka, one cluster per variant): flink and spark-microbatch. Checks latency is measured
// and plausible, the final state equals the DuckDB oracle over the generated records (with the
// stamped generation times for the windows), and Spark refuses the ranking in its own words.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resourceBudget } from '../config/budget.ts';
import { openRuntime } from '../runtime/open-runtime.ts';
import { ResultsStore, newRunId } from '../results/store.ts';
import { exampleRun } from '../results/test-fixtures.ts';
import type { Measurement } from '../results/schema.ts';
import { runStreaming } from './run-streaming.ts';

const budget = resourceBudget({ workers: 1, cores: 2, memoryMiB: 2048 });

interface StreamingRecord {
  latencyMs: { count: number; p50Ms: number; p99Ms: number; negative: { count: number } };
  drain: { finalStateRows: number; expectedRows: number; drained: boolean };
}

function expectCompletedAndRight(m: Measurement | undefined, expectedRows: (n: number) => boolean): void {
  expect(m, 'measurement missing').toBeDefined();
  expect(m!.status, 'reason' in m! ? m!.reason : '').toBe('completed');
  if (m!.status !== 'completed') return;
  const s = m!.streaming as unknown as StreamingRecord;
  expect(s.latencyMs.count).toBeGreaterThan(0);
  expect(s.latencyMs.p50Ms).toBeGreaterThan(0);
  expect(s.latencyMs.p99Ms).toBeLessThan(60_000);
  expect(s.latencyMs.negative.count).toBe(0);
  expect(s.drain.finalStateRows).toBe(s.drain.expectedRows);
  expect(expectedRows(s.drain.expectedRows), `expected rows ${s.drain.expectedRows}`).toBe(true);
  expect(m!.answer.verified).toBe(true);
}

describe('more streaming workloads on the local runtime', () => {
  it('window-agg and topn on flink and spark-microbatch', async () => {
    const runId = newRunId();
    const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-more-streaming-'));
    const opened = await openRuntime({ choice: 'local', runId, runDir, distributions: ['spark', 'flink', 'kafka'] });
    let measurements: Measurement[];
    try {
      const store = ResultsStore.create(runId, { run: { ...exampleRun(), mode: 'streaming' }, resultsDir: path.join(runDir, 'results') });
      measurements = await runStreaming({
        store,
        opened,
        budget,
        startTimeoutMs: 240_000,
        variants: ['flink', 'spark-microbatch'],
        workloads: ['stream-window-agg', 'stream-topn'],
        rate: 200,
        durationMs: 12_000,
        warmupMs: 2000,
        seed: 7,
      });
      expect(ResultsStore.load(store.file).measurements).toHaveLength(4);
    } finally {
      await opened.close();
    }
    for (const m of measurements) {
      const s = m.streaming as unknown as StreamingRecord | undefined;
      const figures = s?.latencyMs && 'p50Ms' in s.latencyMs ? ` p50 ${s.latencyMs.p50Ms} ms, p99 ${s.latencyMs.p99Ms} ms, ${s.latencyMs.count} rows, final state ${s.drain.finalStateRows}/${s.drain.expectedRows}` : '';
      console.log(`${m.engine} ${m.workload}: ${m.status}${'reason' in m ? ` (${m.reason})` : ''}${figures}`);
    }
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
