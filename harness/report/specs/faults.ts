// Faults (--fault): per streaming measurement with a fault, the output rate and the engine's lag
// over time with the fault and the recovery marked; and a table per variant of what the fault
// cost — when the engine noticed, when output came back, when it had recovered, how far behind
// it fell, what was lost or written twice — beside the guarantee the variant promised. A broken
// promise is a finding: its cell is red, never hidden.
import { isMissing, type Measurement } from '../../results/schema.ts';
import type { Figure } from '../../results/missing.ts';
import type { FaultSection, StreamingSection } from '../../results/streaming-section.ts';
import type { Cell, Chart, Table } from '../model.ts';
import { pathLabel } from '../../results/submission.ts';
import { PANEL_WIDTH, VEGA_LITE_SCHEMA } from './common.ts';
import { streamingOnly } from './streaming.ts';

const SERIES = ['output rows/s', 'lag (records)'] as const;

interface Faulted {
  readonly m: Measurement;
  readonly workload: string;
  readonly streaming: StreamingSection;
  readonly fault: FaultSection;
}

function faulted(measurements: readonly Measurement[]): Faulted[] {
  return streamingOnly(measurements).flatMap(({ m, workload }) => {
    const streaming = 'streaming' in m ? m.streaming : undefined;
    return streaming?.fault ? [{ m, workload, streaming, fault: streaming.fault }] : [];
  });
}

const seconds = (ms: number) => Math.round(ms / 100) / 10;
const wholeCount = (n: number) => Math.round(n).toLocaleString('en');
const secondsCell = (figure: Figure): Cell => (isMissing(figure) ? { text: 'missing', title: figure.reason } : (figure / 1000).toFixed(1));
const countCell = (figure: Figure): Cell => (isMissing(figure) ? { text: 'not visible', title: figure.reason } : wholeCount(figure));

export function faultsChart(measurements: readonly Measurement[]): Chart | undefined {
  const runs = faulted(measurements);
  if (runs.length === 0) return undefined;
  const label = (r: Faulted) => `${r.m.engine} · ${r.workload}`;
  const rows = runs.flatMap((r) => {
    const t0 = r.streaming.generator.startedAtMs;
    const at = (tMs: number) => seconds(tMs - t0);
    const samples = [
      ...r.streaming.throughput.outputSeries.map((p) => ({ run: label(r), series: SERIES[0], kind: 'sample', t: at(p.tMs), value: p.rows })),
      ...r.streaming.lag.series.map((p) => ({ run: label(r), series: SERIES[1], kind: 'sample', t: at(p.tMs), value: p.lag })),
    ];
    const marks = r.fault.injected.flatMap((f) => (f.injectedAtMs === undefined ? [] : SERIES.map((series) => ({ run: label(r), series, kind: 'fault', t: at(f.injectedAtMs!), value: 0, what: f.text }))));
    const recovered = isMissing(r.fault.recovery.recoveryMs) || r.fault.injected[0]?.injectedAtMs === undefined ? [] : SERIES.map((series) => ({ run: label(r), series, kind: 'recovered', t: at(r.fault.injected[0]!.injectedAtMs! + (r.fault.recovery.recoveryMs as number)), value: 0, what: 'recovered' }));
    return [...samples, ...marks, ...recovered];
  });
  return {
    id: 'faults',
    title: 'Faults: recovery and delivery',
    caption:
      'Output rows per second and the engine’s lag on its sources over each faulted measurement (seconds from the start of the input); the red rule is the fault, the green one where the run had recovered (output back within 10 % of its pre-fault rate and lag back to its pre-fault floor, held 3 s). The table gives the figures and the promise beside what was observed: a red "broken" is a guarantee the engine did not keep.',
    spec: {
      $schema: VEGA_LITE_SCHEMA,
      title: { text: 'Output rate and lag around the fault', subtitle: 'seconds from the start of the input' },
      data: { values: rows },
      facet: { row: { field: 'series', type: 'nominal', title: null, sort: [...SERIES] }, column: { field: 'run', type: 'nominal', title: null } },
      resolve: { scale: { y: 'independent' } },
      spec: {
        width: PANEL_WIDTH,
        height: 120,
        layer: [
          {
            transform: [{ filter: "datum.kind === 'sample'" }],
            mark: { type: 'line', interpolate: 'step-after', tooltip: true },
            encoding: { x: { field: 't', type: 'quantitative', title: 'Seconds from the start of the input' }, y: { field: 'value', type: 'quantitative', title: null } },
          },
          {
            transform: [{ filter: "datum.kind !== 'sample'" }],
            mark: { type: 'rule', strokeWidth: 2, tooltip: true },
            encoding: {
              x: { field: 't', type: 'quantitative' },
              color: { field: 'kind', type: 'nominal', title: 'Mark', scale: { domain: ['fault', 'recovered'], range: ['#d62728', '#2ca02c'] } },
            },
          },
        ],
      },
    },
    table: {
      columns: [
        { header: 'Workload' },
        { header: 'Engine variant' },
        { header: 'Fault' },
        { header: 'Engine noticed after (s)', numeric: true },
        { header: 'First output after (s)', numeric: true },
        { header: 'Recovered after (s)', numeric: true },
        { header: 'Peak lag (records)', numeric: true },
        { header: 'Lost', numeric: true },
        { header: 'Written twice', numeric: true },
        { header: 'Promised' },
        { header: 'Observed' },
      ],
      rows: runs.map(({ m, workload, fault }): Cell[] => [
        workload,
        m.engine,
        fault.injected.map((f) => (f.error ? `${f.text} (${f.error})` : f.text)).join(', '),
        secondsCell(fault.recovery.detectMs),
        secondsCell(fault.recovery.firstOutputAfterMs),
        secondsCell(fault.recovery.recoveryMs),
        countCell(fault.recovery.peakLag),
        `${wholeCount(fault.delivery.lost)} ${fault.delivery.unit}`,
        countCell(fault.delivery.duplicated),
        fault.guarantee.promised,
        fault.guarantee.kept ? { text: 'kept', title: fault.guarantee.why, status: 'completed' } : { text: `broken: ${fault.guarantee.why}`, title: fault.guarantee.why, status: 'invalid' },
      ]),
    },
  };
}

