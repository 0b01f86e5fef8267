// Batch workloads on REAL Spark and Flink (local runtime, scale tiny) and DuckDB, through the
// plan runner exactly as `bench run` drives them, on each engine's warm path: one warm-up and two repetitions per
// workload, every answer equal to the reference; a tampered query is caught as invalid; broken
// SQL fails with the engine's own message.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resourceBudget } from '../config/budget.ts';
import type { StartedBatchEngine } from '../engines/batch-engine.ts';
import { engineById, type EngineStartContext } from '../engines/index.ts';
import { cacheDir } from '../paths.ts';
import type { Measurement } from '../results/schema.ts';
import { ResultsStore, newRunId } from '../results/store.ts';
import { exampleRun } from '../results/test-fixtures.ts';
import { openRuntime, type OpenedRuntime } from '../runtime/open-runtime.ts';
import { loadWorkload, WORKLOADS_DIR, type Workload } from '../workloads/load.ts';
import { batchGroups, measureWorkload, prepareBatchInputs, type BatchSettings } from './batch-unit.ts';
import { batchTargets } from './run.ts';
import { silentProgress } from './progress.ts';
import { runGroups } from './runner.ts';

const budget = resourceBudget({ workers: 1, cores: 2, memoryMiB: 2048 });
const dataRoot = path.join(cacheDir(), 'data');
const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-batch-'));
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-batch-workloads-'));
const settings: BatchSettings = { scale: 'tiny', seed: 7, repeat: 2, warmups: 1, timeoutMs: 300_000 };
const WORKLOADS = ['topn', 'multijoin', 'wordcount'];
const WARM_PATHS = ['spark-connect', 'flink-gateway', 'duckdb-in-process'];
const warmPathOf = (engine: string) => engineById(engine).batch!.paths.find((p) => WARM_PATHS.includes(p.id))!;

let opened: OpenedRuntime | undefined;
const context: EngineStartContext = {
  runtime: async () => (opened ??= await openRuntime({ choice: 'local', runId: newRunId(), runDir, distributions: ['spark', 'flink'] })),
  budget,
  startTimeoutMs: 180_000,
  sharedDirs: [dataRoot],
  runDir,
  metrics: false,
};

/** A copy of a repository workload with extra/replaced SQL files. */
function variantOf(id: string, newId: string, files: Record<string, string>): Workload {
  const dir = path.join(scratch, newId);
  fs.cpSync(path.join(WORKLOADS_DIR, id), dir, { recursive: true });
  const yaml = path.join(dir, 'workload.yaml');
  fs.writeFileSync(yaml, fs.readFileSync(yaml, 'utf8').replace(/^id: .*$/m, `id: ${newId}`));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return loadWorkload(dir);
}

let measurements: Measurement[] = [];

beforeAll(async () => {
  const workloads = WORKLOADS.map((id) => loadWorkload(id));
  const inputs = await prepareBatchInputs(workloads, { scale: settings.scale, seed: settings.seed, threads: 2, dataRoot, progress: silentProgress });
  const store = ResultsStore.create(newRunId(), { run: exampleRun(), resultsDir: path.join(runDir, 'results') });
  // Each engine's warm path (a cluster's executions take seconds there, not a JVM start each); the
  // other paths have their own real-engine tests (spark/sql-server, flink/application, flink/sql-client,
  // engines.test for spark-submit).
  const engines = ['spark', 'flink', 'duckdb'];
  const groups = batchGroups(batchTargets(engines, WARM_PATHS), workloads, (id) => inputs.get(id)!, { ...settings, resultsDir: store.dir }, () => context);
  measurements = [...(await runGroups(groups, { store, progress: silentProgress, signal: new AbortController().signal })).measurements];
  // Every measurement is in the results file as written, and valid against the schema.
  expect(ResultsStore.load(store.file).measurements).toHaveLength(measurements.length);
}, 1_800_000);

afterAll(async () => {
  await opened?.close();
});

