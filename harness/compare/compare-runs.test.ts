import { streamingSection } from '../report/test-fixtures.ts';
import { describe, expect, it } from 'vitest';
import type { Measurement, ResultsDocument } from '../results/schema.ts';
import { completed, exampleDocument } from '../results/test-fixtures.ts';
import { checkComparable } from './comparability.ts';
import { compareRuns, DEFAULT_COMPARE_OPTIONS, verdictOf } from './compare-runs.ts';
import { formatComparison } from './format-comparison.ts';

// Synthetic timings (ms): nothing here comes from a real engine.
const BASELINE_MS = [1000, 1010, 990, 1005, 995];

function run(runId: string, measurements: Measurement[], patch: Partial<ResultsDocument> = {}): ResultsDocument {
  return { ...exampleDocument(), runId, measurements, ...patch };
}

const scaled = (factor: number) => BASELINE_MS.map((ms) => ms * factor);

describe('compareRuns', () => {
  it('flags a 20 % slowdown over 5 repetitions: change +20 %, p = 2/252', () => {
    const baseline = run('base', [completed('spark', 'topn', BASELINE_MS, null)]);
    const candidate = run('cand', [completed('spark', 'topn', scaled(1.2), null)]);
    const comparison = compareRuns(baseline, candidate);
    const [row] = comparison.rows;
    expect(row.verdict).toBe('regression');
    expect(row.baselineMedianMs).toBe(1000);
    expect(row.candidateMedianMs).toBe(1200);
    expect(row.change).toBeCloseTo(0.2, 12);
    expect(row.test!.pTwoSided).toBe(2 / 252);
    expect(comparison.regressions).toHaveLength(1);
  });

  it('does not flag 2 % noise, even when every candidate repetition is slower', () => {
    const baseline = run('base', [completed('flink', 'topn', BASELINE_MS, null)]);
    const candidate = run('cand', [completed('flink', 'topn', [1020, 1030.2, 1009.8, 1025.1, 1014.9], null)]);
    const comparison = compareRuns(baseline, candidate);
    expect(comparison.rows[0].verdict).toBe('within-threshold');
    expect(comparison.rows[0].change).toBeCloseTo(0.02, 12);
    expect(comparison.rows[0].test!.pTwoSided).toBeCloseTo(1 / 63, 15);
    expect(comparison.regressions).toEqual([]);
  });

  it('does not flag a large median change that the test cannot tell from noise', () => {
    // Overlapping repetitions: candidate median +20 % but ranks interleave.
    const baseline = run('base', [completed('spark', 'topn', [1000, 1500, 800, 1300, 900], null)]);
    const candidate = run('cand', [completed('spark', 'topn', [1200, 700, 1600, 850, 1400], null)]);
    const [row] = compareRuns(baseline, candidate).rows;
    expect(row.change).toBeCloseTo(0.2, 12);
    expect(row.verdict).toBe('not-significant');
  });

  it('says when 3 repetitions each cannot reach α = 0.05', () => {
    const baseline = run('base', [completed('spark', 'topn', [1000, 1010, 990], null)]);
    const candidate = run('cand', [completed('spark', 'topn', [2000, 2010, 1990], null)]);
    const [row] = compareRuns(baseline, candidate).rows;
    expect(row.verdict).toBe('too-few-samples');
    expect(row.test!.minimumPTwoSided).toBe(0.1);
  });

  it('flags an improvement without failing', () => {
    const comparison = compareRuns(run('b', [completed('spark', 'topn', BASELINE_MS, null)]), run('c', [completed('spark', 'topn', scaled(0.5), null)]));
    expect(comparison.rows[0].verdict).toBe('improvement');
    expect(comparison.regressions).toEqual([]);
  });

  it('counts completed → failed as a regression and reports unmatched measurements', () => {
    const failed: Measurement = { workload: 'topn', engine: 'flink', mode: 'batch', scale: 0.01, params: { limit: 100 }, status: 'failed', reason: 'job failed: OOM' };
    const baseline = run('base', [completed('flink', 'topn', BASELINE_MS, null), completed('spark', 'wordcount', BASELINE_MS, null)]);
    const candidate = run('cand', [failed, completed('duckdb', 'topn', BASELINE_MS, null)]);
    const comparison = compareRuns(baseline, candidate);
    expect(comparison.rows.map((r) => [r.workload, r.engine, r.verdict])).toEqual([
      ['topn', 'flink', 'status-regression'],
      ['wordcount', 'spark', 'only-in-baseline'],
      ['topn', 'duckdb', 'only-in-candidate'],
    ]);
    expect(comparison.rows[0].detail).toBe('completed → failed: job failed: OOM');
    expect(comparison.regressions).toHaveLength(1);
  });

  it('streaming with a rate search: matched whatever rate it settled on; the change said in words, not tested', () => {
    const searched = (rate: number, p99Ms: number): Measurement => ({
      ...completed('flink', 'stream-passthrough', [20_000], null),
      mode: 'streaming',
      params: { checkpointIntervalMs: 1000, rateProfile: { kind: 'constant', rate } },
      streaming: streamingSection(rate, p99Ms),
    });
    const comparison = compareRuns(run('b', [searched(40_000, 120)]), run('c', [searched(30_000, 150)]));
    expect(comparison.rows).toHaveLength(1);
    expect(comparison.rows[0]!.verdict).toBe('too-few-samples');
    expect(comparison.rows[0]!.detail).toBe('streaming: sustainable rate 40000 → 30000 rec/s, p99 120 → 150 ms (one measurement per run: not tested for significance)');
  });

  it('engine metric: a missing engine time is reported, not compared', () => {
    const comparison = compareRuns(run('b', [completed('flink', 'topn', BASELINE_MS, null)]), run('c', [completed('flink', 'topn', BASELINE_MS, BASELINE_MS)]), {
      ...DEFAULT_COMPARE_OPTIONS,
      metric: 'engine',
    });
    expect(comparison.rows[0].verdict).toBe('metric-missing');
    expect(comparison.rows[0].detail).toBe('baseline: engine time missing in repetition 0 (no engine timing in REST reply)');
  });

  it('verdictOf: the threshold is exclusive', () => {
    const test = { u: 25, nBaseline: 5, nCandidate: 5, pTwoSided: 0.01, pGreater: 0.005, pLess: 1, minimumPTwoSided: 0.008, method: 'exact' as const };
    expect(verdictOf(0.1, test, { alpha: 0.05, threshold: 0.1 })).toBe('within-threshold');
    expect(verdictOf(0.1001, test, { alpha: 0.05, threshold: 0.1 })).toBe('regression');
  });

  it('formats a table with the verdict and a conclusion', () => {
    const text = formatComparison(compareRuns(run('base', [completed('spark', 'topn', BASELINE_MS, null)]), run('cand', [completed('spark', 'topn', scaled(1.2), null)])));
    expect(text).toContain('Baseline median wall (s)');
    expect(text).toMatch(/topn\s+0\.01\s+spark \(spark-submit\)\s+1\.000\s+1\.200\s+\+20\.0 %\s+0\.00794\s+5\/5\s+REGRESSION/);
    expect(text).toContain('1 regression beyond 10 % at α = 0.05: topn/spark');
  });
});

