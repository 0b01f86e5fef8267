// Report test data: the results fixtures plus metrics and streaming sections built the way the
// writers build them — raw scraper records through the sampler's own summaries
// (summarizeMetrics), streaming sections typed by the results schema — so a report test cannot
// read a field no writer produces. Invented round numbers — test data, not measurements;
// nothing here is shown to users.
import { summarizeMetrics, type RawMetricsSection } from '../metrics/summaries.ts';
import type { MetricsSection } from '../results/metrics-section.ts';
import { completed, exampleDocument } from '../results/test-fixtures.ts';
import type { Measurement, ResultsDocument } from '../results/schema.ts';
import type { StreamingSection } from '../results/streaming-section.ts';

/** A metrics section as the sampler writes it: raw records of the OS, Spark event log, file watch and Flink REST scrapers, summarized. */
export function metricsSection(figures: {
  startedAt?: string;
  cpuSeconds: unknown;
  peakMemoryBytes: unknown;
  shuffleWriteBytes?: unknown;
  filesCreated?: number;
  osSeries?: { t: number[]; series: Record<string, (number | null)[]> };
  flinkRest?: RawMetricsSection['scrapers'][string];
}): MetricsSection {
  const raw: RawMetricsSection = {
    version: 2,
    intervalMs: 1000,
    startedAt: figures.startedAt ?? '2026-11-22T03:16:00.000Z',
    durationMs: 3000,
    scrapers: {
      os: {
        kind: 'os',
        status: 'ok',
        t: figures.osSeries?.t ?? [0, 1000],
        series: figures.osSeries?.series ?? {},
        failedSamples: 0,
        skippedTicks: 0,
        failures: [],
        details: { source: 'docker stats', perService: { total: { cpuSeconds: figures.cpuSeconds, peakMemoryBytes: figures.peakMemoryBytes } } },
      },
      ...(figures.shuffleWriteBytes === undefined
        ? {}
        : { 'spark-event-log': { kind: 'spark-event-log', status: 'ok', t: [], series: {}, failedSamples: 0, skippedTicks: 0, failures: [], details: { totals: { shuffleReadBytes: figures.shuffleWriteBytes, shuffleWriteBytes: figures.shuffleWriteBytes, diskBytesSpilled: 0 } } } }),
      ...(figures.filesCreated === undefined
        ? { 'shuffle-files': { kind: 'file-watch', status: 'missing', reason: 'no local dir was ever present', failedSamples: 3, skippedTicks: 0, failures: [] } }
        : { 'shuffle-files': { kind: 'file-watch', status: 'ok', t: [0], series: {}, failedSamples: 0, skippedTicks: 0, failures: [], details: { filesCreated: figures.filesCreated, bytesCreated: figures.filesCreated * 2 ** 20 } } }),
      ...(figures.flinkRest === undefined ? {} : { 'flink-rest': figures.flinkRest }),
    },
    overhead: { processCpuMs: 10, scrapeCpuMs: 5, windowMs: 3000, fractionOfOneCore: 0.002, note: 'test' },
  };
  return summarizeMetrics(raw);
}

/** The results fixture with metrics sections on its completed batch measurements. */
export function batchDocumentWithMetrics(): ResultsDocument {
  const document = exampleDocument();
  const metrics: Record<string, MetricsSection> = {
    spark: metricsSection({ cpuSeconds: 7.5, peakMemoryBytes: 1024 * 2 ** 20, shuffleWriteBytes: 3 * 2 ** 20, filesCreated: 2 }),
    flink: metricsSection({ cpuSeconds: 12, peakMemoryBytes: 1536 * 2 ** 20, shuffleWriteBytes: { missing: true, reason: 'Flink REST has no shuffle byte counter for this job' }, filesCreated: 0 }),
    duckdb: metricsSection({ cpuSeconds: 1.25, peakMemoryBytes: 256 * 2 ** 20 }),
  };
  document.measurements = document.measurements.map((m) => (m.status === 'completed' && metrics[m.engine] ? { ...m, metrics: metrics[m.engine] } : m));
  return document;
}

export const GENERATION_START_MS = Date.parse('2026-11-22T04:16:00.000Z');
const MIB = 2 ** 20;

/**
 * The flink-rest scraper's record (harness/metrics/flink-rest.ts) for one streaming job with
 * checkpoints every second: live series of the latest completed checkpoint, and after the job
 * a history holding only the newest three (Flink keeps the last web.checkpoints.history).
 * The sampler started with load generation; checkpoint 2 is seen at 2 s, checkpoint 3 at 4 s.
 */
