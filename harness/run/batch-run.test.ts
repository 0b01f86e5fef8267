// Batch workloads on REAL Spark and Flink (local runtime, scale tiny) and DuckDB: every answer
// equals the reference; a tampered query is caught as invalid; broken SQL fails with the
// engine's own message.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resourceBudget } from '../config/budget.ts';
import type { StartedBatchEngine } from '../engines/batch-engine.ts';
import { startCluster } from '../engines/clusters.ts';
import { duckDbBatchEngine } from '../engines/duckdb/batch.ts';
import { runDuckDbWorkload } from '../engines/duckdb/duckdb-engine.ts';
import { flinkBatchEngine } from '../engines/flink/batch.ts';
import { sparkBatchEngine } from '../engines/spark/batch.ts';
import { generateWorkloadData } from '../generators/batch/generate.ts';
import { cacheDir } from '../paths.ts';
import { newRunId } from '../results/store.ts';
import { openRuntime, type OpenedRuntime } from '../runtime/open-runtime.ts';
import { loadWorkload, WORKLOADS_DIR, type Workload } from '../workloads/load.ts';
import { measureWorkload } from './batch-run.ts';

const budget = resourceBudget({ workers: 1, cores: 2, memoryMiB: 2048 });
const dataRoot = path.join(cacheDir(), 'data');
const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-batch-'));
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-batch-workloads-'));
const settings = { scale: 'tiny' as const, seed: 7, repeat: 1, warmups: 0, timeoutMs: 300_000, progress: () => {} };

let opened: OpenedRuntime;
const engines: Record<string, StartedBatchEngine> = {};

/** A copy of a repository workload with extra/replaced SQL files. */
function variantOf(id: string, newId: string, files: Record<string, string>): Workload {
  const dir = path.join(scratch, newId);
  fs.cpSync(path.join(WORKLOADS_DIR, id), dir, { recursive: true });
  const yaml = path.join(dir, 'workload.yaml');
  fs.writeFileSync(yaml, fs.readFileSync(yaml, 'utf8').replace(/^id: .*$/m, `id: ${newId}`));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return loadWorkload(dir);
}

async function measure(engine: string, workload: Workload) {
  const datasets = await generateWorkloadData(workload, { scale: settings.scale, seed: settings.seed, dataRoot });
  const reference = await runDuckDbWorkload(workload, { scale: settings.scale, seed: settings.seed, threads: 2, datasets });
  return measureWorkload(engines[engine]!, workload, datasets, reference, { ...settings, outputRoot: path.join(runDir, 'outputs', workload.id, engine) });
}

beforeAll(async () => {
  opened = await openRuntime({ choice: 'local', runId: newRunId(), runDir, distributions: ['spark', 'flink'] });
  const options = { budget, startTimeoutMs: 180_000, sharedDirs: [dataRoot] };
  engines.spark = sparkBatchEngine(await startCluster('spark', opened, options));
  engines.flink = flinkBatchEngine(await startCluster('flink', opened, options));
  engines.duckdb = duckDbBatchEngine(2);
}, 600_000);

afterAll(async () => {
  for (const engine of Object.values(engines)) await engine.stop();
  await opened?.close();
});

describe.each(['topn', 'multijoin', 'wordcount'])('batch workload %s at scale tiny', (id) => {
  it.each(['spark', 'flink', 'duckdb'])('on %s: completed, answer equal to the DuckDB reference', async (engine) => {
    const measurement = await measure(engine, loadWorkload(id));
    expect(measurement.status === 'completed' ? 'completed' : `${measurement.status}: ${measurement.reason}`).toBe('completed');
    if (measurement.status !== 'completed') return;
    expect(measurement.answer.verified).toBe(true);
    expect(measurement.answer.rows).toBeGreaterThan(0);
    expect(measurement.repetitions).toHaveLength(1);
    expect(measurement.repetitions[0]!.wallMs).toBeGreaterThan(0);
    if (engine !== 'duckdb') expect(measurement.repetitions[0]!.engineMs).toBeGreaterThan(0);
  }, 600_000);
});

describe('wrong answers and broken SQL', () => {
  const BANNER = '-- tampered: ascending instead of descending, to prove the check can fail\n';
  const tampered = () => variantOf('topn', 'topn-tampered', {
    'spark.sql': `${BANNER}SELECT * FROM transactions ORDER BY price ASC, id LIMIT \${LIMIT}\n`,
    'flink.sql': `${BANNER}SELECT * FROM transactions ORDER BY price ASC, id LIMIT \${LIMIT}\n`,
  });

  it.each(['spark', 'flink'])('a tampered query on %s is marked invalid with a diff summary', async (engine) => {
    const measurement = await measure(engine, tampered());
    expect(measurement.status).toBe('invalid');
    if (measurement.status !== 'invalid') return;
    expect(measurement.reason).toMatch(/^repetition 1\/1: the answer differs from the DuckDB reference: /);
    expect(measurement.diff?.different).toBeGreaterThan(0);
    expect(measurement.answer?.verified).toBe(false);
  }, 600_000);

  it.each([
    ['spark', /spark-submit exited 1: .*(PARSE_SYNTAX_ERROR|ParseException|Syntax error)/],
    ['flink', /Flink rejected the statement: .*(SqlParseException|Encountered|parse)/i],
  ])('broken SQL on %s fails with the engine\'s own message', async (engine, message) => {
    const broken = variantOf('topn', `topn-broken-${engine}`, {
      [`${engine}.sql`]: '-- broken on purpose: a typo in the keyword\nSELEC * FROM transactions LIMIT 10\n',
    });
    const measurement = await measure(engine, broken);
    expect(measurement.status).toBe('failed');
    if (measurement.status === 'failed') expect(measurement.reason).toMatch(message);
  }, 600_000);
});
