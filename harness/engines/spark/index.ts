// Apache Spark behind the engine interface (engine.ts): a standalone cluster (master + workers);
// batch SQL submitted as one spark-submit application per execution (a cold path: a new driver
// and executors each time) or as JDBC sessions on a long-lived SQL server — the Thrift server or
// the Spark Connect server — one application (the warm paths); Structured Streaming variants
// micro-batch, continuous and Real-Time Mode.
import type { ClusterDefinition } from '../clusters.ts';
import type { Engine, StartedStreamEngine, StreamingVariant } from '../engine.ts';
import { SPARK_CONNECT, SPARK_SUBMIT, SPARK_THRIFT } from '../submission-paths.ts';

export { SPARK_CONNECT, SPARK_SUBMIT, SPARK_THRIFT };
import { sparkBatchEngine } from './batch.ts';
import { SparkCluster, type StartedSparkCluster } from './cluster.ts';
import { sparkTableDdl } from './ddl.ts';
import { sparkMetricsSettings, sparkStreamScrapers } from './metrics.ts';
import { ensureSparkRunnerJar } from './runner-jar.ts';
import { smokeSpark } from './smoke.ts';
import { startSparkStream } from './streaming.ts';
import { sparkSqlServerBatchEngine, startSparkSqlServer } from './sql-server.ts';
import { SPARK_CONNECT_KIND, SPARK_THRIFT_KIND, type SparkSqlServerKind } from '../../services/spark.ts';

export const sparkCluster: ClusterDefinition<StartedSparkCluster> = {
  name: 'spark',
  distributions: ['spark'],
  async start(opened, options) {
    const dist = opened.distributions.spark;
    if (!dist) throw new Error('the Spark distribution was not prepared');
    const jar = await ensureSparkRunnerJar(dist.home, dist.lockHash);
    return new SparkCluster(opened.runtime, options.budget, jar)
      .withSharedDirs(options.sharedDirs ?? [])
      .withSettings(options.settings ?? {})
      .withStartTimeout(options.startTimeoutMs)
      .start();
  },
  smoke: (cluster, runDir) => smokeSpark(cluster, runDir),
};




/** The warm paths: each a long-lived SQL server of its kind in front of the cluster. */
const SQL_SERVER_OF: Readonly<Record<string, SparkSqlServerKind>> = {
  [SPARK_THRIFT.id]: SPARK_THRIFT_KIND,
  [SPARK_CONNECT.id]: SPARK_CONNECT_KIND,
};

const SPARK_MICROBATCH: StreamingVariant = {
  id: 'spark-microbatch',
  description: 'Structured Streaming, micro-batch trigger (default: the next batch as soon as the previous one ends)',
  params: (p) => ({ triggerIntervalMs: p.triggerIntervalMs ?? 'engine default (next batch as soon as the previous ends)' }),
  commitIntervalMs: (p) => p.triggerIntervalMs ?? 0,
  startJob: (engine, job, p, options) => startSparkStream(sparkOf(engine), job, { mode: 'microbatch', triggerIntervalMs: p.triggerIntervalMs, startTimeoutMs: options.startTimeoutMs }),
};

const SPARK_CONTINUOUS: StreamingVariant = {
  id: 'spark-continuous',
  description: 'Structured Streaming, continuous trigger (map-like queries only; epochs at the checkpoint interval)',
  params: (p) => ({ continuousCheckpointIntervalMs: p.checkpointIntervalMs }),
  commitIntervalMs: (p) => p.checkpointIntervalMs,
  startJob: (engine, job, p, options) => startSparkStream(sparkOf(engine), job, { mode: 'continuous', continuousIntervalMs: p.checkpointIntervalMs, startTimeoutMs: options.startTimeoutMs }),
};

const SPARK_REALTIME: StreamingVariant = {
  id: 'spark-realtime',
  description:
    'Structured Streaming, Real-Time Mode (Trigger.RealTime, Spark 4.1+): long-running batches at the checkpoint interval, records emitted as they arrive; stateless queries only, update output mode, one task per Kafka partition held for the whole batch',
  params: (p) => ({ realTimeBatchMs: p.checkpointIntervalMs }),
  commitIntervalMs: (p) => p.checkpointIntervalMs,
  startJob: (engine, job, p, options) => startSparkStream(sparkOf(engine), job, { mode: 'realtime', continuousIntervalMs: p.checkpointIntervalMs, startTimeoutMs: options.startTimeoutMs }),
};

interface StartedSparkStreamEngine extends StartedStreamEngine {
  readonly cluster: StartedSparkCluster;
}

function sparkOf(engine: StartedStreamEngine): StartedSparkCluster {
  return (engine as StartedSparkStreamEngine).cluster;
}

export const sparkEngine: Engine = {
  id: 'spark',
  dialect: 'spark',
  distributions: ['spark'],
  tableDdl: sparkTableDdl,
  batch: {
    paths: [SPARK_SUBMIT, SPARK_THRIFT, SPARK_CONNECT],
    async start(context, path) {
      const opened = await context.runtime();
      const cluster = await sparkCluster.start(opened, {
        budget: context.budget,
        startTimeoutMs: context.startTimeoutMs,
        sharedDirs: context.sharedDirs,
        settings: { ...(context.metrics ? sparkMetricsSettings(context.runDir) : {}), ...context.settings },
      });
      const serverKind = SQL_SERVER_OF[path.id];
      if (serverKind) {
        context.progress?.(`starting ${serverKind.label}`);
        const server = await startSparkSqlServer(opened.runtime, cluster, serverKind, { budget: context.budget, startTimeoutMs: context.startTimeoutMs, sharedDirs: context.sharedDirs }).catch(async (error: unknown) => {
          await cluster.stop();
          throw error;
        });
        return sparkSqlServerBatchEngine(cluster, server, path, { runtime: opened.runtime, metrics: context.metrics });
      }
      return sparkBatchEngine(cluster, path, { metricsRunDir: context.metrics ? context.runDir : undefined });
    },
  },
  streaming: {
    variants: [SPARK_MICROBATCH, SPARK_CONTINUOUS, SPARK_REALTIME],
    async start(context): Promise<StartedSparkStreamEngine> {
      const opened = await context.runtime();
      const cluster = await sparkCluster.start(opened, {
        budget: context.budget,
        startTimeoutMs: context.startTimeoutMs,
        sharedDirs: context.sharedDirs,
        settings: { ...(context.metrics ? sparkMetricsSettings(context.runDir) : {}), ...context.settings },
      });
      return {
        cluster,
        dialect: 'spark',
        settings: { ...cluster.submitSettings },
        streamScrapers: (job, _kafka, live) => sparkStreamScrapers(cluster, context.runDir, job, live),
        stop: () => cluster.stop(),
      };
    },
  },
};
