// The warm Spark paths: a long-lived Spark SQL server — the Thrift JDBC/ODBC server
// (HiveThriftServer2) or the Spark Connect server — as one application on the standalone
// cluster; every execution — warm-ups and repetitions — is a JDBC session on it, through the
// driver that ships with Spark for that protocol (runner/JdbcSqlClient.java; services/spark.ts
// names server and driver per kind). One engine for both: they differ only in the kind.
//
// Spans (METHOD rule 13): wallMs is the client's span from its first statement to the result
// committed, on an open connection — as the Flink gateway's wall starts on an open session; the
// client's own start-up (its JVM, the driver, the connection) is recorded apart as clientStartMs.
// engineMs is Spark's own duration of the write's SQL execution, read from the server's REST
// API (/api/v1/applications/<id>/sql), the same listener-bus figure spark-submit's runner reads.
import fs from 'node:fs';
import path from 'node:path';
import { querySqlFor } from '../../workloads/load.ts';
import type { Runtime, StartedService } from '../../runtime/runtime.ts';
import { sparkSqlServerSettings, sparkSqlServerSpec, type SparkServiceOptions, type SparkSqlServerKind } from '../../services/spark.ts';
import { osScraper } from '../../metrics/engine-metrics.ts';
import { fileWatchScraper } from '../../metrics/file-watch.ts';
import { prometheusScraper } from '../../metrics/prometheus.ts';
import type { Scraper } from '../../metrics/sampler.ts';
import { datasetColumns, type BatchExecution, type BatchExecutionRequest, type StartedBatchEngine } from '../batch-engine.ts';
import type { SubmissionPath } from '../engine.ts';
import { startInStages, stopAll } from '../start-services.ts';
import { failureExcerpt, type StartedSparkCluster } from './cluster.ts';
import { sparkTableDdl } from './ddl.ts';
import { sparkLocalDirs } from './metrics.ts';
import { createLogger } from '../../log.ts';

const log = createLogger('bench:engine:spark');
export const JDBC_CLIENT_MAIN_CLASS = 'bench.JdbcSqlClient';

/** What JdbcSqlClient writes to its --result file. */
export interface JdbcClientResult {
  readonly jvmStartEpochMs: number;
  readonly connectedEpochMs: number;
  readonly statementsStartEpochMs: number;
  readonly finishedEpochMs: number;
  readonly clientStartMs: number;
  readonly statementsMs: number;
}

/** The statements of one execution: a temporary view per dataset (per JDBC session), then the query written as Parquet to the fresh output dir. */
export function sparkSqlServerStatements(request: BatchExecutionRequest, answerDir: string): string[] {
  const views = Object.entries(request.datasets).map(([name, dataset]) => sparkTableDdl(name, datasetColumns(request, name), dataset.path));
  return [...views, `INSERT OVERWRITE DIRECTORY '${answerDir.replaceAll("'", "\\'")}' USING parquet\n${querySqlFor(request.workload, 'spark', request.variables)}`];
}

/** One SQL execution as Spark's REST API lists it (the fields read here). */
export interface SparkSqlExecution {
  readonly id: number;
  readonly status: string;
  readonly description: string;
  /** Present when asked for (details=true&planDescription=true). */
  readonly planDescription?: string;
  readonly duration: number;
}

/**
 * The write's execution among the application's: its statement (in the description, or in the
 * physical plan) names the execution's own (never reused) output dir; nested executions of one
 * statement name it too, the root (lowest id) spans them all.
 */
export function writeExecutionOf(executions: readonly SparkSqlExecution[], answerDir: string): SparkSqlExecution | undefined {
  return executions.filter((e) => e.description.includes(answerDir) || (e.planDescription ?? '').includes(answerDir)).sort((a, b) => a.id - b.id)[0];
}

export interface StartedSparkSqlServer {
  readonly kind: SparkSqlServerKind;
  readonly server: StartedService;
  readonly appId: string;
}

async function applicationId(kind: SparkSqlServerKind, server: StartedService): Promise<string> {
  const response = await fetch(server.url('ui', '/api/v1/applications'));
  if (!response.ok) throw new Error(`${kind.label}'s REST API answered ${response.status} at /api/v1/applications`);
  const apps = (await response.json()) as { id: string }[];
  if (apps.length !== 1) throw new Error(`${kind.label}'s REST API lists ${apps.length} applications, expected its own one`);
  return apps[0]!.id;
}

/** Starts the server on a running cluster; a server that cannot start fails with its last log lines (the cluster is left to the caller). */
export async function startSparkSqlServer(runtime: Runtime, cluster: StartedSparkCluster, kind: SparkSqlServerKind, options: SparkServiceOptions): Promise<StartedSparkSqlServer> {
  const started = Date.now();
  const [server] = await startInStages(runtime, [[sparkSqlServerSpec(runtime.context, kind, options, cluster.submitSettings)]]);
  try {
    const appId = await applicationId(kind, server!);
    log.info(`${kind.label} up in ${Date.now() - started} ms (application ${appId})`);
    return { kind, server: server!, appId };
  } catch (error) {
    const tail = await server!.logs(20).catch(() => '');
    await stopAll([server!]);
    throw new Error(`${(error as Error).message}\n--- last lines of ${kind.service} ---\n${tail}`);
  }
}

/** The cluster's submission settings as the server's driver runs with them (recorded in provenance). */
export function sparkSqlServerDriverSettings(runtime: Runtime, cluster: StartedSparkCluster, kind: SparkSqlServerKind): Record<string, string> {
  return { ...cluster.submitSettings, ...sparkSqlServerSettings(runtime.context, kind) };
}

