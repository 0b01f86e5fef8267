// Reads the loosely typed `metrics` and `streaming` sections of a measurement (their shapes
// are owned by harness/metrics and harness/streaming). This is the ONE place that knows
// where a figure lives in them, so the charts stay pure and a shape change is a one-line
// alias here. Every reader is defensive: absent → undefined (the chart does not appear),
// recorded as missing → a Missing with the reason (shown in the table, never plotted as 0).
import { isMissing, type Measurement, type Missing } from '../results/schema.ts';

export type Figure = number | Missing;

type Loose = Record<string, unknown>;

function isRecord(value: unknown): value is Loose {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Follows a dot path ("latency.p99") through plain objects. A metrics scraper recorded as
 * `{status: 'missing', reason}` (harness/metrics/metrics-section.ts), or whose details could
 * not be gathered, yields a Missing with that reason instead of nothing.
 */
function at(root: unknown, dotPath: string): unknown {
  let node = root;
  for (const key of dotPath.split('.')) {
    if (!isRecord(node)) return undefined;
    if (node.status === 'missing' && typeof node.reason === 'string') return { missing: true, reason: node.reason };
    if (key === 'details' && node.details === undefined && typeof node.detailsMissingReason === 'string') {
      return { missing: true, reason: node.detailsMissingReason };
    }
    node = node[key];
  }
  return node;
}

/** A number, `{value}`, `{median}` (a statistics record) or a Missing; anything else is absent. */
export function asFigure(value: unknown): Figure | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (isMissing(value)) return { missing: true, reason: String((value as Missing).reason) };
  if (isRecord(value)) {
    if (typeof value.value === 'number' && Number.isFinite(value.value)) return value.value;
    if (typeof value.median === 'number' && Number.isFinite(value.median)) return value.median;
  }
  return undefined;
}

function firstFigure(root: unknown, paths: readonly string[]): Figure | undefined {
  for (const p of paths) {
    const figure = asFigure(at(root, p));
    if (figure !== undefined) return figure;
  }
  return undefined;
}

function firstArray(root: unknown, paths: readonly string[]): unknown[] | undefined {
  for (const p of paths) {
    const value = at(root, p);
    if (Array.isArray(value)) return value;
  }
  return undefined;
}

function numberField(record: unknown, keys: readonly string[]): number | undefined {
  if (!isRecord(record)) return undefined;
  for (const key of keys) {
    const value = record[key];
    if (typeof value === 'number' && Number.isFinite(value)) return value;
  }
  return undefined;
}

// ---------------------------------------------------------------- resources (metrics section)

export interface ResourceMetric {
  key: string;
  title: string;
  /** Axis/column title including the unit. */
  axisTitle: string;
  /** Recorded unit → displayed unit. */
  scale: number;
  /** Where the figure may live in `measurement.metrics` (first match wins). */
  paths: readonly string[];
}

const MIB = 1 / 2 ** 20;

// Where harness/metrics puts them: the OS scraper's derived totals over all services, the
// Spark event log's task sums, the Flink REST job totals, the shuffle/spill file watch.
const OS_TOTAL = 'scrapers.os.details.perService.total';
const SPARK_TOTALS = 'scrapers.spark-event-log.details.totals';
const FILE_WATCH = 'scrapers.shuffle-files.details';

export const RESOURCE_METRICS: readonly ResourceMetric[] = [
  { key: 'cpuSeconds', title: 'CPU time per query', axisTitle: 'CPU time (core-seconds)', scale: 1, paths: [`${OS_TOTAL}.cpuSeconds`, 'cpuSeconds', 'cpu.seconds'] },
  { key: 'peakMemory', title: 'Peak memory per query', axisTitle: 'Peak memory (MiB)', scale: MIB, paths: [`${OS_TOTAL}.peakMemoryBytes`, 'peakMemoryBytes', 'memory.peakBytes'] },
  { key: 'shuffleReadBytes', title: 'Shuffle read per query', axisTitle: 'Shuffle read (MiB)', scale: MIB, paths: [`${SPARK_TOTALS}.shuffleReadBytes`, 'shuffleReadBytes'] },
  { key: 'shuffleWriteBytes', title: 'Shuffle write per query', axisTitle: 'Shuffle write (MiB)', scale: MIB, paths: [`${SPARK_TOTALS}.shuffleWriteBytes`, 'scrapers.flink-rest.details.shuffleWriteBytes', 'shuffleWriteBytes'] },
  { key: 'shuffleBytes', title: 'Shuffle bytes per query', axisTitle: 'Shuffle bytes (MiB)', scale: MIB, paths: ['shuffleBytes'] },
  { key: 'spilledBytes', title: 'Spilled bytes per query', axisTitle: 'Spilled to disk (MiB)', scale: MIB, paths: [`${SPARK_TOTALS}.diskBytesSpilled`, 'spilledBytes'] },
  { key: 'shuffleSpillFiles', title: 'Shuffle and spill files created per query', axisTitle: 'Files created in local/tmp dirs (count)', scale: 1, paths: [`${FILE_WATCH}.filesCreated`, 'spillFiles'] },
  { key: 'shuffleSpillFileBytes', title: 'Shuffle and spill file bytes per query', axisTitle: 'Bytes in files created (MiB, lower bound)', scale: MIB, paths: [`${FILE_WATCH}.bytesCreated`] },
];

