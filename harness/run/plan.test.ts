import { describe, expect, it } from 'vitest';
import type { Workload } from '../workloads/load.ts';
import { planRun, selectSubmissionPaths } from './plan.ts';

// Only id and spec.modes matter to the plan.
const workload = (id: string, modes: ('batch' | 'streaming')[]) => ({ id, spec: { modes } }) as unknown as Workload;
const available = [workload('topn', ['batch']), workload('wordcount', ['batch']), workload('stream-passthrough', ['streaming'])];
const summary = (plans: ReturnType<typeof planRun>) => plans.map((p) => ({ mode: p.mode, engines: p.engines, workloads: p.workloads.map((w) => w.id), ...(p.paths ? { paths: p.paths } : {}) }));

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

  it('--submission: path ids and families select paths; engines without a chosen path are left out', () => {
    expect(selectSubmissionPaths(['session'])).toEqual(['spark-thrift', 'spark-connect', 'flink-gateway']);
    expect(selectSubmissionPaths(['job', 'in-process'])).toEqual(['spark-submit', 'flink-application', 'duckdb-in-process']);
    expect(selectSubmissionPaths(['flink-gateway', 'session', 'spark-submit'])).toEqual(['spark-submit', 'spark-thrift', 'spark-connect', 'flink-gateway']);
    expect(summary(planRun('batch', undefined, ['topn'], available, false, ['job']))).toEqual([{ mode: 'batch', engines: ['spark', 'flink'], workloads: ['topn'], paths: ['spark-submit', 'flink-application'] }]);
    expect(summary(planRun('all', undefined, undefined, available, false, ['session']))).toEqual([
      { mode: 'batch', engines: ['spark', 'flink'], workloads: ['topn', 'wordcount'], paths: ['spark-thrift', 'spark-connect', 'flink-gateway'] },
      { mode: 'streaming', engines: ['spark-microbatch', 'spark-continuous', 'spark-realtime', 'flink', 'flink-exactly-once'], workloads: ['stream-passthrough'] },
    ]);
  });

  it('--submission: an unknown name is refused naming the choices; a choice that leaves nothing says so', () => {
    expect(() => selectSubmissionPaths(['warm'])).toThrow("--submission: unknown path or family 'warm'; choose from spark-submit, spark-thrift, spark-connect, flink-gateway, flink-application, flink-sql-client, duckdb-in-process, session, job, client, in-process");
    expect(() => planRun('batch', ['duckdb'], undefined, available, false, ['session'])).toThrow(
      'nothing to run: no engine in --engines (duckdb) has a path chosen by --submission (session) and runs any of the chosen workloads (topn, wordcount)',
    );
  });
});
