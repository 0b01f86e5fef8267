// Flink session cluster services (JobManager + TaskManagers + SQL Gateway) as
// runtime-agnostic specs, started through the distribution's bin/ scripts in foreground
// mode so Flink's own memory calculation and JVM options apply. Flink 2.x reads only
// conf/config.yaml, so each service gets its own FLINK_CONF_DIR.
import path from 'node:path';
import { WORKER_CONTAINER_ALLOWANCE_MIB, type ResourceBudget } from '../config/budget.ts';
import type { JobSpec, PortAssignment, ServiceContext, ServiceFile, ServiceSpec } from '../runtime/runtime.ts';
import { Wait } from '../runtime/wait.ts';

export const FLINK_JOBMANAGER = 'flink-jobmanager';
export const FLINK_SQL_GATEWAY = 'flink-sql-gateway';
export const flinkTaskManagerName = (index: number, cluster?: string) => `${cluster ?? 'flink'}-taskmanager-${index + 1}`;
/** The JobManager's service name: the session cluster's, or `<cluster>-jobmanager` for one of several clusters in a run. */
export const flinkJobManagerName = (cluster?: string) => (cluster ? `${cluster}-jobmanager` : FLINK_JOBMANAGER);

/** Port name of the Prometheus reporter (JobManager and TaskManagers, when the reporter is configured). */
export const FLINK_PROMETHEUS_PORT = 'prometheus';
export const FLINK_PROMETHEUS_FACTORY_KEY = 'metrics.reporter.prom.factory.class';

const JOBMANAGER_MEMORY_MIB = 1024;
const GATEWAY_MEMORY_MIB = 768;

export interface FlinkServiceOptions {
  readonly budget: ResourceBudget;
  readonly startTimeoutMs: number;
  readonly sharedDirs: readonly string[];
  /** Extra config.yaml entries (state backend, checkpointing, ...): recorded as non-default settings. */
  readonly settings?: Readonly<Record<string, string>>;
  /**
   * Prefix of the service names when a run starts several Flink clusters (the application path
   * starts one per execution, each with its own names, ports and work dirs). Default: the
   * session cluster's names.
   */
  readonly cluster?: string;
}

/**
 * A JobManager in application mode (standalone-job.sh): Flink's own SqlDriver (flink-table-runtime
 * in lib/, which loads the ScriptRunner from opt/flink-sql-gateway-*.jar) runs the SQL script as
 * the application's one job, under a job id chosen by the harness.
 */
export interface FlinkApplication {
  readonly jobId: string;
  /** URI of the SQL script as the JobManager sees it (file:///… on a shared directory). */
  readonly scriptUri: string;
}

/** The SqlDriver entry point of Flink 2.x application mode for SQL scripts (FLIP-480). */
export const FLINK_SQL_DRIVER_CLASS = 'org.apache.flink.table.runtime.application.SqlDriver';

// The JVM flags the distribution's own conf/config.yaml sets in env.java.opts.all; our config
// replaces that file, and the planner in the JobManager (application mode compiles the SQL
// there) fails without them: "module java.base does not 'opens java.util' to unnamed module".
const FLINK_JAVA_OPENS = [
  'java.base/java.lang', 'java.base/java.net', 'java.base/java.io', 'java.base/java.nio', 'java.base/sun.nio.ch', 'java.base/java.lang.reflect',
  'java.base/java.text', 'java.base/java.time', 'java.base/java.util', 'java.base/java.util.concurrent', 'java.base/java.util.concurrent.atomic', 'java.base/java.util.concurrent.locks',
].map((m) => `--add-opens=${m}=ALL-UNNAMED`).join(' ');

const LOG4J_CONSOLE = `# Console logging for foreground services (the harness keeps stdout as the service log).
rootLogger.level = INFO
rootLogger.appenderRef.console.ref = ConsoleAppender
appender.console.name = ConsoleAppender
appender.console.type = CONSOLE
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
logger.netty.name = org.apache.flink.shaded.netty4.io.netty.channel.DefaultChannelPipeline
logger.netty.level = OFF
`;

/** A YAML scalar that Flink's strict YAML parser reads back as the same string. */
function yamlValue(value: string): string {
  return /^[A-Za-z0-9_./:@-]+$/.test(value) && !/^(true|false|null|yes|no|on|off|~)$/i.test(value) ? value : JSON.stringify(value);
}

export function flinkConfigYaml(settings: Readonly<Record<string, string>>): string {
  return Object.entries(settings)
    .map(([key, value]) => `${key}: ${yamlValue(value)}`)
    .join('\n') + '\n';
}

/** Settings every Flink service shares: where the JobManager is, parallelism, slots. */
export function flinkClusterSettings(ctx: ServiceContext, options: FlinkServiceOptions): Record<string, string> {
  const jobManager = flinkJobManagerName(options.cluster);
  const rpc = ctx.port(jobManager, 'rpc', 6123);
  const rest = ctx.port(jobManager, 'rest', 8081, { userFacing: !options.cluster });
  return {
    'jobmanager.rpc.address': ctx.hostOf(jobManager),
    'jobmanager.rpc.port': String(rpc.listen),
    'rest.address': ctx.hostOf(jobManager),
    'rest.port': String(rest.listen),
    'parallelism.default': String(options.budget.parallelism),
    'taskmanager.numberOfTaskSlots': String(options.budget.coresPerWorker),
    ...options.settings,
  };
}

