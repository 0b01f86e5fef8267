// The comparison as a terminal table plus a one-line conclusion. Rows without numbers show
// their status instead (never a made-up 0).
import type { Comparison, ComparisonRow, Verdict } from './compare-runs.ts';

const NONE = '—';
const DETAIL_WIDTH = 70;

const VERDICT_TEXT: Record<Verdict, string> = {
  regression: 'REGRESSION',
  improvement: 'improvement',
  'within-threshold': 'unchanged (significant, within threshold)',
  'not-significant': 'unchanged (not significant)',
  'too-few-samples': 'unknown (too few repetitions to test)',
  'metric-missing': 'unknown (metric missing)',
  'status-regression': 'REGRESSION (no longer completes)',
  'status-fixed': 'fixed (completes now)',
  'not-completed': 'not completed in either run',
  'only-in-baseline': 'only in baseline',
  'only-in-candidate': 'only in candidate',
};

export function formatComparison(comparison: Comparison): string {
  const { threshold, alpha, metric } = comparison.options;
  const headers = ['Workload', 'Scale', 'Engine', `Baseline median ${metric} (s)`, `Candidate median ${metric} (s)`, 'Change', 'p (Mann-Whitney)', 'n', 'Verdict'];
  const right = new Set([3, 4, 5, 6, 7]);
  const rows = comparison.rows.map(cells);
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => row[i].length)));
  const line = (values: string[]) =>
    values
      .map((value, i) => (right.has(i) ? value.padStart(widths[i]) : value.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const details = comparison.rows
    .filter((row) => row.detail)
    .map((row) => `  ${row.workload} / ${row.engine}: ${truncate(row.detail!, DETAIL_WIDTH)}`);
  const conclusion =
    comparison.regressions.length === 0
      ? `no regression beyond ${percent(threshold)} at α = ${alpha} (${comparison.baselineRunId} → ${comparison.candidateRunId})`
      : `${comparison.regressions.length} regression${comparison.regressions.length === 1 ? '' : 's'} beyond ${percent(threshold)} at α = ${alpha}: ` +
        comparison.regressions.map((row) => `${row.workload}/${row.engine}`).join(', ');
  return [
    `baseline ${comparison.baselineRunId} → candidate ${comparison.candidateRunId}; metric: ${metric} time; ` +
      `test: Mann-Whitney U, two-sided, exact (mid-ranks for ties) up to 60 samples`,
    '',
    line(headers),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    ...(details.length ? ['', 'details:', ...details] : []),
    '',
    conclusion,
  ].join('\n');
}

function cells(row: ComparisonRow): string[] {
  const numbers =
    row.change === undefined || row.test === undefined
      ? [NONE, NONE, NONE, NONE, NONE]
      : [
          seconds(row.baselineMedianMs!),
          seconds(row.candidateMedianMs!),
          signedPercent(row.change),
          row.test.pTwoSided.toPrecision(3),
          `${row.test.nBaseline}/${row.test.nCandidate}`,
        ];
  // Two paths of one engine are two rows: the path tells them apart.
  return [row.workload, row.scale, row.path ? `${row.engine} (${row.path})` : row.engine, ...numbers, VERDICT_TEXT[row.verdict]];
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function signedPercent(change: number): string {
  return `${change >= 0 ? '+' : ''}${(change * 100).toFixed(1)} %`;
}

function percent(fraction: number): string {
  return `${Number((fraction * 100).toFixed(2))} %`;
}

function truncate(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}
