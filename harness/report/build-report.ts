// Results documents → a Report (sections of charts, tables and text). Pure: the same
// documents always give the same report, so the whole thing is testable without a browser.
import type { ResultsDocument } from '../results/schema.ts';
import { methodSection } from './method.ts';
import type { Block, Chart, Report, Section } from './model.ts';
import { enginePalette, orderEngines } from './palette.ts';
import { provenanceSection } from './provenance-section.ts';
import { batchTimeChart } from './specs/batch-time.ts';
import { timeSplitChart } from './specs/time-split.ts';
import { coldStartChart, coldStartRows, coldStartTable } from './specs/cold-start.ts';
import { checkpointCharts, unreadableCheckpointTable } from './specs/checkpoints.ts';
import type { EngineColors } from './specs/common.ts';
import { HEADLINE_ALPHA, headlineTable } from './specs/headline.ts';
import { resourceCharts, unreadableResourceTable } from './specs/resources.ts';
import { latencyCdfChart, latencyPercentilesChart, rateSearchChart, timeSeriesCharts } from './specs/streaming.ts';
import { startupChart } from './specs/startup.ts';
import { harnessLoadChart } from './specs/harness-load.ts';
import { batchFaultsTable, faultsChart } from './specs/faults.ts';
import { isFaulted } from '../results/submission.ts';
import { supportMatrixChart } from './specs/support-matrix.ts';
import { byStartTime, trendChart } from './specs/trends.ts';

/**
 * The run a report is about: the one named by `currentRunId`, else the newest of the
 * documents given (the others only feed the trend across runs).
 */
export function currentDocument(documents: readonly ResultsDocument[], currentRunId?: string): ResultsDocument {
  if (documents.length === 0) throw new Error('buildReport: no results documents given');
  if (currentRunId !== undefined) {
    const named = documents.find((d) => d.runId === currentRunId);
    if (!named) throw new Error(`buildReport: the current run ${currentRunId} is not among the ${documents.length} documents given`);
    return named;
  }
  const ordered = byStartTime(documents);
  return ordered[ordered.length - 1];
}

export interface ReportOptions {
  /** The run the report is about (default: the newest given). */
  currentRunId?: string;
}

function unreadable(measurements: Parameters<typeof unreadableResourceTable>[0]): Block[] {
  const table = unreadableResourceTable(measurements);
  return table ? [{ kind: 'table', title: 'Resource figures that could not be read', table }] : [];
}

function unreadableCheckpoints(measurements: Parameters<typeof unreadableCheckpointTable>[0]): Block[] {
  const table = unreadableCheckpointTable(measurements);
  return table ? [{ kind: 'table', title: 'Checkpoint figures that could not be read', table }] : [];
}

/** The cost of a cold start: a chart when some engine has both a cold and a warm figure, else the table alone (its reasons). */
function coldStart(batch: Parameters<typeof coldStartRows>[0], colors: EngineColors): Block[] {
  const rows = coldStartRows(batch);
  if (rows.length === 0) return [];
  const chart = coldStartChart(rows, colors);
  return chart ? [{ kind: 'chart', chart }] : [{ kind: 'table', title: 'Cost of a cold start (cold − warm median wall time)', table: coldStartTable(rows) }];
}

const charts = (list: readonly (Chart | undefined)[]): Block[] => list.flatMap((chart) => (chart ? [{ kind: 'chart' as const, chart }] : []));

