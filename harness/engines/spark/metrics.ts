// What is sampled beside a Spark measurement: OS resources of its services, shuffle/spill files
// in the workers' local dirs and the driver's spark.local.dir, the event log (task totals after
// the application) and the driver's Prometheus servlet; for a stream also its lag on the source
// topics, read from its own checkpoint. Plus the submission settings these need.
import fs from 'node:fs';
import path from 'node:path';
import { osScraper } from '../../metrics/engine-metrics.ts';
import { fileWatchScraper, type WatchedDir } from '../../metrics/file-watch.ts';
import { offsetsLagScraper } from '../../metrics/kafka-lag.ts';
import { prometheusScraper } from '../../metrics/prometheus.ts';
import type { Reading, Scraper } from '../../metrics/sampler.ts';
import { sparkEventLogScraper } from '../../metrics/spark-event-log.ts';
import { LAG_SCRAPER } from '../../metrics/stream-lag.ts';
import type { StreamJob } from '../../streaming/stream-job.ts';
import type { LiveJob } from '../engine.ts';
import type { StartedSparkCluster } from './cluster.ts';

/** Where Spark event logs of a run go (visible at the same path to the driver in both runtimes). */
export function sparkEventLogDir(runDir: string): string {
  return path.join(runDir, 'spark-events');
}

/**
 * spark-submit --conf settings for metrics (recorded as non-default settings by the caller):
 * the event log (uncompressed, so it is plain JSON lines) and the PrometheusServlet on the
 * driver UI. Creates the event log dir (Spark refuses to start without it).
 */
export function sparkMetricsSettings(runDir: string): Record<string, string> {
  const dir = sparkEventLogDir(runDir);
  fs.mkdirSync(dir, { recursive: true });
  return {
    'spark.eventLog.enabled': 'true',
    'spark.eventLog.dir': `file://${dir}`,
    'spark.eventLog.compress': 'false',
    'spark.ui.prometheus.enabled': 'true',
    'spark.metrics.conf.*.sink.prometheusServlet.class': 'org.apache.spark.metrics.sink.PrometheusServlet',
    'spark.metrics.conf.*.sink.prometheusServlet.path': '/metrics/prometheus',
  };
}

export function sparkLocalDirs(cluster: StartedSparkCluster): WatchedDir[] {
  const dirs: WatchedDir[] = cluster.workers.map((w) => {
    const dir = w.spec.env.SPARK_LOCAL_DIRS;
    if (!dir) throw new Error(`Spark worker ${w.name} has no SPARK_LOCAL_DIRS in its environment; cannot watch its shuffle files`);
    return { label: w.name, dir };
  });
  // The driver (client mode, beside the master) spills to spark.local.dir.
  const driverDir = cluster.submitSettings['spark.local.dir'];
  if (driverDir) dirs.push({ label: 'spark-driver', dir: driverDir });
  return dirs;
}

/**
 * The scrapers for one measurement on a Spark cluster. Create them right before the execution
 * (the file watch takes its baseline, the event log reader notes which logs exist, now);
 * submissions must carry sparkMetricsSettings(runDir).
 */
export function sparkScrapers(cluster: StartedSparkCluster, runDir: string): Scraper[] {
  return [
    osScraper(cluster.services),
    fileWatchScraper('shuffle-files', sparkLocalDirs(cluster)),
    sparkEventLogScraper(sparkEventLogDir(runDir)),
    // Lives only while an application runs: samples before/after it fail and are counted as such.
    prometheusScraper({ name: 'spark-prometheus', url: cluster.master.url('driver-ui', '/metrics/executors/prometheus'), include: /^metrics_executor_/, dropLabels: ['application_id', 'application_name'] }),
  ];
}

export const SPARK_NO_OFFSETS_REASON =
  "Spark has not committed a micro-batch (or epoch) yet: its checkpoint holds no offsets/<n> with a matching commits/<n>; Spark's Kafka source commits no offsets to Kafka, so there is no consumer group to read instead";

/** Spark's Kafka source commits nothing to Kafka: its lag comes from the offsets in its own checkpoint (the newest committed batch / epoch), one reader per source topic merged into one scraper. */
export function sparkStreamScrapers(cluster: StartedSparkCluster, runDir: string, job: StreamJob, live: LiveJob): Scraper[] {
  const perTopic = job.sources.map(({ topic }) =>
    offsetsLagScraper({
      name: LAG_SCRAPER,
      topic,
      partitions: job.partitions,
      source: "Spark's checkpoint: offsets/<n> of the newest commits/<n> (Spark's Kafka source commits no offsets to Kafka)",
      noOffsetsReason: SPARK_NO_OFFSETS_REASON,
      highWatermarks: async () => (await live.endOffsets())[topic] ?? {},
      consumed: async () => (await live.running()?.consumedOffsets())?.[topic] ?? null,
    }),
  );
  const lag: Scraper =
    perTopic.length === 1
      ? perTopic[0]!
      : {
          name: LAG_SCRAPER,
          kind: 'kafka-lag',
          sample: async (signal) => Object.assign({}, ...(await Promise.all(perTopic.map((s) => s.sample!(signal))))) as Reading,
          finish: async (collected, signal) => ({ ...(await perTopic[0]!.finish?.(collected, signal)), topics: job.sources.map((s) => s.topic) }),
        };
  return [...sparkScrapers(cluster, runDir), lag];
}
