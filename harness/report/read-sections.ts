// What the charts take from a measurement's typed `metrics` and `streaming` sections (results
// schema v2): fields, never guesses — every figure here was computed when the results were
// written (harness/metrics/summaries.ts, harness/streaming/stream-step.ts). Absent → undefined
// (the chart does not appear); recorded as missing → a Missing with the reason (shown in the
// table, never plotted as 0). The only work left is putting times on one axis: seconds since
// load generation began (streaming) or since the sampler started.
import type { FigureKey } from '../results/metrics-section.ts';
import { isMissing, type Figure, type Measurement, type Missing } from '../results/schema.ts';

export type { Figure } from '../results/schema.ts';

// ---------------------------------------------------------------- resources (metrics.figures)

export interface ResourceMetric {
  key: FigureKey;
  /** Stable id of its chart (reports link to charts by id). */
  chartId: string;
  title: string;
  /** Axis/column title including the unit. */
  axisTitle: string;
  /** Recorded unit → displayed unit. */
  scale: number;
}

const MIB = 1 / 2 ** 20;

export const RESOURCE_METRICS: readonly ResourceMetric[] = [
  { key: 'cpuSeconds', chartId: 'cpuSeconds', title: 'CPU time per query', axisTitle: 'CPU time (core-seconds)', scale: 1 },
  { key: 'peakMemoryBytes', chartId: 'peakMemory', title: 'Peak memory per query', axisTitle: 'Peak memory (MiB)', scale: MIB },
  { key: 'shuffleReadBytes', chartId: 'shuffleReadBytes', title: 'Shuffle read per query', axisTitle: 'Shuffle read (MiB)', scale: MIB },
  { key: 'shuffleWriteBytes', chartId: 'shuffleWriteBytes', title: 'Shuffle write per query', axisTitle: 'Shuffle write (MiB)', scale: MIB },
  { key: 'spilledBytes', chartId: 'spilledBytes', title: 'Spilled bytes per query', axisTitle: 'Spilled to disk (MiB)', scale: MIB },
  { key: 'filesCreated', chartId: 'shuffleSpillFiles', title: 'Shuffle and spill files created per query', axisTitle: 'Files created in local/tmp dirs (count)', scale: 1 },
  { key: 'fileBytesCreated', chartId: 'shuffleSpillFileBytes', title: 'Shuffle and spill file bytes per query', axisTitle: 'Bytes in files created (MiB, lower bound)', scale: MIB },
];

/** The figure as recorded (unscaled), or undefined when no scraper of the measurement provides it. */
export function resourceFigure(measurement: Measurement, metric: ResourceMetric): Figure | undefined {
  return measurement.metrics?.figures[metric.key];
}

// ---------------------------------------------------------------- streaming section

export const LATENCY_PERCENTILES = [
  { key: 'p50Ms', label: 'p50' },
  { key: 'p95Ms', label: 'p95' },
  { key: 'p99Ms', label: 'p99' },
  { key: 'p999Ms', label: 'p99.9' },
  { key: 'maxMs', label: 'max' },
] as const;

export interface LatencySummary {
  /** Percentile label → ms (or why it is missing). */
  values: { label: string; figure: Figure }[];
  count?: number;
}

export function latencySummary(measurement: Measurement): LatencySummary | undefined {
  const latency = measurement.streaming?.latencyMs;
  if (latency === undefined) return undefined;
  // A latency recorded as missing (no output after warm-up) is shown as such, per percentile.
  if (isMissing(latency)) return { values: LATENCY_PERCENTILES.map((q) => ({ label: q.label, figure: latency })) };
  return { values: LATENCY_PERCENTILES.map((q) => ({ label: q.label, figure: latency[q.key] })), count: latency.count };
}

/** The p99 latency as a number, when one was measured. */
export function p99Latency(measurement: Measurement): number | undefined {
  const latency = measurement.streaming?.latencyMs;
  return latency && !isMissing(latency) ? latency.p99Ms : undefined;
}

export interface CdfPoint {
  latencyMs: number;
  /** Fraction of records with latency ≤ latencyMs, 0..1. */
  fraction: number;
}

export function latencyCdf(measurement: Measurement): CdfPoint[] | undefined {
  const latency = measurement.streaming?.latencyMs;
  if (!latency || isMissing(latency) || latency.distribution.length === 0) return undefined;
  return latency.distribution.map((p) => ({ latencyMs: p.valueMs, fraction: p.percentile / 100 }));
}

export interface RateStep {
  targetRate: number;
  achievedRate: Figure;
  p99Ms?: number;
  sustainable: boolean;
  reason: string;
}

