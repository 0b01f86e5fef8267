// Every batch submission path, as data: id, family (what it may be ranked against) and what its
// times span (METHOD rule 13). Apart from the engines' code so the report can state the spans of
// any path a results document names without loading an engine; each engine's `batch.paths`
// lists its own from here.
import type { SubmissionPath } from './engine.ts';

// One definition of Spark's engine time on every path (QueryExecutionListener on spark-submit, the same listener-bus figure from the REST API on the servers).
const SPARK_ENGINE_SPAN = "the write's SQL execution as Spark's listener bus times it (planning, every stage, the commit of the output files)";
const SQL_SERVER_SPANS = {
  wall: "the client's first statement on an open connection → the write committed: dataset views (Parquet schema inference) on the warm application, the query, the commit",
  engine: SPARK_ENGINE_SPAN,
  clientStart: "the JDBC client's JVM start, loading the driver and opening the connection (a session on the server)",
};

export const SPARK_SUBMIT: SubmissionPath = {
  id: 'spark-submit',
  family: 'job',
  description: 'spark-submit per execution (client mode): a new driver, executors and SparkSession every time, stopped after the query',
  spans: {
    wall: 'spark-submit started → its process exited: driver JVM and SparkSession start, executors granted and started, dataset views (Parquet schema inference), the query, the commit, spark.stop()',
    engine: SPARK_ENGINE_SPAN,
  },
};

export const SPARK_THRIFT: SubmissionPath = {
  id: 'spark-thrift',
  family: 'session',
  description:
    "Spark's Thrift JDBC/ODBC server (HiveThriftServer2): one long-lived application serving every execution as a JDBC session (Hive JDBC driver from the distribution); the client's JVM start is recorded apart",
  spans: SQL_SERVER_SPANS,
};

export const SPARK_CONNECT: SubmissionPath = {
  id: 'spark-connect',
  family: 'session',
  // Spark's current client protocol; the Thrift server is measured beside it, never ranked over it.
  headlinePath: true,
  description:
    "Spark Connect server (SparkConnectServer, gRPC): one long-lived application serving every execution as a Spark Connect session (Spark's Connect JDBC driver from the distribution); the client's JVM start is recorded apart",
  spans: SQL_SERVER_SPANS,
};

// One definition of Flink's engine time on every path.
const FLINK_ENGINE_SPAN = "the job's own duration from the JobManager's REST API (job start → FINISHED: scheduling, every task, the sink's commit at job end)";

export const FLINK_GATEWAY: SubmissionPath = {
  id: 'flink-gateway',
  family: 'session',
  description: 'SQL Gateway REST API on a running session cluster: the JobManager and TaskManagers stay up across executions',
  spans: {
    wall: 'the first statement on an open gateway session → the job FINISHED as the JobManager reports it: table DDL, planning, submission, the job, the commit',
    engine: FLINK_ENGINE_SPAN,
  },
};

export const FLINK_APPLICATION: SubmissionPath = {
  id: 'flink-application',
  family: 'job',
  description:
    'application mode per execution: a fresh JobManager (standalone-job.sh running the SQL script with Flink\'s SqlDriver) and TaskManagers of the same budget, stopped after the query; wall time includes the cluster start',
  spans: {
    wall: "the application cluster's start → its job FINISHED: JobManager and TaskManager JVMs, the SqlDriver planning the script, the job, the commit (the cluster's stop after it is not timed)",
    engine: FLINK_ENGINE_SPAN,
  },
};

export const FLINK_SQL_CLIENT: SubmissionPath = {
  id: 'flink-sql-client',
  // Its client is cold, its TaskManagers warm: not the cold analogue of spark-submit (fresh executors).
  family: 'client',
  description:
    "Flink's SQL client per execution (sql-client.sh -f): a new client JVM plans the script and submits it to the running session cluster; wall time includes the client's start-up",
  spans: {
    wall: "sql-client.sh started → the job FINISHED as the JobManager reports it: the client JVM, planning the script, submission to the warm session cluster, the job, the commit",
    engine: FLINK_ENGINE_SPAN,
  },
};

export const DUCKDB_IN_PROCESS: SubmissionPath = {
  id: 'duckdb-in-process',
  family: 'in-process',
  description: 'DuckDB inside the harness process: the workload prepared once, each execution a query on the open database',
  spans: {
    wall: 'the query started on the open database → its rows in hand',
    engine: 'none: DuckDB reports no duration of its own (missing, with that reason)',
  },
};

export const ALL_SUBMISSION_PATHS: readonly SubmissionPath[] = [SPARK_SUBMIT, SPARK_THRIFT, SPARK_CONNECT, FLINK_GATEWAY, FLINK_APPLICATION, FLINK_SQL_CLIENT, DUCKDB_IN_PROCESS];
