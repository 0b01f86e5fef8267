// Regression detection between two comparable runs, per workload × engine (× scale, params):
// the change in median time and whether it is real. A change counts as a regression only
// when BOTH hold: the Mann-Whitney U test over the measured repetitions says the two sets
// differ (two-sided exact p ≤ alpha) AND the medians differ by more than the threshold
// (candidate median / baseline median − 1 > threshold). Significance alone flags tiny but
// consistent shifts; the threshold alone flags noise. A measurement that completed in the
// baseline but not in the candidate (failed, invalid, timed out) is a regression too.
import { mannWhitney, type MannWhitneyResult } from '../stats/mann-whitney.ts';
import { percentile, sortSamples } from '../stats/summary.ts';
import { submissionOf } from '../results/submission.ts';
import { isMissing, type CompletedMeasurement, type Measurement, type ResultsDocument } from '../results/schema.ts';

export type TimingMetric = 'wall' | 'engine';

export interface CompareOptions {
  /** Relative change of the median beyond which a significant change counts (0.1 = 10 %). */
  threshold: number;
  /** Significance level of the two-sided test. */
  alpha: number;
  /** wall = harness-side wall time; engine = the engine's own reported time. */
  metric: TimingMetric;
}

export const DEFAULT_COMPARE_OPTIONS: CompareOptions = { threshold: 0.1, alpha: 0.05, metric: 'wall' };

export type Verdict =
  | 'regression' // significant and slower by more than the threshold
  | 'improvement' // significant and faster by more than the threshold
  | 'within-threshold' // significant, but the medians differ by no more than the threshold
  | 'not-significant'
  | 'too-few-samples' // no arrangement of this many samples could reach alpha
  | 'metric-missing' // the chosen metric was not recorded for some repetition
  | 'status-regression' // completed before, not now
  | 'status-fixed' // not completed before, completed now
  | 'not-completed' // completed in neither run
  | 'only-in-baseline'
  | 'only-in-candidate';

export interface ComparisonRow {
  readonly workload: string;
  readonly engine: string;
  /** Submission path (batch; older files: the engine's only old path). */
  readonly path?: string;
  readonly scale: string;
  readonly verdict: Verdict;
  readonly baselineMedianMs?: number;
  readonly candidateMedianMs?: number;
  /** candidate median / baseline median − 1 */
  readonly change?: number;
  readonly test?: MannWhitneyResult;
  /** Status / reason text for rows without numbers. */
  readonly detail?: string;
}

export interface Comparison {
  readonly baselineRunId: string;
  readonly candidateRunId: string;
  readonly options: CompareOptions;
  readonly rows: ComparisonRow[];
  /** Rows that fail the comparison: regression and status-regression. */
  readonly regressions: ComparisonRow[];
}

const FAILING: ReadonlySet<Verdict> = new Set(['regression', 'status-regression']);

export function compareRuns(baseline: ResultsDocument, candidate: ResultsDocument, options: CompareOptions = DEFAULT_COMPARE_OPTIONS): Comparison {
  if (!(options.threshold >= 0)) throw new Error(`compareRuns: threshold is ${options.threshold}, expected a number ≥ 0`);
  if (!(options.alpha > 0 && options.alpha < 1)) throw new Error(`compareRuns: alpha is ${options.alpha}, expected a number in (0, 1)`);
  const before = byKey(baseline.measurements);
  const after = byKey(candidate.measurements);
  const keys = [...new Set([...before.keys(), ...after.keys()])];
  const rows = keys.map((key) => compareMeasurement(before.get(key), after.get(key), options));
  return {
    baselineRunId: baseline.runId,
    candidateRunId: candidate.runId,
    options,
    rows,
    regressions: rows.filter((row) => FAILING.has(row.verdict)),
  };
}

// Measurements are matched on what was measured, not on their position in the file. A rate
// search records the step it settled on as the rate: that is the result, not the setup, so it
// is left out of the match.
function measurementKey(m: Measurement): string {
  const searched = m.streaming?.rateSearch !== undefined;
  const { rateProfile: _rate, ...params } = m.params;
  // By submission path too (warm and cold paths of one engine are different measurements); a
  // measurement from an older file without one is its engine's only old path (submission.ts).
  return JSON.stringify([m.workload, m.engine, m.mode, String(m.scale), searched ? params : m.params, submissionOf(m)?.path ?? null]);
}


