import { describe, expect, it } from 'vitest';
import { exampleDocument } from '../results/test-fixtures.ts';
import { emptyIndex, indexEntryFor, runIndexSchema, withEntry } from './run-index.ts';

const sha = 'f'.repeat(64);

describe('run index', () => {
  it('summarises a run: engines, workloads, versions, measurement counts', () => {
    const entry = indexEntryFor(exampleDocument(), { results: 'runs/20261122-031500-ab12/results.json', resultsSha256: sha });
    expect(entry).toEqual({
      runId: '20261122-031500-ab12',
      startedAt: '2026-11-22T03:15:00.000Z',
      finishedAt: '2026-11-22T03:45:00.000Z',
      status: 'completed',
      profile: 'quick',
      mode: 'batch',
      scale: 0.01,
      engines: ['spark', 'flink', 'duckdb', 'spark-continuous'],
      workloads: ['topn', 'multijoin'],
      distributions: ['spark@4.0.1'],
      measurements: { completed: 3, invalid: 1, failed: 1, 'timed-out': 1, unsupported: 1 },
      results: 'runs/20261122-031500-ab12/results.json',
      resultsSha256: sha,
      gitCommit: 'a'.repeat(40),
    });
    expect(runIndexSchema.safeParse(withEntry(emptyIndex(), entry)).success).toBe(true);
  });

  it('keeps runs ordered by start time and replaces a re-published run', () => {
    const at = (runId: string, startedAt: string) => ({ ...indexEntryFor(exampleDocument(), { results: 'r', resultsSha256: sha }), runId, startedAt });
    let index = withEntry(emptyIndex(), at('b', '2026-11-22T00:00:00.000Z'));
    index = withEntry(index, at('a', '2026-11-21T00:00:00.000Z'));
    index = withEntry(index, { ...at('b', '2026-11-22T00:00:00.000Z'), status: 'failed' });
    expect(index.runs.map((r) => [r.runId, r.status])).toEqual([
      ['a', 'completed'],
      ['b', 'failed'],
    ]);
  });
});
