// The warm Spark SQL-server paths (here spark-thrift) against REAL Spark (local runtime, scale
// tiny): every batch workload completes and is verified through the server; warm-ups and
// repetitions ran in ONE Spark application (the same application id); the client's start-up is
// recorded apart from the query's span; nothing is left running.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resourceBudget } from '../../config/budget.ts';
import { cacheDir } from '../../paths.ts';
import { newRunId } from '../../results/store.ts';
import type { Measurement } from '../../results/schema.ts';
import { openRuntime, type OpenedRuntime } from '../../runtime/open-runtime.ts';
import { listRecorded } from '../../runtime/process-registry.ts';
import { measureWorkload, prepareBatchInputs, type BatchSettings } from '../../run/batch-unit.ts';
import { silentProgress } from '../../run/progress.ts';
import { loadWorkload } from '../../workloads/load.ts';
import type { StartedBatchEngine } from '../batch-engine.ts';
import type { SubmissionPath } from '../engine.ts';
import { SPARK_THRIFT, sparkEngine } from './index.ts';
import { writeExecutionOf } from './sql-server.ts';

const budget = resourceBudget({ workers: 1, cores: 2, memoryMiB: 2048 });
const dataRoot = path.join(cacheDir(), 'data');
const settings: BatchSettings = { scale: 'tiny', seed: 7, repeat: 1, warmups: 1, timeoutMs: 300_000 };
const WORKLOADS = ['topn', 'multijoin', 'wordcount'];

describe('writeExecutionOf', () => {
  it('picks the root execution of the statement naming the output dir', () => {
    const executions = [
      { id: 3, status: 'COMPLETED', description: "INSERT OVERWRITE DIRECTORY '/o/rep-1/answer'", duration: 50 },
      { id: 2, status: 'COMPLETED', description: "INSERT OVERWRITE DIRECTORY '/o/rep-1/answer'", duration: 70 },
      { id: 1, status: 'COMPLETED', description: "INSERT OVERWRITE DIRECTORY '/o/warmup-1/answer'", duration: 90 },
    ];
    expect(writeExecutionOf(executions, '/o/rep-1/answer')?.id).toBe(2);
    expect(writeExecutionOf(executions, '/o/rep-2/answer')).toBeUndefined();
    // Spark Connect: the description is the session's request; the plan names the dir.
    const connect = [
      { id: 5, status: 'COMPLETED', description: 'Spark Connect - session_id: "b86"', planDescription: 'Execute CreateViewCommand', duration: 500 },
      { id: 7, status: 'COMPLETED', description: 'Spark Connect - session_id: "b86"', planDescription: 'Execute InsertIntoHadoopFsRelationCommand … /o/rep-1/answer', duration: 3900 },
      { id: 6, status: 'COMPLETED', description: 'Spark Connect - session_id: "b86"', planDescription: 'Execute InsertIntoDataSourceDirCommand … /o/rep-1/answer', duration: 4100 },
    ];
    expect(writeExecutionOf(connect, '/o/rep-1/answer')?.id).toBe(6);
  });
});

// spark-connect runs the same engine code with the other server kind; its real-engine run is
// harness/run/batch-unit.test.ts (every workload, warm-ups and repetitions in one application).
describe.each([SPARK_THRIFT])('every batch workload on $id', (submission: SubmissionPath) => {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${submission.id}-`));
  const runId = newRunId();
  let opened: OpenedRuntime | undefined;
  let engine: StartedBatchEngine;
  const measurements = new Map<string, Measurement>();

  beforeAll(async () => {
    engine = await sparkEngine.batch!.start(
      {
        runtime: async () => (opened ??= await openRuntime({ choice: 'local', runId, runDir, distributions: ['spark'] })),
        budget,
        startTimeoutMs: 180_000,
        sharedDirs: [dataRoot],
        runDir,
        metrics: false,
      },
      submission,
    );
    const workloads = WORKLOADS.map((id) => loadWorkload(id));
    const inputs = await prepareBatchInputs(workloads, { scale: settings.scale, seed: settings.seed, threads: 2, dataRoot, progress: silentProgress });
    for (const workload of workloads) {
      const measurement = await measureWorkload(engine, workload, inputs.get(workload.id)!, { ...settings, outputRoot: path.join(runDir, 'outputs', workload.id) }, { progress: silentProgress.unit('') });
      measurements.set(workload.id, measurement);
    }
  }, 900_000);

  afterAll(async () => {
    await engine?.stop();
    await opened?.close();
    expect(listRecorded({ runId }).map((p) => `${p.service} (pid ${p.pid})`)).toEqual([]);
  });

  it.each(WORKLOADS)('%s: completed, verified, session family, engine time and client start recorded', (id) => {
    const m = measurements.get(id)!;
    expect(m.status, m.status !== 'completed' ? (m as { reason?: string }).reason : '').toBe('completed');
    if (m.status !== 'completed') return;
    expect(m.answer.verified).toBe(true);
    expect(m.submission).toEqual({ path: submission.id, family: 'session' });
    for (const r of m.repetitions) {
      expect(r.engineMs).toBeGreaterThan(0);
      expect(r.engineMs!).toBeLessThanOrEqual(r.wallMs);
      expect(r.clientStartMs).toBeGreaterThan(0);
    }
  });

  it('warm-ups and repetitions of every workload ran in one Spark application', () => {
    const ids = [...measurements.values()].flatMap((m) => (m.status === 'completed' ? m.repetitions.map((r) => r.engineId) : []));
    expect(ids).toHaveLength(WORKLOADS.length * settings.repeat);
    expect(new Set(ids).size).toBe(1);
    expect(ids[0]).toMatch(/^app-/);
  });
});
