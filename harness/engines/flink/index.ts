// Apache Flink behind the engine interface (engine.ts): a session cluster (JobManager +
// TaskManagers) with the SQL Gateway; batch SQL as statements in a gateway session on the
// running cluster (a warm path), or in application mode on a fresh cluster per execution (the
// cold path); streaming SQL with checkpoints and a state backend.
import type { ClusterDefinition } from '../clusters.ts';
import type { Engine, StartedStreamEngine, StreamingVariant } from '../engine.ts';
import { FLINK_APPLICATION, FLINK_GATEWAY, FLINK_SQL_CLIENT } from '../submission-paths.ts';

export { FLINK_APPLICATION, FLINK_GATEWAY, FLINK_SQL_CLIENT };
import { flinkApplicationEngine } from './application.ts';
import { flinkBatchEngine } from './batch.ts';
import { FlinkCluster, type StartedFlinkCluster } from './cluster.ts';
import { flinkTableDdl } from './ddl.ts';
import { flinkMetricsSettings, flinkStreamScrapers } from './metrics.ts';
import { flinkSqlClientEngine } from './sql-client.ts';
import { smokeFlink } from './smoke.ts';
import { startFlinkStream, type FlinkDeliveryGuarantee } from './streaming.ts';

export const flinkCluster: ClusterDefinition<StartedFlinkCluster> = {
  name: 'flink',
  distributions: ['flink'],
  start: (opened, options) =>
    new FlinkCluster(opened.runtime, options.budget)
      .withSharedDirs(options.sharedDirs ?? [])
      .withSettings(options.settings ?? {})
      .withStartTimeout(options.startTimeoutMs)
      .start(),
  smoke: (cluster) => smokeFlink(cluster),
};




/** The two delivery guarantees of Flink's Kafka sink, as two variants (what a fault measures). */
const flinkStreaming = (deliveryGuarantee: FlinkDeliveryGuarantee): StreamingVariant => ({
  id: deliveryGuarantee === 'exactly-once' ? 'flink-exactly-once' : 'flink',
  description:
    deliveryGuarantee === 'exactly-once'
      ? 'Flink SQL in streaming mode, transactional Kafka sink (sink.delivery-guarantee exactly-once): output visible once the checkpoint after it committed'
      : 'Flink SQL in streaming mode through the SQL Gateway: checkpoints at the interval, hashmap or rocksdb state backend, at-least-once Kafka sink',
  params: (p) => ({ checkpointIntervalMs: p.checkpointIntervalMs, stateBackend: p.stateBackend, ...(deliveryGuarantee === 'exactly-once' ? { deliveryGuarantee } : {}) }),
  commitIntervalMs: (p) => p.checkpointIntervalMs,
  startJob: (engine, job, p, options) =>
    startFlinkStream(flinkOf(engine), job, { checkpointIntervalMs: p.checkpointIntervalMs, stateBackend: p.stateBackend, parallelism: options.parallelism, deliveryGuarantee }),
});

interface StartedFlinkStreamEngine extends StartedStreamEngine {
  readonly cluster: StartedFlinkCluster;
}

function flinkOf(engine: StartedStreamEngine): StartedFlinkCluster {
  return (engine as StartedFlinkStreamEngine).cluster;
}

export const flinkEngine: Engine = {
  id: 'flink',
  dialect: 'flink',
  distributions: ['flink'],
  tableDdl: flinkTableDdl,
  batch: {
    paths: [FLINK_GATEWAY, FLINK_APPLICATION, FLINK_SQL_CLIENT],
    async start(context, path) {
      if (path.id === FLINK_APPLICATION.id) {
        // No cluster yet: each execution brings up its own. No metric scrapers either — they are
        // made before an execution, when its cluster does not exist.
        const opened = await context.runtime();
        return flinkApplicationEngine(path, { runtime: opened.runtime, budget: context.budget, startTimeoutMs: context.startTimeoutMs, sharedDirs: context.sharedDirs, settings: { ...context.settings } });
      }
      const settings = { ...(context.metrics ? flinkMetricsSettings() : {}), ...context.settings };
      const opened = await context.runtime();
      const service = { budget: context.budget, startTimeoutMs: context.startTimeoutMs, sharedDirs: context.sharedDirs, settings };
      const cluster = await flinkCluster.start(opened, service);
      if (path.id === FLINK_SQL_CLIENT.id) return flinkSqlClientEngine(cluster, path, { runtime: opened.runtime, service, settings, metrics: context.metrics });
      return flinkBatchEngine(cluster, path, { settings, metrics: context.metrics });
    },
  },
  streaming: {
    variants: [flinkStreaming('at-least-once'), flinkStreaming('exactly-once')],
    async start(context): Promise<StartedFlinkStreamEngine> {
      const settings = { ...(context.metrics ? flinkMetricsSettings() : {}), ...context.settings };
      const cluster = await flinkCluster.start(await context.runtime(), { budget: context.budget, startTimeoutMs: context.startTimeoutMs, sharedDirs: context.sharedDirs, settings });
      return {
        cluster,
        dialect: 'flink',
        settings,
        streamScrapers: (job, kafka) => flinkStreamScrapers(cluster, job, kafka.bootstrap),
        stop: () => cluster.stop(),
      };
    },
  },
};
