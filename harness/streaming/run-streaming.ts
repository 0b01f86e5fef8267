// The streaming run flow: Kafka up once; for each variant a fresh engine cluster; for each
// workload (and, with a rate search, each rate step) fresh topics, the job submitted through
// the engine's own path, the generator on its fixed schedule, the output read back for
// latency and final state, the lag sampled; then a measurement into the results store.
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ResourceBudget } from '../config/budget.ts';
import { startCluster } from '../engines/clusters.ts';
import { StartedSparkCluster } from '../engines/spark/cluster.ts';
import { flinkMetricsSettings, sparkMetricsSettings, startSampler, type MetricsSection, type RunningSampler, type Scraper } from '../metrics/index.ts';
import { createTopics } from '../engines/kafka/client.ts';
import type { StartedKafka } from '../engines/kafka/cluster.ts';
import { EventFactory } from '../generators/stream/events.ts';
import { defaultBehindBoundMs, runGenerator, type GeneratorReport } from '../generators/stream/generator.ts';
import { SendSchedule, type RateProfile } from '../generators/stream/schedule.ts';
import type { ResultsStore } from '../results/store.ts';
import { missing, type Measurement } from '../results/schema.ts';
import type { OpenedRuntime } from '../runtime/open-runtime.ts';
import { lagFloorSlopePerSecond, lagOverTopics, lagSlopePerSecond, type LagSample } from '../stats/lag.ts';
import { judgeStep, nextSearchDecision, type JudgedStep, type SearchSettings, type SustainabilityCriteria } from '../stats/rate-search.ts';
import { summarize } from '../stats/summary.ts';
import type { LatencySummary } from '../stats/latency.ts';
import type { AnswerComparison } from '../answer/answer.ts';
import { loadWorkload, querySqlFor, type Workload } from '../workloads/load.ts';
import { createLogger } from '../log.ts';
import { checkFinalState, expectedFinalState } from './final-state.ts';
import { OffsetReader } from './kafka-offsets.ts';
import { OutputConsumer } from './output-consumer.ts';
import { UnsupportedByEngine, type RunningStream, type StreamJob } from './stream-job.ts';
import { inputColumns, streamInputs, streamingSpecOf, type StreamingSpec } from './streaming-spec.ts';
import { closeScrapers, streamingScrapers } from './stream-metrics.ts';
import { windowResources } from './window-resources.ts';
import { DEFAULT_VARIANT_PARAMETERS, clusterOf, startVariantJob, variantParams, type StartedEngine, type StreamingVariant, type VariantParameters } from './variants.ts';

const log = createLogger('bench:streaming');

export interface RateSearchOptions extends SearchSettings, SustainabilityCriteria {}

export interface StreamingRunOptions {
  readonly store: ResultsStore;
  readonly opened: OpenedRuntime;
  readonly budget: ResourceBudget;
  readonly startTimeoutMs: number;
  readonly variants: readonly StreamingVariant[];
  /** Workload ids or directories (each needs `modes: [streaming]` and a streaming: section). */
  readonly workloads: readonly string[];
  /** Records per second (constant), or a profile. With a search, the initial rate. */
  readonly rate: number | RateProfile;
  /** Generation time per run (ms). */
  readonly durationMs: number;
  /** The first ms of each run are not measured (latency, rates, lag slope). */
  readonly warmupMs: number;
  readonly seed: number;
  readonly variantParameters?: Partial<VariantParameters>;
  /** Generator may fall this far behind its schedule (default max(1 s, 1 % of the run)). */
  readonly behindBoundMs?: number;
  /** After input stops: how long the engine may take to drain (default 120 s). */
  readonly drainTimeoutMs?: number;
  /** Output quiet this long (with the engine's lag at 0 when known) = drained (default 3 s). */
  readonly quietMs?: number;
  readonly searchRate?: RateSearchOptions;
  readonly scale?: string;
  /** Sample metrics (OS, engine REST/event log, checkpoints, Kafka lag) beside every measurement at this interval; undefined = no metrics. */
  readonly metricsIntervalMs?: number;
  readonly onProgress?: (message: string) => void;
}

