// The headline: per workload, which engine won, by how much, and whether every answer was
// verified. Only completed (hence verified) measurements compete; everything else is shown
// by its status, never as a number. DuckDB is the baseline, not a contender.
import type { Measurement } from '../../results/schema.ts';
import { formatNumber, formatRatio, formatSeconds } from '../format.ts';
import type { Cell, Table } from '../model.ts';
import { BASELINE_ENGINE } from '../palette.ts';
import { latencySummary, rateSearch } from '../read-sections.ts';
import { groupBy, groupLabel, mixedScales, NO_NUMBER } from './common.ts';

interface Score {
  engine: string;
  value: number;
}

interface Criterion {
  /** "faster than" / "higher sustainable rate than" */
  comparison: string;
  higherIsBetter: boolean;
  score(m: Measurement): number | undefined;
  cell(value: number): string;
}

const BATCH_TIME: Criterion = {
  comparison: 'faster than',
  higherIsBetter: false,
  score: (m) => (m.status === 'completed' ? m.statistics.wallMs.median : undefined),
  cell: (ms) => formatSeconds(ms),
};

const SUSTAINABLE_RATE: Criterion = {
  comparison: 'higher sustainable rate than',
  higherIsBetter: true,
  score: (m) => {
    const rate = m.status === 'completed' ? rateSearch(m)?.sustainableRate : undefined;
    return typeof rate === 'number' ? rate : undefined;
  },
  cell: (rate) => `${formatNumber(rate)} rec/s`,
};

const P99_LATENCY: Criterion = {
  comparison: 'lower p99 latency than',
  higherIsBetter: false,
  score: (m) => {
    const p99 = m.status === 'completed' ? latencySummary(m)?.values.find((v) => v.label === 'p99')?.figure : undefined;
    return typeof p99 === 'number' ? p99 : undefined;
  },
  cell: (ms) => `p99 ${formatNumber(ms)} ms`,
};

/** Streaming runs are judged by sustainable rate when measured, else by p99 latency. */
function criterionFor(group: readonly Measurement[]): Criterion | undefined {
  if (group[0].mode === 'batch') return BATCH_TIME;
  for (const criterion of [SUSTAINABLE_RATE, P99_LATENCY]) {
    if (group.some((m) => criterion.score(m) !== undefined)) return criterion;
  }
  return undefined;
}

export interface HeadlineRow {
  workload: string;
  mode: string;
  winner: string | null;
  /** Runner-up score / winner score (or the inverse when higher is better); null without a runner-up. */
  ratio: number | null;
  verdict: string;
  verified: boolean;
}

export function headlineRows(measurements: readonly Measurement[]): HeadlineRow[] {
  const mixed = mixedScales(measurements);
  const groups = groupBy(measurements, (m) => JSON.stringify([m.workload, m.scale, m.mode]));
  return [...groups.values()].map((group) => {
    const workload = groupLabel(group[0], mixed);
    // An unsupported variant gave no answer to verify; everything that ran must be verified.
    const verified = group.every((m) => m.status === 'completed' || m.status === 'unsupported');
    const criterion = criterionFor(group);
    const contenders = group.filter((m) => m.engine !== BASELINE_ENGINE);
    const scores: Score[] = criterion
      ? contenders.flatMap((m) => {
          const value = criterion.score(m);
          return value === undefined ? [] : [{ engine: m.engine, value }];
        })
      : [];
    scores.sort((a, b) => (criterion?.higherIsBetter ? b.value - a.value : a.value - b.value));
    const [winner, runnerUp] = scores;
    let ratio: number | null = null;
    let verdict: string;
    if (!criterion || !winner) {
      verdict = 'no winner: no engine completed with a verified answer';
    } else if (!runnerUp) {
      const others = contenders.filter((m) => m.engine !== winner.engine).map((m) => `${m.engine} ${m.status}`);
      verdict = others.length ? `only ${winner.engine} completed (${others.join(', ')})` : `only ${winner.engine} ran`;
    } else {
      ratio = criterion.higherIsBetter ? winner.value / runnerUp.value : runnerUp.value / winner.value;
      verdict = `${formatRatio(ratio)} ${criterion.comparison} ${runnerUp.engine}`;
    }
    return { workload, mode: group[0].mode, winner: winner?.engine ?? null, ratio, verdict, verified };
  });
}

/** Table: workload, winner, margin, verified, then one cell per engine (score or status). */
export function headlineTable(measurements: readonly Measurement[], engineOrder: readonly string[]): Table {
  const rows = headlineRows(measurements);
  const groups = [...groupBy(measurements, (m) => JSON.stringify([m.workload, m.scale, m.mode])).values()];
  return {
    columns: [
      { header: 'Workload' },
      { header: 'Mode' },
      { header: 'Winner' },
      { header: 'Margin' },
      { header: 'Answers verified' },
      ...engineOrder.map((engine) => ({ header: engine === BASELINE_ENGINE ? `${engine} (baseline)` : engine, numeric: true })),
    ],
    rows: rows.map((row, index) => {
      const group = groups[index];
      const criterion = criterionFor(group);
      const ran = group.filter((m) => m.status !== 'unsupported');
      const failures = ran.filter((m) => m.status !== 'completed');
      const unsupported = group.length - ran.length;
      const verifiedCell: Cell = row.verified
        ? { text: `yes (${ran.length} of ${ran.length} that ran${unsupported ? `; ${unsupported} unsupported` : ''})`, status: 'completed' }
        : { text: `no: ${failures.map((m) => `${m.engine} ${m.status}`).join(', ')}`, status: failures[0].status };
      const engineCells = engineOrder.map((engine): Cell => {
        const m = group.find((candidate) => candidate.engine === engine);
        if (!m) return 'not run';
        if (m.status !== 'completed') return { text: m.status, title: m.reason, status: m.status };
        const value = criterion?.score(m);
        return value === undefined ? 'completed (no figure)' : criterion!.cell(value);
      });
      return [row.workload, row.mode, row.winner ?? NO_NUMBER, row.verdict, verifiedCell, ...engineCells];
    }),
  };
}