export function buildReport(documents: readonly ResultsDocument[], options: ReportOptions = {}): Report {
  const current = currentDocument(documents, options.currentRunId);
  // Faulted measurements are shown under Faults only: never ranked or charted against unfaulted ones.
  const measurements = current.measurements.filter((m) => !isFaulted(m));
  const allEngines = documents.flatMap((d) => d.measurements.map((m) => m.engine));
  const colors: EngineColors = { order: orderEngines(allEngines), colors: enginePalette(allEngines) };
  const runEngines = colors.order.filter((engine) => measurements.some((m) => m.engine === engine));

  const sections: Section[] = [];
  sections.push({
    id: 'headline',
    title: 'Headline',
    blocks:
      measurements.length === 0
        ? [{ kind: 'text', paragraphs: [current.measurements.length > 0 ? 'Every measurement of this run had a fault injected: they are under Faults, never ranked.' : 'This run recorded no measurements.'] }]
        : [
            {
              kind: 'text',
              paragraphs: [
                'Batch: one row per workload and submission family — session (warm: one long-lived application serves the warm-ups and every repetition) and job (cold: a fresh application per execution) — so a warm engine is never ranked against a cold one. Each engine is represented by its fastest path in the family; DuckDB is the single-machine baseline, shown beside every family and never ranked.',
                `A winner and its margin are named only when the two engines' repetitions do not overlap and the exact Mann-Whitney test is significant (two-sided p ≤ ${HEADLINE_ALPHA}); otherwise the row says "no clear winner" with both ranges. Streaming: the winning variant by sustainable rate (else p99 latency). Anything that did not complete shows its status; hover it for the reason.`,
              ],
            },
            { kind: 'table', table: { ...headlineTable(measurements, runEngines), id: 'headline-table' } },
          ],
  });
  const batch = measurements.filter((m) => m.mode === 'batch');
  if (batch.length > 0) {
    sections.push({ id: 'batch', title: 'Batch', blocks: [...charts([batchTimeChart(batch, colors), timeSplitChart(batch)]), ...coldStart(batch, colors), ...charts(resourceCharts(batch, colors)), ...unreadable(batch)] });
  }
  const streaming = measurements.filter((m) => m.mode === 'streaming');
  if (streaming.length > 0) {
    const blocks = [
      ...charts([
        latencyPercentilesChart(streaming, colors),
        latencyCdfChart(streaming, colors),
        rateSearchChart(streaming, colors),
        startupChart(streaming),
        harnessLoadChart(streaming),
        ...timeSeriesCharts(streaming, colors),
        ...checkpointCharts(streaming, colors),
        ...resourceCharts(streaming, colors),
      ]),
      ...unreadable(streaming),
      ...unreadableCheckpoints(streaming),
    ];
    sections.push({
      id: 'streaming',
      title: 'Streaming',
      blocks: blocks.length ? blocks : [{ kind: 'text', paragraphs: ['No streaming latency, rate or time-series data was recorded in this run.'] }],
    });
  }
  const faults = faultsChart(current.measurements);
  const batchFaults = batchFaultsTable(current.measurements);
  if (faults || batchFaults) {
    sections.push({
      id: 'faults',
      title: 'Faults',
      blocks: [
        ...(batchFaults ? [{ kind: 'table' as const, title: 'Batch executions with a fault: did the engine finish, and at what cost against the same unit without it', table: batchFaults }] : []),
        ...(faults ? charts([faults]) : []),
      ],
    });
  }
  const matrix = supportMatrixChart(measurements, runEngines);
  if (matrix) sections.push({ id: 'support', title: 'Support matrix', blocks: charts([matrix]) });
  const trend = trendChart(documents.map((d) => ({ ...d, measurements: d.measurements.filter((m) => !isFaulted(m)) })), current.runId, colors);
  if (trend) sections.push({ id: 'trends', title: 'Across runs', blocks: charts([trend]) });
  sections.push(methodSection(current));
  sections.push(provenanceSection(current));

  const engines = runEngines.join(', ') || 'no engines';
  return {
    title: `Spark vs Flink benchmark — run ${current.runId}`,
    subtitle: `${current.mode} · profile ${current.profile} · scale ${current.provenance.scale} · ${engines} · ${current.provenance.runtime.kind} runtime · started ${current.startedAt} · ${current.status}`,
    sections,
  };
}

/** Every chart of a report, in order (for the specs written beside the HTML). */
export function reportCharts(report: Report): Chart[] {
  return report.sections.flatMap((section) => section.blocks.flatMap((block) => (block.kind === 'chart' ? [block.chart] : [])));
}