interface StepResult {
  readonly measurement: Measurement;
  readonly step?: JudgedStep;
}

const profileOf = (rate: number | RateProfile): RateProfile => (typeof rate === 'number' ? { kind: 'constant', rate } : rate);

export async function runStreaming(options: StreamingRunOptions): Promise<Measurement[]> {
  const params: VariantParameters = { ...DEFAULT_VARIANT_PARAMETERS, ...options.variantParameters };
  const workloads = options.workloads.map((id) => {
    const workload = loadWorkload(id);
    return { workload, spec: streamingSpecOf(workload) };
  });
  const progress = options.onProgress ?? ((m: string) => log.info(m));
  const measurements: Measurement[] = [];
  const record = (m: Measurement) => {
    options.store.addMeasurement(m);
    measurements.push(m);
    progress(`${m.engine} ${m.workload}: ${m.status}${'reason' in m ? ` (${m.reason.split('\n')[0]})` : ''}`);
  };

  await using kafka = await startCluster('kafka', options.opened, { budget: options.budget, startTimeoutMs: options.startTimeoutMs });
  for (const variant of options.variants) {
    let engine: StartedEngine | undefined;
    try {
      engine = await startEngine(variant, options);
    } catch (error) {
      for (const { workload } of workloads) record(failed(variant, workload, params, options, `starting the ${clusterOf(variant)} cluster failed: ${(error as Error).message}`));
      continue;
    }
    try {
      for (const { workload, spec } of workloads) {
        if (!options.searchRate) {
          record((await runStep(variant, engine, kafka, workload, spec, profileOf(options.rate), params, options)).measurement);
          continue;
        }
        record(await searchRate(variant, engine, kafka, workload, spec, params, options, options.searchRate));
      }
    } finally {
      await engine.cluster.stop();
    }
  }
  return measurements;
}

async function startEngine(variant: StreamingVariant, options: StreamingRunOptions): Promise<StartedEngine> {
  const common = { budget: options.budget, startTimeoutMs: options.startTimeoutMs };
  const metricsOn = options.metricsIntervalMs !== undefined;
  if (clusterOf(variant) === 'flink') {
    const metricsSettings = metricsOn ? flinkMetricsSettings() : {};
    return { kind: 'flink', cluster: await startCluster('flink', options.opened, { ...common, flinkSettings: metricsSettings }), metricsSettings };
  }
  const started = await startCluster('spark', options.opened, common);
  const metricsSettings = metricsOn ? sparkMetricsSettings(options.opened.runtime.context.runDir) : {};
  // The streaming submitter passes the cluster's submitSettings as --conf: a view of the same
  // services whose submissions also carry the metrics conf (the event log).
  const cluster = metricsOn ? new StartedSparkCluster(started.services, { ...started.submitSettings, ...metricsSettings }, started.runnerJar) : started;
  // Batch and streaming runners share one jar, copied where the driver can read it.
  return { kind: 'spark', cluster, runnerJar: cluster.runnerJar, metricsSettings };
}

async function searchRate(
  variant: StreamingVariant,
  engine: StartedEngine,
  kafka: StartedKafka,
  workload: Workload,
  spec: StreamingSpec,
  params: VariantParameters,
  options: StreamingRunOptions,
  search: RateSearchOptions,
): Promise<Measurement> {
  const steps: JudgedStep[] = [];
  const results: StepResult[] = [];
  for (;;) {
    const decision = nextSearchDecision(steps, search);
    if (decision.done) {
      const best = decision.sustainableRate === null ? results[0]! : results.find((r) => r.step?.rate === decision.sustainableRate)!;
      const rateSearch = {
        sustainableRate: decision.sustainableRate ?? missing(`no rate was sustainable (${decision.why})`),
        why: decision.why,
        criteria: { p99BoundMs: search.p99BoundMs, maxLagSlopeFraction: search.maxLagSlopeFraction },
        steps: steps.map((s) => ({ rate: s.rate, lagSlope: s.lagSlope, p99Ms: s.p99Ms, sustainable: s.verdict.sustainable, reason: s.verdict.reason })),
      };
      return { ...best.measurement, streaming: { ...best.measurement.streaming, rateSearch } };
    }
    const result = await runStep(variant, engine, kafka, workload, spec, { kind: 'constant', rate: decision.nextRate }, params, options);
    results.push(result);
    if (!result.step) return result.measurement; // unsupported or failed: no point searching
    steps.push(result.step);
  }
}