/** The figure as recorded (unscaled), or undefined when the section does not carry it. */
export function resourceFigure(measurement: Measurement, metric: ResourceMetric): Figure | undefined {
  return firstFigure(measurement.metrics, metric.paths);
}

// ---------------------------------------------------------------- streaming section

export const LATENCY_PERCENTILES = [
  { key: 'p50', label: 'p50', paths: ['p50Ms', 'p50'] },
  { key: 'p95', label: 'p95', paths: ['p95Ms', 'p95'] },
  { key: 'p99', label: 'p99', paths: ['p99Ms', 'p99'] },
  { key: 'p999', label: 'p99.9', paths: ['p999Ms', 'p999', 'p99.9'] },
  { key: 'max', label: 'max', paths: ['maxMs', 'max'] },
] as const;

export interface LatencySummary {
  /** Percentile label → ms (or why it is missing); absent percentiles are left out. */
  values: { label: string; figure: Figure }[];
  count?: number;
}

const LATENCY_PATHS = ['latencyMs', 'latency'] as const;

export function latencySummary(measurement: Measurement): LatencySummary | undefined {
  for (const p of LATENCY_PATHS) {
    const section = at(measurement.streaming, p);
    // A latency recorded as missing (no output after warm-up) is shown as such, per percentile.
    if (isMissing(section)) return { values: LATENCY_PERCENTILES.map((q) => ({ label: q.label, figure: section })) };
    if (!isRecord(section)) continue;
    const values: LatencySummary['values'] = [];
    for (const percentile of LATENCY_PERCENTILES) {
      // Keys like "p99.9" contain a dot: look them up directly, not as a path.
      const raw = percentile.paths.map((key) => section[key]).find((v) => v !== undefined);
      const figure = asFigure(raw);
      if (figure !== undefined) values.push({ label: percentile.label, figure });
    }
    if (values.length === 0) continue;
    const count = numberField(section, ['count', 'samples']);
    return count === undefined ? { values } : { values, count };
  }
  return undefined;
}

export interface CdfPoint {
  latencyMs: number;
  /** Fraction of records with latency ≤ latencyMs, 0..1. */
  fraction: number;
}

export function latencyCdf(measurement: Measurement): CdfPoint[] | undefined {
  const points = firstArray(measurement.streaming, ['latencyMs.distribution', 'latencyCdf', 'latency.cdf']);
  if (!points) return undefined;
  const cdf: CdfPoint[] = [];
  for (const point of points) {
    const latencyMs = numberField(point, ['latencyMs', 'valueMs', 'value']);
    let fraction = numberField(point, ['fraction', 'quantile']);
    const percent = numberField(point, ['percentile', 'percent']);
    if (fraction === undefined && percent !== undefined) fraction = percent / 100;
    if (latencyMs === undefined || fraction === undefined) continue;
    cdf.push({ latencyMs, fraction });
  }
  return cdf.length > 0 ? cdf : undefined;
}

export interface RateStep {
  targetRate: number;
  achievedRate?: number;
  p99Ms?: number;
  sustainable?: boolean;
  reason?: string;
}

export interface RateSearch {
  steps: RateStep[];
  sustainableRate: Figure | undefined;
}

