// The batch unit: one workload on one started engine (one submission path) — warm-up(s), then
// measured repetitions, each into a fresh output directory, each answer checked against the
// reference; metrics beside every measured repetition. Plus the data every unit needs (datasets
// and the reference answer, computed once per workload) and the groups of a batch plan.
import fs from 'node:fs';
import path from 'node:path';
import { answerChecksum, compareAnswers, type Answer, type AnswerRow } from '../answer/answer.ts';
import { readAnswerDir } from '../answer/read-answer-dir.ts';

import type { BatchExecution, StartedBatchEngine } from '../engines/batch-engine.ts';
import { ORACLE, type Engine, type EngineStartContext, type SubmissionPath } from '../engines/index.ts';
import { generateWorkloadData, type GeneratedDataset } from '../generators/batch/generate.ts';
import { withMetrics } from '../metrics/engine-metrics.ts';
import type { MetricsSection } from '../results/metrics-section.ts';
import { missing, type Measurement, type MeasurementIdentity, type Repetition } from '../results/schema.ts';
import { summarize } from '../stats/summary.ts';
import { workloadVariables, type VariableOptions, type Workload } from '../workloads/load.ts';
import { failedMeasurement } from './measurement.ts';
import { faultsForEngine, startFaults, type FaultPlan, type InjectedFault } from '../faults/inject.ts';
import type { RunProgress } from './progress.ts';
import { unitGroup, type AnyUnitGroup, type RunUnit, type UnitContext } from './runner.ts';

export interface BatchSettings {
  readonly scale: VariableOptions['scale'];
  readonly seed: number;
  readonly repeat: number;
  readonly warmups: number;
  readonly timeoutMs: number;
  /** Sample metrics beside every measured execution at this interval; undefined = --no-metrics. */
  readonly metricsIntervalMs?: number;
  /**
   * `--fault`: after the unfaulted units, one more execution per workload with these faults
   * injected on its axis (t=0 at its submission), recorded as its own measurement.
   */
  readonly faults?: FaultPlan;
}

/** Datasets and the reference answer of one workload (or why the reference could not be computed). */
export interface BatchInputs {
  readonly datasets: Readonly<Record<string, GeneratedDataset>>;
  readonly reference: Answer | Error;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Generates (or reuses) every workload's datasets and computes its reference answer with the oracle. */
export async function prepareBatchInputs(
  workloads: readonly Workload[],
  options: { scale: VariableOptions['scale']; seed: number; threads: number; dataRoot: string; progress: RunProgress },
): Promise<Map<string, BatchInputs>> {
  const inputs = new Map<string, BatchInputs>();
  for (const workload of workloads) {
    const started = Date.now();
    options.progress.message(`[data] ${workload.id}: generating (or reusing) datasets at scale ${options.scale} …`);
    const datasets = await generateWorkloadData(workload, { scale: options.scale, seed: options.seed, dataRoot: options.dataRoot });
    options.progress.message(
      `[data] ${workload.id}: ${Object.values(datasets).map((d) => `${d.plan.dataset} ${d.plan.rows.toLocaleString('en')} rows${d.reused ? ' (cached)' : ''}`).join(', ')} in ${seconds(Date.now() - started)}`,
    );
    let reference: Answer | Error;
    try {
      reference = await ORACLE.referenceAnswer(workload, { scale: options.scale, seed: options.seed, threads: options.threads, datasets });
    } catch (error) {
      reference = error as Error;
    }
    inputs.set(workload.id, { datasets, reference });
  }
  return inputs;
}

/** Values JSON can hold (bigint → number when exact, else string). */
function jsonRow(row: AnswerRow): (string | number | boolean | null)[] {
  return row.map((v) => (typeof v === 'bigint' ? (Number.isSafeInteger(Number(v)) ? Number(v) : v.toString()) : v));
}

async function answerOf(execution: Extract<BatchExecution, { status: 'completed' }>, workload: Workload): Promise<Answer> {
  if ('answer' in execution.output) return execution.output.answer;
  return readAnswerDir(execution.output.dir, execution.output.format, { columns: workload.spec.answer?.columns });
}

export function batchIdentity(engine: string, submission: SubmissionPath, workload: Workload, settings: Pick<BatchSettings, 'scale' | 'seed'>, faults?: FaultPlan): MeasurementIdentity {
  const variables = workloadVariables(workload, { scale: settings.scale, seed: settings.seed });
  return {
    workload: workload.id,
    engine,
    mode: 'batch',
    scale: settings.scale,
    params: {
      ...Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, typeof v === 'bigint' ? v.toString() : v])),
      // A faulted measurement is never paired with an unfaulted one (compare, trends, headline).
      ...(faults ? { faults: faults.faults.map((f) => f.text).join(',') } : {}),
    },
    submission: { path: submission.id, family: submission.family },
  };
}

