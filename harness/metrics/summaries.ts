// What the report needs from a metrics section, computed when the section is written (and by
// the v1 upgrade from the same raw records): resource figures, Flink checkpoints with the
// history merged with live samples, and the CPU/memory timeline summed over services. Pure:
// raw scraper records in, typed fields out. A figure a scraper could not give is Missing with
// that scraper's reason.
import { missing, type Figure } from '../results/missing.ts';
import type { CheckpointPoint, CheckpointRecord, FigureSet, MetricsSection, ScraperKind, ScraperRecord, Timeline } from '../results/metrics-section.ts';

export type RawMetricsSection = Omit<MetricsSection, 'figures' | 'checkpoints' | 'timeline'>;

type Loose = Record<string, unknown>;
const isRecord = (value: unknown): value is Loose => typeof value === 'object' && value !== null && !Array.isArray(value);
const numberAt = (record: unknown, key: string): number | undefined => (isRecord(record) && typeof record[key] === 'number' && Number.isFinite(record[key]) ? (record[key] as number) : undefined);

/** The details of a scraper, or why there are none. */
function detailsOf(name: string, record: ScraperRecord): Loose | { missingReason: string } {
  if (record.status === 'missing') return { missingReason: `the ${name} scraper gave nothing: ${record.reason}` };
  if (record.details) return record.details;
  return { missingReason: `the ${name} scraper gathered no details${record.detailsMissingReason ? `: ${record.detailsMissingReason}` : ''}` };
}

/** `key` of a details record as a figure: the number, a recorded Missing, or Missing with why not. */
function figureAt(details: Loose | { missingReason: string }, path: readonly string[], what: string): Figure {
  if ('missingReason' in details && typeof details.missingReason === 'string') return missing(`${what}: ${details.missingReason}`);
  let node: unknown = details;
  for (const key of path) node = isRecord(node) ? node[key] : undefined;
  if (typeof node === 'number' && Number.isFinite(node)) return node;
  if (isRecord(node) && node.missing === true && typeof node.reason === 'string') return missing(node.reason);
  return missing(`${what}: not in the scraper's details (${path.join('.')})`);
}

interface Summary {
  readonly figures: FigureSet;
  readonly checkpoints?: CheckpointRecord;
  readonly timeline?: Timeline;
}

const SUMMARIZERS: Partial<Record<ScraperKind, (name: string, record: ScraperRecord, section: RawMetricsSection) => Summary>> = {
  os: (name, record) => {
    const details = detailsOf(name, record);
    return {
      figures: {
        cpuSeconds: figureAt(details, ['perService', 'total', 'cpuSeconds'], 'CPU-seconds'),
        peakMemoryBytes: figureAt(details, ['perService', 'total', 'peakMemoryBytes'], 'peak memory'),
        diskReadBytes: figureAt(details, ['perService', 'total', 'readBytes'], 'bytes read from storage'),
        diskWriteBytes: figureAt(details, ['perService', 'total', 'writeBytes'], 'bytes written to storage'),
      },
      ...(record.status === 'ok' ? { timeline: osTimeline(record) } : {}),
    };
  },
  'file-watch': (name, record) => {
    const details = detailsOf(name, record);
    return { figures: { filesCreated: figureAt(details, ['filesCreated'], 'files created'), fileBytesCreated: figureAt(details, ['bytesCreated'], 'bytes in created files') } };
  },
  'spark-event-log': (name, record) => {
    const details = detailsOf(name, record);
    return {
      figures: {
        shuffleReadBytes: figureAt(details, ['totals', 'shuffleReadBytes'], 'shuffle read'),
        shuffleWriteBytes: figureAt(details, ['totals', 'shuffleWriteBytes'], 'shuffle write'),
        spilledBytes: figureAt(details, ['totals', 'diskBytesSpilled'], 'spilled to disk'),
      },
    };
  },
  'flink-rest': (name, record, section) => {
    const details = detailsOf(name, record);
    return { figures: { shuffleWriteBytes: figureAt(details, ['shuffleWriteBytes'], 'shuffle write') }, checkpoints: flinkCheckpointRecord(record, Date.parse(section.startedAt)) };
  },
};