export interface RateSearch {
  steps: RateStep[];
  sustainableRate: number | Missing;
  /** Set when sustainableRate is only a lower bound: the next rate up was the harness's limit. */
  harnessLimitedAt?: number;
  why: string;
}

export function rateSearch(measurement: Measurement): RateSearch | undefined {
  const search = measurement.streaming?.rateSearch;
  if (!search) return undefined;
  return {
    sustainableRate: search.sustainableRate,
    ...(search.harnessLimitedAt !== undefined ? { harnessLimitedAt: search.harnessLimitedAt } : {}),
    why: search.why,
    steps: search.steps.map((s) => ({
      targetRate: s.rate,
      achievedRate: s.achievedRate,
      ...(s.p99Ms === null ? {} : { p99Ms: s.p99Ms }),
      sustainable: s.sustainable,
      reason: s.reason,
    })),
  };
}

export interface SeriesMetric {
  title: string;
  /** Axis title with unit. */
  axisTitle: string;
}

export const SERIES_METRICS = {
  outputRate: { title: 'Output rate', axisTitle: 'Output rate (records/s)' },
  generatorBehindMs: { title: 'Generator lateness', axisTitle: 'Generator behind schedule (ms)' },
  lag: { title: 'Consumer lag', axisTitle: 'Consumer lag (records)' },
  cpuCores: { title: 'CPU', axisTitle: 'CPU (cores)' },
  memoryMiB: { title: 'Memory', axisTitle: 'Memory (MiB)' },
} as const satisfies Record<string, SeriesMetric>;
export type SeriesMetricKey = keyof typeof SERIES_METRICS;

export interface SeriesPoint {
  metric: SeriesMetricKey;
  seconds: number;
  value: number;
}

/** Where a streaming measurement's time axis starts: when load generation began. */
function originMs(measurement: Measurement): number | undefined {
  return measurement.streaming?.generator.startedAtMs;
}

/**
 * Time series as points in seconds since load generation began: output rows per second,
 * consumer lag, generator lateness, and CPU/memory summed over the engine's services.
 */
export function timeSeries(measurement: Measurement): SeriesPoint[] | undefined {
  const streaming = measurement.streaming;
  const origin = originMs(measurement);
  if (!streaming || origin === undefined) return undefined;
  const at = (tMs: number) => (tMs - origin) / 1000;
  const points: SeriesPoint[] = [
    ...streaming.throughput.outputSeries.map((p) => ({ metric: 'outputRate' as const, seconds: at(p.tMs), value: p.rows })),
    ...streaming.lag.series.map((p) => ({ metric: 'lag' as const, seconds: at(p.tMs), value: p.lag })),
    ...streaming.generator.behindSeries.map((p) => ({ metric: 'generatorBehindMs' as const, seconds: at(p.tMs), value: p.behindMs })),
  ];
  const timeline = measurement.metrics?.timeline;
  if (timeline && measurement.metrics) {
    const samplerStart = Date.parse(measurement.metrics.startedAt);
    timeline.t.forEach((t, i) => {
      const cores = timeline.cpuCores[i];
      if (typeof cores === 'number') points.push({ metric: 'cpuCores', seconds: at(samplerStart + t), value: cores });
    });
    timeline.t.forEach((t, i) => {
      const memory = timeline.memoryBytes[i];
      if (typeof memory === 'number') points.push({ metric: 'memoryMiB', seconds: at(samplerStart + t), value: memory * MIB });
    });
  }
  return points.length > 0 ? points : undefined;
}

// ---------------------------------------------------------------- Flink checkpoints

/** One checkpoint of a job on the report's time axis. */
export interface CheckpointPoint {
  job: string;
  checkpointId?: number;
  /** Seconds since load generation began (streaming) or since the sampler started. */
  seconds: number;
  status: string;
  durationMs: number;
  stateSizeBytes: number;
  checkpointedSizeBytes?: number;
  source: 'history' | 'sampled';
}

export interface CheckpointRecord {
  points: CheckpointPoint[];
  missing: { job?: string; reason: string }[];
}

/** Checkpoints as recorded (metrics.checkpoints), on the report's time axis; undefined when the measurement had no Flink REST scraper. */
export function flinkCheckpoints(measurement: Measurement): CheckpointRecord | undefined {
  const metrics = measurement.metrics;
  const record = metrics?.checkpoints;
  if (!metrics || !record) return undefined;
  const origin = originMs(measurement) ?? Date.parse(metrics.startedAt);
  return {
    points: record.points.map(({ atMs, ...p }) => ({ ...p, seconds: (atMs - origin) / 1000 })),
    missing: record.missing.map((m) => ({ ...m })),
  };
}
