// Flink checkpoints over a streaming run: duration and state size of each checkpoint, one
// chart per workload, appearing only where the flink-rest scraper recorded checkpoints.
// Checkpoints that could not be read are listed with the reason, never drawn as 0.
import type { Measurement } from '../../results/schema.ts';
import { formatNumber } from '../format.ts';
import type { Cell, Chart, Table } from '../model.ts';
import { flinkCheckpoints, type CheckpointPoint, type CheckpointRecord } from '../read-sections.ts';
import { metricRowFacet, engineColor, groupBy, NO_NUMBER, VEGA_LITE_SCHEMA, WIDE_WIDTH, type EngineColors } from './common.ts';
import { slug, streamingOnly } from './streaming.ts';

const MIB = 2 ** 20;

export const CHECKPOINT_METRICS = [
  { key: 'durationMs', title: 'Checkpoint duration (ms)', scale: 1 },
  { key: 'stateSizeBytes', title: 'State size (MiB)', scale: 1 / MIB },
  { key: 'checkpointedSizeBytes', title: 'Checkpointed size (MiB, incremental)', scale: 1 / MIB },
] as const;

export interface CheckpointRow {
  engine: string;
  job: string;
  checkpointId?: number;
  metric: string;
  seconds: number;
  value: number;
  source: CheckpointPoint['source'];
}

interface Carrying {
  m: Measurement;
  workload: string;
  record: CheckpointRecord;
}

function carrying(measurements: readonly Measurement[]): Carrying[] {
  return streamingOnly(measurements).flatMap(({ m, workload }) => {
    const record = flinkCheckpoints(m);
    return record ? [{ m, workload, record }] : [];
  });
}

/** Only completed checkpoints are drawn: a failed one's figures are partial. */
function chartRows(engine: string, points: readonly CheckpointPoint[]): CheckpointRow[] {
  return points
    .filter((p) => p.status === 'COMPLETED')
    .flatMap((p) =>
      CHECKPOINT_METRICS.flatMap(({ key, title, scale }) => {
        const value = p[key];
        return value === undefined
          ? []
          : [{ engine, job: p.job, ...(p.checkpointId === undefined ? {} : { checkpointId: p.checkpointId }), metric: title, seconds: p.seconds, value: value * scale, source: p.source }];
      }),
    );
}

const mib = (bytes: number | undefined): Cell => (bytes === undefined ? NO_NUMBER : formatNumber(bytes / MIB));

export function checkpointCharts(measurements: readonly Measurement[], colors: EngineColors): Chart[] {
  const byWorkload = groupBy(carrying(measurements), (c) => c.workload);
  return [...byWorkload.entries()].flatMap(([workload, group]): Chart[] => {
    const rows = group.flatMap(({ m, record }) => chartRows(m.engine, record.points));
    if (rows.length === 0) return [];
    const engines = colors.order.filter((engine) => rows.some((row) => row.engine === engine));
    const metrics = CHECKPOINT_METRICS.map((metric) => metric.title).filter((title) => rows.some((row) => row.metric === title));
    const x = { field: 'seconds', type: 'quantitative' as const, title: 'Time since start (s)' };
    const y = { field: 'value', type: 'quantitative' as const, title: 'Value (unit in row title)' };
    const color = engineColor(colors, engines, 'Engine variant');
    return [
      {
        id: `streaming-checkpoints-${slug(workload)}`,
        title: `Checkpoints: ${workload}`,
        caption:
          'Each point is one completed Flink checkpoint at its trigger time: how long it took end to end and how much state it holds (checkpointed size = what it wrote; smaller than the state with incremental RocksDB). Points marked "sampled" predate the history Flink keeps and sit where a live sample first saw them.',
        spec: {
          $schema: VEGA_LITE_SCHEMA,
          title: { text: `Checkpoints: ${workload}`, subtitle: 'duration and state size per checkpoint' },
          data: { values: rows },
          ...metricRowFacet(metrics),
          spec: {
            width: WIDE_WIDTH,
            height: 110,
            layer: [
              { mark: { type: 'line' }, encoding: { x, y, color, detail: { field: 'job', type: 'nominal' } } },
              {
                mark: { type: 'point', filled: true, size: 50, tooltip: true },
                encoding: { x, y, color, shape: { field: 'source', type: 'nominal', title: 'From', scale: { domain: ['history', 'sampled'], range: ['circle', 'triangle'] } } },
              },
            ],
          },
        },
        table: {
          collapsed: true,
          columns: [
            { header: 'Engine variant' },
            { header: 'Job' },
            { header: 'Checkpoint' },
            { header: 'Time (s)', numeric: true },
            { header: 'Status' },
            { header: 'Duration (ms)', numeric: true },
            { header: 'State size (MiB)', numeric: true },
            { header: 'Checkpointed size (MiB)', numeric: true },
          ],
          rows: group.flatMap(({ m, record }) => [
            ...record.points.map((p): Cell[] => [
              m.engine,
              p.job,
              p.checkpointId === undefined ? 'latest seen by a sample' : String(p.checkpointId),
              formatNumber(p.seconds, 4),
              p.status,
              formatNumber(p.durationMs),
              mib(p.stateSizeBytes),
              mib(p.checkpointedSizeBytes),
            ]),
            ...record.missing.map((missing): Cell[] => [m.engine, missing.job ?? NO_NUMBER, NO_NUMBER, NO_NUMBER, `missing: ${missing.reason}`, NO_NUMBER, NO_NUMBER, NO_NUMBER]),
          ]),
        },
      },
    ];
  });
}

/** Workloads with Flink checkpoint records but nothing to draw: why, per engine variant and job. */
export function unreadableCheckpointTable(measurements: readonly Measurement[]): Table | undefined {
  const byWorkload = groupBy(carrying(measurements), (c) => c.workload);
  const rows = [...byWorkload.values()].flatMap((group) =>
    group.some(({ m, record }) => chartRows(m.engine, record.points).length > 0)
      ? []
      : group.flatMap(({ m, workload, record }) => record.missing.map((missing): Cell[] => [workload, m.engine, missing.job ?? NO_NUMBER, missing.reason])),
  );
  return rows.length ? { columns: [{ header: 'Workload' }, { header: 'Engine variant' }, { header: 'Job' }, { header: 'Why there are no checkpoint figures' }], rows } : undefined;
}