export function rateSearch(measurement: Measurement): RateSearch | undefined {
  const steps = firstArray(measurement.streaming, ['rateSearch.steps', 'rateSteps']);
  const sustainableRate = firstFigure(measurement.streaming, ['sustainableRate', 'rateSearch.sustainableRate']);
  if (!steps && sustainableRate === undefined) return undefined;
  const parsed: RateStep[] = [];
  for (const step of steps ?? []) {
    const targetRate = numberField(step, ['targetRate', 'rate', 'recordsPerSecond']);
    if (targetRate === undefined) continue;
    const achievedRate = numberField(step, ['achievedRate', 'measuredRate']);
    const p99Ms = numberField(step, ['p99Ms', 'latencyP99Ms', 'p99LatencyMs']) ?? numberField(at(step, 'latencyMs'), ['p99']);
    const record = step as Loose;
    parsed.push({
      targetRate,
      ...(achievedRate === undefined ? {} : { achievedRate }),
      ...(p99Ms === undefined ? {} : { p99Ms }),
      ...(typeof record.sustainable === 'boolean' ? { sustainable: record.sustainable } : {}),
      ...(typeof record.reason === 'string' ? { reason: record.reason } : {}),
    });
  }
  return { steps: parsed, sustainableRate };
}

export interface SeriesMetric {
  title: string;
  /** Axis title with unit. */
  axisTitle: string;
  scale: number;
}

/** Known time-series fields; others are shown under their own name, unit "as recorded". */
export const SERIES_METRICS: Readonly<Record<string, SeriesMetric>> = {
  inputRate: { title: 'Input rate', axisTitle: 'Input rate (records/s)', scale: 1 },
  outputRate: { title: 'Output rate', axisTitle: 'Output rate (records/s)', scale: 1 },
  generatorBehindMs: { title: 'Generator lateness', axisTitle: 'Generator behind schedule (ms)', scale: 1 },
  lag: { title: 'Consumer lag', axisTitle: 'Consumer lag (records)', scale: 1 },
  consumerLag: { title: 'Consumer lag', axisTitle: 'Consumer lag (records)', scale: 1 },
  cpuCores: { title: 'CPU', axisTitle: 'CPU (cores)', scale: 1 },
  memoryBytes: { title: 'Memory', axisTitle: 'Memory (MiB)', scale: MIB },
  checkpointDurationMs: { title: 'Checkpoint duration', axisTitle: 'Checkpoint duration (ms)', scale: 1 },
  stateSizeBytes: { title: 'State size', axisTitle: 'State size (MiB)', scale: MIB },
};

const TIME_KEYS = ['tMs', 'elapsedMs', 'timeMs', 't'] as const;

export interface SeriesPoint {
  metric: string;
  seconds: number;
  value: number;
}

// Timestamps above this are epoch milliseconds (year 2001+); below, ms since the run began.
const EPOCH_MS_THRESHOLD = 1e12;

/**
 * Time series as points in seconds since load generation began: a generic
 * `streaming.timeSeries` array of samples, or the series the streaming flow records (output
 * rows per second, consumer lag, generator lateness) plus CPU and memory summed over the
 * engine's services from the metrics section's OS scraper.
 */
export function timeSeries(measurement: Measurement): SeriesPoint[] | undefined {
  const generic = firstArray(measurement.streaming, ['timeSeries']);
  const points = generic ? genericSeries(generic) : [...streamingSeries(measurement), ...osSeries(measurement)];
  return points.length > 0 ? points : undefined;
}

function genericSeries(samples: unknown[]): SeriesPoint[] {
  const points: SeriesPoint[] = [];
  for (const sample of samples) {
    if (!isRecord(sample)) continue;
    const tMs = numberField(sample, TIME_KEYS);
    if (tMs === undefined) continue;
    for (const [metric, value] of Object.entries(sample)) {
      if ((TIME_KEYS as readonly string[]).includes(metric)) continue;
      if (typeof value !== 'number' || !Number.isFinite(value)) continue;
      points.push({ metric, seconds: tMs / 1000, value: value * (SERIES_METRICS[metric]?.scale ?? 1) });
    }
  }
  return points;
}

function generationStartMs(measurement: Measurement): number | undefined {
  return numberField(at(measurement.streaming, 'generator'), ['startedAtMs']);
}

function streamingSeries(measurement: Measurement): SeriesPoint[] {
  const origin = generationStartMs(measurement);
  const seconds = (tMs: number) => (tMs > EPOCH_MS_THRESHOLD ? (origin === undefined ? undefined : (tMs - origin) / 1000) : tMs / 1000);
  const sources: { metric: string; path: string; valueKey: string }[] = [
    { metric: 'outputRate', path: 'throughput.outputSeries', valueKey: 'rows' },
    { metric: 'lag', path: 'lag.series', valueKey: 'lag' },
    { metric: 'generatorBehindMs', path: 'generator.behindSeries', valueKey: 'behindMs' },
  ];
  return sources.flatMap(({ metric, path, valueKey }) =>
    (firstArray(measurement.streaming, [path]) ?? []).flatMap((sample) => {
      const tMs = numberField(sample, ['tMs']);
      const value = numberField(sample, [valueKey]);
      const t = tMs === undefined ? undefined : seconds(tMs);
      return t === undefined || value === undefined ? [] : [{ metric, seconds: t, value }];
    }),
  );
}

