import { describe, expect, it } from 'vitest';
import type { Workload } from '../workloads/load.ts';
import { planRun } from './plan.ts';

// Only id and spec.modes matter to the plan.
const workload = (id: string, modes: ('batch' | 'streaming')[]) => ({ id, spec: { modes } }) as unknown as Workload;
const available = [workload('topn', ['batch']), workload('wordcount', ['batch']), workload('stream-passthrough', ['streaming'])];
const summary = (plans: ReturnType<typeof planRun>) => plans.map((p) => ({ mode: p.mode, engines: p.engines, workloads: p.workloads.map((w) => w.id) }));

describe('planRun', () => {
  it('batch: every batch engine and workload by default', () => {
    expect(summary(planRun('batch', undefined, undefined, available))).toEqual([{ mode: 'batch', engines: ['spark', 'flink', 'duckdb'], workloads: ['topn', 'wordcount'] }]);
  });

  it('all: batch part then streaming part; flink belongs to both', () => {
    expect(summary(planRun('all', ['flink', 'spark-microbatch'], undefined, available))).toEqual([
      { mode: 'batch', engines: ['flink'], workloads: ['topn', 'wordcount'] },
      { mode: 'streaming', engines: ['flink', 'spark-microbatch'], workloads: ['stream-passthrough'] },
    ]);
  });

  it('all: a part without engines is left out', () => {
    expect(summary(planRun('all', ['duckdb'], undefined, available))).toEqual([{ mode: 'batch', engines: ['duckdb'], workloads: ['topn', 'wordcount'] }]);
  });

  it('refuses an engine of another mode, naming the choices', () => {
    expect(() => planRun('batch', ['spark-continuous'], undefined, available)).toThrow("--engines: 'spark-continuous' is not a batch engine; choose from spark, flink, duckdb");
  });

  it("refuses a user's workload of another mode, but skips a profile's", () => {
    expect(() => planRun('batch', undefined, ['topn', 'stream-passthrough'], available)).toThrow("--workloads: no batch workload 'stream-passthrough'; available: topn, wordcount");
    expect(summary(planRun('batch', undefined, ['topn', 'stream-passthrough'], available, true))).toEqual([{ mode: 'batch', engines: ['spark', 'flink', 'duckdb'], workloads: ['topn'] }]);
  });

  it('says so when nothing is left to run', () => {
    expect(() => planRun('all', ['duckdb'], ['stream-passthrough'], available)).toThrow('nothing to run: no batch or streaming engine in --engines (duckdb) runs any of the chosen workloads (stream-passthrough)');
  });
});
