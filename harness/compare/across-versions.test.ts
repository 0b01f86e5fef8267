import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Measurement, ResultsDocument } from '../results/schema.ts';
import { completed, exampleDocument } from '../results/test-fixtures.ts';
import { distributionsOfEngine, pValue, seconds, signedPercent, versionVerdictLines } from './across-versions.ts';
import { checkComparable } from './comparability.ts';
import { compareCommand } from './compare-command.ts';
import { compareRuns } from './compare-runs.ts';

// Synthetic timings (ms): nothing here comes from a real engine.
const SPARK_411 = [5000, 5100, 5200, 5050, 5150];
const SPARK_420 = [4500, 4450, 4550, 4400, 4600];
const FLINK = [8000, 8100, 8200, 8050, 8150];

function run(runId: string, sparkVersion: string, measurements: Measurement[]): ResultsDocument {
  const document = exampleDocument();
  document.runId = runId;
  document.measurements = measurements;
  document.provenance.distributions = [
    {
      name: 'spark',
      version: sparkVersion,
      components: [{ name: 'spark-sql-kafka', version: sparkVersion }],
      artifacts: [{ file: `pyspark-${sparkVersion}.tar.gz`, algorithm: 'sha256', checksum: (sparkVersion === '4.1.1' ? 'a' : 'b').repeat(64) }],
    },
    { name: 'flink', version: '2.2.1', components: [], artifacts: [{ file: 'flink.whl', algorithm: 'sha256', checksum: 'c'.repeat(64) }] },
  ];
  return document;
}

const baseline = () => run('20261201-010000-0411', '4.1.1', [completed('spark', 'multijoin', SPARK_411, null), completed('flink', 'multijoin', FLINK, null), completed('duckdb', 'multijoin', [900, 910, 920, 905, 915], null)]);
const candidate = () => run('20261202-010000-0420', '4.2.0', [completed('spark', 'multijoin', SPARK_420, null), completed('flink', 'multijoin', FLINK.map((ms) => ms + 20), null), completed('duckdb', 'multijoin', [900, 910, 920, 905, 915], null)]);

let dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  dirs = [];
});
function saved(document: ResultsDocument): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-across-'));
  dirs.push(dir);
  fs.writeFileSync(path.join(dir, 'results.json'), JSON.stringify(document));
  return dir;
}

