// Apache Spark behind the engine interface (engine.ts): a standalone cluster (master + workers);
// batch SQL submitted as one spark-submit application per execution (a cold path: a new driver
// and executors each time) or as JDBC sessions on the Thrift server, one long-lived application
// (the warm path); Structured Streaming variants micro-batch, continuous and Real-Time Mode.
import type { ClusterDefinition } from '../clusters.ts';
import type { Engine, StartedStreamEngine, StreamingVariant, SubmissionPath } from '../engine.ts';
import { sparkBatchEngine } from './batch.ts';
import { SparkCluster, type StartedSparkCluster } from './cluster.ts';
import { sparkTableDdl } from './ddl.ts';
import { sparkMetricsSettings, sparkStreamScrapers } from './metrics.ts';
import { ensureSparkRunnerJar } from './runner-jar.ts';
import { smokeSpark } from './smoke.ts';
import { startSparkStream } from './streaming.ts';
import { sparkThriftBatchEngine, startSparkThrift } from './thrift.ts';

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

export const SPARK_SUBMIT: SubmissionPath = {
  id: 'spark-submit',
  family: 'job',
  description: 'spark-submit per execution (client mode): a new driver, executors and SparkSession every time, stopped after the query',
};

export const SPARK_THRIFT: SubmissionPath = {
  id: 'spark-thrift',
  family: 'session',
  description:
    "Spark's Thrift JDBC/ODBC server (HiveThriftServer2): one long-lived application serving every execution as a JDBC session (Hive JDBC driver from the distribution); the client's JVM start is recorded apart",
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
    paths: [SPARK_SUBMIT, SPARK_THRIFT],
    async start(context, path) {
      const opened = await context.runtime();
      const cluster = await sparkCluster.start(opened, {
        budget: context.budget,
        startTimeoutMs: context.startTimeoutMs,
        sharedDirs: context.sharedDirs,
        settings: { ...(context.metrics ? sparkMetricsSettings(context.runDir) : {}), ...context.settings },
      });
      if (path.id === SPARK_THRIFT.id) {
        context.progress?.('starting the Spark Thrift server');
        const thrift = await startSparkThrift(opened.runtime, cluster, { budget: context.budget, startTimeoutMs: context.startTimeoutMs, sharedDirs: context.sharedDirs }).catch(async (error: unknown) => {
          await cluster.stop();
          throw error;
        });
        return sparkThriftBatchEngine(cluster, thrift, path, { runtime: opened.runtime, metrics: context.metrics });
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