/**
 * With the Prometheus reporter configured (settings carry its factory class), the service gets a
 * reporter port of its own: a fixed port cannot serve JobManager and TaskManagers side by side
 * in the local runtime, and the docker runtime publishes every spec port on 127.0.0.1. The
 * reporter has no bind-address option (Flink 2.2): locally it listens on all interfaces.
 */
function prometheusReporter(ctx: ServiceContext, service: string, options: FlinkServiceOptions): { ports: PortAssignment[]; settings: Record<string, string> } {
  if (!options.settings?.[FLINK_PROMETHEUS_FACTORY_KEY]) return { ports: [], settings: {} };
  const port = ctx.port(service, FLINK_PROMETHEUS_PORT, 9249);
  return { ports: [port], settings: { 'metrics.reporter.prom.port': String(port.listen) } };
}

function confFiles(dir: string, settings: Record<string, string>): ServiceFile[] {
  return [
    { path: path.join(dir, 'config.yaml'), content: flinkConfigYaml(settings) },
    { path: path.join(dir, 'log4j-console.properties'), content: LOG4J_CONSOLE },
    { path: path.join(dir, 'log4j-cli.properties'), content: LOG4J_CONSOLE },
  ];
}

function flinkEnv(ctx: ServiceContext, service: string): Record<string, string> {
  const work = ctx.workDir(service);
  return { FLINK_HOME: ctx.home('flink'), FLINK_CONF_DIR: path.join(work, 'conf'), FLINK_LOG_DIR: path.join(work, 'log') };
}

/** `application`: the JobManager runs that one SQL script in application mode instead of serving a session. */
export function flinkJobManagerSpec(ctx: ServiceContext, options: FlinkServiceOptions, application?: FlinkApplication): ServiceSpec {
  const name = flinkJobManagerName(options.cluster);
  const work = ctx.workDir(name);
  const rpc = ctx.port(name, 'rpc', 6123);
  const rest = ctx.port(name, 'rest', 8081, { userFacing: !options.cluster });
  const blob = ctx.port(name, 'blob', 6124);
  const prometheus = prometheusReporter(ctx, name, options);
  const applicationSettings: Record<string, string> = application
    ? {
        'execution.runtime-mode': 'batch',
        // Keep the JobManager (and its REST API) up after the job ends, so the harness reads the
        // job's own duration and then stops the cluster itself.
        'execution.shutdown-on-application-finish': 'false',
        // A script that fails before its job is submitted (bad SQL) shows as a FAILED job under
        // the same id, with the exception, instead of a JobManager that just sits there.
        'execution.submit-failed-job-on-application-error': 'true',
        'env.java.opts.all': FLINK_JAVA_OPENS,
      }
    : {};
  const settings = {
    ...applicationSettings,
    ...flinkClusterSettings(ctx, options),
    ...prometheus.settings,
    'jobmanager.bind-host': ctx.bindAddress,
    'rest.bind-address': ctx.bindAddress,
    'blob.server.port': String(blob.listen),
    'jobmanager.memory.process.size': `${JOBMANAGER_MEMORY_MIB}m`,
    'io.tmp.dirs': path.join(work, 'tmp'),
  };
  return {
    name,
    distribution: 'flink',
    command: application
      ? [path.join(ctx.home('flink'), 'bin/standalone-job.sh'), 'start-foreground', '--job-classname', FLINK_SQL_DRIVER_CLASS, '--job-id', application.jobId, '--scriptUri', application.scriptUri]
      : [path.join(ctx.home('flink'), 'bin/jobmanager.sh'), 'start-foreground'],
    env: flinkEnv(ctx, name),
    ports: [rpc, rest, blob, ...prometheus.ports],
    files: confFiles(path.join(work, 'conf'), settings),
    sharedDirs: options.sharedDirs,
    resources: { cpus: 1, memoryMiB: JOBMANAGER_MEMORY_MIB + 256 },
    waitFor: Wait.forHttp('rest', '/overview', { timeoutMs: options.startTimeoutMs }),
  };
}

