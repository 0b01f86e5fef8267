// The headline: per workload, which engine won, by how much, and whether every answer was
// verified. Only completed (hence verified) measurements compete; everything else is shown
// by its status, never as a number. DuckDB is the baseline, not a contender.
// Batch compares like with like: one row per workload × submission family (session = warm,
// job = cold), so a warm engine is never ranked against a cold one. Each engine is represented
// by its fastest path in the family, and a winner is named only when the two engines'
// repetitions do not overlap AND the exact Mann-Whitney test says they differ at the level
// `bench compare` uses; otherwise the row says "no clear winner" with both ranges.
import { DEFAULT_COMPARE_OPTIONS } from '../../compare/compare-runs.ts';
import { ALL_SUBMISSION_PATHS } from '../../engines/submission-paths.ts';
import type { CompletedMeasurement, Measurement } from '../../results/schema.ts';
import { FAMILY_WORDS, pathLabel, submissionOf, type SubmissionFamily } from '../../results/submission.ts';
import { mannWhitney } from '../../stats/mann-whitney.ts';
import { formatNumber, formatRatio, formatSeconds } from '../format.ts';
import type { Cell, Table } from '../model.ts';
import { BASELINE_ENGINE } from '../palette.ts';
import { latencySummary, rateSearch } from '../read-sections.ts';
import { groupBy, groupLabel, mixedScales, NO_NUMBER } from './common.ts';

interface Score {
  engine: string;
  value: number;
  /** The value is only a lower bound of the engine (the harness's limit was reached first). */
  atLeast: boolean;
}

