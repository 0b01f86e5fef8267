// Streaming benchmarks end to end on real engines at a tiny rate: passthrough and wordcount on
// spark-microbatch, spark-continuous and flink (local runtime), flink passthrough on docker
// when a Docker engine answers (always in CI). Checks latency is measured and plausible, the
// final state is right, and Spark continuous refuses the aggregation in its own words.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resourceBudget } from '../config/budget.ts';
import { dockerAvailable } from '../runtime/docker-runtime.ts';
import { openRuntime } from '../runtime/open-runtime.ts';
import { ResultsStore, newRunId } from '../results/store.ts';
import { exampleRun } from '../results/test-fixtures.ts';
import type { Measurement } from '../results/schema.ts';
import { runStreaming } from './run-streaming.ts';
import type { StreamingVariant } from './variants.ts';

const budget = resourceBudget({ workers: 1, cores: 2, memoryMiB: 2048 });
const haveDocker = await dockerAvailable();

async function run(kind: 'local' | 'docker', variants: StreamingVariant[], workloads: string[]): Promise<{ measurements: Measurement[]; file: string }> {
  const runId = newRunId();
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-streaming-${kind}-`));
  const opened = await openRuntime({ choice: kind, runId, runDir, distributions: ['spark', 'flink', 'kafka'] });
  try {
    const store = ResultsStore.create(runId, { run: { ...exampleRun(), mode: 'streaming' }, resultsDir: path.join(runDir, 'results') });
    const measurements = await runStreaming({ store, opened, budget, startTimeoutMs: 240_000, variants, workloads, rate: 300, durationMs: 10_000, warmupMs: 2000, seed: 7 });
    return { measurements, file: store.file };
  } finally {
    await opened.close();
  }
}

function expectCompletedWithLatency(m: Measurement | undefined): void {
  expect(m, 'measurement missing').toBeDefined();
  expect(m!.status, 'reason' in m! ? m!.reason : '').toBe('completed');
  if (m!.status !== 'completed') return;
  const s = m!.streaming as { latencyMs: { count: number; p50Ms: number; p99Ms: number; negative: { count: number } }; drain: { finalStateRows: number; expectedRows: number }; guarantee: string };
  expect(s.latencyMs.count).toBeGreaterThan(100);
  expect(s.latencyMs.p50Ms).toBeGreaterThan(0);
  expect(s.latencyMs.p99Ms).toBeLessThan(60_000);
  expect(s.latencyMs.negative.count).toBe(0);
  expect(s.drain.finalStateRows).toBe(s.drain.expectedRows);
  expect(s.drain.expectedRows).toBeGreaterThan(0);
  expect(m!.answer.verified).toBe(true);
  expect(s.guarantee).toMatch(/^at-least-once/);
}

describe('streaming on the local runtime', () => {
  it('passthrough and wordcount on spark-microbatch, spark-continuous and flink', async () => {
    const { measurements, file } = await run('local', ['spark-microbatch', 'spark-continuous', 'flink'], ['stream-passthrough', 'stream-wordcount']);
    const find = (engine: string, workload: string) => measurements.find((m) => m.engine === engine && m.workload === workload);
    expectCompletedWithLatency(find('spark-microbatch', 'stream-passthrough'));
    expectCompletedWithLatency(find('spark-microbatch', 'stream-wordcount'));
    expectCompletedWithLatency(find('flink', 'stream-passthrough'));
    expectCompletedWithLatency(find('flink', 'stream-wordcount'));
    expectCompletedWithLatency(find('spark-continuous', 'stream-passthrough'));
    const refused = find('spark-continuous', 'stream-wordcount');
    expect(refused?.status).toBe('unsupported');
    if (refused?.status === 'unsupported') expect(refused.reason).toBe('AnalysisException: Continuous processing does not support Aggregate operations.;');
    // The document on disk is valid and holds all six.
    expect(ResultsStore.load(file).measurements).toHaveLength(6);
  }, 1_200_000);
});

describe.runIf(haveDocker || process.env.CI)('streaming on the docker runtime', () => {
  it('flink passthrough', async () => {
    const { measurements } = await run('docker', ['flink'], ['stream-passthrough']);
    expectCompletedWithLatency(measurements[0]);
  }, 1_200_000);
});
