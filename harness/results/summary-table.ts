// Plain-text summary of a run for the terminal: one row per workload × engine. Anything that
// is not a verified, completed measurement shows its status and reason — never numbers.
import { isFaulted, pathLabel, submissionOf } from './submission.ts';
import { isMissing, type CompletedMeasurement, type Measurement, type ResultsDocument } from './schema.ts';

const NOT_A_NUMBER = '—';
const REASON_WIDTH = 60;
const MISSING_WIDTH = 36;

interface Column {
  header: string;
  align: 'left' | 'right';
}

/**
 * Batch rows (wall times) and, below them, streaming rows (input rate, latency, sustainable
 * rate): a streaming measurement's wall time is only its configured window, never a result.
 */
export function summaryTable(document: ResultsDocument): string {
  const batch = document.measurements.filter((m) => m.mode !== 'streaming');
  const streaming = document.measurements.filter((m) => m.mode === 'streaming');
  const tables = [...(batch.length > 0 || streaming.length === 0 ? [batchTable(batch)] : []), ...(streaming.length > 0 ? [streamingTable(streaming)] : [])];
  return tables.join('\n\n');
}

function batchTable(measurements: readonly Measurement[]): string {
  const showScale = new Set(measurements.map((m) => String(m.scale))).size > 1;
  const columns: Column[] = [
    { header: 'Workload', align: 'left' },
    ...(showScale ? [{ header: 'Scale', align: 'left' } as const] : []),
    { header: 'Engine (submission path)', align: 'left' },
    { header: 'Median wall (s)', align: 'right' },
    { header: 'Min–max (s)', align: 'right' },
    { header: 'Engine-reported median (s)', align: 'right' },
    { header: '× fastest', align: 'right' },
    { header: 'Spread (max/min)', align: 'right' },
    { header: 'Status', align: 'left' },
  ];
  const rows = groupedByComparison(measurements).flatMap((group) => {
    // × fastest within a submission family only (warm against warm, cold against cold).
    // A faulted execution is never the fastest of anything: it is compared with its own unit only (the report's Faults section).
    const fastestOf = (m: Measurement) => Math.min(...group.filter(isCompleted).filter((o) => !isFaulted(o) && submissionOf(o)?.family === submissionOf(m)?.family).map((o) => o.statistics.wallMs.median));
    return group.map((m) => [m.workload, ...(showScale ? [String(m.scale)] : []), `${pathLabel(m)}${isFaulted(m) ? ` with ${String(m.params.faults)}` : ''}`, ...cells(m, fastestOf(m))]);
  });
  return render(columns, rows);
}

// Measurements compared with each other: same workload at the same scale, in order of first appearance.
function groupedByComparison(measurements: readonly Measurement[]): Measurement[][] {
  const groups = new Map<string, Measurement[]>();
  for (const m of measurements) {
    const key = JSON.stringify([m.workload, m.scale, m.mode]);
    groups.set(key, [...(groups.get(key) ?? []), m]);
  }
  return [...groups.values()];
}

function isCompleted(m: Measurement): m is CompletedMeasurement {
  return m.status === 'completed';
}

function cells(m: Measurement, fastestMedianMs: number): string[] {
  if (!isCompleted(m)) {
    return [NOT_A_NUMBER, NOT_A_NUMBER, NOT_A_NUMBER, NOT_A_NUMBER, NOT_A_NUMBER, truncate(`${m.status}: ${m.reason}`, REASON_WIDTH)];
  }
  const wall = m.statistics.wallMs;
  const engine = m.statistics.engineMs;
  return [
    seconds(wall.median),
    `${seconds(wall.min)}–${seconds(wall.max)}`,
    isMissing(engine) ? truncate(`missing (${engine.reason})`, MISSING_WIDTH) : seconds(engine.median),
    fastestMedianMs > 0 && Number.isFinite(fastestMedianMs) ? (wall.median / fastestMedianMs).toFixed(2) : NOT_A_NUMBER,
    wall.relativeSpread === null ? NOT_A_NUMBER : wall.relativeSpread.toFixed(2),
    'completed',
  ];
}

function streamingTable(measurements: readonly Measurement[]): string {
  const showScale = new Set(measurements.map((m) => String(m.scale))).size > 1;
  const columns: Column[] = [
    { header: 'Workload', align: 'left' },
    ...(showScale ? [{ header: 'Scale', align: 'left' } as const] : []),
    { header: 'Variant', align: 'left' },
    { header: 'Input (rec/s)', align: 'right' },
    { header: 'p50 (ms)', align: 'right' },
    { header: 'p99 (ms)', align: 'right' },
    { header: 'Latency from', align: 'left' },
    { header: 'Sustainable (rec/s)', align: 'right' },
    { header: 'Status', align: 'left' },
  ];
  const rows = measurements.map((m) => [m.workload, ...(showScale ? [String(m.scale)] : []), `${m.engine}${isFaulted(m) ? ` with ${String(m.params.faults)}` : ''}`, ...streamingCells(m)]);
  return render(columns, rows);
}

function streamingCells(m: Measurement): string[] {
  if (!isCompleted(m) || !m.streaming) {
    const why = isCompleted(m) ? 'completed without a streaming section' : `${m.status}: ${m.reason}`;
    return [NOT_A_NUMBER, NOT_A_NUMBER, NOT_A_NUMBER, NOT_A_NUMBER, NOT_A_NUMBER, truncate(why, REASON_WIDTH)];
  }
  const s = m.streaming;
  const latency = s.latencyMs;
  const search = s.rateSearch;
  const sustainable =
    search === undefined
      ? 'not searched'
      : isMissing(search.sustainableRate)
        ? truncate(`none (${search.why})`, MISSING_WIDTH)
        : search.harnessLimitedAt !== undefined
          ? `≥ ${whole(search.sustainableRate)} (harness limit)`
          : whole(search.sustainableRate);
  return [
    whole(s.throughput.inputRecordsPerSecond),
    isMissing(latency) ? truncate(`missing (${latency.reason})`, MISSING_WIDTH) : whole(latency.p50Ms),
    isMissing(latency) ? NOT_A_NUMBER : whole(latency.p99Ms),
    // Results before METHOD rule 14 measured from the hand-over of a burst to the client.
    s.latencyFrom ?? 'hand-over',
    sustainable,
    'completed',
  ];
}

function whole(value: number): string {
  return Math.round(value).toLocaleString('en');
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function truncate(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

function render(columns: Column[], rows: string[][]): string {
  const widths = columns.map((column, i) => Math.max(column.header.length, ...rows.map((row) => row[i].length)));
  const line = (values: string[]) =>
    values
      .map((value, i) => (columns[i].align === 'right' ? value.padStart(widths[i]) : value.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.header)), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
