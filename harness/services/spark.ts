// Spark standalone services (master + workers) as runtime-agnostic specs. The PyPI
// distribution has no sbin/ start scripts, so daemons start through bin/spark-class.
import path from 'node:path';
import { WORKER_CONTAINER_ALLOWANCE_MIB, type ResourceBudget } from '../config/budget.ts';
import type { ServiceContext, ServiceSpec } from '../runtime/runtime.ts';
import { Wait } from '../runtime/wait.ts';

export const SPARK_MASTER = 'spark-master';
export const sparkWorkerName = (index: number) => `spark-worker-${index + 1}`;

/** Memory of the master/worker daemons themselves, outside the executor budget. */
const DAEMON_MEMORY_MIB = 512;
/** Driver (spark-submit runs in the master's environment, client mode). */
export const SPARK_DRIVER_MEMORY_MIB = 1024;
/** JVM overhead we leave beside the executor heap so heap + overhead ≈ the worker budget (Flink's "process size"). */
export const SPARK_EXECUTOR_OVERHEAD_MIB = 512;

export interface SparkServiceOptions {
  readonly budget: ResourceBudget;
  readonly startTimeoutMs: number;
  /** Directories that must be visible to the services (datasets). */
  readonly sharedDirs: readonly string[];
}

function sparkEnv(ctx: ServiceContext, service: string): Record<string, string> {
  const work = ctx.workDir(service);
  return {
    SPARK_HOME: ctx.home('spark'),
    SPARK_CONF_DIR: path.join(work, 'conf'),
    // Locally every daemon, executor and driver must stay on loopback.
    ...(ctx.kind === 'local' ? { SPARK_LOCAL_IP: '127.0.0.1' } : {}),
    SPARK_DAEMON_MEMORY: `${DAEMON_MEMORY_MIB}m`,
    SPARK_NO_DAEMONIZE: '1',
  };
}

export function sparkMasterSpec(ctx: ServiceContext, options: SparkServiceOptions): ServiceSpec {
  const work = ctx.workDir(SPARK_MASTER);
  const rpc = ctx.port(SPARK_MASTER, 'rpc', 7077);
  const ui = ctx.port(SPARK_MASTER, 'ui', 8080, { userFacing: true });
  // The driver of client-mode submissions runs beside the master; its UI/REST (stages,
  // durations) is published through the master's service.
  const driverUi = ctx.port(SPARK_MASTER, 'driver-ui', 4040, { userFacing: true });
  return {
    name: SPARK_MASTER,
    distribution: 'spark',
    command: [
      path.join(ctx.home('spark'), 'bin/spark-class'),
      'org.apache.spark.deploy.master.Master',
      '--host', ctx.hostOf(SPARK_MASTER),
      '--port', String(rpc.listen),
      '--webui-port', String(ui.listen),
    ],
    env: sparkEnv(ctx, SPARK_MASTER),
    ports: [rpc, ui, driverUi],
    files: [{ path: path.join(work, 'conf', 'spark-defaults.conf'), content: '' }],
    sharedDirs: options.sharedDirs,
    resources: { cpus: 1, memoryMiB: DAEMON_MEMORY_MIB + SPARK_DRIVER_MEMORY_MIB + 512 },
    waitFor: Wait.forAll(
      Wait.forLogMessage(/I have been elected leader|Starting Spark master/, { timeoutMs: options.startTimeoutMs }),
      Wait.forHttp('ui', '/json/', { timeoutMs: options.startTimeoutMs }),
    ),
  };
}

export function sparkWorkerSpec(ctx: ServiceContext, index: number, options: SparkServiceOptions): ServiceSpec {
  const name = sparkWorkerName(index);
  const work = ctx.workDir(name);
  const rpc = ctx.port(name, 'rpc', 7078);
  const ui = ctx.port(name, 'ui', 8081);
  const master = ctx.port(SPARK_MASTER, 'rpc', 7077);
  const { coresPerWorker, memoryMiBPerWorker } = options.budget;
  return {
    name,
    distribution: 'spark',
    command: [
      path.join(ctx.home('spark'), 'bin/spark-class'),
      'org.apache.spark.deploy.worker.Worker',
      '--host', ctx.hostOf(name),
      '--port', String(rpc.listen),
      '--webui-port', String(ui.listen),
      '--cores', String(coresPerWorker),
      '--memory', `${memoryMiBPerWorker}m`,
      '--work-dir', path.join(work, 'work'),
      `spark://${ctx.hostOf(SPARK_MASTER)}:${master.listen}`,
    ],
    env: { ...sparkEnv(ctx, name), SPARK_LOCAL_DIRS: path.join(work, 'local') },
    ports: [rpc, ui],
    files: [{ path: path.join(work, 'conf', 'spark-defaults.conf'), content: '' }],
    sharedDirs: options.sharedDirs,
    resources: { cpus: coresPerWorker, memoryMiB: memoryMiBPerWorker + DAEMON_MEMORY_MIB + WORKER_CONTAINER_ALLOWANCE_MIB },
    waitFor: Wait.forLogMessage(/Successfully registered with master/, { timeoutMs: options.startTimeoutMs }),
  };
}

