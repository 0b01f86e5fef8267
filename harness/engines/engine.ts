// The one interface every engine folder implements (harness/engines/<engine>/index.ts): how to
// start it, how it runs a batch query and a stream, what it can do, what it records. The run
// flow (harness/run) only ever talks to this interface; nothing outside harness/engines/ names
// an engine or branches on one.
import type { ResourceBudget } from '../config/budget.ts';
import type { TableColumns } from '../generators/batch/table-ddl.ts';
import type { Scraper } from '../metrics/sampler.ts';
import type { OpenedRuntime, EngineDistribution } from '../runtime/open-runtime.ts';
import type { RunningStream, StreamJob, TopicOffsets } from '../streaming/stream-job.ts';
import type { StartedKafka } from './kafka/cluster.ts';
import type { StartedBatchEngine } from './batch-engine.ts';

/**
 * How a query reaches the engine (METHOD rule 13). `session`: a long-lived application or
 * session serves the warm-ups and every repetition (warm); `job`: every execution is a fresh
 * application (cold); `in-process`: the engine runs inside the harness (the DuckDB baseline).
 * Only measurements of the same family are ever ranked against each other.
 */
// client: a cold client on a warm cluster (its workers' JVMs stay up) — neither job (fresh
// workers per query) nor session (a warm client), so it is ranked only against its own kind.
export type SubmissionFamily = 'session' | 'job' | 'client' | 'in-process';

export interface SubmissionPath {
  /** Unique across engines, e.g. `spark-submit`, `flink-gateway`. */
  readonly id: string;
  readonly family: SubmissionFamily;
  /** One line for `bench list` and the report's method section. */
  readonly description: string;
  /** What this path's times span (METHOD rule 13), as the report's method section states them. */
  readonly spans: PathSpans;
  /**
   * The engine's path the headline ranks in this family when several of its paths ran there.
   * Never "the fastest of them": the best of k would favour the engine that has more paths.
   */
  readonly headlinePath?: true;
}

/** Where each of a path's times starts and ends; one definition of engine time per engine. */
export interface PathSpans {
  /** wallMs: from … to …, as the harness saw it. */
  readonly wall: string;
  /** engineMs: the engine's own figure. */
  readonly engine: string;
  /** clientStartMs, kept out of wallMs; absent when the path's client has no start-up of its own. */
  readonly clientStart?: string;
}

/** What starting an engine needs from the run. */
export interface EngineStartContext {
  /** Opens the runtime on first call (in-process engines never call it). */
  readonly runtime: () => Promise<OpenedRuntime>;
  readonly budget: ResourceBudget;
  readonly startTimeoutMs: number;
  /** Host directories every service must see at the same path (datasets). */
  readonly sharedDirs: readonly string[];
  /** results/<run-id>/: event logs, runner jars, logs. */
  readonly runDir: string;
  /** Metrics sampling is on: start the cluster with what the scrapers need. */
  readonly metrics: boolean;
  /**
   * Engine settings asked for by the user or an experiment (`--engine-setting`), applied on top
   * of the harness's own: Spark --conf of every submission, Flink config.yaml. Recorded.
   */
  readonly settings?: Readonly<Record<string, string>>;
  readonly progress?: (message: string) => void;
}

/** Tunables of the streaming variants, from the command line; each variant reads those it uses and records them. */
export interface StreamingParameters {
  /** Micro-batch trigger interval (ms); undefined = the engine's default. */
  readonly triggerIntervalMs?: number;
  /** Checkpoint interval (Flink checkpoints, Spark continuous epochs) (ms). */
  readonly checkpointIntervalMs: number;
  readonly stateBackend: 'hashmap' | 'rocksdb';
}

export const DEFAULT_STREAMING_PARAMETERS: StreamingParameters = { checkpointIntervalMs: 1000, stateBackend: 'hashmap' };

/** A started engine cluster for streaming jobs (one per variant group; restarted between variants, METHOD rule 9). */
export interface StartedStreamEngine {
  /** The engine's SQL dialect (which `<dialect>.sql` a workload gives it). */
  readonly dialect: string;
  /** Non-default engine settings of the cluster and the metrics (recorded with each measurement). */
  readonly settings: Readonly<Record<string, string>>;
  /**
   * Scrapers for one job, created BEFORE it is submitted (they count only jobs/logs that appear
   * afterwards). `live` gives the running job and the source topics' end offsets once sampling runs.
   */
  streamScrapers(job: StreamJob, kafka: Pick<StartedKafka, 'bootstrap'>, live: LiveJob): Scraper[];
  stop(): Promise<void>;
}

export interface LiveJob {
  running(): RunningStream | undefined;
  endOffsets(): Promise<TopicOffsets>;
}

export interface StreamingVariant {
  /** As results name it, e.g. `spark-microbatch`, `flink`. */
  readonly id: string;
  readonly description: string;
  /** The variant's parameters as recorded with its measurements. */
  params(p: StreamingParameters): Record<string, string | number>;
  /** How often the engine commits consumed offsets (its lag only moves then), 0 when continuously. */
  commitIntervalMs(p: StreamingParameters): number;
  startJob(engine: StartedStreamEngine, job: StreamJob, p: StreamingParameters, options: { parallelism: number; startTimeoutMs: number }): Promise<RunningStream>;
}

export interface Engine {
  /** As results name it in batch mode: `spark`, `flink`, `duckdb`. */
  readonly id: string;
  /** `<dialect>.sql` overrides this engine reads in a workload directory. */
  readonly dialect: string;
  /** Distributions to prepare (and images to build) before starting it. */
  readonly distributions: readonly EngineDistribution[];
  /** The single-machine baseline (COST reference): shown beside, never ranked against the clusters. */
  readonly baseline?: boolean;
  /** Registers a Parquet file/directory as a table (dataset views, answer sinks). */
  tableDdl(name: string, columns: TableColumns, path: string): string;
  readonly batch?: {
    readonly paths: readonly SubmissionPath[];
    start(context: EngineStartContext, path: SubmissionPath): Promise<StartedBatchEngine>;
  };
  readonly streaming?: {
    readonly variants: readonly StreamingVariant[];
    start(context: EngineStartContext): Promise<StartedStreamEngine>;
  };
}
