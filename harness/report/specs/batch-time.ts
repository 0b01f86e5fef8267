// Batch query time: median wall time per workload × engine, min–max whiskers, the ratio to
// the fastest engine above each bar, DuckDB (the single-machine COST baseline) beside the
// clusters. Measurements that did not complete appear as their status at the foot of their
// slot, never as a bar.
import { isMissing, type Measurement } from '../../results/schema.ts';
import { formatNumber, formatRatio } from '../format.ts';
import type { Chart, Cell } from '../model.ts';
import { BASELINE_ENGINE } from '../palette.ts';
import { pathLabel, submissionOf } from '../../results/submission.ts';

const familyOf = (m: Measurement) => (m.engine === BASELINE_ENGINE ? 'in-process' : submissionOf(m)?.family);
import {
  WORKLOAD_FACET,
  engineColor,
  groupBy,
  groupLabel,
  mixedScales,
  NO_NUMBER,
  PANEL_HEIGHT,
  PANEL_WIDTH,
  statusCell,
  VEGA_LITE_SCHEMA,
  type EngineColors,
} from './common.ts';

export interface BatchTimeRow {
  workload: string;
  engine: string;
  /** Engine + submission path ('spark (spark-connect)'): one bar per path, never merged. */
  series: string;
  status: Measurement['status'];
  medianS: number | null;
  minS: number | null;
  maxS: number | null;
  ratioToFastest: number | null;
  ratioLabel: string;
}

export function batchTimeRows(measurements: readonly Measurement[]): BatchTimeRow[] {
  return rowsWithMeasurements(measurements).map(({ row }) => row);
}

// Rows come out grouped by workload; each keeps its measurement so the table can read it.
function rowsWithMeasurements(measurements: readonly Measurement[]): { row: BatchTimeRow; m: Measurement }[] {
  const batch = measurements.filter((m) => m.mode === 'batch');
  const mixed = mixedScales(batch);
  const rows: { row: BatchTimeRow; m: Measurement }[] = [];
  for (const group of groupBy(batch, (m) => groupLabel(m, mixed)).values()) {
    // × fastest ranks only within a submission family (warm against warm, cold against cold); the baseline is not ranked.
    const fastestOf = (family: string | undefined) =>
      Math.min(...group.flatMap((m) => (m.status === 'completed' && familyOf(m) === family ? [m.statistics.wallMs.median] : [])));
    for (const m of group) {
      const family = familyOf(m);
      const fastest = family === 'in-process' ? 0 : fastestOf(family);
      const base = { workload: groupLabel(m, mixed), engine: m.engine, series: pathLabel(m), status: m.status };
      if (m.status !== 'completed') {
        rows.push({ m, row: { ...base, medianS: null, minS: null, maxS: null, ratioToFastest: null, ratioLabel: m.status } });
        continue;
      }
      const wall = m.statistics.wallMs;
      const ratio = fastest > 0 && Number.isFinite(fastest) ? wall.median / fastest : null;
      rows.push({
        m,
        row: {
          ...base,
          medianS: wall.median / 1000,
          minS: wall.min / 1000,
          maxS: wall.max / 1000,
          ratioToFastest: ratio,
          ratioLabel: ratio === null ? '' : formatRatio(ratio),
        },
      });
    }
  }
  return rows;
}

const Y_TITLE = 'Wall time (s)';
const COMPLETED = "datum.status === 'completed'";

