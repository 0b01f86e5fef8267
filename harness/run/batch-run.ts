// The batch flow, one path for every engine: data ready → reference answer (DuckDB) → per
// engine: cluster up → per workload: warm-up(s), measured repetitions (fresh output each),
// answers checked → measurement recorded at once → cluster down (always).
import fs from 'node:fs';
import path from 'node:path';
import type { ResourceBudget } from '../config/budget.ts';
import type { BatchExecution, StartedBatchEngine } from '../engines/batch-engine.ts';
import { startCluster } from '../engines/clusters.ts';
import { duckDbBatchEngine } from '../engines/duckdb/batch.ts';
import { runDuckDbWorkload } from '../engines/duckdb/duckdb-engine.ts';
import { flinkBatchEngine } from '../engines/flink/batch.ts';
import { sparkBatchEngine } from '../engines/spark/batch.ts';
import { generateWorkloadData, type GeneratedDataset } from '../generators/batch/generate.ts';
import { answerChecksum, compareAnswers, type Answer, type AnswerRow } from '../answer/answer.ts';
import { readAnswerDir } from '../answer/read-answer-dir.ts';
import type { Measurement, Repetition } from '../results/schema.ts';
import { missing } from '../results/schema.ts';
import type { ResultsStore } from '../results/store.ts';
import type { OpenedRuntime } from '../runtime/open-runtime.ts';
import { summarize } from '../stats/summary.ts';
import { workloadVariables, type VariableOptions, type Workload } from '../workloads/load.ts';
import { cacheDir } from '../paths.ts';
import { flinkMetricsSettings, withMetrics, type MetricsSection } from '../metrics/index.ts';

export const BATCH_ENGINES = ['spark', 'flink', 'duckdb'] as const;
export type BatchEngineName = (typeof BATCH_ENGINES)[number];

export interface BatchRunOptions {
  readonly engines: readonly BatchEngineName[];
  readonly workloads: readonly Workload[];
  readonly scale: VariableOptions['scale'];
  readonly seed: number;
  readonly repeat: number;
  readonly warmups: number;
  readonly timeoutMs: number;
  readonly budget: ResourceBudget;
  readonly startTimeoutMs: number;
  /** Sample metrics beside every measured execution at this interval; undefined = --no-metrics. */
  readonly metricsIntervalMs?: number;
  readonly store: ResultsStore;
  /** Opens the runtime for the cluster engines (called once, only if one is asked for). */
  readonly openRuntime: () => Promise<OpenedRuntime>;
  readonly progress: (message: string) => void;
}