/** The section as written: the raw records plus figures, checkpoints and timeline. */
export function summarizeMetrics(raw: RawMetricsSection): MetricsSection {
  const figures: Record<string, Figure> = {};
  let checkpoints: CheckpointRecord | undefined;
  let timeline: Timeline | undefined;
  for (const [name, record] of Object.entries(raw.scrapers)) {
    const summary = SUMMARIZERS[record.kind]?.(name, record, raw);
    if (!summary) continue;
    // The first scraper to give a figure wins; a later number replaces an earlier Missing.
    for (const [key, value] of Object.entries(summary.figures)) {
      if (value !== undefined && (figures[key] === undefined || (typeof figures[key] !== 'number' && typeof value === 'number'))) figures[key] = value;
    }
    checkpoints ??= summary.checkpoints;
    timeline ??= summary.timeline;
  }
  return { ...raw, figures: figures as FigureSet, ...(checkpoints ? { checkpoints } : {}), ...(timeline ? { timeline } : {}) };
}

/** Services of an OS scraper record: the prefixes of its `<service>/cpu_seconds_total` series. */
function osServices(record: Extract<ScraperRecord, { status: 'ok' }>): string[] {
  return Object.keys(record.series).flatMap((name) => /^(.+)\/cpu_seconds_total$/.exec(name)?.[1] ?? []);
}

/** CPU cores (Docker's own rate when every service has it, else from CPU-seconds between samples) and memory, summed over services, per sample. */
export function osTimeline(record: Extract<ScraperRecord, { status: 'ok' }>): Timeline {
  const services = osServices(record);
  const summed = (suffix: string): (number | null)[] =>
    record.t.map((_, i) => {
      const values = services.map((s) => record.series[`${s}/${suffix}`]?.[i] ?? null);
      return services.length > 0 && values.every((v): v is number => v !== null) ? values.reduce((a, b) => a + b, 0) : null;
    });
  const dockerCores = services.length > 0 && services.every((s) => record.series[`${s}/cpu_cores`]);
  let cpuCores: (number | null)[];
  if (dockerCores) {
    cpuCores = summed('cpu_cores');
  } else {
    const cpu = summed('cpu_seconds_total');
    cpuCores = record.t.map((t, i) => {
      if (i === 0) return null;
      const [before, after, dt] = [cpu[i - 1], cpu[i], (t - record.t[i - 1]!) / 1000];
      return before !== null && after !== null && dt > 0 && after >= before ? (after - before) / dt : null;
    });
  }
  return { t: [...record.t], cpuCores, memoryBytes: summed('memory_bytes') };
}

/**
 * Checkpoints of the Flink jobs behind a measurement: the history the scraper's details hold
 * per job, preceded by live samples of the latest completed checkpoint for those that fell out
 * of the history Flink keeps (web.checkpoints.history, 10 by default).
 */
