// Flink batch through its SQL client (`sql-client.sh -f script.sql`): a cold client on a warm
// cluster. Every execution starts a new client JVM that plans the script and submits the job to
// the running session cluster, the way a data engineer runs a SQL file by hand or from cron; the
// JobManager and TaskManagers stay up across executions. Wall time runs from the client's start
// to the job's end as the JobManager reports it (the client start-up is part of this path's cost,
// by design); engine time is the job's own duration from REST, as on every Flink path.
import fs from 'node:fs';
import path from 'node:path';
import type { Runtime } from '../../runtime/runtime.ts';
import { flinkSqlClientJob, type FlinkServiceOptions } from '../../services/flink.ts';
import type { BatchExecution, StartedBatchEngine } from '../batch-engine.ts';
import type { SubmissionPath } from '../engine.ts';
import { awaitFlinkBatchJob, flinkBatchStatements, flinkSessionEngine } from './batch.ts';
import type { StartedFlinkCluster } from './cluster.ts';

let executions = 0;

/** The job id the client printed after submitting the INSERT ("Job ID: 3f2…"). */
export function submittedJobId(clientOutput: string): string | undefined {
  return /Job ID:\s*([0-9a-f]{32})/.exec(clientOutput)?.[1];
}

/** The client's own error ("[ERROR] Could not execute SQL statement. Reason: …"), its reason line first. */
export function sqlClientError(clientOutput: string): string | undefined {
  // The client colours its messages (ANSI escapes) even when its output is not a terminal.
  const lines = clientOutput.replace(/\x1b\[[0-9;]*m/g, '').split('\n');
  const at = lines.findIndex((line) => line.includes('[ERROR]'));
  if (at < 0) return undefined;
  const reason = lines.slice(at).find((line) => /^(Reason:|Caused by:)|Exception:/.test(line.trim()));
  return [lines[at]!.trim(), reason?.trim()].filter(Boolean).join(' ');
}

export function flinkSqlClientEngine(
  cluster: StartedFlinkCluster,
  submission: SubmissionPath,
  options: { runtime: Runtime; service: FlinkServiceOptions; settings: Readonly<Record<string, string>>; metrics?: boolean },
): StartedBatchEngine & { readonly cluster: StartedFlinkCluster } {
  return {
    ...flinkSessionEngine(cluster, submission, options),
    cluster,
    async execute(request): Promise<BatchExecution> {
      const answerDir = path.join(request.outputDir, 'answer');
      fs.mkdirSync(request.outputDir, { recursive: true });
      const script = path.join(request.outputDir, 'query.sql');
      fs.writeFileSync(script, [`SET 'execution.runtime-mode' = 'batch'`, ...flinkBatchStatements(request, answerDir)].join(';\n\n') + ';\n');
      const started = Date.now();
      const client = await options.runtime.runJob(
        flinkSqlClientJob(options.runtime.context, options.service, {
          name: `flink-sql-client-${++executions}`,
          script,
          confDir: path.join(request.outputDir, 'client-conf'),
          timeoutMs: request.timeoutMs,
        }),
      );
      const output = `${client.stdout}\n${client.stderr}`;
      if (client.timedOut) return { status: 'timed-out', wallMs: Date.now() - started, reason: `the Flink SQL client did not finish within ${request.timeoutMs} ms (log ${client.logFile})` };
      const jobId = submittedJobId(output);
      const clientError = sqlClientError(output);
      if (clientError || !jobId || client.exitCode !== 0) {
        const reason = clientError ?? (jobId ? `exited ${client.exitCode}` : `exited ${client.exitCode} without submitting a job`);
        return { status: 'failed', wallMs: Date.now() - started, reason: `the Flink SQL client failed: ${reason} (log ${client.logFile})`, logExcerpt: output.trim().split('\n').slice(-30).join('\n') };
      }
      return awaitFlinkBatchJob(cluster, jobId, { started, timeoutMs: request.timeoutMs, answerDir });
    },
  };
}