let jobCounter = 0;

async function runStep(
  variant: StreamingVariant,
  engine: StartedEngine,
  kafka: StartedKafka,
  workload: Workload,
  spec: StreamingSpec,
  profile: RateProfile,
  params: VariantParameters,
  options: StreamingRunOptions,
): Promise<StepResult> {
  const ctx = options.opened.runtime.context;
  const partitions = options.budget.parallelism;
  const id = `${workload.id}-${variant}-${Date.now().toString(36)}-${++jobCounter}`;
  const dialect = clusterOf(variant);
  const vars = { scale: 'tiny' as const, seed: options.seed };
  const job: StreamJob = {
    id,
    sources: streamInputs(spec).map((input) => ({ name: input.name, topic: `${id}-${input.name}`, columns: inputColumns(input) })),
    sinkTopic: `${id}-out`,
    partitions,
    engineBootstrap: kafka.internalBootstrap,
    hostBootstrap: kafka.bootstrap,
    ...(spec.eventTime ? { eventTime: spec.eventTime } : {}),
    sql: querySqlFor(workload, dialect, vars),
    output: spec.output,
    stateDir: path.join(ctx.runDir, 'streaming', id),
    maxRuntimeMs: options.startTimeoutMs + options.durationMs + (options.drainTimeoutMs ?? 120_000) + 300_000,
  };
  const schedule = new SendSchedule(profile);
  const base = {
    workload: workload.id,
    engine: variant,
    mode: 'streaming' as const,
    scale: options.scale ?? 'tiny',
    params: { ...variantParams(variant, params), rateProfile: JSON.parse(JSON.stringify(profile)), durationMs: options.durationMs, warmupMs: options.warmupMs, seed: options.seed, partitions },
    startedAt: new Date().toISOString(),
  };
  const sourceTopics = job.sources.map((s) => s.topic);
  await createTopics(kafka.bootstrap, [
    ...sourceTopics.map((name) => ({ name, partitions })),
    { name: job.sinkTopic, partitions, config: { 'message.timestamp.type': 'LogAppendTime' } },
  ]);

  // Scrapers exist before the submission (they count only jobs/logs that appear after them);
  // the sampler starts once the job runs.
  const live: { stream?: RunningStream; offsets?: OffsetReader } = {};
  const scrapers: Scraper[] | undefined =
    options.metricsIntervalMs !== undefined
      ? streamingScrapers(engine, job, kafka, ctx.runDir, {
          running: () => live.stream,
          endOffsets: () => (live.offsets ? live.offsets.endOffsets() : Promise.reject(new Error('the source topic offsets reader is not open'))),
        })
      : undefined;
  let stream: RunningStream;
  try {
    stream = await startVariantJob(variant, engine, job, params, partitions, options.startTimeoutMs);
  } catch (error) {
    if (scrapers) await closeScrapers(scrapers);
    if (error instanceof UnsupportedByEngine) return { measurement: { ...base, status: 'unsupported', reason: error.reason, finishedAt: new Date().toISOString() } };
    return { measurement: { ...base, status: 'failed', reason: (error as Error).message.split('\n')[0]!, logExcerpt: (error as Error).message, finishedAt: new Date().toISOString() } };
  }

  live.stream = stream;
  const events = new EventFactory(spec, options.seed);
  let offsets: OffsetReader;
  try {
    offsets = await OffsetReader.open(kafka.bootstrap, sourceTopics, partitions);
  } catch (error) {
    await stream.stop().catch((e: Error) => log.warn(`stopping ${id}: ${e.message}`));
    if (scrapers) await closeScrapers(scrapers);
    return { measurement: { ...base, status: 'failed', reason: `reading offsets of ${sourceTopics.join(', ')}: ${(error as Error).message}`, finishedAt: new Date().toISOString() } };
  }
  live.offsets = offsets;
  const metricsSampler: RunningSampler | undefined = scrapers ? startSampler({ intervalMs: options.metricsIntervalMs, scrapers }) : undefined;
  const lagSamples: LagSample[] = [];
  let lagUnknownReason = 'the engine reported no consumed offsets during the run';
  let sampling = true;
  const sampleLag = async () => {
    const consumed = await stream.consumedOffsets().catch((e: Error) => ((lagUnknownReason = e.message), null));
    if (!consumed) return;
    const end = await offsets.endOffsets();
    lagSamples.push({ tMs: Date.now(), lag: lagOverTopics(end, consumed) });
  };
  const sampler = (async () => {
    while (sampling) {
      await sampleLag().catch(() => undefined);
      await sleep(500);
    }
  })();

  const behindBoundMs = options.behindBoundMs ?? defaultBehindBoundMs(options.durationMs);
  let output: OutputConsumer | undefined;
  let generator: GeneratorReport | undefined;
  let failure: string | null = null;
  let drained = false;
  let metricsSection: MetricsSection | undefined;
  const startedAtMs = Date.now();
  try {
    // Generation times are wall clock; warm-up ends warmupMs after the generator starts (≈ now).
    output = await OutputConsumer.start(kafka.bootstrap, job.sinkTopic, spec, { measureFromMs: startedAtMs + options.warmupMs });
    generator = await runGenerator({ bootstrap: kafka.bootstrap, topics: sourceTopics, schedule, durationMs: options.durationMs, events, behindBoundMs });
    // Drain: the engine has consumed everything (when it tells) and the output went quiet.
    const drainDeadline = Date.now() + (options.drainTimeoutMs ?? 120_000);
    const quietMs = options.quietMs ?? 3000;
    const end = await offsets.endOffsets();
    let lastLag: number | null = null;
    let lagMovedAtMs = 0;
    for (;;) {
      failure = await stream.failure();
      if (failure) break;
      const consumed = await stream.consumedOffsets();
      const lag = consumed === null ? null : lagOverTopics(end, consumed);
      if (lag !== lastLag) lagMovedAtMs = Date.now();
      lastLag = lag;
      const lastProgressAtMs = Math.max(output.lastReceivedAtMs, generator.lastAcknowledgedAtMs, lagMovedAtMs);
      if (isDrained({ nowMs: Date.now(), lag, lastProgressAtMs, quietMs })) {
        drained = true;
        break;
      }
      if (Date.now() > drainDeadline) break;
      await sleep(250);
    }
  } catch (error) {
    failure = (error as Error).message;
  } finally {
    sampling = false;
    await sampler;
    await stream.stop().catch((e: Error) => log.warn(`stopping ${id}: ${e.message}`));
    // Stopped after the job: Spark's event log is complete and Flink's job is final by now.
    metricsSection = await metricsSampler?.stop().catch((e: Error) => {
      log.warn(`metrics of ${id}: ${e.message}`);
      return undefined;
    });
    await output?.stop();
    await offsets.close();
  }
  const finishedAt = new Date().toISOString();
  const metrics = metricsSection ? { metrics: metricsSection as unknown as Record<string, unknown> } : {};
  if (failure || !generator || !output) {
    return { measurement: { ...base, status: 'failed', reason: (failure ?? 'the run did not complete').split('\n')[0]!, logExcerpt: failure ?? undefined, finishedAt, ...metrics } };
  }
  if (generator.deliveryErrors > 0) {
    return { measurement: { ...base, status: 'failed', reason: `Kafka refused ${generator.deliveryErrors} input records (first: ${generator.firstDeliveryError})`, finishedAt, ...metrics } };
  }

  // Figures over the measurement window: from the end of warm-up to the end of generation.
  const windowFrom = generator.startedAtMs + options.warmupMs;
  const windowTo = generator.startedAtMs + options.durationMs;
  const latency = output.latency.summary();
  const windowLag = lagSamples.filter((s) => s.tMs >= windowFrom && s.tMs <= windowTo);
  const lagSlope = lagSlopePerSecond(windowLag);
  // The sustainability test uses the slope of the lag's floor (see lagFloorSlopePerSecond):
  // blocks long enough to hold a commit (Flink checkpoint / Spark epoch) and ≥ 5 of them per window.
  const commitIntervalMs = variant === 'flink' ? params.flinkCheckpointIntervalMs : variant === 'spark-continuous' ? params.sparkContinuousIntervalMs : (params.sparkTriggerIntervalMs ?? 0);
  const floorBlockMs = Math.max(2000, 2 * commitIntervalMs, (options.durationMs - options.warmupMs) / 5);
  const lagFloorSlope = windowLag.length ? lagFloorSlopePerSecond(windowLag, floorBlockMs) : null;
  const inputRate = generator.acknowledged > 0 ? (schedule.recordsDueBy(options.durationMs) - schedule.recordsDueBy(options.warmupMs)) / ((options.durationMs - options.warmupMs) / 1000) : 0;
  const expected = await expectedFinalState(spec, events, generator.acknowledged, querySqlFor(workload, 'duckdb', vars));
  const check = checkFinalState(expected, output.finalState.toAnswer(), spec);
  const wallMs = windowTo - windowFrom;

  const streaming = {
    guarantee: stream.guarantee,
    engineSettings: { ...stream.settings, ...engine.metricsSettings },
    latencyMs: latency ?? missing('no output row was generated after the warm-up'),
    throughput: {
      inputRecordsPerSecond: inputRate,
      outputRecordsPerSecond: output.rateBetween(windowFrom, windowTo),
      outputRowsTotal: output.total,
      inputRecordsTotal: generator.acknowledged,
      outputSeries: [...output.perSecond.entries()].sort((a, b) => a[0] - b[0]).map(([tMs, rows]) => ({ tMs, rows })),
    },
    lag: {
      slopeRecordsPerSecond: lagSlope ?? missing(lagSamples.length ? 'fewer than two lag samples in the measurement window' : lagUnknownReason),
      /** What the rate search judges: the slope of the least lag per block of floorBlockMs. */
      floorSlopeRecordsPerSecond: lagFloorSlope ?? missing(lagSamples.length ? `fewer than two ${floorBlockMs} ms blocks with lag samples in the measurement window` : lagUnknownReason),
      floorBlockMs,
      series: lagSamples,
    },
    generator: {
      scheduled: generator.scheduled,
      acknowledged: generator.acknowledged,
      maxBehindMs: generator.maxBehindMs,
      behindBoundMs: generator.behindBoundMs,
      behindSeries: generator.behindSeries,
      achievedRate: generator.achievedRate,
      startedAtMs: generator.startedAtMs,
    },
    drain: { drained, finalStateRows: check.rows, expectedRows: expected.rows.length, duplicateAppends: output.finalState.duplicates },
    window: { fromMs: windowFrom, toMs: windowTo },
    ...(metricsSection ? { resources: windowResources(metricsSection, windowFrom, windowTo, inputRate) } : {}),
  };
  const step: JudgedStep | undefined =
    profile.kind === 'constant'
      ? (() => {
          const s = { rate: profile.rate, lagSlope: lagFloorSlope, p99Ms: latency?.p99Ms ?? null, invalidReason: generator.fellBehind ? 'generator fell behind' : undefined };
          return { ...s, verdict: judgeStep(s, options.searchRate ?? { p99BoundMs: Infinity, maxLagSlopeFraction: 0.01 }) };
        })()
      : undefined;

  const invalidReasons = streamingInvalidReasons({ generator, latency, malformedRows: output.malformed, firstMalformed: output.firstMalformed, comparison: check.comparison, drained });

  const repetition = { index: 0, startedAt: new Date(windowFrom).toISOString(), wallMs, engineMs: null, engineMsMissingReason: 'a streaming job has no engine-reported run time; wallMs is the measurement window' };
  const answer = { checksum: check.checksum, rows: check.rows };
  if (invalidReasons.length > 0) {
    const diff = check.comparison.equal
      ? undefined
      : { summary: check.comparison.summary, expectedRows: expected.rows.length, actualRows: check.rows, missing: check.comparison.missing, extra: check.comparison.extra, different: check.comparison.different };
    return {
      measurement: { ...base, status: 'invalid', reason: invalidReasons.join('; '), repetitions: [repetition], answer: { ...answer, verified: false }, ...(diff ? { diff } : {}), streaming, ...metrics, finishedAt },
      step,
    };
  }
  return {
    measurement: {
      ...base,
      status: 'completed',
      statistics: { wallMs: summarize([wallMs]), engineMs: missing('a streaming job has no engine-reported run time') },
      repetitions: [repetition],
      warmups: 0,
      answer: { ...answer, verified: true },
      streaming,
      ...metrics,
      finishedAt,
    },
    step,
  };
}

