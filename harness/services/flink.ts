// Flink session cluster services (JobManager + TaskManagers + SQL Gateway) as
// runtime-agnostic specs, started through the distribution's bin/ scripts in foreground
// mode so Flink's own memory calculation and JVM options apply. Flink 2.x reads only
// conf/config.yaml, so each service gets its own FLINK_CONF_DIR.
import path from 'node:path';
import { WORKER_CONTAINER_ALLOWANCE_MIB, type ResourceBudget } from '../config/budget.ts';
import type { PortAssignment, ServiceContext, ServiceFile, ServiceSpec } from '../runtime/runtime.ts';
import { Wait } from '../runtime/wait.ts';

export const FLINK_JOBMANAGER = 'flink-jobmanager';
export const FLINK_SQL_GATEWAY = 'flink-sql-gateway';
export const flinkTaskManagerName = (index: number) => `flink-taskmanager-${index + 1}`;

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
}

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
  const rpc = ctx.port(FLINK_JOBMANAGER, 'rpc', 6123);
  const rest = ctx.port(FLINK_JOBMANAGER, 'rest', 8081, { userFacing: true });
  return {
    'jobmanager.rpc.address': ctx.hostOf(FLINK_JOBMANAGER),
    'jobmanager.rpc.port': String(rpc.listen),
    'rest.address': ctx.hostOf(FLINK_JOBMANAGER),
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

export function flinkJobManagerSpec(ctx: ServiceContext, options: FlinkServiceOptions): ServiceSpec {
  const work = ctx.workDir(FLINK_JOBMANAGER);
  const rpc = ctx.port(FLINK_JOBMANAGER, 'rpc', 6123);
  const rest = ctx.port(FLINK_JOBMANAGER, 'rest', 8081, { userFacing: true });
  const blob = ctx.port(FLINK_JOBMANAGER, 'blob', 6124);
  const prometheus = prometheusReporter(ctx, FLINK_JOBMANAGER, options);
  const settings = {
    ...flinkClusterSettings(ctx, options),
    ...prometheus.settings,
    'jobmanager.bind-host': ctx.bindAddress,
    'rest.bind-address': ctx.bindAddress,
    'blob.server.port': String(blob.listen),
    'jobmanager.memory.process.size': `${JOBMANAGER_MEMORY_MIB}m`,
    'io.tmp.dirs': path.join(work, 'tmp'),
  };
  return {
    name: FLINK_JOBMANAGER,
    distribution: 'flink',
    command: [path.join(ctx.home('flink'), 'bin/jobmanager.sh'), 'start-foreground'],
    env: flinkEnv(ctx, FLINK_JOBMANAGER),
    ports: [rpc, rest, blob, ...prometheus.ports],
    files: confFiles(path.join(work, 'conf'), settings),
    sharedDirs: options.sharedDirs,
    resources: { cpus: 1, memoryMiB: JOBMANAGER_MEMORY_MIB + 256 },
    waitFor: Wait.forHttp('rest', '/overview', { timeoutMs: options.startTimeoutMs }),
  };
}

export function flinkTaskManagerSpec(ctx: ServiceContext, index: number, options: FlinkServiceOptions): ServiceSpec {
  const name = flinkTaskManagerName(index);
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
