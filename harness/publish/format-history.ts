// The run list as a terminal table, oldest first.
import type { RunIndexEntry } from './run-index.ts';

export function formatHistory(runs: readonly RunIndexEntry[], source: string): string {
  if (runs.length === 0) return `no runs in ${source}`;
  const headers = ['Run id', 'Started (UTC)', 'Status', 'Profile', 'Mode', 'Scale', 'Engines', 'Measurements'];
  const rows = runs.map((run) => [
    run.runId,
    run.startedAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, ''),
    run.status,
    run.profile,
    run.mode,
    String(run.scale),
    run.engines.join(', '),
    Object.entries(run.measurements)
      .map(([status, count]) => `${count} ${status}`)
      .join(', ') || 'none',
  ]);
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => row[i].length)));
  const line = (values: string[]) => values.map((value, i) => value.padEnd(widths[i])).join('  ').trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line), '', `${runs.length} run${runs.length === 1 ? '' : 's'} in ${source}`].join('\n');
}
