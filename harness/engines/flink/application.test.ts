// The flink-application path against REAL Flink (local runtime, scale tiny): every batch workload
// completes and is verified; every execution (warm-up included) ran on a cluster of its own;
// broken SQL fails with Flink's own message; a cluster that cannot start fails with its last log
// lines; nothing is left running.
import fs from 'node:fs';
import Docker from 'dockerode';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resourceBudget } from '../../config/budget.ts';
import { cacheDir } from '../../paths.ts';
import { newRunId } from '../../results/store.ts';
import type { Measurement } from '../../results/schema.ts';
import { dockerAvailable } from '../../runtime/docker-runtime.ts';
import { openRuntime, type OpenedRuntime } from '../../runtime/open-runtime.ts';
import { listRecorded } from '../../runtime/process-registry.ts';
import { LABEL_RUN_ID } from '../../runtime/runtime.ts';
import { measureWorkload, prepareBatchInputs, type BatchSettings } from '../../run/batch-unit.ts';
import { silentProgress } from '../../run/progress.ts';
import { loadWorkload, WORKLOADS_DIR, type Workload } from '../../workloads/load.ts';
import type { EngineStartContext } from '../engine.ts';
import type { FlinkApplicationCluster } from './application.ts';
import { FLINK_APPLICATION, flinkEngine } from './index.ts';

const budget = resourceBudget({ workers: 1, cores: 2, memoryMiB: 2048 });
const dataRoot = path.join(cacheDir(), 'data');
const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-flink-app-'));
const runId = newRunId();
// 1 + 1: two executions are enough to show each gets a cluster of its own (CI time: each is a cluster start).
const settings: BatchSettings = { scale: 'tiny', seed: 7, repeat: 1, warmups: 1, timeoutMs: 300_000 };
const WORKLOADS = ['topn', 'multijoin', 'wordcount'];

let opened: OpenedRuntime | undefined;
const context = (extra: Partial<EngineStartContext> = {}): EngineStartContext => ({
  runtime: async () => (opened ??= await openRuntime({ choice: 'local', runId, runDir, distributions: ['flink'] })),
  budget,
  startTimeoutMs: 180_000,
  sharedDirs: [dataRoot],
  runDir,
  metrics: false,
  ...extra,
});

type ApplicationEngine = Awaited<ReturnType<NonNullable<typeof flinkEngine.batch>['start']>> & { readonly clusters: readonly FlinkApplicationCluster[] };

async function startApplication(extra: Partial<EngineStartContext> = {}): Promise<ApplicationEngine> {
  return (await flinkEngine.batch!.start(context(extra), FLINK_APPLICATION)) as ApplicationEngine;
}

/** `root`: where outputs go — inside the run directory, which the services see (containers mount it). */
async function measure(engine: ApplicationEngine, workload: Workload, overrides: Partial<BatchSettings> = {}, root = runDir): Promise<Measurement> {
  const [inputs] = (await prepareBatchInputs([workload], { scale: settings.scale, seed: settings.seed, threads: 2, dataRoot, progress: silentProgress })).values();
  return measureWorkload(engine, workload, inputs!, { ...settings, ...overrides, outputRoot: path.join(root, 'outputs', workload.id, `${engine.path.id}-${overrides.repeat ?? settings.repeat}`) }, { progress: silentProgress.unit('') });
}

const measurements = new Map<string, { measurement: Measurement; clusters: FlinkApplicationCluster[] }>();
let engine: ApplicationEngine;

afterAll(async () => {
  await opened?.close();
  // Every cluster was stopped after its execution: no process of this run is left.
  expect(listRecorded({ runId }).map((p) => `${p.service} (pid ${p.pid})`)).toEqual([]);
});

describe('every batch workload on flink-application', () => {
  beforeAll(async () => {
    engine = await startApplication();
    for (const id of WORKLOADS) {
      const before = engine.clusters.length;
      const measurement = await measure(engine, loadWorkload(id));
      measurements.set(id, { measurement, clusters: engine.clusters.slice(before) });
    }
  }, 1_800_000);

  afterAll(async () => {
    await engine?.stop();
  });

  describe.each(WORKLOADS)('%s on flink-application, scale tiny, 1 warm-up + 1 repetition', (id) => {
    it('completed, answer equal to the DuckDB reference, recorded as the job family', () => {
      const { measurement } = measurements.get(id)!;
      expect(measurement.status === 'completed' ? 'completed' : `${measurement.status}: ${measurement.reason}`).toBe('completed');
      if (measurement.status !== 'completed') return;
      expect(measurement.answer.verified).toBe(true);
      expect(measurement.answer.rows).toBeGreaterThan(0);
      expect(measurement.submission).toEqual({ path: 'flink-application', family: 'job' });
      expect(measurement.repetitions.map((r) => r.index)).toEqual([0]);
      for (const repetition of measurement.repetitions) {
        // The job's own span lies inside the wall time, which includes the cluster start.
        expect(repetition.engineMs).toBeGreaterThan(0);
        expect(repetition.engineMs!).toBeLessThan(repetition.wallMs);
        expect(repetition.engineId).toMatch(/^[0-9a-f]{32}$/);
      }
    });

    it('ran every execution (warm-up and repetitions) on a cluster of its own', () => {
      const { measurement, clusters } = measurements.get(id)!;
      expect(clusters).toHaveLength(2);
      expect(new Set(clusters.map((c) => c.name)).size).toBe(2);
      // A distinct JobManager each time: its REST endpoint (a fresh port per cluster) differs.
      expect(new Set(clusters.map((c) => c.jobManagerUrl)).size).toBe(2);
      for (const cluster of clusters) expect(cluster.services).toEqual([`${cluster.name}-jobmanager`, `${cluster.name}-taskmanager-1`]);
      if (measurement.status === 'completed') expect(measurement.repetitions.map((r) => r.engineId)).toHaveLength(1);
    });
  });
});

