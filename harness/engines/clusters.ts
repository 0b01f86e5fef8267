// The clusters the harness can start by name (`bench up`, `bench smoke`, tests): each engine
// folder declares its own ClusterDefinition; this file only lists them, so commands share one
// path parameterised by cluster and nothing here knows what a cluster is made of.
import type { ResourceBudget } from '../config/budget.ts';
import type { EngineDistribution, OpenedRuntime } from '../runtime/open-runtime.ts';
import { flinkCluster } from './flink/index.ts';
import { kafkaCluster } from './kafka/index.ts';
import type { SmokeOutcome } from './smoke.ts';
import { sparkCluster } from './spark/index.ts';

export interface ClusterStartOptions {
  readonly budget: ResourceBudget;
  readonly startTimeoutMs: number;
  readonly sharedDirs?: readonly string[];
  /** Engine settings beyond the budget (Flink config.yaml entries, Spark --conf of every submission); the caller records them. */
  readonly settings?: Readonly<Record<string, string>>;
}

export interface AnyStartedCluster {
  urls(): Record<string, string>;
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export interface ClusterDefinition<S extends AnyStartedCluster> {
  readonly name: string;
  readonly distributions: readonly EngineDistribution[];
  start(opened: OpenedRuntime, options: ClusterStartOptions): Promise<S>;
  /** One tiny job through the cluster's own submission path, checked against the known answer. */
  smoke(started: S, runDir: string): Promise<SmokeOutcome>;
}

const CLUSTERS = { spark: sparkCluster, flink: flinkCluster, kafka: kafkaCluster } as const;

export type ClusterName = keyof typeof CLUSTERS;
export const CLUSTER_NAMES = Object.keys(CLUSTERS) as ClusterName[];
export type StartedClusterOf<N extends ClusterName> = Awaited<ReturnType<(typeof CLUSTERS)[N]['start']>>;

export function clusterDefinition<N extends ClusterName>(name: N): (typeof CLUSTERS)[N] {
  const definition = CLUSTERS[name];
  if (!definition) throw new Error(`unknown cluster '${String(name)}'; known: ${CLUSTER_NAMES.join(', ')}`);
  return definition;
}

export function startCluster<N extends ClusterName>(name: N, opened: OpenedRuntime, options: ClusterStartOptions): Promise<StartedClusterOf<N>> {
  return clusterDefinition(name).start(opened, options) as Promise<StartedClusterOf<N>>;
}

/** Start a cluster, run its smoke check, stop it (always). */
export async function smokeCluster(name: ClusterName, opened: OpenedRuntime, options: ClusterStartOptions): Promise<SmokeOutcome> {
  const started = Date.now();
  try {
    const definition = clusterDefinition(name) as ClusterDefinition<AnyStartedCluster>;
    await using cluster = await definition.start(opened, options);
    return await definition.smoke(cluster, opened.runtime.context.runDir);
  } catch (error) {
    return { ok: false, ms: Date.now() - started, detail: (error as Error).message };
  }
}