describe('checkComparable', () => {
  it('accepts the same setup', () => {
    expect(checkComparable(exampleDocument(), exampleDocument()).refusals).toEqual([]);
  });

  it('refuses mismatched scales, saying why', () => {
    const candidate = exampleDocument();
    candidate.provenance.scale = 1;
    expect(checkComparable(exampleDocument(), candidate).refusals).toEqual(['scale differs: baseline 0.01, candidate 1']);
  });

  it('refuses other engine versions and other profiles', () => {
    const candidate = exampleDocument();
    candidate.profile = 'nightly';
    candidate.provenance.distributions[0].version = '4.1.1';
    candidate.provenance.distributions.push({ name: 'flink', version: '2.2.1', components: [], artifacts: [] });
    expect(checkComparable(exampleDocument(), candidate).refusals).toEqual([
      'profile differs: baseline "quick", candidate "nightly"',
      "distribution 'flink' is only in the candidate",
      'spark version differs: baseline 4.0.1, candidate 4.1.1',
    ]);
  });

  it('notes host differences without refusing', () => {
    const candidate = exampleDocument();
    candidate.provenance.host.cpuModel = 'Other CPU';
    const result = checkComparable(exampleDocument(), candidate);
    expect(result.refusals).toEqual([]);
    expect(result.notes).toEqual([
      'host differs: baseline {"cpuModel":"Example CPU","cores":2,"memoryMiB":24576}, candidate {"cpuModel":"Other CPU","cores":2,"memoryMiB":24576}',
    ]);
  });
});