/** Sustainable rate and p99 before → after, in words: a streaming run has one measurement, nothing to test. */
function streamingChange(before: CompletedMeasurement, after: CompletedMeasurement): string | undefined {
  const figures = (m: CompletedMeasurement) => {
    const rate = m.streaming?.rateSearch?.sustainableRate;
    const latency = m.streaming?.latencyMs;
    return { rate: typeof rate === 'number' ? rate : undefined, p99: latency && !isMissing(latency) ? latency.p99Ms : undefined };
  };
  const a = figures(before);
  const b = figures(after);
  const parts = [
    a.rate !== undefined || b.rate !== undefined ? `sustainable rate ${a.rate ?? 'none'} → ${b.rate ?? 'none'} rec/s` : undefined,
    a.p99 !== undefined || b.p99 !== undefined ? `p99 ${a.p99 ?? '—'} → ${b.p99 ?? '—'} ms` : undefined,
  ].filter(Boolean);
  return parts.length ? `streaming: ${parts.join(', ')} (one measurement per run: not tested for significance)` : undefined;
}

function byKey(measurements: readonly Measurement[]): Map<string, Measurement> {
  const map = new Map<string, Measurement>();
  for (const m of measurements) {
    const key = measurementKey(m);
    if (map.has(key)) throw new Error(`two measurements of ${m.workload} on ${m.engine} (${submissionOf(m)?.path ?? 'no path'}) at scale ${m.scale} with the same params: cannot tell which to compare`);
    map.set(key, m);
  }
  return map;
}

function compareMeasurement(baseline: Measurement | undefined, candidate: Measurement | undefined, options: CompareOptions): ComparisonRow {
  const some = (baseline ?? candidate)!;
  const path = submissionOf(some)?.path;
  const identity = { workload: some.workload, engine: some.engine, ...(path ? { path } : {}), scale: String(some.scale) };
  if (!candidate) return { ...identity, verdict: 'only-in-baseline', detail: `not measured in the candidate (baseline: ${baseline!.status})` };
  if (!baseline) return { ...identity, verdict: 'only-in-candidate', detail: `not measured in the baseline (candidate: ${candidate.status})` };
  const before = baseline.status === 'completed' ? baseline : undefined;
  const after = candidate.status === 'completed' ? candidate : undefined;
  if (before && !after) return { ...identity, verdict: 'status-regression', detail: `completed → ${candidate.status}: ${reasonOf(candidate)}` };
  if (!before && after) return { ...identity, verdict: 'status-fixed', detail: `${baseline.status} → completed` };
  if (!before || !after) return { ...identity, verdict: 'not-completed', detail: `${baseline.status} → ${candidate.status}` };

  const samplesBefore = samplesOf(before, options.metric);
  const samplesAfter = samplesOf(after, options.metric);
  if (typeof samplesBefore === 'string' || typeof samplesAfter === 'string') {
    return { ...identity, verdict: 'metric-missing', detail: typeof samplesBefore === 'string' ? `baseline: ${samplesBefore}` : `candidate: ${samplesAfter}` };
  }
  const baselineMedianMs = percentile(sortSamples(samplesBefore), 0.5);
  const candidateMedianMs = percentile(sortSamples(samplesAfter), 0.5);
  const change = candidateMedianMs / baselineMedianMs - 1;
  const test = mannWhitney(samplesBefore, samplesAfter);
  const numbers = { baselineMedianMs, candidateMedianMs, change, test };
  const detail = before.mode === 'streaming' ? streamingChange(before, after) : undefined;
  return { ...identity, ...numbers, verdict: verdictOf(change, test, options), ...(detail ? { detail } : {}) };
}

export function verdictOf(change: number, test: MannWhitneyResult, options: Pick<CompareOptions, 'alpha' | 'threshold'>): Verdict {
  if (test.minimumPTwoSided > options.alpha) return 'too-few-samples';
  if (test.pTwoSided > options.alpha) return 'not-significant';
  if (change > options.threshold) return 'regression';
  if (change < -options.threshold) return 'improvement';
  return 'within-threshold';
}

/** The repetitions' timings, or why they cannot be used. */
function samplesOf(m: CompletedMeasurement, metric: TimingMetric): number[] | string {
  if (metric === 'wall') return m.repetitions.map((r) => r.wallMs);
  const samples: number[] = [];
  for (const r of m.repetitions) {
    if (r.engineMs === null) return `engine time missing in repetition ${r.index} (${r.engineMsMissingReason ?? 'no reason recorded'})`;
    samples.push(r.engineMs);
  }
  return samples;
}

function reasonOf(m: Measurement): string {
  return 'reason' in m ? m.reason : m.status;
}
