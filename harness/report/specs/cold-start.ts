// The cost of a cold start: per engine and workload, the median wall time on a cold path
// (job family: a fresh application per execution) minus that on a warm path (session family:
// one long-lived application), split as far as the measurements tell into engine-reported
// time and what lies outside it (wall − engine: client and JVM start, submission, teardown).
// Medians of medians: Δ wall = Δ engine + Δ outside holds exactly because outside is taken as
// median wall − median engine on each path. One row per (cold path, warm path) pair of an
// engine; a side that is absent or did not complete makes the row `missing` with the reason.
import { isMissing, missing, type Figure, type Measurement } from '../../results/schema.ts';
import { pathLabel, submissionOf } from '../../results/submission.ts';
import { formatNumber } from '../format.ts';
import type { Cell, Chart, Table } from '../model.ts';
import { BASELINE_ENGINE } from '../palette.ts';
import { engineColor, groupBy, groupLabel, mixedScales, PANEL_HEIGHT, VEGA_LITE_SCHEMA, type EngineColors } from './common.ts';

export interface ColdStartRow {
  workload: string;
  engine: string;
  coldPath: string | null;
  warmPath: string | null;
  coldWallMs: Figure;
  warmWallMs: Figure;
  /** cold median wall − warm median wall */
  wallDeltaMs: Figure;
  /** cold median engine − warm median engine */
  engineDeltaMs: Figure;
  /** (cold wall − cold engine) − (warm wall − warm engine), medians */
  outsideDeltaMs: Figure;
  coldOutsideMs: Figure;
  warmOutsideMs: Figure;
}

type Side = { path: string; m: Measurement } | { path: null; why: string };

function wallOf(side: Side): Figure {
  if (side.path === null) return missing(side.why);
  if (side.m.status !== 'completed') return missing(`${pathLabel(side.m)} ${side.m.status}: ${side.m.reason}`);
  return side.m.statistics.wallMs.median;
}

function engineOf(side: Side): Figure {
  if (side.path === null) return missing(side.why);
  const m = side.m;
  if (m.status !== 'completed') return missing(`${pathLabel(m)} ${m.status}: ${m.reason}`);
  const engine = m.statistics.engineMs;
  return isMissing(engine) ? missing(`engine time missing on ${pathLabel(m)}: ${engine.reason}`) : engine.median;
}

function minus(a: Figure, b: Figure): Figure {
  if (isMissing(a)) return a;
  if (isMissing(b)) return b;
  return a - b;
}

export function coldStartRows(measurements: readonly Measurement[]): ColdStartRow[] {
  const batch = measurements.filter((m) => m.mode === 'batch' && m.engine !== BASELINE_ENGINE);
  const mixed = mixedScales(batch);
  const rows: ColdStartRow[] = [];
  for (const group of groupBy(batch, (m) => JSON.stringify([groupLabel(m, mixed), m.engine])).values()) {
    const { engine } = group[0];
    const workload = groupLabel(group[0], mixed);
    const ofFamily = (family: 'job' | 'session'): Side[] => group.flatMap((m) => (submissionOf(m)?.family === family ? [{ path: submissionOf(m)!.path, m }] : []));
    const cold = ofFamily('job');
    const warm = ofFamily('session');
    if (cold.length === 0 && warm.length === 0) continue;
    const colds: Side[] = cold.length ? cold : [{ path: null, why: `no cold (job-family) path of ${engine} measured` }];
    const warms: Side[] = warm.length ? warm : [{ path: null, why: `no warm (session-family) path of ${engine} measured` }];
    for (const c of colds) {
      for (const w of warms) {
        const coldWallMs = wallOf(c);
        const warmWallMs = wallOf(w);
        const coldOutsideMs = minus(coldWallMs, engineOf(c));
        const warmOutsideMs = minus(warmWallMs, engineOf(w));
        rows.push({
          workload,
          engine,
          coldPath: c.path,
          warmPath: w.path,
          coldWallMs,
          warmWallMs,
          wallDeltaMs: minus(coldWallMs, warmWallMs),
          engineDeltaMs: minus(engineOf(c), engineOf(w)),
          outsideDeltaMs: minus(coldOutsideMs, warmOutsideMs),
          coldOutsideMs,
          warmOutsideMs,
        });
      }
    }
  }
  return rows;
}

function cell(figure: Figure): Cell {
  return isMissing(figure) ? { text: 'missing', title: figure.reason } : formatNumber(figure / 1000);
}

export function coldStartTable(rows: readonly ColdStartRow[]): Table {
  return {
    columns: [
      { header: 'Workload' },
      { header: 'Engine' },
      { header: 'Cold path (job)' },
      { header: 'Warm path (session)' },
      { header: 'Cold median wall (s)', numeric: true },
      { header: 'Warm median wall (s)', numeric: true },
      { header: 'Cold − warm (s)', numeric: true },
      { header: 'of which engine time (s)', numeric: true },
      { header: 'of which outside the engine (s)', numeric: true },
      { header: 'Cold wall − engine (s)', numeric: true },
      { header: 'Warm wall − engine (s)', numeric: true },
    ],
    rows: rows.map((row): Cell[] => [
      row.workload,
      row.engine,
      row.coldPath ?? '—',
      row.warmPath ?? '—',
      cell(row.coldWallMs),
      cell(row.warmWallMs),
      // The headline figure of the view: when missing, the reason is shown, not only hovered.
      isMissing(row.wallDeltaMs) ? `missing: ${row.wallDeltaMs.reason}` : formatNumber(row.wallDeltaMs / 1000),
      cell(row.engineDeltaMs),
      cell(row.outsideDeltaMs),
      cell(row.coldOutsideMs),
      cell(row.warmOutsideMs),
    ]),
  };
}

/** Bar per engine and path pair, per workload: cold − warm median wall time; undefined when no pair has both sides. */
export function coldStartChart(rows: readonly ColdStartRow[], colors: EngineColors): Chart | undefined {
  const values = rows.flatMap((row) =>
    typeof row.wallDeltaMs === 'number' ? [{ workload: row.workload, engine: row.engine, pair: `${row.engine}: ${row.coldPath} − ${row.warmPath}`, deltaS: row.wallDeltaMs / 1000 }] : [],
  );
  if (values.length === 0) return undefined;
  const engines = colors.order.filter((engine) => values.some((v) => v.engine === engine));
  const workloads = [...new Set(values.map((v) => v.workload))];
  const pairs = [...new Set(values.map((v) => v.pair))];
  return {
    id: 'cold-start',
    title: 'Cost of a cold start',
    caption:
      'Per engine and workload: median wall time on a cold path (a fresh application per execution) minus that on a warm path (one long-lived session). ' +
      'The table splits it into engine-reported time and time outside the engine (median wall − median engine on each path); a side that was not measured or did not complete is missing with the reason.',
    spec: {
      $schema: VEGA_LITE_SCHEMA,
      title: { text: 'Cold − warm median wall time', subtitle: 'per engine: cold path − warm path; above 0 = a cold start costs that much' },
      data: { values },
      width: { step: 28 },
      height: PANEL_HEIGHT,
      mark: { type: 'bar', tooltip: true },
      encoding: {
        x: { field: 'workload', type: 'nominal', title: 'Workload', sort: workloads, axis: { labelAngle: 0 } },
        xOffset: { field: 'pair', type: 'nominal', sort: pairs },
        y: { field: 'deltaS', type: 'quantitative', title: 'Cold − warm (s)' },
        color: engineColor(colors, engines),
      },
    },
    table: coldStartTable(rows),
  };
}