/**
 * spark-defaults for submissions: the equal-budget settings. Everything here that differs
 * from Spark's defaults is recorded as a non-default setting in the results.
 */
export function sparkSubmitSettings(ctx: ServiceContext, budget: ResourceBudget): Record<string, string> {
  const master = ctx.port(SPARK_MASTER, 'rpc', 7077);
  const driverUi = ctx.port(SPARK_MASTER, 'driver-ui', 4040, { userFacing: true });
  return {
    'spark.master': `spark://${ctx.hostOf(SPARK_MASTER)}:${master.listen}`,
    'spark.driver.host': ctx.hostOf(SPARK_MASTER),
    'spark.driver.bindAddress': ctx.bindAddress,
    'spark.driver.memory': `${SPARK_DRIVER_MEMORY_MIB}m`,
    'spark.ui.port': String(driverUi.listen),
    'spark.port.maxRetries': '0',
    'spark.executor.cores': String(budget.coresPerWorker),
    'spark.executor.memory': `${budget.memoryMiBPerWorker - SPARK_EXECUTOR_OVERHEAD_MIB}m`,
    'spark.cores.max': String(budget.cores),
    'spark.default.parallelism': String(budget.parallelism),
    'spark.sql.shuffle.partitions': String(budget.parallelism),
    'spark.local.dir': path.join(ctx.workDir(SPARK_MASTER), 'local'),
  };
}

export const SPARK_THRIFT_SERVER = 'spark-thriftserver';
export const SPARK_CONNECT_SERVER = 'spark-connect';

/**
 * A long-lived Spark SQL server: ONE Spark application whose driver serves every client session,
 * the warm Spark paths. Both ship in the distribution's jars and are submitted like any
 * application (client mode), with the submission settings plus their own host, UI port and
 * scratch dir; the client of both is JDBC (runner/JdbcSqlClient.java) with the driver named here.
 */
export interface SparkSqlServerKind {
  readonly service: string;
  /** How messages name it ("the Spark Thrift server"). */
  readonly label: string;
  readonly mainClass: string;
  readonly appName: string;
  /** The port clients connect to. */
  readonly clientPort: { readonly name: string; readonly defaultPort: number };
  /** The server's own options. */
  serverArgs(listenPort: number, bindAddress: string): string[];
  /** Settings of this server's driver beyond host, UI port and scratch dir. */
  extraSettings(work: string, listenPort: number): Record<string, string>;
  /** The line the server logs once it accepts clients. */
  readonly readyLog: RegExp;
  jdbcUrl(host: string, port: number): string;
  readonly jdbcDriverClass: string;
  /**
   * Where Spark's REST API shows which statement an SQL execution ran: the Thrift server puts the
   * SQL text in the description; Spark Connect puts its request there (truncated), so only the
   * physical plan (with details) names the output dir.
   */
  readonly statementShownIn: 'description' | 'planDescription';
  /** The JDBC client's classpath (besides the runner jar), under SPARK_HOME. */
  clientClasspath(sparkHome: string): string[];
}

/**
 * HiveThriftServer2; the Hive metastore it needs for its catalog is an embedded Derby database in
 * its work dir (nothing is stored there: datasets are temporary views). Client: the Hive JDBC
 * driver from the distribution's jars.
 */
export const SPARK_THRIFT_KIND: SparkSqlServerKind = {
  service: SPARK_THRIFT_SERVER,
  label: 'the Spark Thrift server',
  mainClass: 'org.apache.spark.sql.hive.thriftserver.HiveThriftServer2',
  appName: 'bench:spark-thrift',
  clientPort: { name: 'thrift', defaultPort: 10000 },
  serverArgs: (port, bindAddress) => ['--hiveconf', `hive.server2.thrift.port=${port}`, '--hiveconf', `hive.server2.thrift.bind.host=${bindAddress}`],
  extraSettings: (work) => ({
    'spark.hadoop.javax.jdo.option.ConnectionURL': `jdbc:derby:;databaseName=${path.join(work, 'metastore_db')};create=true`,
    'spark.driver.extraJavaOptions': `-Dderby.system.home=${work}`,
  }),
  // "Starting ThriftBinaryCLIService on port" is logged before the port listens: wait for the end of start-up.
  readyLog: /HiveThriftServer2: HiveThriftServer2 started/,
  jdbcUrl: (host, port) => `jdbc:hive2://${host}:${port}/default`,
  jdbcDriverClass: 'org.apache.hive.jdbc.HiveDriver',
  statementShownIn: 'description',
  clientClasspath: (sparkHome) => [`${path.join(sparkHome, 'jars')}/*`],
};

