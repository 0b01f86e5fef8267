// One entry point to start any of the clusters by name, so commands (up, smoke, run) share
// one path parameterised by engine.
import type { ResourceBudget } from '../config/budget.ts';
import type { OpenedRuntime } from '../runtime/open-runtime.ts';
import { FlinkCluster, type StartedFlinkCluster } from './flink/cluster.ts';
import { KafkaCluster, type StartedKafka } from './kafka/cluster.ts';
import { SparkCluster, type StartedSparkCluster } from './spark/cluster.ts';
import { ensureSparkRunnerJar } from './spark/runner-jar.ts';

export const CLUSTER_NAMES = ['spark', 'flink', 'kafka'] as const;
export type ClusterName = (typeof CLUSTER_NAMES)[number];

export interface ClusterStartOptions {
  readonly budget: ResourceBudget;
  readonly startTimeoutMs: number;
  readonly sharedDirs?: readonly string[];
  readonly flinkSettings?: Readonly<Record<string, string>>;
}

export type StartedClusterOf<N extends ClusterName> = N extends 'spark' ? StartedSparkCluster : N extends 'flink' ? StartedFlinkCluster : StartedKafka;

export interface AnyStartedCluster {
  urls(): Record<string, string>;
  stop(): Promise<void>;
}

export async function startCluster<N extends ClusterName>(name: N, opened: OpenedRuntime, options: ClusterStartOptions): Promise<StartedClusterOf<N>> {
  const { runtime } = opened;
  const sharedDirs = options.sharedDirs ?? [];
  switch (name) {
    case 'spark': {
      const dist = opened.distributions.spark;
      if (!dist) throw new Error('the Spark distribution was not prepared');
      const jar = await ensureSparkRunnerJar(dist.home, dist.lockHash);
      return (await new SparkCluster(runtime, options.budget, jar).withSharedDirs(sharedDirs).withStartTimeout(options.startTimeoutMs).start()) as StartedClusterOf<N>;
    }
    case 'flink':
      return (await new FlinkCluster(runtime, options.budget)
        .withSharedDirs(sharedDirs)
        .withSettings(options.flinkSettings ?? {})
        .withStartTimeout(options.startTimeoutMs)
        .start()) as StartedClusterOf<N>;
    case 'kafka':
      return (await new KafkaCluster(runtime, options.budget.parallelism).withStartTimeout(options.startTimeoutMs).start()) as StartedClusterOf<N>;
    default:
      throw new Error(`unknown cluster '${String(name)}'`);
  }
}