/** The JDBC client job's memory (its JVM heap is 128 MiB less). */
const JDBC_CLIENT_MEMORY_MIB = 512;

export function sparkSqlServerBatchEngine(cluster: StartedSparkCluster, started: StartedSparkSqlServer, submission: SubmissionPath, options: { runtime: Runtime; metrics: boolean }): StartedBatchEngine {
  const ctx = options.runtime.context;
  let clientRuns = 0;
  const { kind } = started;
  const jdbcUrl = kind.jdbcUrl(ctx.hostOf(kind.service), ctx.port(kind.service, kind.clientPort.name, kind.clientPort.defaultPort, { userFacing: true }).listen);
  const services = [...cluster.services, started.server];
  const scrapers = (): Scraper[] => [
    osScraper(services),
    fileWatchScraper('shuffle-files', [...sparkLocalDirs(cluster).filter((d) => d.label !== 'spark-driver'), { label: kind.service, dir: sparkSqlServerSettings(ctx, kind)['spark.local.dir']! }]),
    prometheusScraper({ name: 'spark-prometheus', url: started.server.url('ui', '/metrics/executors/prometheus'), include: /^metrics_executor_/, dropLabels: ['application_id', 'application_name'] }),
  ];
  return {
    engine: 'spark',
    path: submission,
    settings: sparkSqlServerDriverSettings(options.runtime, cluster, kind),
    ...(options.metrics ? { metricsScrapers: scrapers } : {}),
    async execute(request): Promise<BatchExecution> {
      fs.mkdirSync(request.outputDir, { recursive: true });
      const answerDir = path.join(request.outputDir, 'answer');
      const statementsFile = path.join(request.outputDir, 'statements.json');
      const resultFile = path.join(request.outputDir, 'result.json');
      fs.writeFileSync(statementsFile, `${JSON.stringify(sparkSqlServerStatements(request, answerDir), null, 2)}\n`);
      fs.rmSync(resultFile, { force: true });
      if (!(await started.server.isRunning())) {
        return { status: 'failed', wallMs: 0, reason: `not submitted: ${kind.service} is no longer running (see services/${kind.service}/service.log)` };
      }
      const classpath = [cluster.runnerJar, ...kind.clientClasspath(ctx.home('spark'))].join(':');
      const command = ['java', `-Xmx${JDBC_CLIENT_MEMORY_MIB - 128}m`, '-cp', classpath, JDBC_CLIENT_MAIN_CLASS, '--url', jdbcUrl, '--driver', kind.jdbcDriverClass, '--statements', statementsFile, '--result', resultFile];
      const clientStarted = Date.now();
      // A one-shot job of its own (container or process group), not an exec in the master: the
      // client JVM is the user's side, like the harness's REST calls to Flink's gateway, so its
      // CPU and memory must not count as Spark's (the master's figures would include an exec).
      const result = await options.runtime.runJob({
        name: `${kind.service}-client-${++clientRuns}`,
        distribution: 'spark',
        command,
        env: { SPARK_HOME: ctx.home('spark') },
        files: [],
        sharedDirs: cluster.master.spec.sharedDirs,
        resources: { cpus: 1, memoryMiB: JDBC_CLIENT_MEMORY_MIB },
        timeoutMs: request.timeoutMs,
      });
      const processMs = Date.now() - clientStarted;
      const output = `${result.stdout}\n${result.stderr}`;
      fs.writeFileSync(path.join(request.outputDir, 'jdbc-client.log'), output);
      if (result.timedOut) return { status: 'timed-out', wallMs: processMs, reason: `the JDBC client did not finish within ${request.timeoutMs} ms (log ${result.logFile})` };
      if (result.exitCode !== 0 || !fs.existsSync(resultFile)) {
        const excerpt = failureExcerpt(output);
        const dead = (await started.server.isRunning()) ? '' : `; ${kind.service} is no longer running`;
        return { status: 'failed', wallMs: processMs, reason: `${kind.label} rejected the statement (JDBC client exited ${result.exitCode}): ${excerpt.split('\n')[0]}${dead}`, logExcerpt: excerpt };
      }
      const client = JSON.parse(fs.readFileSync(resultFile, 'utf8')) as JdbcClientResult;
      const engine = await engineDuration(started, answerDir);
      return {
        status: 'completed',
        wallMs: client.statementsMs,
        clientStartMs: client.clientStartMs,
        ...engine,
        output: { dir: answerDir, format: 'parquet' },
        engineId: started.appId,
      };
    },
    async stop() {
      await stopAll([started.server]);
      await cluster.stop();
    },
  };
}

/** The write's duration from the server's REST API; the status store is updated asynchronously, so it is polled briefly. */
async function engineDuration(started: StartedSparkSqlServer, answerDir: string): Promise<{ engineMs: number | null; engineMsMissingReason?: string }> {
  const details = started.kind.statementShownIn === 'planDescription' ? 'details=true&planDescription=true' : 'details=false';
  const url = started.server.url('ui', `/api/v1/applications/${started.appId}/sql?${details}&length=1000000`);
  let last = '';
  for (let attempt = 0; attempt < 30; attempt++) {
    try {
      const response = await fetch(url);
      if (response.ok) {
        const write = writeExecutionOf((await response.json()) as SparkSqlExecution[], answerDir);
        if (write && write.status === 'COMPLETED') return { engineMs: write.duration };
        last = write ? `its execution ${write.id} is ${write.status}` : 'no SQL execution names the output dir';
      } else last = `HTTP ${response.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { engineMs: null, engineMsMissingReason: `Spark's REST API gave no completed SQL execution for the write (${last})` };
}