interface Criterion {
  /** "faster than" / "higher sustainable rate than" */
  comparison: string;
  higherIsBetter: boolean;
  score(m: Measurement): number | undefined;
  /** Whether the score is only a lower bound (a sustainable rate found at the harness's limit). */
  atLeast?(m: Measurement): boolean;
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
  atLeast: (m) => rateSearch(m)?.harnessLimitedAt !== undefined,
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

/** Significance level of the headline's test: the one `bench compare` uses. */
export const HEADLINE_ALPHA = DEFAULT_COMPARE_OPTIONS.alpha;

/** A batch row's family; 'unrecorded' for a batch measurement of an engine with no known path. */
export type HeadlineFamily = SubmissionFamily | 'unrecorded';

export interface HeadlineRow {
  workload: string;
  mode: string;
  /** Batch: the submission family the row ranks within; null for streaming. */
  family: HeadlineFamily | null;
  /** Engine + path label of the winner; null when there is none or it is not clear. */
  winner: string | null;
  /** Runner-up score / winner score (or the inverse when higher is better); null without a clear winner. */
  ratio: number | null;
  verdict: string;
  verified: boolean;
}

/** A headline row and the measurements it is about (its family's, plus the baseline's). */
interface HeadlineGroup {
  row: HeadlineRow;
  measurements: Measurement[];
}

const FAMILY_ORDER: readonly HeadlineFamily[] = ['session', 'job', 'client', 'unrecorded', 'in-process'];

function familyOf(m: Measurement): HeadlineFamily {
  return submissionOf(m)?.family ?? 'unrecorded';
}

export function familyWords(family: HeadlineFamily | null): string {
  if (family === null) return NO_NUMBER;
  return family === 'unrecorded' ? 'path not recorded' : FAMILY_WORDS[family];
}

const isCompleted = (m: Measurement): m is CompletedMeasurement => m.status === 'completed';
// An unsupported variant gave no answer to verify; everything that ran must be verified.
const allVerified = (group: readonly Measurement[]) => group.every((m) => m.status === 'completed' || m.status === 'unsupported');

/** Two significant digits: 2/252 → '0.0079', 0.1 → '0.1'. */
function pValue(p: number): string {
  return String(Number(p.toPrecision(2)));
}

function range(m: CompletedMeasurement): string {
  return `${formatNumber(m.statistics.wallMs.min / 1000)}–${formatSeconds(m.statistics.wallMs.max)}`;
}

/**
 * The verdict between the fastest path of the best engine and that of the runner-up engine:
 * a ratio only when their repetitions do not overlap and the test is significant.
 */
export function batchVerdict(winner: CompletedMeasurement, runnerUp: CompletedMeasurement, alpha = HEADLINE_ALPHA): { clear: boolean; ratio: number | null; verdict: string } {
  const a = winner.statistics.wallMs;
  const b = runnerUp.statistics.wallMs;
  const overlap = a.max >= b.min && b.max >= a.min;
  const test = mannWhitney(
    winner.repetitions.map((r) => r.wallMs),
    runnerUp.repetitions.map((r) => r.wallMs),
  );
  const ranges = `${pathLabel(winner)} ${range(winner)} vs ${pathLabel(runnerUp)} ${range(runnerUp)}`;
  const significant = test.pTwoSided <= alpha;
  if (overlap || !significant) {
    const why = [
      ...(overlap ? ['the ranges overlap'] : []),
      ...(significant
        ? []
        : [
            test.minimumPTwoSided > alpha
              ? `${test.nBaseline} + ${test.nCandidate} repetitions cannot reach p ≤ ${alpha} (Mann-Whitney p = ${pValue(test.pTwoSided)})`
              : `Mann-Whitney p = ${pValue(test.pTwoSided)} > ${alpha}`,
          ]),
    ];
    return { clear: false, ratio: null, verdict: `no clear winner: ${ranges}; ${why.join('; ')}` };
  }
  const ratio = b.median / a.median;
  return { clear: true, ratio, verdict: `${formatRatio(ratio)} ${BATCH_TIME.comparison} ${pathLabel(runnerUp)}: ${ranges}, Mann-Whitney p = ${pValue(test.pTwoSided)}` };
}

const PATH_ORDER = ALL_SUBMISSION_PATHS.map((p) => p.id);
const HEADLINE_PATHS = new Set(ALL_SUBMISSION_PATHS.filter((p) => p.headlinePath).map((p) => p.id));

/** One batch row: the family's engines ranked, each by its headline path there; the baseline never ranked. */
function batchRow(workload: string, family: HeadlineFamily, contenders: readonly Measurement[], baseline: readonly Measurement[]): HeadlineRow {
  const verified = allVerified([...contenders, ...baseline]);
  const common = { workload, mode: 'batch', family, verified };
  const engines = [...new Set(contenders.map((m) => m.engine))];
  if (family === 'in-process' || engines.length === 0) {
    const who = [...new Set(baseline.map((m) => m.engine))].join(', ');
    return { ...common, family: 'in-process', winner: null, ratio: null, verdict: `only the baseline (${who}) ran: nothing to rank` };
  }
  // Each engine by one path in this family, chosen before looking at times: its headline path
  // when that completed, else its first completed one in the paths' declared order. Never the
  // fastest of several: the best of k would favour the engine that has more paths (Spark's
  // Thrift and Connect servers are both warm).
  const best = engines.flatMap((engine) => {
    const done = contenders.filter((m): m is CompletedMeasurement => m.engine === engine && isCompleted(m));
    const order = (m: Measurement) => {
      const id = submissionOf(m)?.path ?? '';
      return (HEADLINE_PATHS.has(id) ? 0 : PATH_ORDER.length + 1) + PATH_ORDER.indexOf(id);
    };
    return done.length ? [[...done].sort((x, y) => order(x) - order(y))[0]!] : [];
  });
  best.sort((x, y) => x.statistics.wallMs.median - y.statistics.wallMs.median);
  const [winner, runnerUp] = best;
  const inFamily = `in the ${familyWords(family)} family`;
  if (engines.length === 1) {
    const paths = contenders.map((m) => `${pathLabel(m)}${m.status === 'completed' ? '' : ` ${m.status}`}`).join(', ');
    return { ...common, winner: null, ratio: null, verdict: `only ${engines[0]} ${inFamily} (${paths}): nothing to rank` };
  }
  if (!winner) return { ...common, winner: null, ratio: null, verdict: 'no winner: no engine completed with a verified answer' };
  if (!runnerUp) {
    const others = contenders.filter((m) => m.engine !== winner.engine).map((m) => `${pathLabel(m)} ${m.status}`);
    return { ...common, winner: pathLabel(winner), ratio: null, verdict: `only ${pathLabel(winner)} completed ${inFamily} (${others.join(', ')})` };
  }
  const { clear, ratio, verdict } = batchVerdict(winner, runnerUp);
  return { ...common, winner: clear ? pathLabel(winner) : null, ratio, verdict };
}

/** Streaming: judged as before (one measurement per variant, no repetitions to test). */
function streamingRow(workload: string, group: readonly Measurement[]): HeadlineRow {
  const verified = allVerified(group);
  const criterion = criterionFor(group);
  const contenders = group.filter((m) => m.engine !== BASELINE_ENGINE);
  const scores: Score[] = criterion
    ? contenders.flatMap((m) => {
        const value = criterion.score(m);
        return value === undefined ? [] : [{ engine: m.engine, value, atLeast: criterion.atLeast?.(m) ?? false }];
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
  } else if (runnerUp.atLeast) {
    // The runner-up stopped at the harness's limit, not its own: it may be as good or better.
    const bounded = scores.filter((s) => s.atLeast).map((s) => `${s.engine} ≥ ${criterion.cell(s.value)}`);
    const exact = winner.atLeast ? '' : `${winner.engine} ${criterion.cell(winner.value)} vs `;
    return { workload, mode: 'streaming', family: null, winner: null, ratio: null, verdict: `no clear winner: ${exact}${bounded.join(', ')} (the harness's limit, not the engines')`, verified };
  } else {
    ratio = criterion.higherIsBetter ? winner.value / runnerUp.value : runnerUp.value / winner.value;
    verdict = `${winner.atLeast ? '≥ ' : ''}${formatRatio(ratio)} ${criterion.comparison} ${runnerUp.engine}${winner.atLeast ? ` (${winner.engine} reached the harness's limit)` : ''}`;
  }
  return { workload, mode: 'streaming', family: null, winner: winner?.engine ?? null, ratio, verdict, verified };
}

function headlineGroups(measurements: readonly Measurement[]): HeadlineGroup[] {
  const mixed = mixedScales(measurements);
  const groups = groupBy(measurements, (m) => JSON.stringify([m.workload, m.scale, m.mode]));
  return [...groups.values()].flatMap((group): HeadlineGroup[] => {
    const workload = groupLabel(group[0], mixed);
    if (group[0].mode !== 'batch') return [{ row: streamingRow(workload, group), measurements: group }];
    const baseline = group.filter((m) => m.engine === BASELINE_ENGINE || familyOf(m) === 'in-process');
    const contenders = group.filter((m) => !baseline.includes(m));
    const families = FAMILY_ORDER.filter((family) => contenders.some((m) => familyOf(m) === family));
    if (families.length === 0) return [{ row: batchRow(workload, 'in-process', [], baseline), measurements: baseline }];
    return families.map((family) => {
      const own = contenders.filter((m) => familyOf(m) === family);
      return { row: batchRow(workload, family, own, baseline), measurements: [...own, ...baseline] };
    });
  });
}

export function headlineRows(measurements: readonly Measurement[]): HeadlineRow[] {
  return headlineGroups(measurements).map((group) => group.row);
}

/** What one engine did in one headline row: its figure per path, or the status with the reason. */
function engineCell(measurements: readonly Measurement[], criterion: Criterion | undefined, row: HeadlineRow): Cell {
  if (measurements.length === 0) return row.family === null || row.family === 'in-process' ? 'not run' : `no ${familyWords(row.family)} path`;
  const parts = measurements.map((m) => {
    const path = row.mode === 'batch' ? submissionOf(m)?.path : undefined;
    const suffix = path ? ` (${path})` : '';
    if (m.status !== 'completed') return { text: `${m.status}${suffix}`, title: m.reason, status: m.status };
    const value = criterion?.score(m);
    return { text: `${value === undefined ? 'completed (no figure)' : criterion!.cell(value)}${suffix}` };
  });
  if (parts.length === 1 && parts[0].title === undefined && !('status' in parts[0] && parts[0].status)) return parts[0].text;
  const failed = parts.filter((p) => p.status !== undefined);
  const text = parts.map((p) => p.text).join('; ');
  if (failed.length === 0) return text;
  return { text, title: failed.map((p) => p.title).join('; '), status: failed[0].status };
}

/** Table: workload, family, winner, margin, verified, then one cell per engine (score per path, or status). */
export function headlineTable(measurements: readonly Measurement[], engineOrder: readonly string[]): Table {
  const groups = headlineGroups(measurements);
  return {
    columns: [
      { header: 'Workload' },
      { header: 'Mode' },
      { header: 'Submission family' },
      { header: 'Winner' },
      { header: 'Margin' },
      { header: 'Answers verified' },
      ...engineOrder.map((engine) => ({ header: engine === BASELINE_ENGINE ? `${engine} (baseline)` : engine, numeric: true })),
    ],
    rows: groups.map(({ row, measurements: group }) => {
      const criterion = criterionFor(group);
      const ran = group.filter((m) => m.status !== 'unsupported');
      const failures = ran.filter((m) => m.status !== 'completed');
      const unsupported = group.length - ran.length;
      const label = (m: Measurement) => (row.mode === 'batch' ? pathLabel(m) : m.engine);
      const verifiedCell: Cell = row.verified
        ? { text: `yes (${ran.length} of ${ran.length} that ran${unsupported ? `; ${unsupported} unsupported` : ''})`, status: 'completed' }
        : { text: `no: ${failures.map((m) => `${label(m)} ${m.status}`).join(', ')}`, status: failures[0].status };
      const engineCells = engineOrder.map((engine) => engineCell(group.filter((m) => m.engine === engine), criterion, row));
      return [row.workload, row.mode, familyWords(row.family), row.winner ?? (row.verdict.startsWith('no clear winner') ? 'no clear winner' : NO_NUMBER), row.verdict, verifiedCell, ...engineCells];
    }),
  };
}