export function flinkTaskManagerSpec(ctx: ServiceContext, index: number, options: FlinkServiceOptions): ServiceSpec {
  const name = flinkTaskManagerName(index, options.cluster);
  const work = ctx.workDir(name);
  const { coresPerWorker, memoryMiBPerWorker } = options.budget;
  const prometheus = prometheusReporter(ctx, name, options);
  const settings = {
    ...flinkClusterSettings(ctx, options),
    ...prometheus.settings,
    'taskmanager.host': ctx.hostOf(name),
    'taskmanager.bind-host': ctx.bindAddress,
    'taskmanager.memory.process.size': `${memoryMiBPerWorker}m`,
    // Inside the same process size: direct memory for the Parquet/zstd reader and writer. With
    // Flink's default (0) the TaskManager died on wordcount at scale medium: "OutOfMemoryError:
    // Cannot reserve 20902099 bytes of direct buffer memory (allocated: 475536738, limit: 493921243)".
    'taskmanager.memory.task.off-heap.size': `${Math.min(512, Math.floor(memoryMiBPerWorker / 8))}m`,
    'taskmanager.resource-id': name,
    'io.tmp.dirs': path.join(work, 'tmp'),
  };
  return {
    name,
    distribution: 'flink',
    command: [path.join(ctx.home('flink'), 'bin/taskmanager.sh'), 'start-foreground'],
    env: flinkEnv(ctx, name),
    ports: prometheus.ports,
    files: confFiles(path.join(work, 'conf'), settings),
    sharedDirs: options.sharedDirs,
    resources: { cpus: coresPerWorker, memoryMiB: memoryMiBPerWorker + WORKER_CONTAINER_ALLOWANCE_MIB },
    waitFor: Wait.forLogMessage(/Successful registration at resource manager/, { timeoutMs: options.startTimeoutMs }),
  };
}

export function flinkSqlGatewaySpec(ctx: ServiceContext, options: FlinkServiceOptions): ServiceSpec {
  const work = ctx.workDir(FLINK_SQL_GATEWAY);
  const gateway = ctx.port(FLINK_SQL_GATEWAY, 'rest', 8083, { userFacing: true });
  // The gateway is not a cluster process: no metric reporters (a second one would want a port too).
  const clusterSettings = Object.fromEntries(Object.entries(flinkClusterSettings(ctx, options)).filter(([key]) => !key.startsWith('metrics.reporter.')));
  const settings = {
    ...clusterSettings,
    'execution.target': 'remote',
    'sql-gateway.endpoint.rest.address': ctx.hostOf(FLINK_SQL_GATEWAY),
    'sql-gateway.endpoint.rest.bind-address': ctx.bindAddress,
    'sql-gateway.endpoint.rest.port': String(gateway.listen),
    'io.tmp.dirs': path.join(work, 'tmp'),
  };
  return {
    name: FLINK_SQL_GATEWAY,
    distribution: 'flink',
    command: [path.join(ctx.home('flink'), 'bin/sql-gateway.sh'), 'start-foreground'],
    env: { ...flinkEnv(ctx, FLINK_SQL_GATEWAY), FLINK_ENV_JAVA_OPTS: `-Xmx${GATEWAY_MEMORY_MIB - 256}m` },
    ports: [gateway],
    files: confFiles(path.join(work, 'conf'), settings),
    sharedDirs: options.sharedDirs,
    resources: { cpus: 1, memoryMiB: GATEWAY_MEMORY_MIB },
    waitFor: Wait.forHttp('rest', '/v1/info', { timeoutMs: options.startTimeoutMs }),
  };
}

/** Heap of the SQL client's JVM: it only plans the script and submits the job. */
const SQL_CLIENT_MEMORY_MIB = 768;

const LOG4J_CLIENT = LOG4J_CONSOLE.replace('rootLogger.level = INFO', 'rootLogger.level = WARN');

/**
 * Flink's SQL client (`sql-client.sh -f`) as a one-shot job against the session cluster: its own
 * JVM (like spark-submit's driver), its own conf dir under `confDir` (the cluster's address,
 * `execution.target: remote`), the script on a directory the runtime shares. In embedded mode
 * the client plans the SQL itself, so it needs the JVM flags the planner needs.
 */
export function flinkSqlClientJob(ctx: ServiceContext, options: FlinkServiceOptions, job: { name: string; script: string; confDir: string; timeoutMs: number; signal?: AbortSignal }): JobSpec {
  const clusterSettings = Object.fromEntries(Object.entries(flinkClusterSettings(ctx, options)).filter(([key]) => !key.startsWith('metrics.reporter.')));
  const settings = { ...clusterSettings, 'execution.target': 'remote', 'env.java.opts.all': FLINK_JAVA_OPENS };
  return {
    name: job.name,
    distribution: 'flink',
    command: [path.join(ctx.home('flink'), 'bin/sql-client.sh'), '-f', job.script],
    // JVM_ARGS, not FLINK_ENV_JAVA_OPTS: config.sh reads env.java.opts.all only when the latter is unset.
    env: { FLINK_HOME: ctx.home('flink'), FLINK_CONF_DIR: job.confDir, JVM_ARGS: `-Xmx${SQL_CLIENT_MEMORY_MIB - 256}m` },
    files: [
      { path: path.join(job.confDir, 'config.yaml'), content: flinkConfigYaml(settings) },
      { path: path.join(job.confDir, 'log4j-cli.properties'), content: LOG4J_CLIENT },
      { path: path.join(job.confDir, 'log4j-console.properties'), content: LOG4J_CLIENT },
    ],
    sharedDirs: options.sharedDirs,
    resources: { cpus: 1, memoryMiB: SQL_CLIENT_MEMORY_MIB },
    timeoutMs: job.timeoutMs,
    ...(job.signal ? { signal: job.signal } : {}),
  };
}