/**
 * SparkConnectServer (gRPC; binds every interface). Client: Spark's own Spark Connect JDBC driver
 * (jars/connect-repl/spark-connect-client-jdbc, Spark 4.1+) over the Spark Connect JVM client.
 * Its directory goes before Spark's jars (Java class paths take whole directories, not name
 * patterns): the Connect client's SQL API must win over the classic one.
 */
export const SPARK_CONNECT_KIND: SparkSqlServerKind = {
  service: SPARK_CONNECT_SERVER,
  label: 'the Spark Connect server',
  mainClass: 'org.apache.spark.sql.connect.service.SparkConnectServer',
  appName: 'bench:spark-connect',
  clientPort: { name: 'grpc', defaultPort: 15002 },
  serverArgs: () => [],
  extraSettings: (_work, port) => ({ 'spark.connect.grpc.binding.port': String(port) }),
  readyLog: /Spark Connect server started at/,
  jdbcUrl: (host, port) => `jdbc:sc://${host}:${port}`,
  jdbcDriverClass: 'org.apache.spark.sql.connect.client.jdbc.SparkConnectDriver',
  statementShownIn: 'planDescription',
  clientClasspath: (sparkHome) => [`${path.join(sparkHome, 'jars', 'connect-repl')}/*`, `${path.join(sparkHome, 'jars')}/*`],
};

export function sparkSqlServerSpec(ctx: ServiceContext, kind: SparkSqlServerKind, options: SparkServiceOptions, submitSettings: Readonly<Record<string, string>>): ServiceSpec {
  const work = ctx.workDir(kind.service);
  const client = ctx.port(kind.service, kind.clientPort.name, kind.clientPort.defaultPort, { userFacing: true });
  const ui = ctx.port(kind.service, 'ui', 4040, { userFacing: true });
  const conf: Record<string, string> = { ...submitSettings, ...sparkSqlServerSettings(ctx, kind) };
  return {
    name: kind.service,
    distribution: 'spark',
    command: [
      path.join(ctx.home('spark'), 'bin/spark-submit'),
      '--class', kind.mainClass,
      '--name', kind.appName,
      ...Object.entries(conf).flatMap(([k, v]) => ['--conf', `${k}=${v}`]),
      // Before the application resource, where the launcher hands them to the server (as start-thriftserver.sh does).
      ...kind.serverArgs(client.listen, ctx.bindAddress),
      'spark-internal',
    ],
    env: sparkEnv(ctx, kind.service),
    ports: [client, ui],
    files: [{ path: path.join(work, 'conf', 'spark-defaults.conf'), content: '' }],
    sharedDirs: options.sharedDirs,
    // The same treatment as the driver beside the master (one core, driver heap + JVM overhead).
    resources: { cpus: 1, memoryMiB: SPARK_DRIVER_MEMORY_MIB + 512 },
    waitFor: Wait.forAll(
      Wait.forLogMessage(kind.readyLog, { timeoutMs: options.startTimeoutMs }),
      Wait.forListeningPort(kind.clientPort.name, { timeoutMs: options.startTimeoutMs }),
      Wait.forHttp('ui', '/api/v1/applications', { timeoutMs: options.startTimeoutMs }),
    ),
  };
}

/** What the server's driver takes instead of the beside-the-master driver's settings (its own host, UI port, scratch, port). */
export function sparkSqlServerSettings(ctx: ServiceContext, kind: SparkSqlServerKind): Record<string, string> {
  const work = ctx.workDir(kind.service);
  const ui = ctx.port(kind.service, 'ui', 4040, { userFacing: true });
  const client = ctx.port(kind.service, kind.clientPort.name, kind.clientPort.defaultPort, { userFacing: true });
  return {
    'spark.driver.host': ctx.hostOf(kind.service),
    'spark.ui.port': String(ui.listen),
    'spark.local.dir': path.join(work, 'local'),
    'spark.sql.warehouse.dir': path.join(work, 'warehouse'),
    ...kind.extraSettings(work, client.listen),
  };
}