/**
 * Batch measurements with a fault (one execution each): did the engine finish with the right
 * answer, and what did it cost against the median of the same unit without the fault.
 */
export function batchFaultsTable(measurements: readonly Measurement[]): Table | undefined {
  const faultedRuns = measurements.filter((m) => m.mode === 'batch' && m.fault);
  if (faultedRuns.length === 0) return undefined;
  const withoutFaults = (m: Measurement) => JSON.stringify({ ...m.params, faults: undefined, workload: m.workload, engine: m.engine, scale: m.scale, path: m.submission?.path });
  return {
    id: 'batch-faults',
    columns: [
      { header: 'Workload' },
      { header: 'Engine (path)' },
      { header: 'Fault' },
      { header: 'Outcome' },
      { header: 'Wall with the fault (s)', numeric: true },
      { header: 'Median without (s)', numeric: true },
      { header: 'Cost', numeric: true },
    ],
    rows: faultedRuns.map((m): Cell[] => {
      const fault = m.fault!;
      const unfaulted = measurements.find((other) => other !== m && !other.fault && other.mode === 'batch' && withoutFaults(other) === withoutFaults(m));
      const wallMs = m.status === 'completed' ? m.repetitions[0]!.wallMs : undefined;
      const medianMs = unfaulted?.status === 'completed' ? unfaulted.statistics.wallMs.median : undefined;
      const outcome: Cell =
        m.status === 'completed'
          ? { text: 'finished, answer verified', status: 'completed' }
          : { text: m.status, title: (m as { reason?: string }).reason ?? m.status, status: m.status };
      return [
        m.workload,
        pathLabel(m),
        fault.injected.map((f) => (f.error ? `${f.text} (${f.error})` : f.text)).join(', '),
        outcome,
        wallMs === undefined ? { text: '—', title: 'the faulted execution did not finish' } : (wallMs / 1000).toFixed(1),
        medianMs === undefined ? { text: 'missing', title: 'no completed measurement of the same unit without the fault in this run' } : (medianMs / 1000).toFixed(1),
        wallMs === undefined || medianMs === undefined ? '—' : `${wallMs >= medianMs ? '+' : '−'}${(Math.abs(wallMs - medianMs) / 1000).toFixed(1)} s (${(wallMs / medianMs).toFixed(2)}×)`,
      ];
    }),
  };
}