/** Runs warm-ups and repetitions of one workload on one started engine and builds its measurement. */
export async function measureWorkload(
  engine: StartedBatchEngine,
  workload: Workload,
  inputs: BatchInputs,
  settings: BatchSettings & { outputRoot: string },
  context: Pick<UnitContext, 'progress'> & { signal?: AbortSignal },
  /** Measure one execution with these faults injected instead (no warm-up: it follows the unfaulted unit on the same engine). */
  faulted?: FaultPlan,
): Promise<Measurement> {
  const identity = batchIdentity(engine.engine, engine.path, workload, settings, faulted);
  if (faulted) settings = { ...settings, warmups: 0, repeat: 1 };
  const startedAt = new Date().toISOString();
  if (inputs.reference instanceof Error) {
    return failedMeasurement(identity, `no reference answer: the oracle failed on ${workload.id}: ${inputs.reference.message}`, { logExcerpt: inputs.reference.message });
  }
  const reference = inputs.reference;
  const variables: VariableOptions = { scale: settings.scale, seed: settings.seed };
  const answerSpec = workload.spec.answer!;
  const timeoutMs = workload.spec.batch?.timeoutSeconds ? Math.min(settings.timeoutMs, workload.spec.batch.timeoutSeconds * 1000) : settings.timeoutMs;
  const common = { ...identity, startedAt };
  const repetitions: Repetition[] = [];
  let answerChecksumValue = '';
  let answerRows = 0;
  const total = settings.warmups + settings.repeat;
  // The metrics of the last measured repetition represent the measurement (series stay compact).
  let lastMetrics: MetricsSection | undefined;
  let faultRecord: { injected: InjectedFault[]; executionStartedAtMs: number } | undefined;
  const withMetricsOf = <M extends Measurement>(m: M): M => ({ ...m, ...(lastMetrics ? { metrics: lastMetrics } : {}), ...(faultRecord ? { fault: faultRecord } : {}) });
  for (let k = 0; k < total; k++) {
    if (context.signal?.aborted) break;
    const warmup = k < settings.warmups;
    const label = warmup ? `warm-up ${k + 1}/${settings.warmups}` : `repetition ${k - settings.warmups + 1}/${settings.repeat}`;
    const outputDir = path.join(settings.outputRoot, warmup ? `warmup-${k + 1}` : `rep-${k - settings.warmups + 1}`);
    fs.rmSync(outputDir, { recursive: true, force: true });
    const repetitionStartedAt = new Date().toISOString();
    context.progress.phase(label);
    const request = { workload, variables, datasets: inputs.datasets, outputDir, timeoutMs };
    // Metrics beside measured executions only; warm-ups stay unobserved like they stay uncounted.
    let execution: BatchExecution;
    let figures: MetricsSection['figures'] | undefined;
    const executionStartedAtMs = Date.now();
    const faults = faulted ? startFaults(faulted, executionStartedAtMs) : undefined;
    try {
      if (!warmup && settings.metricsIntervalMs !== undefined && engine.metricsScrapers) {
        const sampled = await withMetrics(engine.metricsScrapers(), settings.metricsIntervalMs, () => engine.execute(request));
        execution = sampled.result;
        lastMetrics = sampled.metrics;
        figures = sampled.metrics.figures;
      } else {
        execution = await engine.execute(request);
      }
    } finally {
      if (faults) faultRecord = { injected: await faults.finish(), executionStartedAtMs };
    }
    const finishedAt = new Date().toISOString();
    if (execution.status === 'timed-out') return withMetricsOf({ ...common, finishedAt, status: 'timed-out', timeoutMs, reason: `${label}: ${execution.reason}` });
    if (execution.status === 'failed') return withMetricsOf({ ...common, finishedAt, status: 'failed', reason: `${label}: ${execution.reason}`, logExcerpt: execution.logExcerpt });

    context.progress.phase(label, 'checking the answer');
    const actual = await answerOf(execution, workload);
    const comparison = compareAnswers(reference, actual, { ordered: answerSpec.ordered, tolerance: answerSpec.tolerance, keyColumns: answerSpec.keyColumns });
    context.progress.phase(label, `took ${seconds(execution.wallMs)}${execution.engineMs !== null ? ` (engine ${seconds(execution.engineMs)})` : ''}, answer ${comparison.equal ? 'verified' : 'WRONG'}`);
    const repetition: Repetition = {
      index: repetitions.length,
      startedAt: repetitionStartedAt,
      wallMs: execution.wallMs,
      engineMs: execution.engineMs,
      ...(execution.engineMs === null ? { engineMsMissingReason: execution.engineMsMissingReason ?? 'not reported' } : {}),
      ...('dir' in execution.output ? { outputDir: execution.output.dir } : {}),
      ...(execution.engineId ? { engineId: execution.engineId } : {}),
      ...(execution.clientStartMs !== undefined ? { clientStartMs: execution.clientStartMs } : {}),
      ...(figures ? { figures } : {}),
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
  if (repetitions.length < settings.repeat) return failedMeasurement(identity, `stopped after ${repetitions.length} of ${settings.repeat} repetitions`);
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
    warmups: settings.warmups,
    answer: { checksum: answerChecksumValue, rows: answerRows, verified: true },
  });
}

