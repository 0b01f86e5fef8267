// A whole `bench run`, after the command line: the plan's parts become groups of units (batch:
// one group per engine × submission path; streaming: one per variant, Kafka shared), the data
// every batch unit needs is made first, and the one plan runner runs them all into the store.
import path from 'node:path';
import type { ResourceBudget } from '../config/budget.ts';
import { startCluster } from '../engines/clusters.ts';
import { engineById, variantById, type EngineStartContext, type StreamingParameters, type SubmissionPath, type Engine } from '../engines/index.ts';
import { cacheDir } from '../paths.ts';
import type { ResultsStore } from '../results/store.ts';
import type { EngineDistribution, OpenedRuntime } from '../runtime/open-runtime.ts';
import { ServiceWatch } from '../runtime/service-watch.ts';
import type { FaultSpec } from '../faults/fault-spec.ts';
import type { FaultPlan } from '../faults/inject.ts';
import { SharedKafka, streamingGroups, type RateSearchOptions } from '../streaming/stream-unit.ts';
import { batchGroups, prepareBatchInputs, type BatchInputs, type BatchSettings } from './batch-unit.ts';
import type { ModePlan } from './plan.ts';
import type { RunProgress } from './progress.ts';
import { runGroups, type AnyUnitGroup, type RunSummary } from './runner.ts';

export interface StreamingRunSettings {
  readonly rate: number;
  readonly durationMs: number;
  readonly warmupMs: number;
  readonly parameters: StreamingParameters;
  readonly search?: RateSearchOptions;
}

