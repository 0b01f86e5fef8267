// Spark Structured Streaming variants: `spark-microbatch` (trigger interval parameter; none =
// Spark's default, the next batch as soon as the previous one ends) and `spark-continuous`
// (continuous trigger). Spark itself rejects what it cannot run on a stream (aggregations in
// continuous mode, ranking windows in either) with an AnalysisException — that text becomes the
// `unsupported` reason. Submitted with spark-submit in client mode, like batch, running
// runner/SparkStreamRunner.java.
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ExecResult } from '../../runtime/runtime.ts';
import { UnsupportedByEngine, type RunningStream, type StreamJob, type TopicOffsets } from '../../streaming/stream-job.ts';
import { failureExcerpt, type StartedSparkCluster } from './cluster.ts';
import { createLogger } from '../../log.ts';

const log = createLogger('bench:engine:spark');
export const SPARK_STREAM_MAIN_CLASS = 'bench.SparkStreamRunner';

export interface SparkStreamSettings {
  readonly mode: 'microbatch' | 'continuous' | 'realtime';
  /** Micro-batch trigger interval (ms); undefined = Spark's default (no trigger set). */
  readonly triggerIntervalMs?: number;
  /** Continuous trigger's checkpoint interval (ms); Real-Time Mode's batch duration (ms), which is its checkpoint interval. */
  readonly continuousIntervalMs?: number;
  readonly startTimeoutMs: number;
}

export const SPARK_GUARANTEE =
  "at-least-once: Spark's Kafka sink may write a row twice after a failure (exactly-once holds only for idempotent sinks); continuous mode is at-least-once by design";

/**
 * Spark's latest committed source offsets from the checkpoint (offsets/<n> for the newest
 * commits/<n>), per topic; null until every one of `topics` has an entry.
 */
export function sparkCommittedOffsets(checkpointDir: string, topics: readonly string[]): TopicOffsets | null {
  const commits = path.join(checkpointDir, 'commits');
  if (!fs.existsSync(commits)) return null;
  const batches = fs.readdirSync(commits).filter((f) => /^\d+$/.test(f)).map(Number);
  if (batches.length === 0) return null;
  const file = path.join(checkpointDir, 'offsets', String(Math.max(...batches)));
  if (!fs.existsSync(file)) return null;
  // Line 1: version, line 2: metadata, then one JSON per source: {"<topic>":{"0":12,"1":9}}
  const out: TopicOffsets = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n').slice(2)) {
    try {
      const parsed = JSON.parse(line) as TopicOffsets;
      for (const topic of topics) if (parsed[topic]) out[topic] = parsed[topic];
    } catch {
      // not a source line
    }
  }
  return topics.every((topic) => out[topic]) ? out : null;
}

/**
 * Whether a start failure is Spark refusing the query shape for streaming (its
 * UnsupportedOperationChecker: aggregations in continuous mode, ranking windows or sorting in
 * update mode, …) rather than a broken query: that is `unsupported`, not `failed`.
 */