export function flinkCheckpointRecord(record: ScraperRecord, samplerStartMs: number): CheckpointRecord {
  if (record.status === 'missing') return { points: [], missing: [{ reason: `Flink REST was never read: ${record.reason}` }] };
  const result: CheckpointRecord = { points: [], missing: [] };
  const sampled = (prefix: string) => sampledCheckpoints(record, prefix, samplerStartMs);
  const details = record.details;
  if (!details || !Array.isArray(details.jobs)) {
    // No job details: the live series are all there is.
    if (record.detailsMissingReason) result.missing.push({ reason: `job details could not be read: ${record.detailsMissingReason}` });
    const prefixes = Object.keys(record.series).flatMap((series) => /^(.+)\/checkpoint_duration_ms$/.exec(series)?.[1] ?? []);
    for (const prefix of prefixes) result.points.push(...sampled(prefix));
    return result;
  }
  for (const job of details.jobs as unknown[]) {
    if (!isRecord(job) || typeof job.seriesPrefix !== 'string') continue;
    const prefix = job.seriesPrefix;
    const checkpoints = job.checkpoints;
    if (!isRecord(checkpoints) || checkpoints.missing === true) {
      const points = sampled(prefix);
      result.points.push(...points);
      const reason = isRecord(checkpoints) && typeof checkpoints.reason === 'string' ? checkpoints.reason : 'the job details carry no checkpoint statistics';
      result.missing.push({ job: prefix, reason: points.length ? `checkpoint history could not be read (${reason}); sampled values shown` : reason });
      continue;
    }
    const history = historyCheckpoints(prefix, checkpoints.history);
    // Observations from before the oldest checkpoint in the history completed are of older checkpoints.
    const oldest = history[0];
    const oldestCompletedAt = oldest === undefined ? Number.POSITIVE_INFINITY : oldest.atMs + oldest.durationMs;
    const older = sampled(prefix).filter((p) => p.atMs < oldestCompletedAt);
    result.points.push(...older, ...history);
    if (older.length === 0 && history.length === 0) {
      const counts = isRecord(checkpoints.counts) ? checkpoints.counts : {};
      const total = numberAt(counts, 'total') ?? 0;
      result.missing.push({
        job: prefix,
        reason:
          total === 0
            ? 'no checkpoint was triggered during the measurement (checkpointing off, or the interval is longer than the run)'
            : `${total} checkpoint(s) triggered, none completed (${numberAt(counts, 'failed') ?? 0} failed)`,
      });
    }
  }
  return result;
}

function historyCheckpoints(job: string, history: unknown): CheckpointPoint[] {
  if (!Array.isArray(history)) return [];
  const points: CheckpointPoint[] = [];
  for (const entry of history) {
    if (!isRecord(entry) || entry.is_savepoint === true) continue;
    const atMs = numberAt(entry, 'trigger_timestamp');
    const durationMs = numberAt(entry, 'end_to_end_duration');
    const stateSizeBytes = numberAt(entry, 'state_size');
    if (atMs === undefined || durationMs === undefined || stateSizeBytes === undefined) continue;
    const checkpointedSizeBytes = numberAt(entry, 'checkpointed_size');
    points.push({
      job,
      ...(typeof entry.id === 'number' ? { checkpointId: entry.id } : {}),
      atMs,
      status: typeof entry.status === 'string' ? entry.status : 'UNKNOWN',
      durationMs,
      stateSizeBytes,
      ...(checkpointedSizeBytes === undefined ? {} : { checkpointedSizeBytes }),
      source: 'history',
    });
  }
  // Flink lists the newest first.
  return points.sort((a, b) => a.atMs - b.atMs || (a.checkpointId ?? 0) - (b.checkpointId ?? 0));
}

/** One point per completed checkpoint seen by the live samples (where the completed count changed). */
function sampledCheckpoints(record: Extract<ScraperRecord, { status: 'ok' }>, prefix: string, samplerStartMs: number): CheckpointPoint[] {
  if (!Number.isFinite(samplerStartMs)) return [];
  const series = (name: string) => record.series[`${prefix}/${name}`];
  const [completed, duration, state, checkpointed] = ['checkpoints_completed', 'checkpoint_duration_ms', 'checkpoint_state_bytes', 'checkpoint_checkpointed_bytes'].map(series);
  if (!duration || !state) return [];
  const points: CheckpointPoint[] = [];
  let seen: number | undefined;
  record.t.forEach((tMs, i) => {
    const [durationMs, stateSizeBytes, count] = [duration[i], state[i], completed?.[i]];
    if (typeof durationMs !== 'number' || typeof stateSizeBytes !== 'number' || typeof count !== 'number' || count === seen) return;
    seen = count;
    const checkpointedSizeBytes = checkpointed?.[i];
    points.push({
      job: prefix,
      atMs: samplerStartMs + tMs,
      status: 'COMPLETED',
      durationMs,
      stateSizeBytes,
      ...(typeof checkpointedSizeBytes === 'number' ? { checkpointedSizeBytes } : {}),
      source: 'sampled',
    });
  });
  return points;
}
