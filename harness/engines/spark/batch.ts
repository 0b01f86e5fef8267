// Spark batch: one spark-submit per execution of the runner with a SQL file (dataset views,
// then the workload query); the result is written as Parquet to a fresh directory.
import fs from 'node:fs';
import path from 'node:path';
import { tableDdl } from '../../generators/batch/generate.ts';
import { querySqlFor } from '../../workloads/load.ts';
import { datasetColumns, type BatchExecution, type BatchExecutionRequest, type StartedBatchEngine } from '../batch-engine.ts';
import { failureExcerpt, type StartedSparkCluster } from './cluster.ts';
import { metricsFor, sparkMetricsSettings } from '../../metrics/index.ts';

export function sparkBatchSql(request: BatchExecutionRequest): string {
  const views = Object.entries(request.datasets).map(([name, dataset]) => tableDdl('spark', name, datasetColumns(request, name), dataset.path));
  return [...views, querySqlFor(request.workload, 'spark', request.variables)].join(';\n\n') + '\n';
}

/** `metricsRunDir`: when set, submissions write Spark's event log there and metrics are scraped. */
export function sparkBatchEngine(cluster: StartedSparkCluster, options: { metricsRunDir?: string } = {}): StartedBatchEngine {
  const metricsConf = options.metricsRunDir ? sparkMetricsSettings(options.metricsRunDir) : {};
  return {
    name: 'spark',
    settings: { ...cluster.submitSettings, ...metricsConf },
    ...(options.metricsRunDir ? { metricsScrapers: () => metricsFor({ engine: 'spark', cluster }, options.metricsRunDir!) } : {}),
    async execute(request): Promise<BatchExecution> {
      fs.mkdirSync(request.outputDir, { recursive: true });
      const sqlFile = path.join(request.outputDir, 'query.sql');
      fs.writeFileSync(sqlFile, sparkBatchSql(request));
      const answerDir = path.join(request.outputDir, 'answer');
      const result = await cluster.submitSql({ sqlFile, output: { dir: answerDir, format: 'parquet' }, timeoutMs: request.timeoutMs, conf: metricsConf });
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
