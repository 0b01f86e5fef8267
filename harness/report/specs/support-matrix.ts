// Support matrix: workload × engine variant, coloured by status, with the engine's reason
// wherever a cell is not a completed, verified measurement.
import type { Measurement, MeasurementStatus } from '../../results/schema.ts';
import type { Cell, Chart } from '../model.ts';
import { pathLabel } from '../../results/submission.ts';
import { groupLabel, mixedScales, seriesOrder, VEGA_LITE_SCHEMA } from './common.ts';

/** Status colours (not engine colours): green = fine, red = wrong answer/failure, grey = unsupported. */
export const STATUS_COLORS: Readonly<Record<MeasurementStatus | 'not run', string>> = {
  completed: '#2e7d32',
  invalid: '#c62828',
  failed: '#ef6c00',
  'timed-out': '#f9a825',
  unsupported: '#9e9e9e',
  interrupted: '#6d4c41',
  'not run': '#eeeeee',
};

const STATUS_ORDER = ['completed', 'invalid', 'failed', 'timed-out', 'unsupported', 'interrupted', 'not run'] as const;

export interface SupportRow {
  workload: string;
  /** Engine + submission path for batch ('spark (spark-connect)'), the variant for streaming: two paths are two columns. */
  engine: string;
  mode: string;
  status: MeasurementStatus | 'not run';
  reason: string;
}

export function supportRows(measurements: readonly Measurement[], engineOrder: readonly string[]): SupportRow[] {
  const mixed = mixedScales(measurements);
  const columns = seriesOrder(measurements, engineOrder);
  const workloads = [...new Set(measurements.map((m) => `${m.mode}\u0000${groupLabel(m, mixed)}`))];
  return workloads.flatMap((key) => {
    const [mode, workload] = key.split('\u0000');
    return columns.map((engine): SupportRow => {
      const m = measurements.find((c) => c.mode === mode && groupLabel(c, mixed) === workload && pathLabel(c) === engine);
      if (!m) return { workload, engine, mode, status: 'not run', reason: 'not part of this run' };
      return { workload, engine, mode, status: m.status, reason: m.status === 'completed' ? 'answer verified' : m.reason };
    });
  });
}

export function supportMatrixChart(measurements: readonly Measurement[], engineOrder: readonly string[]): Chart | undefined {
  if (measurements.length === 0) return undefined;
  const rows = supportRows(measurements, engineOrder);
  const columns = seriesOrder(measurements, engineOrder);
  const workloads = [...new Set(rows.map((row) => row.workload))];
  const statuses = STATUS_ORDER.filter((status) => rows.some((row) => row.status === status));
  return {
    id: 'support-matrix',
    title: 'Support matrix',
    caption: 'Each cell is one workload on one engine variant and submission path; hover a cell (or read the table) for the reason.',
    spec: {
      $schema: VEGA_LITE_SCHEMA,
      title: { text: 'Support matrix: workload × engine', subtitle: 'status of each measurement' },
      data: { values: rows },
      width: { step: 110 },
      height: { step: 34 },
      encoding: {
        x: { field: 'engine', type: 'nominal', title: 'Engine variant (submission path)', sort: columns, axis: { orient: 'top', labelAngle: 0 } },
        y: { field: 'workload', type: 'nominal', title: 'Workload', sort: workloads },
      },
      layer: [
        {
          mark: { type: 'rect', stroke: 'white', strokeWidth: 2, tooltip: { content: 'data' } },
          encoding: {
            color: {
              field: 'status',
              type: 'nominal',
              title: 'Status',
              scale: { domain: statuses, range: statuses.map((status) => STATUS_COLORS[status]) },
            },
          },
        },
        {
          mark: { type: 'text', fontSize: 11 },
          encoding: {
            text: { field: 'status' },
            color: { condition: { test: "datum.status === 'not run'", value: '#444' }, value: 'white' },
          },
        },
      ],
    },
    table: {
      columns: [{ header: 'Workload' }, { header: 'Mode' }, { header: 'Engine' }, { header: 'Status' }, { header: 'Reason' }],
      rows: rows.map((row): Cell[] => [
        row.workload,
        row.mode,
        row.engine,
        row.status === 'not run' ? 'not run' : { text: row.status, status: row.status },
        row.reason,
      ]),
    },
  };
}
