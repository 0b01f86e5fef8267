// Across runs: median batch time per workload × engine over the given runs (oldest to newest),
// the current run highlighted, and a dashed rule at each run whose engine versions differ from
// the run before it (labelled 'spark 4.1.1 → 4.2.0'), so a step in a line can be read as the
// upgrade it is. Only completed, verified measurements are drawn; the table lists every cell,
// with the status where there is no number.
import type { ResultsDocument } from '../../results/schema.ts';
import { pathLabel } from '../../results/submission.ts';
import { formatNumber } from '../format.ts';
import type { Cell, Chart } from '../model.ts';
import { WORKLOAD_FACET, engineColor, NO_NUMBER, PANEL_HEIGHT, PANEL_WIDTH, VEGA_LITE_SCHEMA, type EngineColors } from './common.ts';

export interface TrendRow {
  runId: string;
  workload: string;
  engine: string;
  /** Engine + submission path: one line per path, matched across runs by path (older runs: the engine's only old path). */
  series: string;
  medianS: number;
  current: boolean;
  /** The engine versions of the run, e.g. 'flink 2.2.1, spark 4.2.0' (tooltip). */
  versions: string;
  /** What changed from the previous run, e.g. 'spark 4.1.1 → 4.2.0'; null when nothing did (or first run). */
  versionChange: string | null;
}

/** 'flink 2.2.1, spark 4.2.0': the run's distributions by name. */
export function versionsOf(document: ResultsDocument): string {
  return [...document.provenance.distributions]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((d) => `${d.name} ${d.version}`)
    .join(', ');
}

/**
 * Per run (oldest first), what changed in engine versions from the run before it:
 * 'spark 4.1.1 → 4.2.0', or null. A distribution only one of them recorded is not a change of
 * version (a streaming run has Kafka, a batch-only run not).
 */
export function versionChanges(ordered: readonly ResultsDocument[]): (string | null)[] {
  return ordered.map((document, index) => {
    if (index === 0) return null;
    const before = new Map(ordered[index - 1]!.provenance.distributions.map((d) => [d.name, d.version]));
    const changes = [...document.provenance.distributions]
      .sort((a, b) => a.name.localeCompare(b.name))
      .filter((d) => before.has(d.name) && before.get(d.name) !== d.version)
      .map((d) => `${d.name} ${before.get(d.name)} → ${d.version}`);
    return changes.length ? changes.join(', ') : null;
  });
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
  const changes = versionChanges(ordered);
  const rows: TrendRow[] = ordered.flatMap((d, index) =>
    d.measurements.flatMap((m) =>
      m.mode === 'batch' && m.status === 'completed'
        ? [
            {
              runId: d.runId,
              workload: workloadLabel(m.workload, m.scale),
              engine: m.engine,
              series: pathLabel(m),
              medianS: m.statistics.wallMs.median / 1000,
              current: d.runId === currentRunId,
              versions: versionsOf(d),
              versionChange: changes[index]!,
            },
          ]
        : [],
    ),
  );
  if (rows.length === 0) return undefined;
  const engines = colors.order.filter((engine) => rows.some((row) => row.engine === engine));
  const x = { field: 'runId', type: 'ordinal' as const, title: 'Run (oldest → newest)', sort: runIds, axis: { labelAngle: -40 } };
  const y = { field: 'medianS', type: 'quantitative' as const, title: 'Median wall time (s)' };
  const color = engineColor(colors, engines);
  const cells = new Map(ordered.flatMap((d) => d.measurements.map((m) => [JSON.stringify([d.runId, workloadLabel(m.workload, m.scale), pathLabel(m)]), m] as const)));
  const series = [...new Set(ordered.flatMap((d) => d.measurements.filter((m) => m.mode === 'batch').map((m) => JSON.stringify([workloadLabel(m.workload, m.scale), pathLabel(m)]))))];
  const changed = runIds.flatMap((runId, index) => (changes[index] ? [`${runId}: ${changes[index]}`] : []));
  // One mark per run and facet, however many series share the run.
  const changeMarks = { filter: 'datum.versionChange !== null' };
  return {
    id: 'trends',
    title: 'Trend across runs',
    caption:
      `Median batch wall time of each workload × engine and submission path in each run; the current run (${currentRunId}) is shaded and drawn larger.` +
      (changed.length ? ` A dashed line marks a run whose engine versions differ from the run before it (${changed.join('; ')}).` : ''),
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
          {
            transform: [changeMarks, { aggregate: [], groupby: ['runId', 'versionChange'] }],
            mark: { type: 'rule', strokeDash: [4, 3], color: '#888' },
            encoding: { x },
          },
          {
            transform: [changeMarks, { aggregate: [], groupby: ['runId', 'versionChange'] }],
            mark: { type: 'text', align: 'left', baseline: 'top', dx: 3, dy: 2, fontSize: 9, color: '#555' },
            encoding: { x, y: { value: 0 }, text: { field: 'versionChange' } },
          },
          // detail: two paths of one engine share its colour but are two lines.
          { mark: { type: 'line' }, encoding: { x, y, color, detail: { field: 'series', type: 'nominal' } } },
          {
            mark: { type: 'point', filled: true, tooltip: true },
            encoding: { x, y, color, size: { condition: { test: 'datum.current', value: 140 }, value: 40 } },
          },
        ],
      },
    },
    table: {
      columns: [
        { header: 'Workload' },
        { header: 'Engine (submission path)' },
        ...runIds.map((runId, index) => ({ header: `${runId}${runId === currentRunId ? ' (current)' : ''}${changes[index] ? ` [${changes[index]}]` : ''} median (s)`, numeric: true })),
      ],
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
