// Streaming charts, each appearing only when the streaming section carries its data:
// latency percentiles per variant, the latency CDF, throughput vs p99 latency across the
// sustainable-rate search (sustainable rate marked), and time series of the run.
import { isMissing, type Measurement } from '../../results/schema.ts';
import { formatNumber } from '../format.ts';
import type { Cell, Chart } from '../model.ts';
import { latencyCdf, latencySummary, rateSearch, SERIES_METRICS, timeSeries } from '../read-sections.ts';
import { WORKLOAD_FACET, metricRowFacet, engineColor, groupLabel, mixedScales, NO_NUMBER, PANEL_HEIGHT, PANEL_WIDTH, VEGA_LITE_SCHEMA, WIDE_WIDTH, type EngineColors } from './common.ts';

/** Streaming measurements with the label each is grouped under. */
export function streamingOnly(measurements: readonly Measurement[]): { m: Measurement; workload: string }[] {
  const streaming = measurements.filter((m) => m.mode === 'streaming');
  const mixed = mixedScales(streaming);
  return streaming.map((m) => ({ m, workload: groupLabel(m, mixed) }));
}

export const slug = (text: string) => text.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase() || 'x';

// ---------------------------------------------------------------- percentiles

export function latencyPercentilesChart(measurements: readonly Measurement[], colors: EngineColors): Chart | undefined {
  const carrying = streamingOnly(measurements).flatMap(({ m, workload }) => {
    const summary = latencySummary(m);
    return summary ? [{ m, workload, summary }] : [];
  });
  if (carrying.length === 0) return undefined;
  const rows = carrying.flatMap(({ m, workload, summary }) =>
    m.status === 'completed'
      ? summary.values.flatMap(({ label, figure }) => (typeof figure === 'number' ? [{ workload, engine: m.engine, percentile: label, latencyMs: figure }] : []))
      : [],
  );
  const engines = colors.order.filter((engine) => rows.some((row) => row.engine === engine));
  const percentiles = ['p50', 'p95', 'p99', 'p99.9', 'max'];
  return {
    id: 'streaming-latency-percentiles',
    title: 'End-to-end latency percentiles',
    caption: 'Event-time latency (output log-append time − generation time of the newest input), from a full histogram; log scale.',
    spec: {
      $schema: VEGA_LITE_SCHEMA,
      title: { text: 'Latency percentiles per variant', subtitle: 'lower is better; log scale' },
      data: { values: rows },
      ...WORKLOAD_FACET,
      spec: {
        width: PANEL_WIDTH,
        height: PANEL_HEIGHT,
        encoding: {
          x: { field: 'percentile', type: 'ordinal', title: 'Percentile', sort: percentiles, axis: { labelAngle: 0 } },
          y: { field: 'latencyMs', type: 'quantitative', title: 'Latency (ms, log scale)', scale: { type: 'log' } },
          color: engineColor(colors, engines, 'Engine variant'),
        },
        layer: [{ mark: { type: 'line' } }, { mark: { type: 'point', filled: true, size: 60, tooltip: true } }],
      },
    },
    table: {
      columns: [{ header: 'Workload' }, { header: 'Engine variant' }, ...percentiles.map((p) => ({ header: `${p} (ms)`, numeric: true })), { header: 'Records', numeric: true }],
      rows: carrying.map(({ m, workload, summary }): Cell[] => {
        const cells = percentiles.map((p): Cell => {
          if (m.status !== 'completed') return NO_NUMBER;
          const figure = summary.values.find((v) => v.label === p)?.figure;
          if (figure === undefined) return NO_NUMBER;
          return isMissing(figure) ? { text: 'missing', title: figure.reason } : formatNumber(figure);
        });
        const count = m.status !== 'completed' ? { text: m.status, title: m.reason, status: m.status } : summary.count === undefined ? NO_NUMBER : summary.count.toLocaleString('en-US');
        return [workload, m.engine, ...cells, count];
      }),
    },
  };
}

// ---------------------------------------------------------------- CDF

