// The flink-sql-client path against REAL Flink (local runtime, scale tiny): every batch workload
// completes and is verified, each execution a new `sql-client.sh -f` on the one session cluster
// (every job on the same JobManager); broken SQL fails with the client's own message; nothing is
// left running. Plus the output parsers, on the client's real wording.
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
import { loadWorkload, WORKLOADS_DIR } from '../../workloads/load.ts';
import type { StartedBatchEngine } from '../batch-engine.ts';
import type { StartedFlinkCluster } from './cluster.ts';
import { FLINK_SQL_CLIENT, flinkEngine } from './index.ts';
import { sqlClientError, submittedJobId } from './sql-client.ts';

const budget = resourceBudget({ workers: 1, cores: 2, memoryMiB: 2048 });
const dataRoot = path.join(cacheDir(), 'data');
const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-flink-sql-client-'));
const runId = newRunId();
const settings: BatchSettings = { scale: 'tiny', seed: 7, repeat: 1, warmups: 1, timeoutMs: 300_000 };
const WORKLOADS = ['topn', 'multijoin', 'wordcount'];

let opened: OpenedRuntime | undefined;
let engine: StartedBatchEngine;
const measurements = new Map<string, Measurement>();

describe('the SQL client output parsers', () => {
  it('find the submitted job id and the error with its reason', () => {
    const submitted = "[INFO] Submitting SQL update statement to the cluster...\n[INFO] SQL update statement has been successfully submitted to the cluster:\nJob ID: 0a1b2c3d4e5f60718293a4b5c6d7e8f9\n";
    expect(submittedJobId(submitted)).toBe('0a1b2c3d4e5f60718293a4b5c6d7e8f9');
    expect(sqlClientError(submitted)).toBeUndefined();
    const failed = '\x1b[31;1m[ERROR] Could not execute SQL statement. Reason:\norg.apache.flink.sql.parser.impl.ParseException: Encountered "SELEC" at line 1, column 1.\x1b[0m\n';
    expect(sqlClientError(failed)).toBe('[ERROR] Could not execute SQL statement. Reason: org.apache.flink.sql.parser.impl.ParseException: Encountered "SELEC" at line 1, column 1.');
  });
});

describe('every batch workload on flink-sql-client', () => {
  beforeAll(async () => {
    engine = await flinkEngine.batch!.start(
      {
        runtime: async () => (opened ??= await openRuntime({ choice: 'local', runId, runDir, distributions: ['flink'] })),
        budget,
        startTimeoutMs: 180_000,
        sharedDirs: [dataRoot],
        runDir,
        metrics: false,
      },
      FLINK_SQL_CLIENT,
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

  it.each(WORKLOADS)('%s: completed, verified, client family, engine time inside the wall time', (id) => {
    const m = measurements.get(id)!;
    expect(m.status, m.status !== 'completed' ? (m as { reason?: string }).reason : '').toBe('completed');
    if (m.status !== 'completed') return;
    expect(m.answer.verified).toBe(true);
    expect(m.submission).toEqual({ path: 'flink-sql-client', family: 'client' });
    for (const r of m.repetitions) {
      expect(r.engineMs).toBeGreaterThan(0);
      expect(r.engineMs!).toBeLessThan(r.wallMs);
      expect(r.engineId).toMatch(/^[0-9a-f]{32}$/);
    }
  });

  it('every execution was its own job on the one session cluster', async () => {
    const ids = [...measurements.values()].flatMap((m) => (m.status === 'completed' ? m.repetitions.map((r) => r.engineId!) : []));
    expect(new Set(ids).size).toBe(WORKLOADS.length * settings.repeat);
    // The JobManager that was up before the first execution knows every job: one warm cluster served them all.
    const cluster = (engine as StartedBatchEngine & { cluster: StartedFlinkCluster }).cluster;
    const overview = (await (await fetch(cluster.jobManager.url('rest', '/jobs/overview'))).json()) as { jobs: { jid: string; state: string }[] };
    const finished = new Set(overview.jobs.filter((j) => j.state === 'FINISHED').map((j) => j.jid));
    expect(ids.filter((id) => !finished.has(id))).toEqual([]);
  });

  it("broken SQL fails with the client's own message", async () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-flink-sql-client-broken-')), 'topn-broken');
    fs.cpSync(path.join(WORKLOADS_DIR, 'topn'), dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'workload.yaml'), fs.readFileSync(path.join(dir, 'workload.yaml'), 'utf8').replace(/^id: .*$/m, 'id: topn-broken'));
    fs.writeFileSync(path.join(dir, 'flink.sql'), '-- broken on purpose: a typo in the keyword\nSELEC * FROM transactions LIMIT 10\n');
    const workload = loadWorkload(dir);
    const [inputs] = (await prepareBatchInputs([workload], { scale: settings.scale, seed: settings.seed, threads: 2, dataRoot, progress: silentProgress })).values();
    const m = await measureWorkload(engine, workload, inputs!, { ...settings, repeat: 1, warmups: 0, outputRoot: path.join(runDir, 'outputs', 'broken') }, { progress: silentProgress.unit('') });
    expect(m.status).toBe('failed');
    if (m.status === 'failed') expect(m.reason).toMatch(/^repetition 1\/1: the Flink SQL client failed: \[ERROR\] .*(SELEC|Encountered|parse)/i);
  }, 300_000);
});
