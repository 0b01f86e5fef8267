// Across runs: median batch time per workload × engine over the given runs (oldest to newest),
// the current run highlighted. Only completed, verified measurements are drawn; the table
// lists every cell, with the status where there is no number.
import type { ResultsDocument } from '../../results/schema.ts';
import { formatNumber } from '../format.ts';
import type { Cell, Chart } from '../model.ts';
import { WORKLOAD_FACET, engineColor, NO_NUMBER, PANEL_HEIGHT, PANEL_WIDTH, VEGA_LITE_SCHEMA, type EngineColors } from './common.ts';

export interface TrendRow {
  runId: string;
  workload: string;
  engine: string;
  medianS: number;
  current: boolean;
}

/** Documents oldest first (by startedAt, then run id). */
export function byStartTime(documents: readonly ResultsDocument[]): ResultsDocument[] {
  return [...documents].sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.runId.localeCompare(b.runId));
}

function workloadLabel(workload: string, scale: number | string): string {
  return `${workload} @ scale ${scale}`;
}

export function trendChart(documents: readonly ResultsDocument[], currentRunId: string, colors: EngineColors): Chart | undefined {
  if (documents.length < 2) return undefined;
  const ordered = byStartTime(documents);
  const runIds = ordered.map((d) => d.runId);
  const rows: TrendRow[] = ordered.flatMap((d) =>
    d.measurements.flatMap((m) =>
      m.mode === 'batch' && m.status === 'completed'
        ? [{ runId: d.runId, workload: workloadLabel(m.workload, m.scale), engine: m.engine, medianS: m.statistics.wallMs.median / 1000, current: d.runId === currentRunId }]
        : [],
    ),
  );
  if (rows.length === 0) return undefined;
  const engines = colors.order.filter((engine) => rows.some((row) => row.engine === engine));
  const x = { field: 'runId', type: 'ordinal' as const, title: 'Run (oldest → newest)', sort: runIds, axis: { labelAngle: -40 } };
  const y = { field: 'medianS', type: 'quantitative' as const, title: 'Median wall time (s)' };
  const color = engineColor(colors, engines);
  const cells = new Map(ordered.flatMap((d) => d.measurements.map((m) => [JSON.stringify([d.runId, workloadLabel(m.workload, m.scale), m.engine]), m] as const)));
  const series = [...new Set(ordered.flatMap((d) => d.measurements.filter((m) => m.mode === 'batch').map((m) => JSON.stringify([workloadLabel(m.workload, m.scale), m.engine]))))];
  return {
    id: 'trends',
    title: 'Trend across runs',
    caption: `Median batch wall time of each workload × engine in each run; the current run (${currentRunId}) is shaded and drawn larger.`,
    spec: {
      $schema: VEGA_LITE_SCHEMA,
      title: { text: 'Median batch time across runs', subtitle: `current run: ${currentRunId}` },
      data: { values: rows },
      ...WORKLOAD_FACET,
      resolve: { scale: { y: 'independent' } },
      spec: {
        width: PANEL_WIDTH,
        height: PANEL_HEIGHT,
        layer: [
          { mark: { type: 'rule', color: '#ddd', strokeWidth: 14 }, encoding: { x: { datum: currentRunId, type: 'ordinal', sort: runIds } } },
          { mark: { type: 'line' }, encoding: { x, y, color } },
          {
            mark: { type: 'point', filled: true, tooltip: true },
            encoding: { x, y, color, size: { condition: { test: 'datum.current', value: 140 }, value: 40 } },
          },
        ],
      },
    },
    table: {
      columns: [{ header: 'Workload' }, { header: 'Engine' }, ...runIds.map((runId) => ({ header: `${runId}${runId === currentRunId ? ' (current)' : ''} median (s)`, numeric: true }))],
      rows: series.map((key): Cell[] => {
        const [workload, engine] = JSON.parse(key) as [string, string];
        return [
          workload,
          engine,
          ...runIds.map((runId): Cell => {
            const m = cells.get(JSON.stringify([runId, workload, engine]));
            if (!m) return NO_NUMBER;
            if (m.status !== 'completed') return { text: m.status, title: m.reason, status: m.status };
            return formatNumber(m.statistics.wallMs.median / 1000);
          }),
        ];
      }),
    },
  };
}