/** CPU (cores, from cumulative CPU-seconds) and memory summed over services, where every service answered. */
function osSeries(measurement: Measurement): SeriesPoint[] {
  const os = at(measurement.metrics, 'scrapers.os');
  const startedAt = at(measurement.metrics, 'startedAt');
  const origin = generationStartMs(measurement);
  if (!isRecord(os) || !Array.isArray(os.t) || !isRecord(os.series) || typeof startedAt !== 'string') return [];
  const offsetMs = origin === undefined ? 0 : Date.parse(startedAt) - origin;
  const t = os.t as number[];
  const summed = (suffix: string): (number | null)[] => {
    const series = Object.entries(os.series as Loose).filter(([name]) => name.endsWith(`/${suffix}`)).map(([, values]) => values as (number | null)[]);
    if (series.length === 0) return [];
    return t.map((_, i) => (series.every((values) => typeof values[i] === 'number') ? series.reduce((sum, values) => sum + (values[i] as number), 0) : null));
  };
  const points: SeriesPoint[] = [];
  const cpu = summed('cpu_seconds_total');
  for (let i = 1; i < cpu.length; i++) {
    const dt = (t[i] - t[i - 1]) / 1000;
    const [before, after] = [cpu[i - 1], cpu[i]];
    if (before !== null && after !== null && dt > 0 && after >= before) points.push({ metric: 'cpuCores', seconds: (t[i] + offsetMs) / 1000, value: (after - before) / dt });
  }
  summed('memory_bytes').forEach((bytes, i) => {
    if (bytes !== null) points.push({ metric: 'memoryBytes', seconds: (t[i] + offsetMs) / 1000, value: bytes * MIB });
  });
  return points;
}

// ---------------------------------------------------------------- Flink checkpoints

/** One completed (or failed) checkpoint of a job, in seconds since load generation began. */
export interface CheckpointPoint {
  /** The job's series prefix (first 8 characters of its id). */
  job: string;
  /** Flink's checkpoint id; absent for a sampled observation (the live series carry none). */
  checkpointId?: number;
  seconds: number;
  status: string;
  durationMs: number;
  stateSizeBytes: number;
  checkpointedSizeBytes?: number;
  /**
   * 'history': from Flink's checkpoint history after the job (time = trigger time);
   * 'sampled': the latest completed checkpoint as seen by a live sample (time = when seen),
   * for checkpoints older than the history Flink keeps (web.checkpoints.history, 10 by default).
   */
  source: 'history' | 'sampled';
}

export interface CheckpointRecord {
  points: CheckpointPoint[];
  /** Jobs (or the whole scraper) whose checkpoints could not be read, with why. */
  missing: { job?: string; reason: string }[];
}

const FLINK_REST = 'scrapers.flink-rest';

/**
 * Checkpoints of the Flink jobs behind a measurement, from the flink-rest scraper
 * (harness/metrics/flink-rest.ts): the history its details hold per job, preceded by live
 * samples of the latest completed checkpoint for those that fell out of the history.
 * Undefined when the measurement has no flink-rest scraper (not Flink, or no metrics).
 */