describe('failures on flink-application', () => {
  it("broken SQL fails with Flink's own message and the cluster is stopped", async () => {
    const dir = path.join(runDir, 'topn-broken');
    fs.cpSync(path.join(WORKLOADS_DIR, 'topn'), dir, { recursive: true });
    const yaml = path.join(dir, 'workload.yaml');
    fs.writeFileSync(yaml, fs.readFileSync(yaml, 'utf8').replace(/^id: .*$/m, 'id: topn-broken'));
    fs.writeFileSync(path.join(dir, 'flink.sql'), '-- broken on purpose: a typo in the keyword\nSELEC * FROM transactions LIMIT 10\n');
    const broken = await startApplication();
    try {
      const measurement = await measure(broken, loadWorkload(dir), { repeat: 1, warmups: 0 });
      expect(measurement.status).toBe('failed');
      if (measurement.status === 'failed') expect(measurement.reason).toMatch(/ended FAILED: .*(SqlParseException|Encountered|parse)/i);
    } finally {
      await broken.stop();
    }
    expect(listRecorded({ runId }).filter((p) => p.service.startsWith('flink-app-'))).toEqual([]);
  }, 600_000);

  it('a cluster that cannot start fails with the last lines of its log', async () => {
    // A metaspace larger than the JobManager's whole process size: Flink's memory model refuses it at start.
    const tooSmall = await startApplication({ settings: { 'jobmanager.memory.jvm-metaspace.size': '4096m' }, startTimeoutMs: 60_000 });
    try {
      const measurement = await measure(tooSmall, loadWorkload('topn'), { repeat: 1, warmups: 0 });
      expect(measurement.status).toBe('failed');
      if (measurement.status !== 'failed') return;
      expect(measurement.reason).toMatch(/^repetition 1\/1: the Flink application cluster flink-app-\d+ did not start: /);
      expect(measurement.logExcerpt).toMatch(/jobmanager\.memory|JobManager memory|IllegalConfigurationException/i);
    } finally {
      await tooSmall.stop();
    }
    expect(listRecorded({ runId }).filter((p) => p.service.startsWith('flink-app-'))).toEqual([]);
  }, 600_000);
});

// The same path in containers: topn, two repetitions, each on a cluster (containers) of its own.
const haveDocker = await dockerAvailable();
describe.skipIf(!haveDocker && !process.env.CI)('topn on flink-application, docker runtime', () => {
  const dockerRunId = newRunId();
  const dockerRunDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-flink-app-docker-'));
  let dockerOpened: OpenedRuntime | undefined;

  afterAll(async () => {
    await dockerOpened?.close();
  });

  it('completes verified, two repetitions on two clusters, nothing left', async () => {
    const app = (await flinkEngine.batch!.start(
      context({ runtime: async () => (dockerOpened ??= await openRuntime({ choice: 'docker', runId: dockerRunId, runDir: dockerRunDir, distributions: ['flink'] })), runDir: dockerRunDir }),
      FLINK_APPLICATION,
    )) as ApplicationEngine;
    try {
      const measurement = await measure(app, loadWorkload('topn'), { repeat: 2, warmups: 0 }, dockerRunDir);
      expect(measurement.status === 'completed' ? 'completed' : `${measurement.status}: ${measurement.reason}`).toBe('completed');
      if (measurement.status === 'completed') {
        expect(measurement.answer.verified).toBe(true);
        expect(new Set(measurement.repetitions.map((r) => r.engineId)).size).toBe(2);
      }
      expect(new Set(app.clusters.map((c) => c.jobManagerUrl)).size).toBe(2);
    } finally {
      await app.stop();
    }
    // Each cluster's containers were removed after its execution (only the run's network remains until close).
    const containers = await new Docker().listContainers({ all: true, filters: JSON.stringify({ label: [`${LABEL_RUN_ID}=${dockerRunId}`] }) });
    expect(containers.map((c) => c.Names[0])).toEqual([]);
  }, 1_200_000);
});
