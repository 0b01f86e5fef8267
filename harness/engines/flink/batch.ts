// Flink batch: through the SQL Gateway in batch runtime mode — dataset tables, a filesystem
// Parquet sink typed from the workload's answer columns, INSERT INTO … the workload query;
// the job's own duration comes from the JobManager REST API.
import fs from 'node:fs';
import path from 'node:path';
import { querySqlFor } from '../../workloads/load.ts';
import { datasetColumns, type BatchExecution, type BatchExecutionRequest, type StartedBatchEngine } from '../batch-engine.ts';
import type { SubmissionPath } from '../engine.ts';
import type { StartedFlinkCluster } from './cluster.ts';
import { flinkTableDdl } from './ddl.ts';
import { flinkScrapers } from './metrics.ts';
import { FlinkSqlError } from './sql-gateway-client.ts';
import { describeFetchError } from './rest-client.ts';

export const FLINK_SINK_TABLE = 'bench_answer';

/** The first line of a Flink exception and its deepest "Caused by:" — the first alone is often "Recovery is suppressed …". */
export function flinkFailureSummary(exception: string): string {
  const lines = exception.split('\n');
  const causes = lines.filter((l) => l.trimStart().startsWith('Caused by:'));
  const first = lines[0] ?? '';
  return causes.length ? `${first} — ${causes.at(-1)!.trim()}` : first;
}

/** TaskManagers that are no longer running, in words (a killed TaskManager leaves Flink waiting for slots until the timeout). */
async function deadTaskManagers(cluster: StartedFlinkCluster): Promise<string | undefined> {
  const dead: string[] = [];
  for (const tm of cluster.taskManagers) if (!(await tm.isRunning().catch(() => false))) dead.push(tm.name);
  return dead.length ? `${dead.join(', ')} no longer running (killed? e.g. by the container memory limit; see ${dead.map((d) => `services/${d}/service.log`).join(', ')})` : undefined;
}

/**
 * The submitted job to its end on the JobManager REST API, as one execution's outcome: its own
 * duration as engine time, wall time from `started`; cancelled at the deadline; a failure with
 * its deepest cause and any TaskManager that died. Shared by every path on a session cluster.
 */
export async function awaitFlinkBatchJob(cluster: StartedFlinkCluster, jobId: string, execution: { started: number; timeoutMs: number; answerDir: string }): Promise<BatchExecution> {
  const { started, timeoutMs, answerDir } = execution;
  const job = await cluster.rest.waitForJob(jobId, Math.max(1, timeoutMs - (Date.now() - started)));
  const wallMs = Date.now() - started;
  if (!job) {
    await cluster.rest.cancel(jobId);
    const dead = await deadTaskManagers(cluster);
    return { status: 'timed-out', wallMs, reason: `Flink job ${jobId} did not finish within ${timeoutMs} ms (cancelled)${dead ? `; ${dead}` : ''}` };
  }
  if (job.state !== 'FINISHED') {
    const exception = await cluster.rest.exceptions(jobId);
    const dead = await deadTaskManagers(cluster);
    return { status: 'failed', wallMs, reason: `Flink job ${jobId} ended ${job.state}: ${flinkFailureSummary(exception)}${dead ? `; ${dead}` : ''}`, logExcerpt: exception };
  }
  return { status: 'completed', wallMs, engineMs: job.duration, output: { dir: answerDir, format: 'parquet' }, engineId: jobId };
}

export function flinkBatchStatements(request: BatchExecutionRequest, answerDir: string): string[] {
  const answer = request.workload.spec.answer;
  if (!answer) throw new Error(`workload '${request.workload.id}' has no answer section`);
  return [
    ...Object.entries(request.datasets).map(([name, dataset]) => flinkTableDdl(name, datasetColumns(request, name), dataset.path)),
    flinkTableDdl(FLINK_SINK_TABLE, answer.columns, answerDir),
    `INSERT INTO ${FLINK_SINK_TABLE}\n${querySqlFor(request.workload, 'flink', request.variables)}`,
  ];
}

/**
 * What every batch path on a session cluster shares: the engine's identity and recorded settings
 * (`settings`: the cluster's non-default config.yaml entries), scrapers when `metrics`, and
 * stopping the cluster. Each path adds only how it executes.
 */
export function flinkSessionEngine(
  cluster: StartedFlinkCluster,
  submission: SubmissionPath,
  options: { settings?: Readonly<Record<string, string>>; metrics?: boolean },
): Omit<StartedBatchEngine, 'execute'> {
  return {
    engine: 'flink',
    path: submission,
    settings: { 'execution.runtime-mode': 'batch', ...options.settings },
    ...(options.metrics ? { metricsScrapers: () => flinkScrapers(cluster) } : {}),
    stop: () => cluster.stop(),
  };
}

/** The SQL Gateway path: the statements in a gateway session on the running cluster. */
export function flinkBatchEngine(cluster: StartedFlinkCluster, submission: SubmissionPath, options: { settings?: Readonly<Record<string, string>>; metrics?: boolean } = {}): StartedBatchEngine {
  return {
    ...flinkSessionEngine(cluster, submission, options),
    async execute(request): Promise<BatchExecution> {
      const answerDir = path.join(request.outputDir, 'answer');
      fs.mkdirSync(request.outputDir, { recursive: true });
      const statements = flinkBatchStatements(request, answerDir);
      fs.writeFileSync(path.join(request.outputDir, 'query.sql'), statements.join(';\n\n') + ';\n');
      const deadBefore = await deadTaskManagers(cluster);
      if (deadBefore) return { status: 'failed', wallMs: 0, reason: `not submitted: ${deadBefore}` };
      const session = await cluster.gateway.openSession({ 'execution.runtime-mode': 'batch' });
      const started = Date.now();
      try {
        let jobId: string | undefined;
        for (const statement of statements) jobId = (await cluster.gateway.execute(session, statement, { timeoutMs: request.timeoutMs })).jobId ?? jobId;
        if (!jobId) return { status: 'failed', wallMs: Date.now() - started, reason: 'the SQL Gateway returned no job id for the INSERT' };
        return await awaitFlinkBatchJob(cluster, jobId, { started, timeoutMs: request.timeoutMs, answerDir });
      } catch (error) {
        // Only the gateway's own answer is Flink rejecting the statement; a dropped connection is the harness losing contact.
        if (error instanceof FlinkSqlError) return { status: 'failed', wallMs: Date.now() - started, reason: `Flink rejected the statement: ${error.engineMessage.split('\n').at(-1)}`, logExcerpt: error.engineMessage };
        const message = describeFetchError(error);
        return { status: 'failed', wallMs: Date.now() - started, reason: `the harness lost contact with Flink (SQL Gateway or JobManager REST): ${message}`, logExcerpt: (error as Error).stack ?? message };
      } finally {
        await cluster.gateway.closeSession(session);
      }
    },
  };
}
