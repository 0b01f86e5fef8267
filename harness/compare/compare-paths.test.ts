import { describe, expect, it } from 'vitest';
import { completed, exampleDocument, via } from '../results/test-fixtures.ts';
import { compareRuns } from './compare-runs.ts';

describe('compare matches by submission path', () => {
  it('matches an older measurement without a path as the engine\'s only old path; a new path is only in the candidate', () => {
    const baseline = { ...exampleDocument(), runId: 'old', measurements: [completed('spark', 'topn', [4000, 4100, 4200], null)] };
    const candidate = {
      ...exampleDocument(),
      runId: 'new',
      measurements: [via(completed('spark', 'topn', [4000, 4100, 4200], null), 'spark-submit', 'job'), via(completed('spark', 'topn', [1000, 1100, 1200], null), 'spark-connect', 'session')],
    };
    const rows = compareRuns(baseline, candidate).rows;
    expect(rows.map((row) => [row.engine, row.path, row.verdict, row.baselineMedianMs ?? null, row.candidateMedianMs ?? null])).toEqual([
      ['spark', 'spark-submit', 'too-few-samples', 4100, 4100],
      ['spark', 'spark-connect', 'only-in-candidate', null, null],
    ]);
  });
});
