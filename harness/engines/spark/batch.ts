// Spark batch over spark-submit: one application per execution of the runner with a list of
// SQL statements (dataset views, then the workload query); the result is written as Parquet to
// a fresh directory, the runner's own figures come back as a JSON file.
import fs from 'node:fs';
import path from 'node:path';
import { querySqlFor } from '../../workloads/load.ts';
import { datasetColumns, type BatchExecution, type BatchExecutionRequest, type StartedBatchEngine } from '../batch-engine.ts';
import type { SubmissionPath } from '../engine.ts';
import { failureExcerpt, type StartedSparkCluster } from './cluster.ts';
import { sparkTableDdl } from './ddl.ts';
import { sparkScrapers } from './metrics.ts';

/** The statements one execution runs, in order: a view per dataset, then the workload query. */
export function sparkBatchStatements(request: BatchExecutionRequest): string[] {
  const views = Object.entries(request.datasets).map(([name, dataset]) => sparkTableDdl(name, datasetColumns(request, name), dataset.path));
  return [...views, querySqlFor(request.workload, 'spark', request.variables)];
}

/** `metricsRunDir`: when set, metrics are scraped (the cluster was started with sparkMetricsSettings for its event log). */
export function sparkBatchEngine(cluster: StartedSparkCluster, submission: SubmissionPath, options: { metricsRunDir?: string } = {}): StartedBatchEngine {
  return {
    engine: 'spark',
    path: submission,
    settings: { ...cluster.submitSettings },
    ...(options.metricsRunDir ? { metricsScrapers: () => sparkScrapers(cluster, options.metricsRunDir!) } : {}),
    async execute(request): Promise<BatchExecution> {
      fs.mkdirSync(request.outputDir, { recursive: true });
      const answerDir = path.join(request.outputDir, 'answer');
      const result = await cluster.submitSql({ statements: sparkBatchStatements(request), workDir: request.outputDir, output: { dir: answerDir, format: 'parquet' }, timeoutMs: request.timeoutMs });
      fs.writeFileSync(path.join(request.outputDir, 'spark-submit.log'), result.output);
      if (result.timedOut) return { status: 'timed-out', wallMs: result.wallMs, reason: `spark-submit did not finish within ${request.timeoutMs} ms` };
      if (result.exitCode !== 0 || !result.result) {
        const excerpt = failureExcerpt(result.output);
        return { status: 'failed', wallMs: result.wallMs, reason: `spark-submit exited ${result.exitCode}: ${excerpt.split('\n')[0]}`, logExcerpt: excerpt };
      }
      const { engineMs, appId } = result.result;
      return {
        status: 'completed',
        wallMs: result.wallMs,
        engineMs,
        ...(engineMs === null ? { engineMsMissingReason: 'Spark reported no QueryExecutionListener duration for the write' } : {}),
        output: { dir: answerDir, format: 'parquet' },
        engineId: appId,
      };
    },
    stop: () => cluster.stop(),
  };
}