/**
 * A batch unit: one workload measured on whatever started engine its group gives it. With
 * `faults`: the same workload once more with the faults injected, its own measurement
 * (params.faults), its cost read against the unfaulted unit's median.
 */
export function batchUnit(
  engine: Engine,
  submission: SubmissionPath,
  workload: Workload,
  inputs: (workloadId: string) => BatchInputs,
  settings: BatchSettings & { outputRoot: string },
  faults?: FaultPlan,
): RunUnit<StartedBatchEngine & { readonly settings: Readonly<Record<string, string>> }> {
  const faulted = faults ? ` with ${faults.faults.map((f) => f.text).join(', ')}` : '';
  const unitSettings = faults ? { ...settings, outputRoot: `${settings.outputRoot}-faulted` } : settings;
  return {
    label: `${workload.id} on ${engine.id} (${submission.id})${faulted}`,
    identity: batchIdentity(engine.id, submission, workload, settings, faults),
    execute: (started, context) => measureWorkload(started, workload, inputs(workload.id), unitSettings, context, faults),
  };
}

/** One group per engine × submission path: a fresh cluster each (METHOD rule 9), every workload on it. */
export function batchGroups(
  targets: readonly { engine: Engine; path: SubmissionPath }[],
  workloads: readonly Workload[],
  /** The datasets and reference answer of a workload, asked for when its unit runs (made before the runner starts). */
  inputs: (workloadId: string) => BatchInputs,
  settings: BatchSettings & { resultsDir: string },
  startContext: (engine: Engine) => EngineStartContext,
): AnyUnitGroup[] {
  return targets.map(({ engine, path: submission }) => {
    const unitSettings = (workload: Workload) => ({ ...settings, outputRoot: path.join(settings.resultsDir, 'outputs', workload.id, `${engine.id}-${submission.id}`) });
    // Faulted executions come after every unfaulted one: a service that stays down fails what follows it.
    const faults = faultsForEngine(settings.faults, engine.id, { withKafka: false });
    return unitGroup({
      label: `${engine.id} via ${submission.id}`,
      settingsKey: engine.id,
      start: () => engine.batch!.start(startContext(engine), submission),
      units: [
        ...workloads.map((workload) => batchUnit(engine, submission, workload, inputs, unitSettings(workload))),
        ...(faults ? workloads.map((workload) => batchUnit(engine, submission, workload, inputs, unitSettings(workload), faults)) : []),
      ],
    });
  });
}

