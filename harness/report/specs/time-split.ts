// Where a batch execution's time goes, per workload × submission path (METHOD rule 13): the
// engine's own time, the rest of the wall time (wall − engine: submission, planning outside the
// engine's span, JVM and cluster start on cold paths, commit and teardown the engine does not
// count), and the client's start-up, which is kept out of the wall and shown beside it. Medians
// over the measured repetitions; "outside" is median wall − median engine so the bar's first two
// segments add up to the median wall exactly. A path whose engine time is missing shows its
// wall whole, labelled so; the method section says what each span covers on each path.
import { isMissing, type Measurement } from '../../results/schema.ts';
import { pathLabel } from '../../results/submission.ts';
import { summarize } from '../../stats/summary.ts';
import { formatNumber } from '../format.ts';
import type { Cell, Chart } from '../model.ts';
import { groupLabel, mixedScales, PANEL_WIDTH, VEGA_LITE_SCHEMA, WORKLOAD_FACET } from './common.ts';

export const TIME_SPLIT_SPANS = ['engine time', 'outside the engine (wall − engine)', 'wall (engine time missing)', 'client start (kept out of the wall)'] as const;
export type TimeSplitSpan = (typeof TIME_SPLIT_SPANS)[number];

export interface TimeSplitRow {
  workload: string;
  series: string;
  span: TimeSplitSpan;
  seconds: number;
}

const seconds = (ms: number) => Math.round(ms) / 1000;

export function timeSplitRows(measurements: readonly Measurement[]): TimeSplitRow[] {
  const batch = measurements.filter((m) => m.mode === 'batch' && m.status === 'completed');
  const mixed = mixedScales(batch);
  return batch.flatMap((m): TimeSplitRow[] => {
    if (m.status !== 'completed') return [];
    const base = { workload: groupLabel(m, mixed), series: pathLabel(m) };
    const wall = m.statistics.wallMs.median;
    const engine = m.statistics.engineMs;
    const clientStarts = m.repetitions.flatMap((r) => (r.clientStartMs === undefined ? [] : [r.clientStartMs]));
    const client: TimeSplitRow[] = clientStarts.length ? [{ ...base, span: 'client start (kept out of the wall)', seconds: seconds(summarize(clientStarts).median) }] : [];
    if (isMissing(engine)) return [{ ...base, span: 'wall (engine time missing)', seconds: seconds(wall) }, ...client];
    return [
      { ...base, span: 'engine time', seconds: seconds(engine.median) },
      { ...base, span: 'outside the engine (wall − engine)', seconds: seconds(wall - engine.median) },
      ...client,
    ];
  });
}

export function timeSplitChart(measurements: readonly Measurement[]): Chart | undefined {
  const rows = timeSplitRows(measurements);
  if (rows.length === 0) return undefined;
  const keys = [...new Set(rows.map((r) => JSON.stringify([r.workload, r.series])))].map((k) => JSON.parse(k) as [string, string]);
  const figure = (workload: string, series: string, span: TimeSplitSpan): Cell => {
    const row = rows.find((r) => r.workload === workload && r.series === series && r.span === span);
    return row ? formatNumber(row.seconds) : '—';
  };
  return {
    id: 'batch-time-split',
    title: 'Where the time goes',
    caption:
      "Median seconds per execution: the engine's own time, the rest of the wall time, and (beside the bar, never inside the wall) the client's start-up. The method section says what each span covers on each path.",
    spec: {
      $schema: VEGA_LITE_SCHEMA,
      title: { text: 'Engine time, the rest of the wall, client start-up', subtitle: 'median seconds per execution, per submission path' },
      data: { values: rows },
      ...WORKLOAD_FACET,
      spec: {
        width: PANEL_WIDTH,
        mark: { type: 'bar', tooltip: true },
        encoding: {
          y: { field: 'series', type: 'nominal', title: 'Engine (path)' },
          // The client start is its own bar beside the wall's stack: it is not part of the wall.
          yOffset: { field: 'part', type: 'nominal', sort: ['wall', 'client start'] },
          x: { field: 'seconds', type: 'quantitative', title: 'Seconds (median per execution)', stack: 'zero' },
          color: { field: 'span', type: 'nominal', title: 'Span', sort: [...TIME_SPLIT_SPANS], scale: { domain: [...TIME_SPLIT_SPANS], range: ['#3182bd', '#9ecae1', '#bdbdbd', '#fd8d3c'] }, legend: { labelLimit: 320, orient: 'bottom', columns: 2 } },
          order: { field: 'order', type: 'quantitative' },
        },
      },
      transform: [
        { calculate: "datum.span === 'client start (kept out of the wall)' ? 'client start' : 'wall'", as: 'part' },
        { calculate: "indexof(['engine time', 'outside the engine (wall − engine)', 'wall (engine time missing)', 'client start (kept out of the wall)'], datum.span)", as: 'order' },
      ],
    },
    table: {
      columns: [
        { header: 'Workload' },
        { header: 'Engine (path)' },
        { header: 'Engine time (s)', numeric: true },
        { header: 'Outside the engine (s)', numeric: true },
        { header: 'Wall, engine time missing (s)', numeric: true },
        { header: 'Client start, apart (s)', numeric: true },
      ],
      rows: keys.map(([workload, series]): Cell[] => [workload, series, ...TIME_SPLIT_SPANS.map((span) => figure(workload, series, span))]),
    },
  };
}
