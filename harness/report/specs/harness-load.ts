// What the harness's own processes used while each stream's input ran: how busy the generator
// process's event loop and the run process's (output consumer, lag sampler, scrapers) were,
// against the bound above which a rate-search step counts as harness-limited, with both
// processes' CPU in the table. A reader sees at a glance whether a figure could have been the
// harness's limit rather than the engine's.
import type { Measurement } from '../../results/schema.ts';
import { formatNumber } from '../format.ts';
import type { Cell, Chart } from '../model.ts';
import { PANEL_WIDTH, VEGA_LITE_SCHEMA, WORKLOAD_FACET } from './common.ts';
import { streamingOnly } from './streaming.ts';

const FIGURES = ['generator event loop', 'run process event loop'] as const;

export function harnessLoadChart(measurements: readonly Measurement[]): Chart | undefined {
  const carrying = streamingOnly(measurements).flatMap(({ m, workload }) => (m.status === 'completed' && m.streaming?.harnessLoad ? [{ m, workload, load: m.streaming.harnessLoad }] : []));
  if (carrying.length === 0) return undefined;
  const bound = Math.max(...carrying.map((c) => c.load.busyBound));
  const rows = carrying.flatMap(({ m, workload, load }) => [
    { workload, engine: m.engine, figure: FIGURES[0], value: round(load.generator.eventLoopBusy) },
    { workload, engine: m.engine, figure: FIGURES[1], value: round(load.runProcess.eventLoopBusy) },
  ]);
  return {
    id: 'streaming-harness-load',
    title: "The harness's own load",
    caption: `While the input ran: the share of the time the generator's own event loop and the run process's (output consumer, lag sampler, scrapers) were busy; the table adds each process's CPU in cores (Kafka client threads included, so CPU alone is no limit). At ${bound} or above, a rate-search step is marked harness-limited and its rate is never credited to the engine. For a rate search these are the kept step's figures; a step the harness limited says so in the rate-search table.`,
    spec: {
      $schema: VEGA_LITE_SCHEMA,
      title: { text: 'Harness load while the input ran', subtitle: `event-loop busy share; the line: ${bound}, where the harness becomes the limit` },
      data: { values: rows },
      ...WORKLOAD_FACET,
      spec: {
        width: PANEL_WIDTH,
        layer: [
          {
            mark: { type: 'bar', tooltip: true },
            encoding: {
              y: { field: 'engine', type: 'nominal', title: 'Engine variant' },
              yOffset: { field: 'figure', type: 'nominal', sort: [...FIGURES] },
              x: { field: 'value', type: 'quantitative', title: 'Busy share of the time', scale: { domain: [0, 1] } },
              color: { field: 'figure', type: 'nominal', title: 'Event loop', sort: [...FIGURES], scale: { range: ['#fdae6b', '#9e9ac8'] } },
            },
          },
          { mark: { type: 'rule', color: '#e63946', strokeDash: [4, 3] }, encoding: { x: { datum: bound } } },
        ],
      },
    },
    table: {
      columns: [
        { header: 'Workload' },
        { header: 'Engine variant' },
        { header: 'Generator process (cores)', numeric: true },
        { header: 'Generator event loop busy', numeric: true },
        { header: 'Run process (cores)', numeric: true },
        { header: 'Run process event loop busy', numeric: true },
      ],
      rows: carrying.map(({ m, workload, load }): Cell[] => [workload, m.engine, formatNumber(load.generator.cpuCores), share(load.generator.eventLoopBusy), formatNumber(load.runProcess.cpuCores), share(load.runProcess.eventLoopBusy)]),
    },
  };
}

const round = (x: number) => Math.round(x * 1000) / 1000;
const share = (x: number) => `${Math.round(x * 100)} %`;
