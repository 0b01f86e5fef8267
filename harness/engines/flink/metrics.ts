// What is sampled beside a Flink measurement: OS resources of its services, spill files in the
// TaskManagers' io.tmp.dirs, the JobManager's REST API (job totals, checkpoints) and the
// Prometheus reporter of the JobManager and each TaskManager; for a stream also its lag on the
// source topics, read from the consumer group Flink commits to on each checkpoint. Plus the
// config.yaml settings these need.
import { osScraper } from '../../metrics/engine-metrics.ts';
import { fileWatchScraper, type WatchedDir } from '../../metrics/file-watch.ts';
import { flinkRestScraper } from '../../metrics/flink-rest.ts';
import { kafkaLagScraper } from '../../metrics/kafka-lag.ts';
import { prometheusScraper } from '../../metrics/prometheus.ts';
import type { Scraper } from '../../metrics/sampler.ts';
import { LAG_SCRAPER } from '../../metrics/stream-lag.ts';
import type { StartedService } from '../../runtime/runtime.ts';
import { FLINK_PROMETHEUS_FACTORY_KEY, FLINK_PROMETHEUS_PORT } from '../../services/flink.ts';
import type { StreamJob } from '../../streaming/stream-job.ts';
import type { StartedFlinkCluster } from './cluster.ts';

/** Flink's reporter filter (<logical scope>:<names>, ';'-separated) for the same series as FLINK_PROMETHEUS_INCLUDE. */
export const FLINK_PROMETHEUS_FILTER = [
  'jobmanager:numRegisteredTaskManagers',
  'jobmanager.job:lastCheckpoint*',
  'jobmanager.Status.JVM.CPU:Load',
  'jobmanager.Status.JVM.Memory.Heap:Used',
  'taskmanager.Status.JVM.CPU:Load',
  'taskmanager.Status.JVM.Memory.Heap:Used',
  'taskmanager.job.task:busyTime*,backPressured*,numRecords*,numBytes*',
].join(';');

/** Series kept from Flink's Prometheus reporter (it exposes thousands): task I/O and busy/back-pressure, checkpoints, JVM CPU and heap, registered TaskManagers. */
export const FLINK_PROMETHEUS_INCLUDE =
  /^flink_(taskmanager_job_task_(busyTime|backPressured|numRecords|numBytes)|jobmanager_job_lastCheckpoint|jobmanager_numRegisteredTaskManagers|jobmanager_Status_JVM_(CPU_Load|Memory_Heap_Used)|taskmanager_Status_JVM_(CPU_Load|Memory_Heap_Used))/;

/**
 * Flink config.yaml settings for metrics: the JobManager refreshes the metrics it serves over
 * REST every second (default 10 s, too coarse for a 1 s sampler), and the Prometheus reporter
 * (its jar ships in the distribution's plugins/metrics-prometheus/); the service specs give
 * the JobManager and each TaskManager a reporter port of their own (published on 127.0.0.1 in
 * docker). `prometheus: false` leaves the reporter out.
 */
export function flinkMetricsSettings(options: { prometheus?: boolean } = {}): Record<string, string> {
  return {
    'metrics.fetcher.update-interval': '1000',
    ...(options.prometheus !== false
      ? {
          [FLINK_PROMETHEUS_FACTORY_KEY]: 'org.apache.flink.metrics.prometheus.PrometheusReporterFactory',
          // Expose only what FLINK_PROMETHEUS_INCLUDE keeps (a TaskManager running a job has thousands of series).
          'metrics.reporter.prom.filter.includes': FLINK_PROMETHEUS_FILTER,
        }
      : {}),
  };
}

/** JobManager and TaskManagers that were started with a Prometheus reporter port. */
const reportingServices = (cluster: Pick<StartedFlinkCluster, 'jobManager' | 'taskManagers'>): StartedService[] =>
  [cluster.jobManager, ...cluster.taskManagers].filter((s) => s.spec.ports.some((p) => p.name === FLINK_PROMETHEUS_PORT));

/** The Prometheus reporter URLs of a Flink cluster's JobManager and TaskManagers; empty when the reporter is off. */
export function flinkPrometheusUrls(cluster: Pick<StartedFlinkCluster, 'jobManager' | 'taskManagers'>): string[] {
  return reportingServices(cluster).map((s) => s.url(FLINK_PROMETHEUS_PORT, '/metrics'));
}

/** One Prometheus scraper per reporter URL, named flink-prometheus:<service>. */
export function flinkPrometheusScrapers(cluster: Pick<StartedFlinkCluster, 'jobManager' | 'taskManagers'>): Scraper[] {
  return reportingServices(cluster).map((s) =>
    prometheusScraper({ name: `flink-prometheus:${s.name}`, url: s.url(FLINK_PROMETHEUS_PORT, '/metrics'), include: FLINK_PROMETHEUS_INCLUDE, dropLabels: ['task_attempt_id', 'tm_id', 'host'] }),
  );
}

/** A config.yaml value of a Flink service, from the file its spec writes. */
function flinkSetting(service: StartedService, key: string): string | undefined {
  const config = service.spec.files.find((f) => f.path.endsWith('/config.yaml'));
  const line = config?.content.split('\n').find((l) => l.startsWith(`${key}:`));
  if (!line) return undefined;
  const value = line.slice(key.length + 1).trim();
  return value.startsWith('"') ? (JSON.parse(value) as string) : value;
}

export function flinkTmpDirs(cluster: StartedFlinkCluster): WatchedDir[] {
  return cluster.taskManagers.flatMap((tm) => {
    const dirs = flinkSetting(tm, 'io.tmp.dirs');
    if (!dirs) throw new Error(`Flink TaskManager ${tm.name} has no io.tmp.dirs in its config.yaml; cannot watch its spill files`);
    // io.tmp.dirs may list several dirs separated by ',' or the path separator.
    return dirs.split(/[,:]/).map((dir) => ({ label: tm.name, dir }));
  });
}

/**
 * The scrapers for one measurement on a Flink cluster. Create them right before the execution
 * (the file watch takes its baseline, the REST scraper notes which jobs exist, now). The
 * reporters' scrapers join only where the cluster was started with flinkMetricsSettings().
 */
export function flinkScrapers(cluster: StartedFlinkCluster): Scraper[] {
  return [osScraper(cluster.services), fileWatchScraper('shuffle-files', flinkTmpDirs(cluster)), flinkRestScraper(cluster.jobManager.url('rest')), ...flinkPrometheusScrapers(cluster)];
}

/** The consumer group a streaming job's source tables commit to (named so in streaming.ts). */
export const flinkConsumerGroup = (job: Pick<StreamJob, 'id'>) => `bench-${job.id}`;

/** Flink commits its source offsets to its Kafka consumer group on each checkpoint: the lag is read from Kafka. */
export function flinkStreamScrapers(cluster: StartedFlinkCluster, job: StreamJob, bootstrap: string): Scraper[] {
  return [...flinkScrapers(cluster), kafkaLagScraper({ bootstrap, groupId: flinkConsumerGroup(job), topics: job.sources.map((s) => s.topic), name: LAG_SCRAPER })];
}