export interface BatchRunSummary {
  readonly measurements: number;
  readonly notCompleted: number;
  readonly runtime?: OpenedRuntime;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Values JSON can hold (bigint → number when exact, else string). */
function jsonRow(row: AnswerRow): (string | number | boolean | null)[] {
  return row.map((v) => (typeof v === 'bigint' ? (Number.isSafeInteger(Number(v)) ? Number(v) : v.toString()) : v));
}

async function answerOf(execution: Extract<BatchExecution, { status: 'completed' }>, workload: Workload): Promise<Answer> {
  if ('answer' in execution.output) return execution.output.answer;
  return readAnswerDir(execution.output.dir, execution.output.format, { columns: workload.spec.answer?.columns });
}

/** Runs warm-ups and repetitions of one workload on one started engine and builds its measurement. */
export async function measureWorkload(
  engine: StartedBatchEngine,
  workload: Workload,
  datasets: Readonly<Record<string, GeneratedDataset>>,
  reference: Answer,
  options: Pick<BatchRunOptions, 'scale' | 'seed' | 'repeat' | 'warmups' | 'timeoutMs' | 'progress' | 'metricsIntervalMs'> & { outputRoot: string },
): Promise<Measurement> {
  const variables: VariableOptions = { scale: options.scale, seed: options.seed };
  const answerSpec = workload.spec.answer!;
  const timeoutMs = workload.spec.batch?.timeoutSeconds ? Math.min(options.timeoutMs, workload.spec.batch.timeoutSeconds * 1000) : options.timeoutMs;
  const common = {
    workload: workload.id,
    engine: engine.name,
    mode: 'batch' as const,
    scale: options.scale,
    params: Object.fromEntries(Object.entries(workloadVariables(workload, variables)).map(([k, v]) => [k, typeof v === 'bigint' ? v.toString() : v])),
    startedAt: new Date().toISOString(),
  };
  const repetitions: Repetition[] = [];
  let answerChecksumValue = '';
  let answerRows = 0;
  const total = options.warmups + options.repeat;
  const runStarted = Date.now();
  // The metrics of the last measured repetition represent the measurement (series stay compact).
  let lastMetrics: (MetricsSection & { repetitionIndex: number }) | undefined;
  const withMetricsOf = <M extends Measurement>(m: M): M => (lastMetrics ? { ...m, metrics: lastMetrics as unknown as Record<string, unknown> } : m);
  for (let k = 0; k < total; k++) {
    const warmup = k < options.warmups;
    const label = warmup ? `warm-up ${k + 1}/${options.warmups}` : `repetition ${k - options.warmups + 1}/${options.repeat}`;
    const outputDir = path.join(options.outputRoot, warmup ? `warmup-${k + 1}` : `rep-${k - options.warmups + 1}`);
    fs.rmSync(outputDir, { recursive: true, force: true });
    const startedAt = new Date().toISOString();
    options.progress(`[${engine.name}] ${workload.id}: ${label} … (elapsed ${seconds(Date.now() - runStarted)})`);
    const request = { workload, variables, datasets, outputDir, timeoutMs };
    // Metrics beside measured executions only; warm-ups stay unobserved like they stay uncounted.
    let execution: BatchExecution;
    if (!warmup && options.metricsIntervalMs !== undefined && engine.metricsScrapers) {
      const sampled = await withMetrics(engine.metricsScrapers(), options.metricsIntervalMs, () => engine.execute(request));
      execution = sampled.result;
      lastMetrics = { ...sampled.metrics, repetitionIndex: repetitions.length };
    } else {
      execution = await engine.execute(request);
    }
    const finishedAt = new Date().toISOString();
    if (execution.status === 'timed-out') return withMetricsOf({ ...common, finishedAt, status: 'timed-out', timeoutMs, reason: `${label}: ${execution.reason}` });
    if (execution.status === 'failed') return withMetricsOf({ ...common, finishedAt, status: 'failed', reason: `${label}: ${execution.reason}`, logExcerpt: execution.logExcerpt });

    const actual = await answerOf(execution, workload);
    const comparison = compareAnswers(reference, actual, { ordered: answerSpec.ordered, tolerance: answerSpec.tolerance, keyColumns: answerSpec.keyColumns });
    options.progress(`[${engine.name}] ${workload.id}: ${label} took ${seconds(execution.wallMs)}${execution.engineMs !== null ? ` (engine ${seconds(execution.engineMs)})` : ''}, answer ${comparison.equal ? 'verified' : 'WRONG'}`);
    const repetition: Repetition = {
      index: repetitions.length,
      startedAt,
      wallMs: execution.wallMs,
      engineMs: execution.engineMs,
      ...(execution.engineMs === null ? { engineMsMissingReason: execution.engineMsMissingReason ?? 'not reported' } : {}),
      ...('dir' in execution.output ? { outputDir: execution.output.dir } : {}),
    };
    if (!comparison.equal) {
      const firstDifferences = comparison.firstDifferences.slice(0, 5).map((d) => ({
        kind: d.kind,
        position: d.position,
        ...('expected' in d ? { expected: jsonRow(d.expected) } : {}),
        ...('actual' in d ? { actual: jsonRow(d.actual) } : {}),
      }));
      return withMetricsOf({
        ...common,
        finishedAt,
        status: 'invalid',
        reason: `${label}: the answer differs from the DuckDB reference: ${comparison.summary}`,
        repetitions: warmup ? undefined : [...repetitions, repetition],
        answer: { checksum: answerChecksum(actual, { tolerance: answerSpec.tolerance, ordered: answerSpec.ordered }), rows: actual.rows.length, verified: false },
        diff: { summary: comparison.summary, expectedRows: reference.rows.length, actualRows: actual.rows.length, missing: comparison.missing, extra: comparison.extra, different: comparison.different, firstDifferences },
      });
    }
    answerChecksumValue = answerChecksum(actual, { tolerance: answerSpec.tolerance, ordered: answerSpec.ordered });
    answerRows = actual.rows.length;
    if (!warmup) repetitions.push(repetition);
  }
  const engineTimes = repetitions.map((r) => r.engineMs);
  const engineMissing = repetitions.find((r) => r.engineMs === null);
  return withMetricsOf({
    ...common,
    finishedAt: new Date().toISOString(),
    status: 'completed',
    statistics: {
      wallMs: summarize(repetitions.map((r) => r.wallMs)),
      // A partial engine series would mislead: one missing repetition makes the whole figure missing.
      engineMs: engineMissing ? missing(engineMissing.engineMsMissingReason ?? 'not reported') : summarize(engineTimes as number[]),
    },
    repetitions,
    warmups: options.warmups,
    answer: { checksum: answerChecksumValue, rows: answerRows, verified: true },
  });
}

async function startEngine(name: BatchEngineName, options: BatchRunOptions, getRuntime: () => Promise<OpenedRuntime>, dataRoot: string): Promise<StartedBatchEngine> {
  if (name === 'duckdb') return duckDbBatchEngine(options.budget.cores);
  const opened = await getRuntime();
  const started = Date.now();
  options.progress(`[${name}] starting the cluster on ${opened.runtime.kind} …`);
  const metricsRunDir = options.metricsIntervalMs !== undefined ? options.store.dir : undefined;
  const flinkSettings = metricsRunDir ? flinkMetricsSettings() : {};
  const clusterOptions = { budget: options.budget, startTimeoutMs: options.startTimeoutMs, sharedDirs: [dataRoot], flinkSettings };
  const engine =
    name === 'spark'
      ? sparkBatchEngine(await startCluster('spark', opened, clusterOptions), { metricsRunDir })
      : flinkBatchEngine(await startCluster('flink', opened, clusterOptions), { settings: flinkSettings, metricsRunDir });
  options.progress(`[${name}] cluster up in ${seconds(Date.now() - started)}`);
  return engine;
}

export async function runBatch(options: BatchRunOptions): Promise<BatchRunSummary> {
  const { store, progress } = options;
  const dataRoot = path.join(cacheDir(), 'data');
  const datasets = new Map<string, Record<string, GeneratedDataset>>();
  const references = new Map<string, Answer | Error>();
  for (const workload of options.workloads) {
    const started = Date.now();
    progress(`[data] ${workload.id}: generating (or reusing) datasets at scale ${options.scale} …`);
    const generated = await generateWorkloadData(workload, { scale: options.scale, seed: options.seed, dataRoot });
    datasets.set(workload.id, generated);
    progress(`[data] ${workload.id}: ${Object.values(generated).map((d) => `${d.plan.dataset} ${d.plan.rows.toLocaleString('en')} rows${d.reused ? ' (cached)' : ''}`).join(', ')} in ${seconds(Date.now() - started)}`);
    try {
      const reference = await runDuckDbWorkload(workload, { scale: options.scale, seed: options.seed, threads: options.budget.cores, datasets: generated });
      references.set(workload.id, reference);
    } catch (error) {
      references.set(workload.id, error as Error);
    }
  }

  let opened: OpenedRuntime | undefined;
  const getRuntime = async () => (opened ??= await options.openRuntime());
  let count = 0;
  let notCompleted = 0;
  const record = (m: Measurement) => {
    store.addMeasurement(m);
    count++;
    if (m.status !== 'completed') notCompleted++;
  };
  for (const name of options.engines) {
    let engine: StartedBatchEngine;
    try {
      engine = await startEngine(name, options, getRuntime, dataRoot);
    } catch (error) {
      const reason = `the ${name} cluster did not start: ${(error as Error).message}`;
      for (const workload of options.workloads) {
        record({ workload: workload.id, engine: name, mode: 'batch', scale: options.scale, params: {}, status: 'failed', reason: reason.split('\n')[0]!, logExcerpt: reason });
      }
      continue;
    }
    try {
      store.updateProvenance({ engineSettings: { ...store.document.provenance.engineSettings, [name]: { ...engine.settings } } });
      for (const workload of options.workloads) {
        const reference = references.get(workload.id)!;
        if (reference instanceof Error) {
          record({ workload: workload.id, engine: name, mode: 'batch', scale: options.scale, params: {}, status: 'failed', reason: `no reference answer: DuckDB failed on ${workload.id}: ${reference.message.split('\n')[0]}`, logExcerpt: reference.message });
          continue;
        }
        const measurement = await measureWorkload(engine, workload, datasets.get(workload.id)!, reference, {
          ...options,
          outputRoot: path.join(store.dir, 'outputs', workload.id, name),
        }).catch((error: unknown): Measurement => ({
          workload: workload.id, engine: name, mode: 'batch', scale: options.scale, params: {}, status: 'failed', reason: (error as Error).message.split('\n')[0]!, logExcerpt: (error as Error).stack,
        }));
        record(measurement);
        progress(`[${name}] ${workload.id}: ${measurement.status}${measurement.status === 'completed' ? `, median ${seconds(measurement.statistics.wallMs.median)}` : `: ${measurement.reason}`}`);
      }
    } finally {
      progress(`[${name}] stopping`);
      await engine.stop();
    }
  }
  return { measurements: count, notCompleted, runtime: opened };
}