describe.each(WORKLOADS)('batch workload %s at scale tiny, 1 warm-up + 2 repetitions', (id) => {
  it.each(['spark', 'flink', 'duckdb'])('on %s: completed, answer equal to the DuckDB reference', (engine) => {
    const measurement = measurements.find((m) => m.workload === id && m.engine === engine);
    expect(measurement, `no measurement of ${id} on ${engine}`).toBeDefined();
    expect(measurement!.status === 'completed' ? 'completed' : `${measurement!.status}: ${measurement!.reason}`).toBe('completed');
    if (measurement!.status !== 'completed') return;
    expect(measurement!.answer.verified).toBe(true);
    expect(measurement!.answer.rows).toBeGreaterThan(0);
    expect(measurement!.warmups).toBe(1);
    expect(measurement!.repetitions.map((r) => r.index)).toEqual([0, 1]);
    expect(measurement!.statistics.wallMs.samples).toBe(2);
    expect(measurement!.submission).toEqual({ path: warmPathOf(engine).id, family: warmPathOf(engine).family });
    for (const repetition of measurement!.repetitions) {
      expect(repetition.wallMs).toBeGreaterThan(0);
      if (engine === 'duckdb') continue;
      // The engine's own span lies inside the harness's.
      expect(repetition.engineMs).toBeGreaterThan(0);
      expect(repetition.engineMs!).toBeLessThanOrEqual(repetition.wallMs);
      expect(repetition.engineId).toBeTruthy();
    }
  });
});

describe('the warm paths', () => {
  it("spark-connect: every workload's warm-ups and repetitions ran in one Spark application, the client's start recorded apart", () => {
    const spark = measurements.filter((m) => m.engine === 'spark');
    expect(spark.map((m) => m.status)).toEqual(WORKLOADS.map(() => 'completed'));
    const repetitions = spark.flatMap((m) => (m.status === 'completed' ? m.repetitions : []));
    expect(new Set(repetitions.map((r) => r.engineId)).size).toBe(1);
    expect(repetitions[0]!.engineId).toMatch(/^app-/);
    for (const r of repetitions) expect(r.clientStartMs).toBeGreaterThan(0);
  });
});

describe('wrong answers and broken SQL', () => {
  const BANNER = '-- tampered: ascending instead of descending, to prove the check can fail\n';
  const started: Record<string, StartedBatchEngine> = {};
  const tampered = () => variantOf('topn', 'topn-tampered', {
    'spark.sql': `${BANNER}SELECT * FROM transactions ORDER BY price ASC, id LIMIT \${LIMIT}\n`,
    'flink.sql': `${BANNER}SELECT * FROM transactions ORDER BY price ASC, id LIMIT \${LIMIT}\n`,
  });

  async function measureOnce(engine: string, workload: Workload) {
    started[engine] ??= await engineById(engine).batch!.start(context, warmPathOf(engine));
    const [inputs] = (await prepareBatchInputs([workload], { scale: settings.scale, seed: settings.seed, threads: 2, dataRoot, progress: silentProgress })).values();
    return measureWorkload(started[engine]!, workload, inputs!, { ...settings, repeat: 1, warmups: 0, outputRoot: path.join(runDir, 'outputs', workload.id, engine) }, { progress: silentProgress.unit('') });
  }

  afterAll(async () => {
    for (const engine of Object.values(started)) await engine.stop();
  });

  it.each(['spark', 'flink'])('a tampered query on %s is marked invalid with a diff summary', async (engine) => {
    const measurement = await measureOnce(engine, tampered());
    expect(measurement.status).toBe('invalid');
    if (measurement.status !== 'invalid') return;
    expect(measurement.reason).toMatch(/^repetition 1\/1: the answer differs from the DuckDB reference: /);
    expect(measurement.diff?.different).toBeGreaterThan(0);
    expect(measurement.answer?.verified).toBe(false);
  }, 600_000);

  it.each([
    ['spark', /the Spark Connect server rejected the statement \(JDBC client exited 1\): .*(PARSE_SYNTAX_ERROR|ParseException|Syntax error)/],
    ['flink', /Flink rejected the statement: .*(SqlParseException|Encountered|parse)/i],
  ])("broken SQL on %s fails with the engine's own message", async (engine, message) => {
    const broken = variantOf('topn', `topn-broken-${engine}`, {
      [`${engine}.sql`]: '-- broken on purpose: a typo in the keyword\nSELEC * FROM transactions LIMIT 10\n',
    });
    const measurement = await measureOnce(engine, broken);
    expect(measurement.status).toBe('failed');
    if (measurement.status === 'failed') expect(measurement.reason).toMatch(message);
  }, 600_000);
});