export function latencyCdfChart(measurements: readonly Measurement[], colors: EngineColors): Chart | undefined {
  const rows = streamingOnly(measurements).flatMap(({ m, workload }) =>
    m.status === 'completed' ? (latencyCdf(m) ?? []).map((p) => ({ workload, engine: m.engine, latencyMs: p.latencyMs, fraction: p.fraction })) : [],
  );
  if (rows.length === 0) return undefined;
  const engines = colors.order.filter((engine) => rows.some((row) => row.engine === engine));
  return {
    id: 'streaming-latency-cdf',
    title: 'Latency distribution (CDF)',
    caption: 'Fraction of output records delivered within a given latency; further left is better.',
    spec: {
      $schema: VEGA_LITE_SCHEMA,
      title: { text: 'Latency CDF', subtitle: 'share of records with latency ≤ x' },
      data: { values: rows },
      ...WORKLOAD_FACET,
      spec: {
        width: PANEL_WIDTH,
        height: PANEL_HEIGHT,
        mark: { type: 'line', interpolate: 'step-after', tooltip: true },
        encoding: {
          x: { field: 'latencyMs', type: 'quantitative', title: 'Latency (ms, log scale)', scale: { type: 'log' } },
          y: { field: 'fraction', type: 'quantitative', title: 'Share of records (0–1)', scale: { domain: [0, 1] } },
          color: engineColor(colors, engines, 'Engine variant'),
        },
      },
    },
    table: {
      collapsed: true,
      columns: [{ header: 'Workload' }, { header: 'Engine variant' }, { header: 'Latency (ms)', numeric: true }, { header: 'Share ≤ latency', numeric: true }],
      rows: rows.map((row) => [row.workload, row.engine, formatNumber(row.latencyMs), formatNumber(row.fraction, 4)]),
    },
  };
}

// ---------------------------------------------------------------- rate search

export function rateSearchChart(measurements: readonly Measurement[], colors: EngineColors): Chart | undefined {
  const searches = streamingOnly(measurements).flatMap(({ m, workload }) => {
    const search = rateSearch(m);
    return search ? [{ m, workload, search }] : [];
  });
  const rows = searches.flatMap(({ m, workload, search }) =>
    search.steps.flatMap((step) =>
      step.p99Ms === undefined
        ? []
        : [
            {
              workload,
              engine: m.engine,
              // The rate that went in; documents from schema v1 did not record it, so their points sit at the target.
              rate: typeof step.achievedRate === 'number' ? step.achievedRate : step.targetRate,
              rateShown: typeof step.achievedRate === 'number' ? 'achieved' : 'target (achieved not recorded)',
              targetRate: step.targetRate,
              p99Ms: step.p99Ms,
              sustainable: step.sustainable ? 'sustainable' : 'not sustainable',
            },
          ],
    ),
  );
  const marks = searches.flatMap(({ m, workload, search }) =>
    typeof search.sustainableRate === 'number' ? [{ workload, engine: m.engine, sustainableRate: search.sustainableRate }] : [],
  );
  if (rows.length === 0 && marks.length === 0) return undefined;
  const engines = colors.order.filter((engine) => [...rows, ...marks].some((row) => row.engine === engine));
  const color = engineColor(colors, engines, 'Engine variant');
  const x = (field: string) => ({ field, type: 'quantitative' as const, title: 'Input rate (records/s)' });
  const y = { field: 'p99Ms', type: 'quantitative' as const, title: 'p99 latency (ms)' };
  return {
    id: 'streaming-rate-search',
    title: 'Throughput vs p99 latency (sustainable-rate search)',
    caption:
      'Each point is one step of the rate search; filled = sustainable (lag not growing, p99 under the bound). The dashed rule marks the highest sustainable rate.',
    spec: {
      $schema: VEGA_LITE_SCHEMA,
      title: { text: 'Throughput vs p99 latency', subtitle: 'dashed = highest sustainable rate' },
      // One data source (a facet cannot mix sources): steps and sustainable-rate marks by kind.
      data: { values: [...rows.map((row) => ({ kind: 'step', ...row })), ...marks.map((mark) => ({ kind: 'sustainable', ...mark }))] },
      ...WORKLOAD_FACET,
      spec: {
        width: PANEL_WIDTH,
        height: PANEL_HEIGHT,
        layer: [
          {
            transform: [{ filter: "datum.kind === 'step'" }],
            mark: { type: 'line', opacity: 0.5 },
            encoding: { x: x('rate'), y, color, order: { field: 'rate', type: 'quantitative' } },
          },
          {
            transform: [{ filter: "datum.kind === 'step'" }],
            mark: { type: 'point', size: 70, filled: true, tooltip: true },
            encoding: {
              x: x('rate'),
              y,
              color,
              shape: { field: 'sustainable', type: 'nominal', title: 'Step', scale: { domain: ['sustainable', 'not sustainable'], range: ['circle', 'cross'] } },
            },
          },
          {
            transform: [{ filter: "datum.kind === 'sustainable'" }],
            mark: { type: 'rule', strokeDash: [6, 4], strokeWidth: 2, tooltip: true },
            encoding: { x: x('sustainableRate'), color },
          },
        ],
      },
    },
    table: {
      columns: [
        { header: 'Workload' },
        { header: 'Engine variant' },
        { header: 'Target rate (records/s)', numeric: true },
        { header: 'Achieved rate (records/s)', numeric: true },
        { header: 'p99 latency (ms)', numeric: true },
        { header: 'Sustainable' },
      ],
      rows: searches.flatMap(({ m, workload, search }) => [
        ...search.steps.map((step): Cell[] => [
          workload,
          m.engine,
          formatNumber(step.targetRate),
          isMissing(step.achievedRate) ? { text: 'missing', title: step.achievedRate.reason } : formatNumber(step.achievedRate),
          step.p99Ms === undefined ? NO_NUMBER : formatNumber(step.p99Ms),
          step.sustainable ? 'yes' : `no: ${step.reason}`,
        ]),
        [
          workload,
          m.engine,
          { text: 'highest sustainable' },
          isMissing(search.sustainableRate)
            ? { text: 'missing', title: search.sustainableRate.reason }
            : search.harnessLimitedAt !== undefined
              ? { text: `≥ ${formatNumber(search.sustainableRate)} (harness limit)`, title: search.why }
              : formatNumber(search.sustainableRate),
          NO_NUMBER,
          m.status === 'completed' ? '' : { text: m.status, title: m.reason, status: m.status },
        ],
      ]),
    },
  };
}

