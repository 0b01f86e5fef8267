// A service dies mid-measurement on REAL engines (local runtime, scale tiny): the Spark worker
// during a spark-submit multijoin, the Flink TaskManager during a SQL Gateway multijoin, each
// SIGKILLed from outside as a crash would be. The measurement ends as `failed` within seconds
// naming the service (not after the 5-minute timeout), the group's next workload is not run on
// the broken cluster, and nothing of the run is left running.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resourceBudget } from '../config/budget.ts';
import { engineById, type EngineStartContext } from '../engines/index.ts';
import { cacheDir } from '../paths.ts';
import type { Measurement } from '../results/schema.ts';
import { ResultsStore, newRunId } from '../results/store.ts';
import { exampleRun } from '../results/test-fixtures.ts';
import { openRuntime, type OpenedRuntime } from '../runtime/open-runtime.ts';
import { listRecorded, runProcesses } from '../runtime/process-registry.ts';
import { ServiceWatch } from '../runtime/service-watch.ts';
import { loadWorkload } from '../workloads/load.ts';
import { batchGroups, prepareBatchInputs, type BatchSettings } from './batch-unit.ts';
import { silentProgress, type RunProgress } from './progress.ts';
import { batchTargets } from './run.ts';
import { runGroups } from './runner.ts';

const budget = resourceBudget({ workers: 1, cores: 2, memoryMiB: 2048 });
const dataRoot = path.join(cacheDir(), 'data');
const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-service-exit-'));
const runId = newRunId();
// A timeout far beyond what the test allows: only the watch can end the measurement in time.
const settings: BatchSettings = { scale: 'tiny', seed: 7, repeat: 2, warmups: 1, timeoutMs: 300_000 };
/** Which service dies, how long after its engine's first unit started. */
const KILLS: Record<string, { service: string; afterMs: number }> = {
  spark: { service: 'spark-worker-1', afterMs: 4_000 },
  flink: { service: 'flink-taskmanager-1', afterMs: 2_000 },
};

let opened: OpenedRuntime | undefined;
const watch = new ServiceWatch();
const context: EngineStartContext = {
  runtime: async () => {
    opened ??= await openRuntime({ choice: 'local', runId, runDir, distributions: ['spark', 'flink'] });
    watch.attach(opened.runtime);
    return opened;
  },
  budget,
  startTimeoutMs: 180_000,
  sharedDirs: [dataRoot],
  runDir,
  metrics: false,
};

let measurements: Measurement[] = [];
const killedAt: Record<string, number> = {};

/** Kills the service of the engine whose multijoin unit just started, as a crash from outside would. */
function killOnUnitStart(label: string): void {
  const engine = /^multijoin on (\w+)/.exec(label)?.[1];
  const kill = engine ? KILLS[engine] : undefined;
  if (!engine || !kill) return;
  setTimeout(() => {
    const record = listRecorded({ runId }).find((r) => r.service === kill.service && r.state === 'running');
    if (!record) throw new Error(`${kill.service} of run ${runId} is not running; cannot kill it`);
    process.kill(-record.pid, 'SIGKILL');
    killedAt[engine] = Date.now();
  }, kill.afterMs);
}

beforeAll(async () => {
  const workloads = ['multijoin', 'topn'].map((id) => loadWorkload(id));
  const inputs = await prepareBatchInputs(workloads, { scale: settings.scale, seed: settings.seed, threads: 2, dataRoot, progress: silentProgress });
  const store = ResultsStore.create(newRunId(), { run: exampleRun(), resultsDir: path.join(runDir, 'results') });
  const paths = ['spark', 'flink'].map((e) => engineById(e).batch!.paths.find((p) => p.id === (e === 'spark' ? 'spark-submit' : 'flink-gateway'))!.id);
  const groups = batchGroups(batchTargets(['spark', 'flink'], paths), workloads, (id) => inputs.get(id)!, { ...settings, resultsDir: store.dir }, () => context);
  const progress: RunProgress = { ...silentProgress, unit: (label) => (killOnUnitStart(label), silentProgress.unit(label)) };
  try {
    measurements = [...(await runGroups(groups, { store, progress, signal: new AbortController().signal, watch })).measurements];
  } finally {
    await opened?.close();
  }
}, 900_000);

afterAll(() => fs.rmSync(runDir, { recursive: true, force: true }));

describe.each(Object.entries(KILLS))('%s: its service killed mid-measurement', (engine, kill) => {
  it('the measurement fails within 30 s of the kill, naming the service and how it ended', () => {
    const m = measurements.find((x) => x.engine === engine && x.workload === 'multijoin');
    expect(killedAt[engine], 'the kill never happened').toBeDefined();
    expect(m?.status).toBe('failed');
    if (m?.status !== 'failed') return;
    expect(m.reason).toMatch(new RegExp(`^${kill.service} exited \\(killed by SIGKILL\\) at t=\\d+\\.\\d s of multijoin on ${engine} \\(`));
    expect(m.logExcerpt).toContain(`--- last 20 lines of ${path.join(runDir, 'services', kill.service, 'service.log')} ---`);
    expect(Date.parse(m.finishedAt!) - killedAt[engine]!).toBeLessThan(30_000);
  });

  it('the next workload is not run on the broken cluster', () => {
    const m = measurements.find((x) => x.engine === engine && x.workload === 'topn');
    expect(m?.status === 'failed' && m.reason).toBe(`not measured: ${kill.service} exited (killed by SIGKILL) during multijoin on ${engine} (${engine === 'spark' ? 'spark-submit' : 'flink-gateway'})`);
  });
});

it('nothing of the run is left running', () => {
  expect(runProcesses({ runId })).toEqual([]);
  expect(listRecorded({ runId }).filter((r) => r.state === 'running')).toEqual([]);
});