export function flinkRestRecord(checkpoints: Record<string, unknown> = flinkCheckpointStats()): RawMetricsSection['scrapers'][string] {
  const prefix = '3f2a9c1e';
  return {
    kind: 'flink-rest',
    status: 'ok',
    t: [0, 1000, 2000, 3000, 4000, 5000],
    series: {
      jobs_running: [1, 1, 1, 1, 1, 1],
      [`${prefix}/checkpoints_completed`]: [0, 1, 2, 2, 3, 4],
      [`${prefix}/checkpoints_failed`]: [0, 0, 0, 0, 0, 0],
      [`${prefix}/checkpoint_duration_ms`]: [null, 120, 90, 90, 100, 80],
      [`${prefix}/checkpoint_state_bytes`]: [null, 1 * MIB, 2 * MIB, 2 * MIB, 3 * MIB, 4 * MIB],
      [`${prefix}/checkpoint_checkpointed_bytes`]: [null, 1 * MIB, 1 * MIB, 1 * MIB, 1 * MIB, 1 * MIB],
    },
    failedSamples: 0,
    skippedTicks: 0,
    failures: [],
    details: {
      source: 'Flink JobManager REST',
      shuffleWriteBytes: 4096,
      jobs: [
        {
          jobId: `${prefix}000000000000000000000000`,
          seriesPrefix: prefix,
          name: 'insert-into_default_catalog.default_database.bench_out',
          state: 'CANCELED',
          durationMs: 6000,
          totals: { readBytes: 4096, writeBytes: 4096, readRecords: 100, writeRecords: 100 },
          vertices: [],
          checkpoints,
        },
      ],
    },
  };
}

/** Checkpoint statistics as GET /jobs/:id/checkpoints answers (history newest first). */
export function flinkCheckpointStats(): Record<string, unknown> {
  const at = (ms: number) => GENERATION_START_MS + ms;
  return {
    counts: { completed: 4, failed: 1, in_progress: 0, total: 5, restored: 0 },
    summary: {},
    latest: { completed: { id: 4, end_to_end_duration: 80, state_size: 4 * MIB, checkpointed_size: 1 * MIB } },
    history: [
      { id: 5, status: 'FAILED', end_to_end_duration: 3000, state_size: 0, checkpointed_size: 0, trigger_timestamp: at(4500), is_savepoint: false },
      { id: 4, status: 'COMPLETED', end_to_end_duration: 80, state_size: 4 * MIB, checkpointed_size: 1 * MIB, trigger_timestamp: at(4100), is_savepoint: false },
      { id: 3, status: 'COMPLETED', end_to_end_duration: 100, state_size: 3 * MIB, checkpointed_size: 1 * MIB, trigger_timestamp: at(3200), is_savepoint: false },
    ],
  };
}

/** A streaming section as stream-step.ts writes it, with round numbers; `overrides` replace whole fields. */
export function streamingSection(sustainableRate: number, p99: number, overrides: Partial<StreamingSection> = {}): StreamingSection {
  const series = [0, 1000, 2000];
  return {
    guarantee: 'at-least-once: test',
    engineSettings: { 'execution.checkpointing.interval': '1000ms' },
    latencyMs: {
      count: 100000,
      minMs: p99 / 10,
      meanMs: p99 / 3,
      p50Ms: p99 / 4,
      p95Ms: p99 / 2,
      p99Ms: p99,
      p999Ms: p99 * 2,
      maxMs: p99 * 3,
      distribution: [
        { percentile: 10, valueMs: p99 / 8 },
        { percentile: 50, valueMs: p99 / 4 },
        { percentile: 95, valueMs: p99 / 2 },
        { percentile: 99, valueMs: p99 },
        { percentile: 100, valueMs: p99 * 3 },
      ],
      hdrBase64: 'HISTFAAAAB14nJNpmSzMwMDAzAABMBrGZ2JgYGBhYmABAHX8Bvw=',
      negative: { count: 0, minMs: null, examples: [] },
    },
    throughput: {
      inputRecordsPerSecond: sustainableRate,
      outputRecordsPerSecond: sustainableRate - 10,
      outputRowsTotal: 3 * sustainableRate,
      inputRecordsTotal: 3 * sustainableRate,
      outputSeries: series.map((t, i) => ({ tMs: GENERATION_START_MS + t, rows: sustainableRate - 10 * i })),
    },
    lag: { slopeRecordsPerSecond: 1, floorSlopeRecordsPerSecond: 0.5, floorBlockMs: 2000, series: series.map((t, i) => ({ tMs: GENERATION_START_MS + t, lag: 5 * i })) },
    generator: {
      scheduled: 3 * sustainableRate,
      acknowledged: 3 * sustainableRate,
      maxBehindMs: 2,
      behindBoundMs: 1000,
      behindSeries: series.map((t) => ({ tMs: GENERATION_START_MS + t, behindMs: 2 })),
      achievedRate: sustainableRate,
      startedAtMs: GENERATION_START_MS,
    },
    drain: { drained: true, finalStateRows: 10, expectedRows: 10, duplicateAppends: 0 },
    window: { fromMs: GENERATION_START_MS + 1000, toMs: GENERATION_START_MS + 3000 },
    steadyState: { reached: true, fromMs: GENERATION_START_MS + 1000, floorLag: 0, toleranceRecords: sustainableRate, rule: 'the first lag sample after the warm-up near the floor' },
    startup: { firstOutputAfterMs: 400, catchUpMs: 1000, latencyMs: { missing: true, reason: 'no output row was sent before the steady window' } },
    rateSearch: {
      sustainableRate,
      why: 'bracketed within 10 %',
      criteria: { p99BoundMs: 5000, maxLagSlopeFraction: 0.01 },
      steps: [
        { rate: sustainableRate / 2, achievedRate: sustainableRate / 2 - 5, lagSlope: 0, p99Ms: p99 / 2, sustainable: true, reason: 'lag slope 0 rec/s < 1 % of the rate and p99 under the bound' },
        { rate: sustainableRate, achievedRate: sustainableRate - 10, lagSlope: 1, p99Ms: p99, sustainable: true, reason: 'lag slope 1 rec/s < 1 % of the rate and p99 under the bound' },
        { rate: sustainableRate * 2, achievedRate: sustainableRate * 2 - 20, lagSlope: 500, p99Ms: p99 * 10, sustainable: false, reason: 'lag grows 500 rec/s' },
      ],
    },
    ...overrides,
  };
}

