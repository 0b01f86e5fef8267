// Start-up vs steady state (METHOD rule 16), per streaming variant and workload: how long until
// the first output row, how long until the start-up backlog had drained (where the measured
// window starts), and the latency of the rows sent during start-up beside the steady-state one.
// Start-up is a real property of an engine, so it gets its own figures instead of hiding in the
// steady-state tail.
import type { Missing } from '../../results/missing.ts';
import { isMissing, type Measurement } from '../../results/schema.ts';
import type { LatencySummaryRecord } from '../../results/streaming-section.ts';
import { formatNumber } from '../format.ts';
import type { Cell, Chart } from '../model.ts';
import { PANEL_WIDTH, VEGA_LITE_SCHEMA, WORKLOAD_FACET } from './common.ts';
import { streamingOnly } from './streaming.ts';

const FIGURES = ['first output', 'backlog drained (window starts)'] as const;

const seconds = (ms: number) => Math.round(ms) / 1000;

export function startupChart(measurements: readonly Measurement[]): Chart | undefined {
  const carrying = streamingOnly(measurements).flatMap(({ m, workload }) => (m.status === 'completed' && m.streaming?.startup ? [{ m, workload, streaming: m.streaming, startup: m.streaming.startup }] : []));
  if (carrying.length === 0) return undefined;
  const rows = carrying.flatMap(({ m, workload, startup }) => {
    const values = [startup.firstOutputAfterMs, startup.catchUpMs];
    return FIGURES.flatMap((figure, i) => {
      const value = values[i]!;
      return isMissing(value) ? [] : [{ workload, engine: m.engine, figure, seconds: seconds(value) }];
    });
  });
  const latencyCell = (summary: LatencySummaryRecord | Missing): Cell =>
    isMissing(summary) ? { text: 'missing', title: summary.reason } : `${formatNumber(summary.p50Ms)} / ${formatNumber(summary.p99Ms)}`;
  return {
    id: 'streaming-startup',
    title: 'Start-up and steady state',
    caption:
      'Seconds from the start of the input until the first output row and until the start-up backlog had drained (the lag back near its floor): the measured window starts there. Start-up latency is that of rows sent before it.',
    spec: {
      $schema: VEGA_LITE_SCHEMA,
      title: { text: 'Time to first output and to steady state', subtitle: 'seconds from the start of the input; shorter is better' },
      data: { values: rows },
      ...WORKLOAD_FACET,
      spec: {
        width: PANEL_WIDTH,
        mark: { type: 'bar', tooltip: true },
        encoding: {
          y: { field: 'engine', type: 'nominal', title: 'Engine variant' },
          yOffset: { field: 'figure', type: 'nominal', sort: [...FIGURES] },
          x: { field: 'seconds', type: 'quantitative', title: 'Seconds from the start of the input' },
          color: { field: 'figure', type: 'nominal', title: 'Figure', sort: [...FIGURES], scale: { range: ['#9ecae1', '#3182bd'] } },
        },
      },
    },
    table: {
      columns: [
        { header: 'Workload' },
        { header: 'Engine variant' },
        { header: 'First output (s)', numeric: true },
        { header: 'Steady from (s)', numeric: true },
        { header: 'Start-up latency p50 / p99 (ms)', numeric: true },
        { header: 'Steady-state latency p50 / p99 (ms)', numeric: true },
      ],
      rows: carrying.map(({ m, workload, streaming, startup }): Cell[] => [
        workload,
        m.engine,
        isMissing(startup.firstOutputAfterMs) ? { text: 'missing', title: startup.firstOutputAfterMs.reason } : formatNumber(seconds(startup.firstOutputAfterMs)),
        isMissing(startup.catchUpMs) ? { text: 'never steady', title: startup.catchUpMs.reason } : formatNumber(seconds(startup.catchUpMs)),
        latencyCell(startup.latencyMs),
        latencyCell(streaming.latencyMs),
      ]),
    },
  };
}
