// Pieces every spec builder shares: the schema URL, sizes that fit a laptop screen, the
// engine colour encoding (one palette for the whole report) and status cells.
import type { Measurement } from '../../results/schema.ts';
import { pathLabel } from '../../results/submission.ts';
import type { Cell } from '../model.ts';

export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Cell of one facet/chart: three facets side by side fit ~1000 px. */
export const PANEL_WIDTH = 240;
export const PANEL_HEIGHT = 200;
export const WIDE_WIDTH = 760;

/** Engine colours for the report (from enginePalette) in display order. */
export interface EngineColors {
  /** Engines in display order. */
  order: string[];
  colors: ReadonlyMap<string, string>;
}

/** Colour encoding restricted to the engines a chart shows, so its legend lists only those. */
export function engineColor(colors: EngineColors, shown: Iterable<string>, title = 'Engine') {
  const present = new Set(shown);
  const domain = colors.order.filter((engine) => present.has(engine));
  return {
    field: 'engine',
    type: 'nominal' as const,
    title,
    scale: { domain, range: domain.map((engine) => colors.colors.get(engine) as string) },
  };
}

/** The label a comparison group is shown under: the workload, plus the scale when a run mixes scales. */
export function groupLabel(m: Measurement, mixedScales: boolean): string {
  return mixedScales ? `${m.workload} @ scale ${m.scale}` : m.workload;
}

export function mixedScales(measurements: readonly Measurement[]): boolean {
  return new Set(measurements.map((m) => String(m.scale))).size > 1;
}

export const NO_NUMBER = '—';

/** "failed", with the reason as tooltip: a non-completed measurement never shows a number. */
export function statusCell(m: Measurement): Cell {
  if (m.status === 'completed') return { text: 'completed (verified)', status: 'completed' };
  return { text: `${m.status}: ${m.reason}`, title: m.reason, status: m.status };
}

/** Groups in order of first appearance. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** One panel per workload, three to a row (the small-multiples layout of the per-workload charts). */
export const WORKLOAD_FACET = { facet: { field: 'workload', type: 'nominal' as const, title: 'Workload' }, columns: 3 };

/** One row per metric, its name as a bold header above it (time series and checkpoint charts, each with its own y axis). */
export function metricRowFacet(metrics: string[]) {
  return {
    facet: { row: { field: 'metric', type: 'nominal' as const, title: null, sort: metrics, header: { labelAngle: 0, labelAlign: 'left' as const, labelOrient: 'top' as const, labelFontWeight: 'bold' as const } } },
    resolve: { scale: { y: 'independent' as const } },
  };
}

/**
 * Engine + path labels ('spark (spark-connect)') in engine display order, each engine's paths
 * in order of first appearance: the columns/series of a chart that must never merge two paths
 * of one engine. An engine without measurements keeps its bare id.
 */
export function seriesOrder(measurements: readonly Measurement[], engineOrder: readonly string[]): string[] {
  return engineOrder.flatMap((engine) => {
    const labels = [...new Set(measurements.filter((m) => m.engine === engine).map((m) => pathLabel(m)))];
    return labels.length ? labels : [engine];
  });
}
