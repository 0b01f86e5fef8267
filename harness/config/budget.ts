// The resource budget each engine gets — the same for Spark and Flink (METHOD rule 10) and
// recorded with every run.
import { BenchError, UsageError } from '../errors.ts';

export interface ResourceBudget {
  /** Spark workers / Flink TaskManagers */
  readonly workers: number;
  /** Total task cores per engine: Spark executor cores = Flink task slots */
  readonly cores: number;
  /** Total worker memory per engine (MiB): Spark worker memory = Flink TaskManager process size */
  readonly memoryMiB: number;
  readonly parallelism: number;
  /** Per worker, derived */
  readonly coresPerWorker: number;
  readonly memoryMiBPerWorker: number;
}

export function resourceBudget(input: { workers: number; cores: number; memoryMiB: number; parallelism?: number }): ResourceBudget {
  const { workers, cores, memoryMiB } = input;
  if (cores % workers !== 0) {
    throw new UsageError(`--cores ${cores} does not split evenly over --workers ${workers}; use a multiple of the worker count`);
  }
  const memoryMiBPerWorker = Math.floor(memoryMiB / workers);
  if (memoryMiBPerWorker < 1024) {
    throw new UsageError(`--memory ${memoryMiB} MiB over ${workers} worker(s) leaves ${memoryMiBPerWorker} MiB each; Flink TaskManagers need at least 1024 MiB`);
  }
  return { workers, cores, memoryMiB, parallelism: input.parallelism ?? cores, coresPerWorker: cores / workers, memoryMiBPerWorker };
}

/**
 * Container memory above the worker's budget, the same for Spark workers and Flink
 * TaskManagers: native memory neither engine's memory model accounts for (Parquet/zstd
 * buffers, thread stacks, code cache). With 256 MiB a Flink TaskManager (process size = the
 * budget) was killed by the container's memory limit on the six-way join at scale medium
 * (anon RSS 4.44 GB in a 4.25 GiB container).
 */
export const WORKER_CONTAINER_ALLOWANCE_MIB = 768;
