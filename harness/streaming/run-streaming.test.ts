// Streaming benchmarks end to end on real engines at a tiny rate: passthrough and wordcount on
// spark-microbatch, spark-continuous and flink (local runtime), flink passthrough on docker
// when a Docker engine answers (always in CI). Checks latency is measured and plausible, the
// final state is right, and Spark continuous refuses the aggregation in its own words. With
// metrics on: Flink's checkpoints (count, durations, sizes) and its Kafka lag series; Spark's
// lag from its checkpoint or missing with the reason; OS resources over the window.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resourceBudget } from '../config/budget.ts';
import { dockerAvailable } from '../runtime/docker-runtime.ts';
import { openRuntime } from '../runtime/open-runtime.ts';
import { ResultsStore, newRunId } from '../results/store.ts';
import { exampleRun } from '../results/test-fixtures.ts';
import { isMissing, type Measurement } from '../results/schema.ts';
import { metricsSectionSchema, type MetricsSection } from '../results/metrics-section.ts';
import { runStreaming } from './run-streaming.ts';
import { measuredLatency } from './test-run.ts';
import { LAG_SCRAPER } from '../metrics/stream-lag.ts';
import { SPARK_NO_OFFSETS_REASON } from '../engines/spark/metrics.ts';

const budget = resourceBudget({ workers: 1, cores: 2, memoryMiB: 2048 });
const haveDocker = await dockerAvailable();