export interface RunRequest {
  readonly plans: readonly ModePlan[];
  readonly batch: BatchSettings;
  readonly streaming: StreamingRunSettings;
  readonly budget: ResourceBudget;
  readonly startTimeoutMs: number;
  readonly seed: number;
  readonly scale: string;
  readonly metricsIntervalMs?: number;
  /**
   * `--fault`: injected into every streaming measurement whose engine has the service (Kafka:
   * all), and into one extra execution per batch workload on an engine that has it.
   */
  readonly faults?: readonly FaultSpec[];
  /** Per engine id: settings asked for on top of the harness's own (`--engine-setting`). */
  readonly engineSettings?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

export interface RunContext {
  readonly store: ResultsStore;
  /** Opens the runtime on first need (a DuckDB-only run never opens one). */
  readonly openRuntime: () => Promise<OpenedRuntime>;
  readonly progress: RunProgress;
  readonly signal: AbortSignal;
}

/** The batch targets of a plan: every submission path of every chosen engine (only `paths`, when given: `--submission`). */
export function batchTargets(engineIds: readonly string[], paths?: readonly string[]): { engine: Engine; path: SubmissionPath }[] {
  return engineIds
    .map(engineById)
    .flatMap((engine) => (engine.batch?.paths ?? []).map((p) => ({ engine, path: p })))
    .filter((t) => !paths || paths.includes(t.path.id));
}

/** Distributions a plan needs prepared (Kafka with any streaming part). */
export function distributionsFor(plans: readonly ModePlan[]): EngineDistribution[] {
  const needed = new Set<EngineDistribution>();
  for (const plan of plans) {
    if (plan.mode === 'batch') for (const id of plan.engines) for (const d of engineById(id).distributions) needed.add(d);
    if (plan.mode === 'streaming') {
      needed.add('kafka');
      for (const id of plan.engines) for (const d of variantById(id).engine.distributions) needed.add(d);
    }
  }
  return [...needed];
}

/** What planGroups needs of a run besides the request: where results go and how to reach the runtime. */
export interface PlanContext {
  readonly resultsDir: string;
  readonly openRuntime: () => Promise<OpenedRuntime>;
  readonly progress?: RunProgress;
  /** Told about injected faults so their exits end no measurement. */
  readonly watch?: ServiceWatch;
}

export interface PlannedRun {
  readonly groups: readonly AnyUnitGroup[];
  /** Kafka for the streaming groups (started on first need), when there are any. */
  readonly kafka?: SharedKafka;
}

/**
 * The groups of units a request makes, nothing started (a dry run prints them). Batch units ask
 * `inputs` for their datasets and reference when they run.
 */
export function planGroups(request: RunRequest, context: PlanContext, inputs: (workloadId: string) => BatchInputs): PlannedRun {
  const dataRoot = path.join(cacheDir(), 'data');
  const startContext = (sharedDirs: string[]) => (engine: Engine): EngineStartContext => ({
    runtime: context.openRuntime,
    ...(request.engineSettings?.[engine.id] ? { settings: request.engineSettings[engine.id] } : {}),
    budget: request.budget,
    startTimeoutMs: request.startTimeoutMs,
    sharedDirs,
    runDir: context.resultsDir,
    metrics: request.metricsIntervalMs !== undefined,
    ...(context.progress ? { progress: (m: string) => context.progress!.message(m) } : {}),
  });
  const groups: AnyUnitGroup[] = [];
  const batchPlan = request.plans.find((p) => p.mode === 'batch');
  const faultPlan = (faults: readonly FaultSpec[] | undefined): FaultPlan | undefined =>
    faults?.length ? { faults, services: async () => (await context.openRuntime()).runtime.services(), ...(context.watch ? { watch: context.watch } : {}) } : undefined;
  const allFaults = faultPlan(request.faults);
  if (batchPlan) groups.push(...batchGroups(batchTargets(batchPlan.engines, batchPlan.paths), batchPlan.workloads, inputs, { ...request.batch, ...(allFaults ? { faults: allFaults } : {}), resultsDir: context.resultsDir }, startContext([dataRoot])));
  const streamingPlan = request.plans.find((p) => p.mode === 'streaming');
  if (!streamingPlan) return { groups };
  const kafka = new SharedKafka(async () => startCluster('kafka', await context.openRuntime(), { budget: request.budget, startTimeoutMs: request.startTimeoutMs }));
  groups.push(
    ...streamingGroups(
      streamingPlan.engines.map(variantById),
      streamingPlan.workloads,
      {
        durationMs: request.streaming.durationMs,
        warmupMs: request.streaming.warmupMs,
        seed: request.seed,
        scale: request.scale,
        parameters: request.streaming.parameters,
        parallelism: request.budget.parallelism,
        startTimeoutMs: request.startTimeoutMs,
        runDir: context.resultsDir,
        ...(request.metricsIntervalMs !== undefined ? { metricsIntervalMs: request.metricsIntervalMs } : {}),
        ...(allFaults ? { faults: allFaults } : {}),
      },
      { rate: request.streaming.rate, ...(request.streaming.search ? { search: request.streaming.search } : {}) },
      startContext([]),
      kafka,
    ),
  );
  return { groups, kafka };
}

export async function executeRun(request: RunRequest, context: RunContext): Promise<RunSummary> {
  const { store, progress } = context;
  const batchPlan = request.plans.find((p) => p.mode === 'batch');
  // Data and reference answers first: no cluster idles while datasets are generated.
  const inputs = batchPlan
    ? await prepareBatchInputs(batchPlan.workloads, { scale: request.batch.scale, seed: request.seed, threads: request.budget.cores, dataRoot: path.join(cacheDir(), 'data'), progress })
    : new Map<string, BatchInputs>();
  // Every service the run starts is watched from the moment the runtime opens.
  const watch = new ServiceWatch();
  const openRuntime = async () => {
    const opened = await context.openRuntime();
    watch.attach(opened.runtime);
    return opened;
  };
  const { groups, kafka } = planGroups(request, { resultsDir: store.dir, openRuntime, progress, watch }, (id) => inputs.get(id)!);
  try {
    return await runGroups(groups, { store, progress, signal: context.signal, watch });
  } finally {
    await kafka?.close();
  }
}
