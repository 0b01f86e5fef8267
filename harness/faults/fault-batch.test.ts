// A fault in a real batch run (local runtime, two Spark workers, scale tiny): spark-worker-1 is
// killed 3 s into the faulted execution of topn — while spark-submit is starting the application
// and its executors — and stays down. The watch expects that exit, so the measurement is not
// ended by it; Spark runs the query on the remaining worker and the answer is verified. The
// unfaulted measurement of the same unit comes first and carries no fault.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../paths.ts';
import { cleanLocal } from '../runtime/process-registry.ts';
import { ResultsStore } from '../results/store.ts';

const resultsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-fault-batch-'));
let runId: string | undefined;
afterAll(async () => {
  if (runId) await cleanLocal({ runId });
});

describe('a Spark worker killed during a batch execution (real Spark, 2 workers)', () => {
  it('the faulted execution is its own measurement; the engine finishes on the other worker with the right answer', { timeout: 600_000 }, async () => {
    const result = await execa(
      'node',
      [path.join(REPO_ROOT, 'bin/bench.js'), 'run', '--runtime', 'local', '--scale', 'tiny', '--engines', 'spark', '--submission', 'spark-submit', '--workloads', 'topn', '--repeat', '1', '--warmups', '0', '--workers', '2', '--no-report', '--fault', 'kill:spark-worker-1@3s'],
      { reject: false, all: true, env: { BENCH_LOG: 'warn', BENCH_RESULTS_DIR: resultsDir } },
    );
    const output = String(result.all ?? '');
    runId = /^run (\d{8}-\d{6}-[0-9a-f]+) /m.exec(output)?.[1];
    expect(runId, output).toBeDefined();
    const document = ResultsStore.load(runId!, { resultsDir });
    expect(document.measurements.map((m) => [m.params.faults ?? null, m.status])).toEqual([
      [null, 'completed'],
      ['kill:spark-worker-1@3s', 'completed'],
    ]);
    expect(result.exitCode, output).toBe(0);
    const [unfaulted, faulted] = document.measurements;
    expect(unfaulted!.fault).toBeUndefined();
    const fault = faulted!.fault!;
    expect(fault.injected).toHaveLength(1);
    expect(fault.injected[0]!.error).toBeUndefined();
    expect(fault.injected[0]!.injectedAtMs! - fault.executionStartedAtMs).toBeGreaterThanOrEqual(3000);
    expect(faulted!.status === 'completed' && faulted!.answer.verified).toBe(true);
    expect(faulted!.status === 'completed' && faulted!.repetitions).toHaveLength(1);
  });
});
