// What every engine variant is given to run one streaming workload, and what it hands back:
// one engine-neutral shape, so the run flow is the same for Spark and Flink.
import type { ColumnType, StreamingSpec } from './streaming-spec.ts';

/** Offsets per topic, per partition (partition numbers as keys). */
export type TopicOffsets = Record<string, Record<string, number>>;

export interface StreamSource {
  /** The view/table name the workload SQL reads. */
  readonly name: string;
  readonly topic: string;
  readonly columns: readonly { name: string; type: ColumnType }[];
}

export interface StreamJob {
  /** Unique within the run; names topics, state dirs, consumer groups. */
  readonly id: string;
  /** One per input (a single `events` source for most workloads; two for joins). */
  readonly sources: readonly StreamSource[];
  readonly sinkTopic: string;
  readonly partitions: number;
  /** Bootstrap servers as the engines reach Kafka (the run network). */
  readonly engineBootstrap: string;
  /** Bootstrap servers as the harness reaches Kafka (the host). */
  readonly hostBootstrap: string;
  /** Add `rt` (generation time as a timestamp) with a watermark this far behind to every source. */
  readonly eventTime?: { readonly watermarkDelayMs: number };
  /** The workload query in the engine's dialect, variables substituted, no trailing ';'. */
  readonly sql: string;
  readonly output: StreamingSpec['output'];
  /** A directory visible to the engine at the same path (checkpoints, control files). */
  readonly stateDir: string;
  /** Upper bound for the whole job; a stuck engine is killed after it. */
  readonly maxRuntimeMs: number;
}

export interface RunningStream {
  /** The delivery guarantee this variant ran with, in words ("at-least-once: …"). */
  readonly guarantee: string;
  /** Engine settings that differ from defaults for this job (recorded with the measurement). */
  readonly settings: Readonly<Record<string, string>>;
  /** Offsets of the source topics the engine has consumed, or null when not yet known for every topic. */
  consumedOffsets(): Promise<TopicOffsets | null>;
  /** A failure the engine reported while running and will not recover from (null while healthy or recovering). */
  failure(): Promise<string | null>;
  /**
   * What the engine itself reports as wrong while the job may still recover (a Flink job
   * RESTARTING, a Spark worker lost), null while all is well: when a fault was noticed.
   */
  trouble?(): Promise<string | null>;
  /**
   * When a failure is the engine refusing the query shape only once it ran (Spark's Real-Time
   * Mode checks its allowlist when it plans the first batch), the engine's own words for an
   * `unsupported` record; undefined for a real failure.
   */
  refusal?(failure: string): string | undefined;
  /** Stop the job; idempotent. */
  stop(): Promise<void>;
}

/** The variant cannot run the workload; `reason` is the engine's own words. */
export class UnsupportedByEngine extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'UnsupportedByEngine';
  }
}
