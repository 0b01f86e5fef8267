// Resource use per query (METHOD rule 8): CPU-seconds, peak memory, shuffle and spill, one
// chart per figure that at least one measurement carries. Only completed measurements are
// plotted; a figure recorded as missing is listed with its reason, never drawn as 0.
import { isMissing, type Measurement } from '../../results/schema.ts';
import { formatNumber } from '../format.ts';
import type { Cell, Chart, Table } from '../model.ts';
import { RESOURCE_METRICS, resourceFigure, type ResourceMetric } from '../read-sections.ts';
import { pathLabel } from '../../results/submission.ts';
import { engineColor, groupLabel, mixedScales, NO_NUMBER, PANEL_HEIGHT, statusCell, VEGA_LITE_SCHEMA, type EngineColors } from './common.ts';

export interface ResourceRow {
  workload: string;
  engine: string;
  /** Engine + submission path: one bar per path. */
  series: string;
  value: number;
}

export function resourceCharts(measurements: readonly Measurement[], colors: EngineColors): Chart[] {
  const mixed = mixedScales(measurements);
  return RESOURCE_METRICS.flatMap((metric) => {
    const chart = resourceChart(measurements, metric, colors, mixed);
    return chart ? [chart] : [];
  });
}

/**
 * Figures that were recorded but could not be read for any completed measurement: nothing to
 * draw, so they are listed with their reasons (METHOD rule 12) instead of a chart.
 */
export function unreadableResourceTable(measurements: readonly Measurement[]): Table | undefined {
  const mixed = mixedScales(measurements);
  const rows: Cell[][] = RESOURCE_METRICS.flatMap((metric) => {
    const carrying = measurements.filter((m) => resourceFigure(m, metric) !== undefined);
    const drawable = carrying.some((m) => m.status === 'completed' && typeof resourceFigure(m, metric) === 'number');
    if (carrying.length === 0 || drawable) return [];
    return carrying.map((m): Cell[] => {
      const figure = resourceFigure(m, metric);
      return [metric.axisTitle, groupLabel(m, mixed), pathLabel(m), isMissing(figure) ? `missing: ${figure.reason}` : m.status];
    });
  });
  return rows.length ? { columns: [{ header: 'Figure' }, { header: 'Workload' }, { header: 'Engine' }, { header: 'Why there is no number' }], rows } : undefined;
}

function resourceChart(measurements: readonly Measurement[], metric: ResourceMetric, colors: EngineColors, mixed: boolean): Chart | undefined {
  const carrying = measurements.filter((m) => resourceFigure(m, metric) !== undefined);
  if (!carrying.some((m) => m.status === 'completed' && typeof resourceFigure(m, metric) === 'number')) return undefined;
  const rows: ResourceRow[] = carrying.flatMap((m) => {
    const figure = resourceFigure(m, metric);
    return m.status === 'completed' && typeof figure === 'number'
      ? [{ workload: groupLabel(m, mixed), engine: m.engine, series: pathLabel(m), value: figure * metric.scale }]
      : [];
  });
  const engines = colors.order.filter((engine) => rows.some((row) => row.engine === engine));
  const series = engines.flatMap((engine) => [...new Set(rows.filter((row) => row.engine === engine).map((row) => row.series))]);
  const workloads = [...new Set(carrying.map((m) => groupLabel(m, mixed)))];
  const table: Chart['table'] = {
    columns: [{ header: 'Workload' }, { header: 'Engine' }, { header: metric.axisTitle, numeric: true }, { header: 'Status' }],
    rows: carrying.map((m): Cell[] => {
      const figure = resourceFigure(m, metric);
      const value: Cell =
        m.status !== 'completed' ? NO_NUMBER : isMissing(figure) ? { text: 'missing', title: figure.reason } : countOrNumber((figure as number) * metric.scale);
      const status: Cell = isMissing(figure) && m.status === 'completed' ? `missing: ${figure.reason}` : statusCell(m);
      return [groupLabel(m, mixed), pathLabel(m), value, status];
    }),
  };
  return {
    id: `resource-${metric.chartId}`,
    title: metric.title,
    caption: 'Per measured query, from the operating system where the metrics sampler could read it; only completed, verified measurements are drawn.',
    spec: {
      $schema: VEGA_LITE_SCHEMA,
      title: { text: metric.title, subtitle: 'lower is better' },
      data: { values: rows },
      width: { step: 28 },
      height: PANEL_HEIGHT,
      mark: { type: 'bar', tooltip: true },
      encoding: {
        x: { field: 'workload', type: 'nominal', title: 'Workload', sort: workloads, axis: { labelAngle: 0 } },
        xOffset: { field: 'series', type: 'nominal', sort: series },
        y: { field: 'value', type: 'quantitative', title: metric.axisTitle },
        color: engineColor(colors, engines),
      },
    },
    table,
  };
}

/** Counts read as counts ("2", not "2.00"). */
function countOrNumber(value: number): string {
  return Number.isInteger(value) ? value.toLocaleString('en-US') : formatNumber(value);
}