describe('compare --across-versions', () => {
  it('without the flag, refuses runs of different engine versions and says how to compare them on purpose', async () => {
    const outcome = await compareCommand({ runs: [saved(baseline()), saved(candidate())], threshold: 0.1, alpha: 0.05, metric: 'wall' });
    expect(outcome.verdict).toBe('not-comparable');
    expect(outcome.text).toBe(
      [
        'not comparing 20261201-010000-0411 with 20261202-010000-0420: they were not set up alike',
        '  - spark version differs: baseline 4.1.1, candidate 4.2.0',
        '(to compare engine versions on purpose, add --across-versions)',
      ].join('\n'),
    );
  });

  it('with the flag: the table, then one verdict line per workload of the changed engine naming both versions', async () => {
    const outcome = await compareCommand({ runs: [saved(baseline()), saved(candidate())], threshold: 0.1, alpha: 0.05, metric: 'wall', acrossVersions: true });
    expect(outcome.verdict).toBe('ok');
    // flink: ranks 1,3,5,7,9 against 2,4,6,8,10 → U = 15, P(U ≥ 15) = 87/252, two-sided 0.690 (a control: its version did not change).
    expect(outcome.text).toBe(
      [
        'across engine versions: spark 4.1.1 → 4.2.0; unchanged: flink 2.2.1',
        '',
        'baseline 20261201-010000-0411 → candidate 20261202-010000-0420; metric: wall time; test: Mann-Whitney U, two-sided, exact (mid-ranks for ties) up to 60 samples',
        '',
        'Workload   Scale  Engine                      Baseline median wall (s)  Candidate median wall (s)   Change  p (Mann-Whitney)    n  Verdict',
        '---------  -----  --------------------------  ------------------------  -------------------------  -------  ----------------  ---  ---------------------------',
        'multijoin  0.01   spark (spark-submit)                           5.100                      4.500  -11.8 %           0.00794  5/5  improvement',
        'multijoin  0.01   flink (flink-gateway)                          8.100                      8.120   +0.2 %             0.690  5/5  unchanged (not significant)',
        'multijoin  0.01   duckdb (duckdb-in-process)                     0.910                      0.910   +0.0 %              1.00  5/5  unchanged (not significant)',
        '',
        'no regression beyond 10 % at α = 0.05 (20261201-010000-0411 → 20261202-010000-0420)',
        '',
        'by engine version:',
        '  spark 4.1.1 → 4.2.0: multijoin (spark-submit) 5.1 s → 4.5 s (−12 %, p = 0.0079): faster',
      ].join('\n'),
    );
  });

  it('a slowdown beyond the threshold is a regression (exit 4) and says slower', async () => {
    const slower = run('20261202-010000-0420', '4.2.0', [completed('spark', 'multijoin', SPARK_411.map((ms) => ms * 1.3), null)]);
    const outcome = await compareCommand({ runs: [saved(run('20261201-010000-0411', '4.1.1', [completed('spark', 'multijoin', SPARK_411, null)])), saved(slower)], threshold: 0.1, alpha: 0.05, metric: 'wall', acrossVersions: true });
    expect(outcome.verdict).toBe('regression');
    expect(outcome.text.split('\n').at(-1)).toBe('  spark 4.1.1 → 4.2.0: multijoin (spark-submit) 5.1 s → 6.6 s (+30 %, p = 0.0079): slower');
  });

  it('still refuses what is not the version: the other setup, and an unchanged distribution with other bits', async () => {
    const other = candidate();
    other.provenance.scale = 1;
    other.provenance.distributions[1]!.artifacts[0]!.checksum = 'd'.repeat(64);
    const outcome = await compareCommand({ runs: [saved(baseline()), saved(other)], threshold: 0.1, alpha: 0.05, metric: 'wall', acrossVersions: true });
    expect(outcome.verdict).toBe('not-comparable');
    expect(outcome.text).toBe(
      [
        'not comparing 20261201-010000-0411 with 20261202-010000-0420: they were not set up alike',
        '  - scale differs: baseline 0.01, candidate 1',
        `  - flink artifact flink.whl differs: baseline sha256:${'c'.repeat(64)}, candidate sha256:${'d'.repeat(64)}`,
      ].join('\n'),
    );
  });

  it('with the flag but the same versions: compared as usual, with a note (a nightly can always pass the flag)', async () => {
    const same = candidate();
    same.provenance.distributions = baseline().provenance.distributions;
    const outcome = await compareCommand({ runs: [saved(baseline()), saved(same)], threshold: 0.1, alpha: 0.05, metric: 'wall', acrossVersions: true });
    expect(outcome.verdict).toBe('ok');
    const lines = outcome.text.split('\n');
    expect(lines[0]).toBe('note: --across-versions: both runs have the same engine versions (spark 4.1.1, flink 2.2.1); compared as usual');
    expect(lines[2]).toMatch(/^baseline 20261201-010000-0411 → candidate 20261202-010000-0420; metric: wall time/);
    expect(outcome.text).not.toContain('by engine version:');
  });

  it('verdict lines for too few repetitions, unchanged, a status change and a streaming variant', () => {
    const base = run('b', '4.1.1', [
      completed('spark', 'topn', [1000, 1010, 990], null),
      completed('spark', 'wordcount', [1000, 1010, 990, 1005, 995], null),
      completed('spark', 'multijoin', [1000, 1010, 990, 1005, 995], null),
      { ...completed('spark-microbatch', 'stream-passthrough', [20_000], null), mode: 'streaming', streaming: { latencyMs: { p99Ms: 120 } } } as Measurement,
    ]);
    const cand = run('c', '4.2.0', [
      completed('spark', 'topn', [2000, 2010, 1990], null),
      completed('spark', 'wordcount', [1020, 1030.2, 1009.8, 1025.1, 1014.9], null),
      { workload: 'multijoin', engine: 'spark', mode: 'batch', scale: 0.01, params: { limit: 100 }, status: 'failed', reason: 'executor lost' },
      { ...completed('spark-microbatch', 'stream-passthrough', [20_000], null), mode: 'streaming', streaming: { latencyMs: { p99Ms: 95 } } } as Measurement,
    ]);
    const { versionChanges } = checkComparable(base, cand, { acrossVersions: true });
    expect(versionChanges).toEqual([{ name: 'spark', baseline: '4.1.1', candidate: '4.2.0' }]);
    expect(versionVerdictLines(compareRuns(base, cand), versionChanges)).toEqual([
      'spark 4.1.1 → 4.2.0: topn (spark-submit) 1.0 s → 2.0 s (+100 %, p = 0.1): too few repetitions to tell (3 + 3 cannot reach p ≤ 0.05)',
      'spark 4.1.1 → 4.2.0: wordcount (spark-submit) 1.0 s → 1.0 s (+2.0 %, p = 0.016): unchanged (significant, but within ±10 %)',
      'spark 4.1.1 → 4.2.0: multijoin (spark-submit): no longer completes (completed → failed: executor lost)',
      'spark 4.1.1 → 4.2.0: stream-passthrough on spark-microbatch (p99 120 → 95 ms): not tested (one measurement per run)',
    ]);
  });

  it('formats', () => {
    expect(distributionsOfEngine('spark-continuous')).toEqual(['spark']);
    expect(distributionsOfEngine('flink')).toEqual(['flink']);
    expect(distributionsOfEngine('duckdb')).toEqual([]);
    expect(distributionsOfEngine('storm')).toEqual([]);
    expect([seconds(5100), seconds(430), seconds(123_400)]).toEqual(['5.1 s', '0.43 s', '123 s']);
    expect([signedPercent(-0.0984), signedPercent(-0.104), signedPercent(0.2), signedPercent(0.00001)]).toEqual(['−9.8 %', '−10 %', '+20 %', '±0.0 %']);
    expect([pValue(0.0317), pValue(2 / 252), pValue(1)]).toEqual(['0.032', '0.0079', '1']);
  });
});
