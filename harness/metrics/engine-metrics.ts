// What to sample for each engine, in one place: the OS scraper for the cluster's services
// (docker stats or procfs, by how they run), the shuffle/spill file watch over the engine's
// local dirs, and the engine's own figures (Spark event log + driver Prometheus servlet; Flink
// REST). Plus the engine settings these need, for the caller to pass into the clusters.
import fs from 'node:fs';
import path from 'node:path';
import type { StartedFlinkCluster } from '../engines/flink/cluster.ts';
import type { StartedSparkCluster } from '../engines/spark/cluster.ts';
import type { StartedService } from '../runtime/runtime.ts';
import { FLINK_PROMETHEUS_FACTORY_KEY, FLINK_PROMETHEUS_PORT } from '../services/flink.ts';
import { dockerStatsScraper } from './docker-stats.ts';
import { fileWatchScraper, type WatchedDir } from './file-watch.ts';
import { flinkRestScraper } from './flink-rest.ts';
import { kafkaLagScraper } from './kafka-lag.ts';
import type { MetricsSection } from './metrics-section.ts';
import { localProcessScraper } from './procfs.ts';
import { prometheusScraper } from './prometheus.ts';
import { startSampler, type Scraper } from './sampler.ts';
import { sparkEventLogScraper } from './spark-event-log.ts';

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

/** One Prometheus scraper per reporter URL, named flink-prometheus:<service>. */
export function flinkPrometheusScrapers(cluster: Pick<StartedFlinkCluster, 'jobManager' | 'taskManagers'>): Scraper[] {
  return reportingServices(cluster).map((s) =>
    prometheusScraper({ name: `flink-prometheus:${s.name}`, url: s.url(FLINK_PROMETHEUS_PORT, '/metrics'), include: FLINK_PROMETHEUS_INCLUDE, dropLabels: ['task_attempt_id', 'tm_id', 'host'] }),
  );
}

/** OS resources of services: docker stats for containers, procfs for local process groups. */
export function osScraper(services: readonly StartedService[], name = 'os'): Scraper {
  const kinds = new Set(services.map((s) => s.handle.kind));
  if (kinds.size !== 1) throw new Error(`services ${services.map((s) => s.name).join(', ')} mix runtimes (${[...kinds].join(', ')}); sample them with separate scrapers`);
  return kinds.has('docker') ? dockerStatsScraper(services, name) : localProcessScraper(services, name);
}

/** A config.yaml value of a Flink service, from the file its spec writes. */
function flinkSetting(service: StartedService, key: string): string | undefined {
  const config = service.spec.files.find((f) => f.path.endsWith('/config.yaml'));
  const line = config?.content.split('\n').find((l) => l.startsWith(`${key}:`));
  if (!line) return undefined;
  const value = line.slice(key.length + 1).trim();
  return value.startsWith('"') ? (JSON.parse(value) as string) : value;
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

export function flinkTmpDirs(cluster: StartedFlinkCluster): WatchedDir[] {
  return cluster.taskManagers.map((tm) => {
    const dirs = flinkSetting(tm, 'io.tmp.dirs');
    if (!dirs) throw new Error(`Flink TaskManager ${tm.name} has no io.tmp.dirs in its config.yaml; cannot watch its spill files`);
    // io.tmp.dirs may list several dirs separated by ',' or the path separator.
    return dirs.split(/[,:]/).map((dir) => ({ label: tm.name, dir }));
  }).flat();
}

export interface KafkaLagTarget {
  readonly bootstrap: string;
  readonly groupId: string;
  readonly topics: readonly string[];
  /** Scraper name (default `kafka-lag:<groupId>`). */
  readonly name?: string;
}

export type EngineMetricsTarget =
  | { readonly engine: 'spark'; readonly cluster: StartedSparkCluster }
  | { readonly engine: 'flink'; readonly cluster: StartedFlinkCluster };

/**
 * The scrapers for one measurement on an engine's cluster. Call right before each measured
 * execution (the file watch takes its baseline, the event log and Flink REST scrapers note
 * what existed, now), start the sampler with them, stop it after the execution returns.
 * Spark submissions must carry sparkMetricsSettings(runDir) for the event log.
 */
export function metricsFor(target: EngineMetricsTarget, runDir: string, options: { kafkaLag?: KafkaLagTarget } = {}): Scraper[] {
  const scrapers: Scraper[] = [];
  if (target.engine === 'spark') {
    const { cluster } = target;
    scrapers.push(
      osScraper(cluster.services),
      fileWatchScraper('shuffle-files', sparkLocalDirs(cluster)),
      sparkEventLogScraper(sparkEventLogDir(runDir)),
      // Lives only while an application runs: samples before/after it fail and are counted as such.
      prometheusScraper({ name: 'spark-prometheus', url: cluster.master.url('driver-ui', '/metrics/executors/prometheus'), include: /^metrics_executor_/, dropLabels: ['application_id', 'application_name'] }),
    );
  } else {
    const { cluster } = target;
    // The reporters' scrapers join only where the cluster was started with them (flinkMetricsSettings()).
    scrapers.push(osScraper(cluster.services), fileWatchScraper('shuffle-files', flinkTmpDirs(cluster)), flinkRestScraper(cluster.jobManager.url('rest')), ...flinkPrometheusScrapers(cluster));
  }
  if (options.kafkaLag) scrapers.push(kafkaLagScraper(options.kafkaLag));
  return scrapers;
}

/** Run `execute` with a sampler beside it. The sampler is stopped either way; on a throw its section is dropped and the error rethrown (batch engines return failures as values, which keep their metrics). */
export async function withMetrics<T>(scrapers: readonly Scraper[], intervalMs: number, execute: () => Promise<T>): Promise<{ result: T; metrics: MetricsSection }> {
  const sampler = startSampler({ intervalMs, scrapers });
  let result: T;
  try {
    result = await execute();
  } catch (error) {
    await sampler.stop().catch(() => undefined);
    throw error;
  }
  return { result, metrics: await sampler.stop() };
}