export function streamingMeasurement(engine: string, workload: string, sustainableRate: number, p99: number): Measurement {
  const base = completed(engine, workload, [60000], null);
  return {
    ...base,
    mode: 'streaming',
    params: {},
    warmups: 0,
    streaming: streamingSection(sustainableRate, p99),
    metrics: metricsSection({
      startedAt: new Date(GENERATION_START_MS).toISOString(),
      cpuSeconds: 30,
      peakMemoryBytes: 640 * 2 ** 20,
      osSeries: { t: [0, 1000, 2000], series: { 'tm-1/cpu_seconds_total': [10, 11, 12.5], 'tm-1/memory_bytes': [512 * 2 ** 20, 576 * 2 ** 20, 640 * 2 ** 20] } },
      ...(engine.startsWith('flink') ? { flinkRest: flinkRestRecord() } : {}),
    }),
  };
}

/** A streaming run: two variants complete with full sections, one unsupported. */
export function streamingDocument(): ResultsDocument {
  const base = exampleDocument();
  return {
    ...base,
    runId: '20261122-041500-cd34',
    startedAt: '2026-11-22T04:15:00.000Z',
    finishedAt: '2026-11-22T04:45:00.000Z',
    mode: 'streaming',
    measurements: [
      streamingMeasurement('flink-rocksdb', 'passthrough', 40000, 80),
      streamingMeasurement('spark-microbatch', 'passthrough', 20000, 1200),
      { workload: 'passthrough', engine: 'spark-continuous', mode: 'streaming', scale: 0.01, params: {}, status: 'unsupported', reason: 'Continuous trigger needs a Kafka sink with exactly-once off' },
    ],
  };
}

/** A second, older run of the batch fixture with other timings (for the trend chart). */
export function olderBatchDocument(): ResultsDocument {
  const base = exampleDocument();
  return {
    ...base,
    runId: '20261121-031500-0001',
    startedAt: '2026-11-21T03:15:00.000Z',
    finishedAt: '2026-11-21T03:45:00.000Z',
    measurements: [
      completed('spark', 'topn', [5000, 5200, 5400], null),
      completed('flink', 'topn', [8000, 8100, 8200], null),
      completed('duckdb', 'topn', [1400, 1500, 1600], null),
    ],
  };
}

/** Every user-controlled string made hostile: workload, engine, reasons, settings, notes. */
export const HOSTILE = '<script>alert(1)</script>';

export function hostileDocument(): ResultsDocument {
  const document = batchDocumentWithMetrics();
  document.measurements = [
    completed('spark', HOSTILE, [1000, 1100, 1200], null),
    completed('flink', HOSTILE, [2000, 2100, 2200], null),
    { workload: HOSTILE, engine: 'duckdb', mode: 'batch', scale: 0.01, params: {}, status: 'failed', reason: `boom ${HOSTILE} </script><img src=x onerror=alert(2)>` },
  ];
  document.provenance.engineSettings = { spark: { [HOSTILE]: `"'><img src=x onerror=alert(3)>` } };
  document.notes = [`note ${HOSTILE}`];
  return document;
}

/** The streaming fixture with the harness's own load recorded: flink's generator near idle, spark's run process busy. */
export function streamingDocumentWithHarnessLoad(): ResultsDocument {
  const document = streamingDocument();
  return {
    ...document,
    measurements: document.measurements.map((m) => {
      if (m.status !== 'completed' || !m.streaming) return m;
      const flink = m.engine === 'flink-rocksdb';
      const harnessLoad = {
        generator: { cpuCores: flink ? 0.0812 : 0.2, eventLoopBusy: flink ? 0.05 : 0.1, wallMs: 40_000 },
        runProcess: { cpuCores: flink ? 0.31 : 1.24, eventLoopBusy: flink ? 0.2 : 0.955, wallMs: 40_000 },
        busyBound: 0.9,
      };
      return { ...m, streaming: { ...m.streaming, harnessLoad } };
    }),
  };
}
