// Flink batch in application mode (the cold path, the analogue of spark-submit): every execution
// starts a FRESH Flink cluster — a JobManager in application mode plus the budget's TaskManagers —
// whose JobManager runs the SQL script with Flink's own SqlDriver (no jar of ours), then reads the
// job's own duration from that JobManager's REST API and stops the cluster, in finally.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ResourceBudget } from '../../config/budget.ts';
import type { Runtime, StartedService } from '../../runtime/runtime.ts';
import { flinkJobManagerSpec, flinkTaskManagerSpec, type FlinkServiceOptions } from '../../services/flink.ts';
import { createLogger } from '../../log.ts';
import type { BatchExecution, StartedBatchEngine } from '../batch-engine.ts';
import type { SubmissionPath } from '../engine.ts';
import { startInStages, stopAll } from '../start-services.ts';
import { flinkBatchStatements, flinkFailureSummary } from './batch.ts';
import { FlinkRestClient, type FlinkJobStatus } from './rest-client.ts';

const log = createLogger('bench:engine:flink');
const TERMINAL = new Set(['FINISHED', 'FAILED', 'CANCELED']);
const LOG_LINES = 30;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
// Counted per process (one run): the clusters' service names, ports and work dirs never repeat in a run.
let clustersStarted = 0;

export interface FlinkApplicationOptions {
  readonly runtime: Runtime;
  readonly budget: ResourceBudget;
  readonly startTimeoutMs: number;
  readonly sharedDirs: readonly string[];
  /** config.yaml entries beyond the budget (user `--engine-setting`s): applied to every cluster, recorded. */
  readonly settings: Readonly<Record<string, string>>;
}

/** What one execution's cluster was: recorded by tests (each repetition on a cluster of its own). */
export interface FlinkApplicationCluster {
  readonly name: string;
  readonly jobManagerUrl: string;
  readonly services: readonly string[];
}

/** The last lines of a service's log, labelled; never throws (the service may be gone). */
async function tail(service: StartedService): Promise<string> {
  const text = await service.logs(LOG_LINES).catch((error: unknown) => `(log unreadable: ${(error as Error).message})`);
  return `--- last ${LOG_LINES} lines of ${service.name} (${service.logFile}) ---\n${text}`;
}

/** Polls the application's one job until it ends, the JobManager exits, or the deadline passes. */
async function waitForApplicationJob(rest: FlinkRestClient, jobManager: StartedService, jobId: string, deadline: number): Promise<FlinkJobStatus | 'jobmanager-exited' | 'timed-out'> {
  for (;;) {
    // 404 until the SqlDriver has submitted the job: keep polling while the JobManager lives.
    const status = await rest.job(jobId).catch(() => undefined);
    if (status && TERMINAL.has(status.state)) return status;
    if (!status && !(await jobManager.isRunning().catch(() => false))) return 'jobmanager-exited';
    if (Date.now() > deadline) return 'timed-out';
    await sleep(200);
  }
}

export function flinkApplicationEngine(submission: SubmissionPath, options: FlinkApplicationOptions): StartedBatchEngine {
  // Clusters of executions under way, stopped by stop() too (an interrupted run leaves none).
  const live = new Set<StartedService[]>();
  const clusters: FlinkApplicationCluster[] = [];
  const engine: StartedBatchEngine & { readonly clusters: readonly FlinkApplicationCluster[] } = {
    engine: 'flink',
    path: submission,
    settings: { 'execution.runtime-mode': 'batch', ...options.settings },
    clusters,
    async execute(request): Promise<BatchExecution> {
      const answerDir = path.join(request.outputDir, 'answer');
      fs.mkdirSync(request.outputDir, { recursive: true });
      const script = path.join(request.outputDir, 'query.sql');
      fs.writeFileSync(script, flinkBatchStatements(request, answerDir).join(';\n\n') + ';\n');
      const name = `flink-app-${++clustersStarted}`;
      const jobId = randomBytes(16).toString('hex');
      const ctx = options.runtime.context;
      const serviceOptions: FlinkServiceOptions = { budget: options.budget, startTimeoutMs: options.startTimeoutMs, sharedDirs: options.sharedDirs, settings: options.settings, cluster: name };
      // Wall time of a cold execution includes bringing the cluster up (like spark-submit's JVMs).
      const started = Date.now();
      let services: StartedService[] = [];
      try {
        try {
          services = await startInStages(options.runtime, [
            [flinkJobManagerSpec(ctx, serviceOptions, { jobId, scriptUri: pathToFileURL(script).href })],
            Array.from({ length: options.budget.workers }, (_, i) => flinkTaskManagerSpec(ctx, i, serviceOptions)),
          ]);
        } catch (error) {
          // The runtime's error carries the failing service's last log lines.
          const message = (error as Error).message;
          return { status: 'failed', wallMs: Date.now() - started, reason: `the Flink application cluster ${name} did not start: ${message.split('\n')[0]}`, logExcerpt: message };
        }
        live.add(services);
        const jobManager = services[0]!;
        const rest = new FlinkRestClient(jobManager.url('rest'));
        clusters.push({ name, jobManagerUrl: jobManager.url('rest'), services: services.map((s) => s.name) });
        log.info(`${name} up in ${Date.now() - started} ms; application job ${jobId}`);
        const outcome = await waitForApplicationJob(rest, jobManager, jobId, started + request.timeoutMs);
        const wallMs = Date.now() - started;
        if (outcome === 'jobmanager-exited') {
          const logs = await tail(jobManager);
          return { status: 'failed', wallMs, reason: `the JobManager of ${name} exited before job ${jobId} ended`, logExcerpt: logs };
        }
        if (outcome === 'timed-out') {
          await rest.cancel(jobId);
          return { status: 'timed-out', wallMs, reason: `Flink application job ${jobId} on ${name} did not finish within ${request.timeoutMs} ms (cancelled)` };
        }
        if (outcome.state !== 'FINISHED') {
          // The whole trace: a script that failed in the SqlDriver says why only in its deepest cause
          // ("The main method caused an error: null" … "Caused by: …SqlParseException: …").
          const exception = await rest.exceptions(jobId, Number.POSITIVE_INFINITY);
          const excerpt = exception.split('\n').filter((line, i) => i < 8 || line.trimStart().startsWith('Caused by:')).join('\n');
          return { status: 'failed', wallMs, reason: `Flink application job ${jobId} on ${name} ended ${outcome.state}: ${flinkFailureSummary(exception)}`, logExcerpt: excerpt };
        }
        return { status: 'completed', wallMs, engineMs: outcome.duration, output: { dir: answerDir, format: 'parquet' }, engineId: jobId };
      } finally {
        const stopping = Date.now();
        await stopAll(services);
        live.delete(services);
        if (services.length) log.info(`${name} stopped in ${Date.now() - stopping} ms`);
      }
    },
    async stop() {
      for (const services of live) await stopAll(services);
      live.clear();
    },
  };
  return engine;
}