/**
 * Whether the engine has drained after the input stopped. `lag`: records of the input the
 * engine has not consumed by its own account, null while it has reported no offsets at all (an
 * engine still planning its first batch) — never drained then, however quiet the output.
 * Caught up (lag 0): drained once nothing moved for `quietMs`. Not caught up: drained only when
 * nothing (output, lag) moved for 5 × quietMs — Flink's committed offsets can stay a little
 * behind the log end after the input stops, so lag 0 may never come.
 */
export function isDrained(state: { nowMs: number; lag: number | null; lastProgressAtMs: number; quietMs: number }): boolean {
  if (state.lag === null) return false;
  return state.nowMs - state.lastProgressAtMs >= (state.lag === 0 ? state.quietMs : state.quietMs * 5);
}

/** Why a finished streaming run cannot be trusted (METHOD rules 1, 2, 7); empty when it can. */
export function streamingInvalidReasons(run: {
  generator: Pick<GeneratorReport, 'fellBehind' | 'maxBehindMs' | 'behindBoundMs'>;
  latency: LatencySummary | null;
  malformedRows: number;
  firstMalformed?: string;
  comparison: AnswerComparison;
  drained: boolean;
}): string[] {
  const reasons: string[] = [];
  const { generator, latency, comparison } = run;
  if (generator.fellBehind) reasons.push(`generator fell behind: ${Math.round(generator.maxBehindMs)} ms behind its schedule (bound ${generator.behindBoundMs} ms)`);
  if (latency && latency.negative.count > 0) reasons.push(`${latency.negative.count} negative latencies (down to ${latency.negative.minMs} ms): output appended before its input was generated`);
  if (!latency) reasons.push('no output row after the warm-up: no latency measured');
  if (run.malformedRows > 0) reasons.push(`${run.malformedRows} output rows unreadable (first: ${run.firstMalformed})`);
  if (!comparison.equal) reasons.push(`final state wrong${run.drained ? '' : ' (the output had not drained)'}: ${comparison.summary}`);
  return reasons;
}

function failed(variant: StreamingVariant, workload: Workload, params: VariantParameters, options: StreamingRunOptions, reason: string): Measurement {
  return { workload: workload.id, engine: variant, mode: 'streaming', scale: options.scale ?? 'tiny', params: variantParams(variant, params), status: 'failed', reason };
}