// ---------------------------------------------------------------- time series

export function timeSeriesCharts(measurements: readonly Measurement[], colors: EngineColors): Chart[] {
  const byWorkload = new Map<string, { engine: string; metric: string; seconds: number; value: number }[]>();
  for (const { m, workload } of streamingOnly(measurements)) {
    const points = timeSeries(m);
    if (!points) continue;
    const rows = byWorkload.get(workload) ?? [];
    rows.push(...points.map((p) => ({ engine: m.engine, metric: SERIES_METRICS[p.metric].axisTitle, seconds: p.seconds, value: p.value })));
    byWorkload.set(workload, rows);
  }
  return [...byWorkload.entries()].map(([workload, rows]): Chart => {
    const engines = colors.order.filter((engine) => rows.some((row) => row.engine === engine));
    const metrics = [...new Set(rows.map((row) => row.metric))];
    return {
      id: `streaming-time-series-${slug(workload)}`,
      title: `Time series: ${workload}`,
      caption: 'Sampled during the run; each metric has its own axis (title carries the unit).',
      spec: {
        $schema: VEGA_LITE_SCHEMA,
        title: { text: `Time series: ${workload}` },
        data: { values: rows },
        ...metricRowFacet(metrics),
        spec: {
          width: WIDE_WIDTH,
          height: 110,
          mark: { type: 'line', tooltip: true },
          encoding: {
            x: { field: 'seconds', type: 'quantitative', title: 'Time since start (s)' },
            y: { field: 'value', type: 'quantitative', title: 'Value (unit in row title)' },
            color: engineColor(colors, engines, 'Engine variant'),
          },
        },
      },
      table: {
        collapsed: true,
        columns: [{ header: 'Engine variant' }, { header: 'Metric (unit)' }, { header: 'Time (s)', numeric: true }, { header: 'Value', numeric: true }],
        rows: rows.map((row) => [row.engine, row.metric, formatNumber(row.seconds, 4), formatNumber(row.value)]),
      },
    };
  });
}