export function flinkCheckpoints(measurement: Measurement): CheckpointRecord | undefined {
  const scraper = at(measurement.metrics, FLINK_REST);
  if (isMissing(scraper)) return { points: [], missing: [{ reason: scraper.reason }] };
  if (!isRecord(scraper)) return undefined;
  if (scraper.status === 'missing') return { points: [], missing: [{ reason: `Flink REST was never read: ${String(scraper.reason)}` }] };
  const startedAt = at(measurement.metrics, 'startedAt');
  const samplerStartMs = typeof startedAt === 'string' ? Date.parse(startedAt) : Number.NaN;
  const originMs = generationStartMs(measurement) ?? samplerStartMs;
  const record: CheckpointRecord = { points: [], missing: [] };
  const sampled = (prefix: string) => sampledCheckpoints(scraper, prefix, samplerStartMs - originMs);

  const details = at(scraper, 'details');
  if (isMissing(details) || !isRecord(details) || !Array.isArray(details.jobs)) {
    // No job details: the live series are all there is.
    if (isMissing(details)) record.missing.push({ reason: `job details could not be read: ${details.reason}` });
    const prefixes = isRecord(scraper.series) ? Object.keys(scraper.series).flatMap((name) => /^(.+)\/checkpoint_duration_ms$/.exec(name)?.[1] ?? []) : [];
    for (const prefix of prefixes) record.points.push(...sampled(prefix));
    return record;
  }
  for (const job of details.jobs) {
    if (!isRecord(job) || typeof job.seriesPrefix !== 'string') continue;
    const prefix = job.seriesPrefix;
    const checkpoints = job.checkpoints;
    if (isMissing(checkpoints) || !isRecord(checkpoints)) {
      const points = sampled(prefix);
      record.points.push(...points);
      const reason = isMissing(checkpoints) ? String(checkpoints.reason) : 'the job details carry no checkpoint statistics';
      record.missing.push({ job: prefix, reason: points.length ? `checkpoint history could not be read (${reason}); sampled values shown` : reason });
      continue;
    }
    const history = historyCheckpoints(prefix, checkpoints.history, originMs);
    // Observations from before the oldest checkpoint in the history completed are of older checkpoints.
    const oldest = history[0];
    const oldestCompletedAt = oldest === undefined ? Number.POSITIVE_INFINITY : oldest.seconds + oldest.durationMs / 1000;
    const older = sampled(prefix).filter((p) => p.seconds < oldestCompletedAt);
    record.points.push(...older, ...history);
    if (older.length === 0 && history.length === 0) {
      const counts = isRecord(checkpoints.counts) ? checkpoints.counts : {};
      const total = typeof counts.total === 'number' ? counts.total : 0;
      record.missing.push({
        job: prefix,
        reason:
          total === 0
            ? 'no checkpoint was triggered during the measurement (checkpointing off, or the interval is longer than the run)'
            : `${total} checkpoint(s) triggered, none completed (${typeof counts.failed === 'number' ? counts.failed : 0} failed)`,
      });
    }
  }
  return record;
}

function historyCheckpoints(job: string, history: unknown, originMs: number): CheckpointPoint[] {
  if (!Array.isArray(history)) return [];
  const points: CheckpointPoint[] = [];
  for (const entry of history) {
    if (!isRecord(entry) || entry.is_savepoint === true) continue;
    const triggeredAt = numberField(entry, ['trigger_timestamp']);
    const durationMs = numberField(entry, ['end_to_end_duration']);
    const stateSizeBytes = numberField(entry, ['state_size']);
    if (triggeredAt === undefined || durationMs === undefined || stateSizeBytes === undefined || !Number.isFinite(originMs)) continue;
    const checkpointedSizeBytes = numberField(entry, ['checkpointed_size']);
    points.push({
      job,
      ...(typeof entry.id === 'number' ? { checkpointId: entry.id } : {}),
      seconds: (triggeredAt - originMs) / 1000,
      status: typeof entry.status === 'string' ? entry.status : 'UNKNOWN',
      durationMs,
      stateSizeBytes,
      ...(checkpointedSizeBytes === undefined ? {} : { checkpointedSizeBytes }),
      source: 'history',
    });
  }
  // Flink lists the newest first.
  return points.sort((a, b) => a.seconds - b.seconds || (a.checkpointId ?? 0) - (b.checkpointId ?? 0));
}

/** One point per completed checkpoint seen by the live samples (where the completed count changed). */
function sampledCheckpoints(scraper: Loose, prefix: string, offsetMs: number): CheckpointPoint[] {
  if (!Array.isArray(scraper.t) || !isRecord(scraper.series) || !Number.isFinite(offsetMs)) return [];
  const series = (name: string) => (scraper.series as Loose)[`${prefix}/${name}`] as (number | null)[] | undefined;
  const [completed, duration, state, checkpointed] = ['checkpoints_completed', 'checkpoint_duration_ms', 'checkpoint_state_bytes', 'checkpoint_checkpointed_bytes'].map(series);
  if (!duration || !state) return [];
  const points: CheckpointPoint[] = [];
  let seen: number | undefined;
  (scraper.t as number[]).forEach((tMs, i) => {
    const [durationMs, stateSizeBytes, count] = [duration[i], state[i], completed?.[i]];
    if (typeof durationMs !== 'number' || typeof stateSizeBytes !== 'number' || typeof count !== 'number' || count === seen) return;
    seen = count;
    const checkpointedSizeBytes = checkpointed?.[i];
    points.push({
      job: prefix,
      seconds: (tMs + offsetMs) / 1000,
      status: 'COMPLETED',
      durationMs,
      stateSizeBytes,
      ...(typeof checkpointedSizeBytes === 'number' ? { checkpointedSizeBytes } : {}),
      source: 'sampled',
    });
  });
  return points;
}
