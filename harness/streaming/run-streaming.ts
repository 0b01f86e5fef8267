// A streaming run on its own (tests, scripts): Kafka up once, one started engine per variant,
// every workload (or its rate search) on each, measurements into the store — the plan
// runner's streaming groups, without the rest of a `bench run`.
import type { ResourceBudget } from '../config/budget.ts';
import { DEFAULT_STREAMING_PARAMETERS, variantById, type StreamingParameters } from '../engines/index.ts';
import { startCluster } from '../engines/clusters.ts';
import type { RateProfile } from '../generators/stream/schedule.ts';
import { createLogger } from '../log.ts';
import type { Measurement } from '../results/schema.ts';
import type { ResultsStore } from '../results/store.ts';
import type { OpenedRuntime } from '../runtime/open-runtime.ts';
import { interruptSignal } from '../runtime/teardown.ts';
import { createProgress } from '../progress/progress.ts';
import { runGroups } from '../run/runner.ts';
import { loadWorkload } from '../workloads/load.ts';
import { ServiceWatch } from '../runtime/service-watch.ts';
import type { FaultSpec } from '../faults/fault-spec.ts';
import type { StartedKafka } from '../engines/kafka/cluster.ts';
import { SharedKafka, streamingGroups, type RateSearchOptions } from './stream-unit.ts';

const log = createLogger('bench:streaming');

export type { RateSearchOptions } from './stream-unit.ts';

export interface StreamingRunOptions {
  readonly store: ResultsStore;
  readonly opened: OpenedRuntime;
  readonly budget: ResourceBudget;
  readonly startTimeoutMs: number;
  /** Variant ids (`npx bench list`). */
  readonly variants: readonly string[];
  /** Workload ids or directories (each needs `modes: [streaming]` and a streaming: section). */
  readonly workloads: readonly string[];
  /** Records per second (constant), or a profile. With a search, the initial rate. */
  readonly rate: number | RateProfile;
  /** Generation time per run (ms). */
  readonly durationMs: number;
  /** The first ms of each run are not measured (latency, rates, lag slope). */
  readonly warmupMs: number;
  readonly seed: number;
  readonly parameters?: Partial<StreamingParameters>;
  readonly behindBoundMs?: number;
  readonly drainTimeoutMs?: number;
  readonly quietMs?: number;
  readonly searchRate?: RateSearchOptions;
  readonly scale?: string;
  /** Sample metrics beside every measurement at this interval; undefined = no metrics. */
  readonly metricsIntervalMs?: number;
  readonly onProgress?: (message: string) => void;
  /** Faults injected into every measurement whose engine has the service (the run watches its services either way). */
  readonly faults?: readonly FaultSpec[];
  /** Called with the run's Kafka after the last measurement, before it stops (to read the topics independently). */
  readonly beforeKafkaStops?: (kafka: StartedKafka) => Promise<void>;
}

export async function runStreaming(options: StreamingRunOptions): Promise<Measurement[]> {
  const kafka = new SharedKafka(() => startCluster('kafka', options.opened, { budget: options.budget, startTimeoutMs: options.startTimeoutMs }));
  const runDir = options.opened.runtime.context.runDir;
  const watch = new ServiceWatch();
  watch.attach(options.opened.runtime);
  const groups = streamingGroups(
    options.variants.map(variantById),
    options.workloads.map((id) => loadWorkload(id)),
    {
      durationMs: options.durationMs,
      warmupMs: options.warmupMs,
      seed: options.seed,
      scale: options.scale ?? 'tiny',
      parameters: { ...DEFAULT_STREAMING_PARAMETERS, ...options.parameters },
      parallelism: options.budget.parallelism,
      startTimeoutMs: options.startTimeoutMs,
      runDir,
      ...(options.behindBoundMs !== undefined ? { behindBoundMs: options.behindBoundMs } : {}),
      ...(options.drainTimeoutMs !== undefined ? { drainTimeoutMs: options.drainTimeoutMs } : {}),
      ...(options.quietMs !== undefined ? { quietMs: options.quietMs } : {}),
      ...(options.metricsIntervalMs !== undefined ? { metricsIntervalMs: options.metricsIntervalMs } : {}),
      ...(options.faults?.length ? { faults: { faults: options.faults, services: async () => options.opened.runtime.services(), watch } } : {}),
    },
    { rate: options.rate, ...(options.searchRate ? { search: options.searchRate } : {}) },
    () => ({ runtime: async () => options.opened, budget: options.budget, startTimeoutMs: options.startTimeoutMs, sharedDirs: [], runDir, metrics: options.metricsIntervalMs !== undefined }),
    kafka,
  );
  try {
    const summary = await runGroups(groups, { store: options.store, progress: createProgress({ stream: { write: (text) => (text.split('\n').filter(Boolean).forEach((line) => (options.onProgress ?? ((m: string) => log.info(m)))(line)), true) } }), signal: interruptSignal(), watch });
    if (options.beforeKafkaStops) await options.beforeKafkaStops(await kafka.get());
    return [...summary.measurements];
  } finally {
    await kafka.close();
  }
}
