// The streaming engine variants and their parameters. One id per variant, as results name them.
import type { RunningStream, StreamJob } from './stream-job.ts';
import type { StartedSparkCluster } from '../engines/spark/cluster.ts';
import type { StartedFlinkCluster } from '../engines/flink/cluster.ts';
import { startSparkStream } from '../engines/spark/streaming.ts';
import { startFlinkStream } from '../engines/flink/streaming.ts';

export const STREAMING_VARIANTS = ['spark-microbatch', 'spark-continuous', 'flink'] as const;
export type StreamingVariant = (typeof STREAMING_VARIANTS)[number];

export interface VariantParameters {
  /** spark-microbatch trigger interval (ms); undefined = Spark's default (back-to-back batches). */
  readonly sparkTriggerIntervalMs?: number;
  /** spark-continuous checkpoint interval (ms). */
  readonly sparkContinuousIntervalMs: number;
  readonly flinkCheckpointIntervalMs: number;
  readonly flinkStateBackend: 'hashmap' | 'rocksdb';
}

export const DEFAULT_VARIANT_PARAMETERS: VariantParameters = {
  sparkContinuousIntervalMs: 1000,
  flinkCheckpointIntervalMs: 1000,
  flinkStateBackend: 'hashmap',
};

export function clusterOf(variant: StreamingVariant): 'spark' | 'flink' {
  return variant === 'flink' ? 'flink' : 'spark';
}

/** The variant's parameters as recorded with its measurements. */
export function variantParams(variant: StreamingVariant, p: VariantParameters): Record<string, string | number> {
  switch (variant) {
    case 'spark-microbatch':
      return { triggerIntervalMs: p.sparkTriggerIntervalMs ?? 'engine default (next batch as soon as the previous ends)' };
    case 'spark-continuous':
      return { continuousCheckpointIntervalMs: p.sparkContinuousIntervalMs };
    case 'flink':
      return { checkpointIntervalMs: p.flinkCheckpointIntervalMs, stateBackend: p.flinkStateBackend };
  }
}

/** `metricsSettings`: non-default engine settings the metrics need (empty with metrics off), recorded with each measurement. */
export type StartedEngine =
  | { kind: 'spark'; cluster: StartedSparkCluster; runnerJar: string; metricsSettings: Readonly<Record<string, string>> }
  | { kind: 'flink'; cluster: StartedFlinkCluster; metricsSettings: Readonly<Record<string, string>> };

export function startVariantJob(variant: StreamingVariant, engine: StartedEngine, job: StreamJob, p: VariantParameters, parallelism: number, startTimeoutMs: number): Promise<RunningStream> {
  if (engine.kind === 'flink') {
    return startFlinkStream(engine.cluster, job, { checkpointIntervalMs: p.flinkCheckpointIntervalMs, stateBackend: p.flinkStateBackend, parallelism });
  }
  return startSparkStream(engine.cluster, engine.runnerJar, job, {
    mode: variant === 'spark-continuous' ? 'continuous' : 'microbatch',
    triggerIntervalMs: p.sparkTriggerIntervalMs,
    continuousIntervalMs: p.sparkContinuousIntervalMs,
    startTimeoutMs,
  });
}