export function batchTimeChart(measurements: readonly Measurement[], colors: EngineColors): Chart | undefined {
  const allRows = batchTimeRows(measurements);
  if (allRows.length === 0) return undefined;
  // A workload where nothing completed has no time axis to draw: it is named in the subtitle
  // and listed in the table (and the headline) with its statuses.
  const drawable = new Set(allRows.filter((row) => row.status === 'completed').map((row) => row.workload));
  const rows = allRows.filter((row) => drawable.has(row.workload));
  const undrawn = [...new Set(allRows.filter((row) => !drawable.has(row.workload)).map((row) => row.workload))];
  const engines = colors.order.filter((engine) => rows.some((row) => row.engine === engine));
  const series = engines.flatMap((engine) => [...new Set(rows.filter((row) => row.engine === engine).map((row) => row.series))]);
  const repetitions = [...new Set(measurements.flatMap((m) => (m.status === 'completed' && m.mode === 'batch' ? [m.statistics.wallMs.samples] : [])))];
  const y = (field: string) => ({ field, type: 'quantitative' as const, title: Y_TITLE });
  return {
    id: 'batch-time',
    title: 'Batch query time per workload and engine',
    caption:
      `Median wall time over ${repetitions.length ? repetitions.join('/') : 'the'} measured repetitions (warm-ups excluded); ` +
      `whiskers span the fastest and slowest repetition; one bar per engine and submission path; the label is the ratio to the fastest path of the same family (warm or cold) for that workload. ` +
      `${BASELINE_ENGINE} is the single-machine baseline. Each workload has its own time axis.`,
    spec: {
      $schema: VEGA_LITE_SCHEMA,
      title: {
        text: 'Batch query time (median, min–max)',
        subtitle: ['bar = median, whisker = min–max, label = × fastest of the same family; lower is better', ...(undrawn.length ? [`not drawn, no engine completed: ${undrawn.join(', ')} (see table)`] : [])],
      },
      data: { values: rows },
      ...WORKLOAD_FACET,
      resolve: { scale: { y: 'independent' } },
      spec: {
        width: PANEL_WIDTH,
        height: PANEL_HEIGHT,
        encoding: {
          x: { field: 'series', type: 'nominal', title: 'Engine (submission path)', sort: series, axis: { labelAngle: -30 } },
        },
        layer: [
          {
            transform: [{ filter: COMPLETED }],
            mark: { type: 'bar', tooltip: true },
            encoding: { y: y('medianS'), color: engineColor(colors, engines) },
          },
          {
            transform: [{ filter: COMPLETED }],
            mark: { type: 'errorbar', ticks: true, color: '#222' },
            encoding: { y: y('minS'), y2: { field: 'maxS' } },
          },
          {
            transform: [{ filter: COMPLETED }],
            mark: { type: 'text', baseline: 'bottom', dy: -4, fontSize: 11 },
            encoding: { y: y('maxS'), text: { field: 'ratioLabel' } },
          },
          {
            transform: [{ filter: `!(${COMPLETED})` }],
            mark: { type: 'text', angle: 270, align: 'left', baseline: 'middle', dx: 4, color: '#b00020', fontWeight: 'bold' },
            encoding: { y: { value: PANEL_HEIGHT }, text: { field: 'status' } },
          },
        ],
      },
    },
    table: batchTimeTable(measurements),
  };
}

export function batchTimeTable(measurements: readonly Measurement[]): Chart['table'] {
  const pairs = rowsWithMeasurements(measurements);
  const baselineByWorkload = new Map(
    pairs.filter(({ row }) => row.engine === BASELINE_ENGINE && row.medianS !== null).map(({ row }) => [row.workload, row.medianS as number]),
  );
  return {
    columns: [
      { header: 'Workload' },
      { header: 'Engine (submission path)' },
      { header: 'Median wall (s)', numeric: true },
      { header: 'Min (s)', numeric: true },
      { header: 'Max (s)', numeric: true },
      { header: 'Repetitions (+ warm-ups)', numeric: true },
      { header: 'Engine-reported median (s)', numeric: true },
      { header: '× fastest of its family', numeric: true },
      { header: `× ${BASELINE_ENGINE}`, numeric: true },
      { header: 'Status' },
    ],
    rows: pairs.map(({ row, m }): Cell[] => {
      if (m.status !== 'completed' || row.medianS === null) {
        return [row.workload, row.series, NO_NUMBER, NO_NUMBER, NO_NUMBER, NO_NUMBER, NO_NUMBER, NO_NUMBER, NO_NUMBER, statusCell(m)];
      }
      const wall = m.statistics.wallMs;
      const engine = m.statistics.engineMs;
      const baseline = baselineByWorkload.get(row.workload);
      return [
        row.workload,
        row.series,
        seconds(wall.median),
        seconds(wall.min),
        seconds(wall.max),
        `${wall.samples} (+${m.warmups})`,
        isMissing(engine) ? { text: 'missing', title: engine.reason } : seconds(engine.median),
        row.ratioToFastest === null ? NO_NUMBER : formatRatio(row.ratioToFastest),
        baseline === undefined || baseline <= 0 ? NO_NUMBER : formatRatio(row.medianS / baseline),
        statusCell(m),
      ];
    }),
  };
}

function seconds(ms: number): string {
  return formatNumber(ms / 1000);
}