async function run(kind: 'local' | 'docker', variants: string[], workloads: string[]): Promise<{ measurements: Measurement[]; file: string }> {
  const runId = newRunId();
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-streaming-${kind}-`));
  const opened = await openRuntime({ choice: kind, runId, runDir, distributions: ['spark', 'flink', 'kafka'] });
  try {
    const store = ResultsStore.create(runId, { run: { ...exampleRun(), mode: 'streaming' }, resultsDir: path.join(runDir, 'results') });
    const measurements = await runStreaming({ store, opened, budget, startTimeoutMs: 240_000, variants, workloads, rate: 300, durationMs: 10_000, warmupMs: 2000, seed: 7, metricsIntervalMs: 1000 });
    return { measurements, file: store.file };
  } finally {
    await opened.close();
  }
}

function expectCompletedWithLatency(m: Measurement | undefined): void {
  expect(m, 'measurement missing').toBeDefined();
  expect(m!.status, 'reason' in m! ? m!.reason : '').toBe('completed');
  if (m!.status !== 'completed') return;
  const s = m!.streaming!;
  // A 10 s run can be too short for Spark's start-up backlog to drain: then the start-up latency.
  const { latency, fromMs } = measuredLatency(s);
  expect(latency.count).toBeGreaterThan(100);
  expect(latency.p50Ms).toBeGreaterThan(0);
  expect(latency.p50Ms).toBeLessThanOrEqual(latency.p99Ms);
  expect(latency.p99Ms).toBeLessThanOrEqual(latency.maxMs);
  // Every measured record was sent after the window began and appended before the last output second ended.
  const lastOutputSecondEnd = Math.max(...s.throughput.outputSeries.map((p) => p.tMs)) + 1000;
  expect(latency.maxMs).toBeLessThanOrEqual(lastOutputSecondEnd - fromMs);
  expect(latency.negative.count).toBe(0);
  expect(s.drain.finalStateRows).toBe(s.drain.expectedRows);
  expect(s.drain.expectedRows).toBeGreaterThan(0);
  expect(m!.answer.verified).toBe(true);
  expect(s.guarantee).toMatch(/^at-least-once/);
}

function metricsOf(m: Measurement | undefined): MetricsSection {
  expect(m?.metrics, `no metrics on ${m?.engine} ${m?.workload}`).toBeDefined();
  return metricsSectionSchema.parse(JSON.parse(JSON.stringify(m!.metrics)));
}

/** The lag scraper's topic-level series (`<topic>/lag`) without its gaps. */
function lagValues(section: MetricsSection): { values: number[]; reason?: string } {
  const record = section.scrapers[LAG_SCRAPER];
  expect(record, `no ${LAG_SCRAPER} scraper`).toBeDefined();
  if (record!.status === 'missing') return { values: [], reason: record!.reason };
  const key = Object.keys(record!.series).find((k) => /^[^/]+\/lag$/.test(k));
  return { values: key ? record!.series[key]!.filter((v): v is number => v !== null) : [] };
}

interface FlinkJobDetails {
  checkpoints: { counts: { completed: number }; latest: { completed: { end_to_end_duration: number; state_size: number; checkpointed_size?: number } | null }; history: { status: string; end_to_end_duration: number; state_size: number }[] };
}

function expectFlinkMetrics(m: Measurement | undefined): void {
  const section = metricsOf(m);
  const rest = section.scrapers['flink-rest'];
  expect(rest?.status, JSON.stringify(rest).slice(0, 500)).toBe('ok');
  const jobs = (rest!.details as { jobs: FlinkJobDetails[] }).jobs;
  expect(jobs).toHaveLength(1);
  const { counts, latest, history } = jobs[0]!.checkpoints;
  expect(counts.completed).toBeGreaterThanOrEqual(1);
  expect(latest.completed?.end_to_end_duration).toBeGreaterThan(0);
  // The typed record the report reads holds every completed checkpoint of the history.
  expect(section.checkpoints?.points.filter((p) => p.source === 'history' && p.status === 'COMPLETED').length).toBe(history.filter((h) => h.status === 'COMPLETED').length);
  expect(typeof latest.completed?.state_size).toBe('number');
  const completed = history.filter((h) => h.status === 'COMPLETED');
  expect(completed.length).toBeGreaterThanOrEqual(1);
  for (const h of completed) expect(typeof h.end_to_end_duration === 'number' && typeof h.state_size === 'number').toBe(true);
  // Live series while it ran: checkpoint counts and durations.
  if (rest!.status !== 'ok') return;
  const live = Object.entries(rest!.series);
  expect(Math.max(...(live.find(([k]) => k.endsWith('/checkpoints_completed'))?.[1] ?? []).filter((v): v is number => v !== null))).toBeGreaterThanOrEqual(1);
  expect(live.some(([k, v]) => k.endsWith('/checkpoint_duration_ms') && v.some((x) => x !== null))).toBe(true);
  // Flink commits its offsets on checkpoints: a lag series with values.
  const lag = lagValues(section);
  expect(lag.reason).toBeUndefined();
  expect(lag.values.length).toBeGreaterThanOrEqual(1);
  expect(section.scrapers.os?.status).toBe('ok');
  const resources = (m!.streaming as { resources: { inputRecordsPerCpuSecond: unknown } }).resources;
  expect(resources.inputRecordsPerCpuSecond).toBeGreaterThan(0);
  console.log(
    `${m!.engine} ${m!.workload}: checkpoints ${counts.completed}, durations ${completed.map((h) => h.end_to_end_duration).join('/')} ms, state ${completed.map((h) => h.state_size).join('/')} B; ` +
      `lag ${lag.values.join(',')}; records per CPU-second ${JSON.stringify(resources.inputRecordsPerCpuSecond)}; sampler overhead ${section.overhead.fractionOfOneCore.toFixed(4)} of a core`,
  );
}

function expectSparkMetrics(m: Measurement | undefined): void {
  const section = metricsOf(m);
  expect(section.scrapers['spark-event-log']?.status, JSON.stringify(section.scrapers['spark-event-log']).slice(0, 500)).toBe('ok');
  expect(section.scrapers.os?.status).toBe('ok');
  expect((m!.streaming as { engineSettings: Record<string, string> }).engineSettings['spark.eventLog.enabled']).toBe('true');
  // Spark commits nothing to Kafka: lag from its checkpoint, or missing with that reason — never zeros.
  const lag = lagValues(section);
  if (lag.reason !== undefined) expect(lag.reason).toBe(SPARK_NO_OFFSETS_REASON);
  else expect(lag.values.length).toBeGreaterThanOrEqual(1);
  console.log(`${m!.engine} ${m!.workload}: lag ${lag.reason ?? lag.values.join(',')}`);
}

describe('streaming on the local runtime', () => {
  it('passthrough and wordcount on spark-microbatch, spark-continuous, spark-realtime and flink', async () => {
    const { measurements, file } = await run('local', ['spark-microbatch', 'spark-continuous', 'spark-realtime', 'flink'], ['stream-passthrough', 'stream-wordcount']);
    const find = (engine: string, workload: string) => measurements.find((m) => m.engine === engine && m.workload === workload);
    expectCompletedWithLatency(find('spark-microbatch', 'stream-passthrough'));
    expectCompletedWithLatency(find('spark-microbatch', 'stream-wordcount'));
    expectCompletedWithLatency(find('flink', 'stream-passthrough'));
    expectCompletedWithLatency(find('flink', 'stream-wordcount'));
    expectCompletedWithLatency(find('spark-continuous', 'stream-passthrough'));
    expectCompletedWithLatency(find('spark-realtime', 'stream-passthrough'));
    expectFlinkMetrics(find('flink', 'stream-passthrough'));
    expectFlinkMetrics(find('flink', 'stream-wordcount'));
    expectSparkMetrics(find('spark-microbatch', 'stream-passthrough'));
    expectSparkMetrics(find('spark-microbatch', 'stream-wordcount'));
    expectSparkMetrics(find('spark-continuous', 'stream-passthrough'));
    const refused = find('spark-continuous', 'stream-wordcount');
    expect(refused?.status).toBe('unsupported');
    if (refused?.status === 'unsupported') expect(refused.reason).toBe('AnalysisException: Continuous processing does not support Aggregate operations.;');
    // Real-Time Mode refuses the aggregation when it plans the first batch, in Spark's words.
    const refusedRealTime = find('spark-realtime', 'stream-wordcount');
    expect(refusedRealTime?.status, refusedRealTime && 'reason' in refusedRealTime ? refusedRealTime.reason : '').toBe('unsupported');
    if (refusedRealTime?.status === 'unsupported') expect(refusedRealTime.reason).toMatch(/^\[STREAMING_REAL_TIME_MODE\.OPERATOR_OR_SINK_NOT_IN_ALLOWLIST\] Streaming real-time mode has the following limitation: .*HashAggregateExec/);
    const realTime = find('spark-realtime', 'stream-passthrough');
    expect(realTime?.status === 'completed' && realTime.streaming?.engineSettings).toMatchObject({ trigger: 'realtime:1000', outputMode: 'update', 'spark.sql.streaming.realTimeMode.minBatchDuration': '1000ms' });
    // The document on disk is valid and holds all eight.
    expect(ResultsStore.load(file).measurements).toHaveLength(8);
  }, 1_200_000);
});

describe.runIf(haveDocker || process.env.CI)('streaming on the docker runtime', () => {
  it('flink passthrough', async () => {
    const { measurements } = await run('docker', ['flink'], ['stream-passthrough']);
    expectCompletedWithLatency(measurements[0]);
    expectFlinkMetrics(measurements[0]);
  }, 1_200_000);
});