export function isUnsupportedOperation(errorText: string, mode: SparkStreamSettings['mode']): boolean {
  const firstLine = errorText.split('\n')[0]!;
  if (mode === 'realtime' && /\[STREAMING_REAL_TIME_MODE\./.test(errorText)) return true;
  if (!/AnalysisException/.test(firstLine)) return false;
  if (mode === 'continuous' && /[Cc]ontinuous processing/.test(firstLine)) return true;
  return /(not supported|does not support)/.test(firstLine) && /streaming DataFrames?\/Datasets?/i.test(firstLine);
}

/**
 * Real-Time Mode refuses what is not on its allowlist (aggregations, joins … in Spark 4.2) when it
 * plans the first batch, after the query started: "[STREAMING_REAL_TIME_MODE.<WHY>] Streaming
 * real-time mode has the following limitation: …". That is `unsupported`, in Spark's words.
 */
export function realTimeModeRefusal(failure: string, mode: SparkStreamSettings['mode']): string | undefined {
  if (mode !== 'realtime') return undefined;
  const match = /\[STREAMING_REAL_TIME_MODE\.[A-Z_]+\][^\n]*/.exec(failure);
  return match?.[0].trim();
}

/** The runner's error file ({exception, message}) as `<exception class>: <message>`. */
export function runnerError(json: string): string {
  const { exception, message } = JSON.parse(json) as { exception: string; message: string };
  return `${exception}: ${message}`;
}

export async function startSparkStream(cluster: StartedSparkCluster, job: StreamJob, settings: SparkStreamSettings): Promise<RunningStream> {
  fs.mkdirSync(job.stateDir, { recursive: true });
  const statementsFile = path.join(job.stateDir, 'statements.json');
  fs.writeFileSync(statementsFile, `${JSON.stringify([job.sql], null, 2)}\n`);
  const sourcesFile = path.join(job.stateDir, 'sources.json');
  const sources = job.sources.map((s) => ({ name: s.name, topic: s.topic, schema: s.columns.map((c) => `${c.name} ${c.type}`).join(', ') }));
  fs.writeFileSync(sourcesFile, `${JSON.stringify(sources, null, 2)}\n`);
  const trigger =
    settings.mode === 'continuous' || settings.mode === 'realtime'
      ? `${settings.mode}:${settings.continuousIntervalMs ?? 1000}`
      : settings.triggerIntervalMs === undefined
        ? 'default'
        : `processing:${settings.triggerIntervalMs}`;
  // Real-Time Mode runs in update mode only; for a map-like query it writes the same rows as append.
  const outputMode = job.output.kind === 'upsert' || settings.mode === 'realtime' ? 'update' : 'append';
  const args = [
    ...cluster.submitCommand(SPARK_STREAM_MAIN_CLASS),
    '--bootstrap', job.engineBootstrap,
    '--sources', sourcesFile,
    '--statements', statementsFile,
    '--sink-topic', job.sinkTopic,
    '--key-columns', job.output.key.join(','),
    '--output-mode', outputMode,
    '--trigger', trigger,
    '--state-dir', job.stateDir,
    ...(job.eventTime ? ['--watermark-delay-ms', String(job.eventTime.watermarkDelayMs)] : []),
  ];
  log.info(`spark-submit streaming ${job.id} (${settings.mode}, trigger ${trigger}, output mode ${outputMode})`);
  let exited: ExecResult | undefined;
  const execution = cluster.master.exec(args, { timeoutMs: job.maxRuntimeMs }).then((result) => (exited = result));
  const started = path.join(job.stateDir, 'started');
  const errorFile = path.join(job.stateDir, 'error');
  const readError = () => (fs.existsSync(errorFile) ? runnerError(fs.readFileSync(errorFile, 'utf8')) : null);

  const deadline = Date.now() + settings.startTimeoutMs;
  while (!fs.existsSync(started)) {
    const error = readError();
    if (error || exited) {
      await execution;
      const text = error ?? `spark-submit exited ${exited!.exitCode}`;
      if (isUnsupportedOperation(text, settings.mode)) throw new UnsupportedByEngine(text.split('\n')[0]!.replace(/^\S*AnalysisException: /, 'AnalysisException: '));
      throw new Error(`Spark streaming job ${job.id} failed to start: ${text}\n${failureExcerpt(`${exited?.stdout ?? ''}\n${exited?.stderr ?? ''}`)}`);
    }
    if (Date.now() > deadline) {
      fs.writeFileSync(path.join(job.stateDir, 'stop'), '');
      throw new Error(`Spark streaming job ${job.id} did not start within ${settings.startTimeoutMs} ms`);
    }
    await sleep(200);
  }
  const { queryId, appId } = JSON.parse(fs.readFileSync(started, 'utf8')) as { queryId: string; appId: string };
  log.info(`Spark streaming job ${job.id} running: query ${queryId}, application ${appId}`);

  let stopped = false;
  return {
    guarantee: SPARK_GUARANTEE,
    settings: {
      'trigger': trigger,
      'outputMode': outputMode,
      'startingOffsets': 'earliest',
      ...(settings.mode === 'realtime' ? { 'spark.sql.streaming.realTimeMode.minBatchDuration': `${settings.continuousIntervalMs ?? 1000}ms` } : {}),
      ...(job.eventTime ? { 'withWatermark(rt)': `${job.eventTime.watermarkDelayMs} milliseconds` } : {}),
    },
    consumedOffsets: async () => sparkCommittedOffsets(path.join(job.stateDir, 'checkpoint'), job.sources.map((s) => s.topic)),
    refusal: (failure) => realTimeModeRefusal(failure, settings.mode),
    // The master's own view: a worker whose connection dropped is removed at once.
    trouble: async () => {
      const response = await fetch(cluster.master.url('ui', '/json/'), { signal: AbortSignal.timeout(2000) });
      const state = (await response.json()) as { aliveworkers?: number };
      const alive = state.aliveworkers ?? 0;
      return alive < cluster.workers.length ? `Spark master: ${alive} of ${cluster.workers.length} worker(s) alive` : null;
    },
    failure: async () => readError() ?? (exited && !stopped ? `spark-submit exited ${exited.exitCode} while running:\n${failureExcerpt(`${exited.stdout}\n${exited.stderr}`)}` : null),
    async stop() {
      if (stopped) return;
      stopped = true;
      fs.writeFileSync(path.join(job.stateDir, 'stop'), '');
      const result = await Promise.race([execution, sleep(60_000).then(() => undefined)]);
      if (!result) log.warn(`Spark streaming job ${job.id} did not stop within 60 s after the stop file; the cluster teardown ends it`);
    },
  };
}
