// One streaming step: fresh topics, the job submitted through the variant's own path, the
// generator on its fixed schedule, the output read back for latency and final state, the lag
// sampled, the drain; then the figures and the measurement. The pieces are separate so each
// can be read (and tested) on its own: the job's description, the observation of a running
// job (I/O), and the figures and verdict (pure).
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AnswerComparison } from '../answer/answer.ts';
import type { LiveJob, StartedStreamEngine, StreamingParameters, StreamingVariant } from '../engines/engine.ts';
import { ORACLE } from '../engines/index.ts';
import type { StartedKafka } from '../engines/kafka/cluster.ts';
import { createTopics } from '../engines/kafka/client.ts';
import { EventFactory } from '../generators/stream/events.ts';
import { defaultBehindBoundMs, HandOverLog, intendedSendMs, type GeneratorReport } from '../generators/stream/generator.ts';
import { processLoadStart, runGeneratorProcess, type ProcessLoad } from '../generators/stream/generator-process.ts';
import { HARNESS_BUSY_BOUND, harnessLimitOf, type HarnessLoad } from './harness-load.ts';
import { SendSchedule, type RateProfile } from '../generators/stream/schedule.ts';
import { createLogger } from '../log.ts';
import { startSampler, type Scraper } from '../metrics/sampler.ts';
import type { MetricsSection } from '../results/metrics-section.ts';
import { missing, type Measurement, type MeasurementIdentity } from '../results/schema.ts';
import type { StreamingSection } from '../results/streaming-section.ts';
import { lagFloorSlopePerSecond, lagOverTopics, lagSlopePerSecond, steadyStateStart, type LagSample } from '../stats/lag.ts';
import type { LatencySummary } from '../stats/latency.ts';
import { judgeStep, type JudgedStep, type SustainabilityCriteria } from '../stats/rate-search.ts';
import { summarize } from '../stats/summary.ts';
import { querySqlFor, type Workload } from '../workloads/load.ts';
import { checkFinalState, expectedFinalState } from './final-state.ts';
import { OffsetReader } from './kafka-offsets.ts';
import { OutputConsumer } from './output-consumer.ts';
import { UnsupportedByEngine, type RunningStream, type StreamJob } from './stream-job.ts';
import { inputColumns, streamInputs, type StreamingSpec } from './streaming-spec.ts';
import { windowResources } from './window-resources.ts';
import { startFaults, type FaultPlan, type InjectedFault } from '../faults/inject.ts';
import { faultSection } from '../faults/fault-section.ts';

const log = createLogger('bench:streaming');

/** What a streaming step needs beside the engine and Kafka (the same for every step of a run). */
export interface StepSettings {
  readonly durationMs: number;
  /** The first ms of each step are not measured (latency, rates, lag slope). */
  readonly warmupMs: number;
  readonly seed: number;
  readonly scale: string;
  readonly parameters: StreamingParameters;
  readonly parallelism: number;
  readonly startTimeoutMs: number;
  /** results/<run-id>/: the jobs' state dirs go under it (visible to the engines). */
  readonly runDir: string;
  /** Generator may fall this far behind its schedule (default max(1 s, 1 % of the run)). */
  readonly behindBoundMs?: number;
  /** After input stops: how long the engine may take to drain (default 120 s). */
  readonly drainTimeoutMs?: number;
  /** Output quiet this long (with the engine's lag at 0 when known) = drained (default 3 s). */
  readonly quietMs?: number;
  /** Sample metrics beside every step at this interval; undefined = no metrics. */
  readonly metricsIntervalMs?: number;
  /** Judged against these when the step is part of a rate search. */
  readonly criteria?: SustainabilityCriteria;
  /** Faults to inject on the step's axis (t=0 at generation start), `--fault`. */
  readonly faults?: FaultPlan;
}

export interface StepResult {
  readonly measurement: Measurement;
  /** Present for a constant-rate step that ran: what the rate search judges. */
  readonly step?: JudgedStep;
}

export interface StepTarget {
  readonly variant: StreamingVariant;
  readonly engine: StartedStreamEngine;
  readonly kafka: StartedKafka;
  readonly workload: Workload;
  readonly spec: StreamingSpec;
}

export function streamIdentity(variant: StreamingVariant, workload: Workload, profile: RateProfile, settings: Pick<StepSettings, 'parameters' | 'durationMs' | 'warmupMs' | 'seed' | 'parallelism' | 'scale' | 'faults'>): MeasurementIdentity {
  return {
    workload: workload.id,
    engine: variant.id,
    mode: 'streaming',
    scale: settings.scale,
    params: {
      ...variant.params(settings.parameters),
      rateProfile: JSON.parse(JSON.stringify(profile)),
      durationMs: settings.durationMs,
      warmupMs: settings.warmupMs,
      seed: settings.seed,
      partitions: settings.parallelism,
      // A faulted measurement is never paired with an unfaulted one (compare, trends).
      ...(settings.faults ? { faults: settings.faults.faults.map((f) => f.text).join(',') } : {}),
    },
  };
}

let jobCounter = 0;

/** The job of one step: unique topics and state dir, the workload SQL in the engine's dialect. */
export function streamJobFor(target: StepTarget, dialect: string, settings: StepSettings): StreamJob {
  const { workload, spec, variant, kafka } = target;
  const id = `${workload.id}-${variant.id}-${Date.now().toString(36)}-${++jobCounter}`;
  return {
    id,
    sources: streamInputs(spec).map((input) => ({ name: input.name, topic: `${id}-${input.name}`, columns: inputColumns(input) })),
    sinkTopic: `${id}-out`,
    partitions: settings.parallelism,
    engineBootstrap: kafka.internalBootstrap,
    hostBootstrap: kafka.bootstrap,
    ...(spec.eventTime ? { eventTime: spec.eventTime } : {}),
    sql: querySqlFor(workload, dialect, { scale: 'tiny', seed: settings.seed }),
    output: spec.output,
    stateDir: path.join(settings.runDir, 'streaming', id),
    maxRuntimeMs: settings.startTimeoutMs + settings.durationMs + (settings.drainTimeoutMs ?? 120_000) + 300_000,
  };
}

/** Everything observed while a step ran, before any judgement. */
export interface StreamObservation {
  readonly generator: GeneratorReport;
  readonly output: OutputConsumer;
  readonly lagSamples: readonly LagSample[];
  readonly lagUnknownReason: string;
  readonly drained: boolean;
  readonly metrics?: MetricsSection;
  readonly events: EventFactory;
  readonly schedule: SendSchedule;
  /** What the generator process and the run process used while the input ran. */
  readonly harnessLoad?: HarnessLoad;
  /** With --fault: what was injected, and every time the engine reported trouble. */
  readonly faults?: { readonly injected: readonly InjectedFault[]; readonly troubles: readonly { tMs: number; what: string }[] };
}

type Observed = { ok: true; observation: StreamObservation } | { ok: false; failure: string; metrics?: MetricsSection };

/**
 * Runs load through a started job and watches it: the lag every 500 ms, the metrics sampler,
 * the output consumer, the generator on its schedule, then the drain. Always stops the job,
 * the sampler and the readers.
 */
async function observe(job: StreamJob, stream: RunningStream, offsets: OffsetReader, scrapers: Scraper[] | undefined, target: StepTarget, schedule: SendSchedule, settings: StepSettings): Promise<Observed> {
  const { kafka, spec } = target;
  const sourceTopics = job.sources.map((s) => s.topic);
  const metricsSampler = scrapers ? startSampler({ intervalMs: settings.metricsIntervalMs, scrapers }) : undefined;
  const events = new EventFactory(spec, settings.seed);
  const lagSamples: LagSample[] = [];
  let lagUnknownReason = 'the engine reported no consumed offsets during the run';
  let sampling = true;
  const sampleLag = async () => {
    const consumed = await stream.consumedOffsets().catch((e: Error) => ((lagUnknownReason = e.message), null));
    if (!consumed) return;
    const end = await offsets.endOffsets();
    lagSamples.push({ tMs: Date.now(), lag: lagOverTopics(end, consumed) });
  };
  const lagSampler = (async () => {
    while (sampling) {
      await sampleLag().catch(() => undefined);
      await sleep(500);
    }
  })();
  // With faults: the engine's own view, often enough to time its detection to ±250 ms.
  const troubles: { tMs: number; what: string }[] = [];
  const troubleWatcher = (async () => {
    if (!settings.faults || !stream.trouble) return;
    while (sampling) {
      const what = await stream.trouble().catch(() => null);
      if (what) troubles.push({ tMs: Date.now(), what });
      await sleep(250);
    }
  })();
  let faults: ReturnType<typeof startFaults> | undefined;
  let injected: InjectedFault[] | undefined;

  const behindBoundMs = settings.behindBoundMs ?? defaultBehindBoundMs(settings.durationMs);
  let output: OutputConsumer | undefined;
  let generator: GeneratorReport | undefined;
  let harnessLoad: HarnessLoad | undefined;
  let failure: string | null = null;
  let drained = false;
  let metrics: MetricsSection | undefined;
  try {
    // Every row's latency is kept by send second; the window is chosen after the run (streamingFigures).
    const handOvers = new HandOverLog();
    output = await OutputConsumer.start(kafka.bootstrap, job.sinkTopic, spec, { handOvers });
    // Faults and the run process's load window start at the schedule's time zero, as the child sets it.
    let runProcessLoad: (() => ProcessLoad) | undefined;
    const generated = await runGeneratorProcess(
      { bootstrap: kafka.bootstrap, topics: sourceTopics, profile: schedule.profile, durationMs: settings.durationMs, spec, seed: settings.seed, behindBoundMs, handOvers },
      {
        onStarted: (startedAtMs) => {
          runProcessLoad = processLoadStart();
          if (settings.faults) faults = startFaults(settings.faults, startedAtMs);
        },
      },
    );
    generator = generated.report;
    harnessLoad = { generator: generated.load, runProcess: runProcessLoad!() };
    // The oracle's copy of the events learns the generation times the child stamped.
    const startedAtMs = generator.startedAtMs;
    events.stampGenerationTimes(generator.scheduled, (k) => intendedSendMs(startedAtMs, schedule, k));
    ({ drained, failure } = await drain(stream, offsets, output, generator, settings));
  } catch (error) {
    failure = (error as Error).message;
  } finally {
    // A restart still under way finishes before the job is stopped; the watch is released.
    injected = await faults?.finish();
    sampling = false;
    await lagSampler;
    await troubleWatcher;
    await stream.stop().catch((e: Error) => log.warn(`stopping ${job.id}: ${e.message}`));
    // Stopped after the job: Spark's event log is complete and Flink's job is final by now.
    metrics = await metricsSampler?.stop().catch((e: Error) => {
      log.warn(`metrics of ${job.id}: ${e.message}`);
      return undefined;
    });
    await output?.stop();
    await offsets.close();
  }
  if (failure || !generator || !output) return { ok: false, failure: failure ?? 'the run did not complete', ...(metrics ? { metrics } : {}) };
  return { ok: true, observation: { generator, output, lagSamples, lagUnknownReason, drained, events, schedule, ...(harnessLoad ? { harnessLoad } : {}), ...(metrics ? { metrics } : {}), ...(injected ? { faults: { injected, troubles } } : {}) } };
}

/** After the input stopped: wait until the engine has consumed everything (when it tells) and the output went quiet. */
async function drain(stream: RunningStream, offsets: OffsetReader, output: OutputConsumer, generator: GeneratorReport, settings: StepSettings): Promise<{ drained: boolean; failure: string | null }> {
  const drainDeadline = Date.now() + (settings.drainTimeoutMs ?? 120_000);
  const quietMs = settings.quietMs ?? 3000;
  const end = await offsets.endOffsets();
  let lastLag: number | null = null;
  let lagMovedAtMs = 0;
  for (;;) {
    const failure = await stream.failure();
    if (failure) return { drained: false, failure };
    const consumed = await stream.consumedOffsets();
    const lag = consumed === null ? null : lagOverTopics(end, consumed);
    if (lag !== lastLag) lagMovedAtMs = Date.now();
    lastLag = lag;
    const lastProgressAtMs = Math.max(output.lastReceivedAtMs, generator.lastAcknowledgedAtMs, lagMovedAtMs);
    if (isDrained({ nowMs: Date.now(), lag, lastProgressAtMs, quietMs })) return { drained: true, failure: null };
    if (Date.now() > drainDeadline) return { drained: false, failure: null };
    await sleep(250);
  }
}

/** Runs one step at `profile` on a started engine and builds its measurement. */
export async function runStreamStep(target: StepTarget, profile: RateProfile, settings: StepSettings): Promise<StepResult> {
  const { variant, engine, kafka, workload, spec } = target;
  const identity = streamIdentity(variant, workload, profile, settings);
  const startedAt = new Date().toISOString();
  const base = { ...identity, startedAt };
  const job = streamJobFor(target, engine.dialect, settings);
  const sourceTopics = job.sources.map((s) => s.topic);
  await createTopics(kafka.bootstrap, [
    ...sourceTopics.map((name) => ({ name, partitions: settings.parallelism })),
    { name: job.sinkTopic, partitions: settings.parallelism, config: { 'message.timestamp.type': 'LogAppendTime' } },
  ]);

  // Scrapers exist before the submission (they count only jobs/logs that appear after them);
  // the sampler starts once the job runs.
  const live: { stream?: RunningStream; offsets?: OffsetReader } = {};
  const liveJob: LiveJob = {
    running: () => live.stream,
    endOffsets: () => (live.offsets ? live.offsets.endOffsets() : Promise.reject(new Error('the source topic offsets reader is not open'))),
  };
  const scrapers = settings.metricsIntervalMs !== undefined ? engine.streamScrapers(job, kafka, liveJob) : undefined;
  const closeScrapers = async () => {
    await Promise.allSettled((scrapers ?? []).map(async (s) => s.close?.()));
  };
  let stream: RunningStream;
  try {
    stream = await variant.startJob(engine, job, settings.parameters, { parallelism: settings.parallelism, startTimeoutMs: settings.startTimeoutMs });
  } catch (error) {
    await closeScrapers();
    if (error instanceof UnsupportedByEngine) return { measurement: { ...base, status: 'unsupported', reason: error.reason, finishedAt: new Date().toISOString() } };
    return { measurement: { ...base, status: 'failed', reason: (error as Error).message.split('\n')[0]!, logExcerpt: (error as Error).message, finishedAt: new Date().toISOString() } };
  }
  live.stream = stream;
  let offsets: OffsetReader;
  try {
    offsets = await OffsetReader.open(kafka.bootstrap, sourceTopics, settings.parallelism);
  } catch (error) {
    await stream.stop().catch((e: Error) => log.warn(`stopping ${job.id}: ${e.message}`));
    await closeScrapers();
    return { measurement: { ...base, status: 'failed', reason: `reading offsets of ${sourceTopics.join(', ')}: ${(error as Error).message}`, finishedAt: new Date().toISOString() } };
  }
  live.offsets = offsets;

  const schedule = new SendSchedule(profile);
  const observed = await observe(job, stream, offsets, scrapers, target, schedule, settings);
  const finishedAt = new Date().toISOString();
  if (!observed.ok) {
    const refused = stream.refusal?.(observed.failure);
    if (refused) return { measurement: { ...base, status: 'unsupported', reason: refused, finishedAt, ...(observed.metrics ? { metrics: observed.metrics } : {}) } };
    return { measurement: { ...base, status: 'failed', reason: observed.failure.split('\n')[0]!, logExcerpt: observed.failure, finishedAt, ...(observed.metrics ? { metrics: observed.metrics } : {}) } };
  }
  const { observation } = observed;
  const metrics = observation.metrics ? { metrics: observation.metrics } : {};
  if (observation.generator.deliveryErrors > 0) {
    return { measurement: { ...base, status: 'failed', reason: `Kafka refused ${observation.generator.deliveryErrors} input records (first: ${observation.generator.firstDeliveryError})`, finishedAt, ...metrics } };
  }
  const expected = await expectedFinalState(spec, observation.events, observation.generator.acknowledged, querySqlFor(workload, ORACLE.dialect, { scale: 'tiny', seed: settings.seed }));
  const check = checkFinalState(expected, observation.output.finalState.toAnswer(), spec);
  const figures = streamingFigures(observation, {
    guarantee: stream.guarantee,
    engineSettings: { ...stream.settings, ...engine.settings },
    commitIntervalMs: variant.commitIntervalMs(settings.parameters),
    durationMs: settings.durationMs,
    warmupMs: settings.warmupMs,
    expectedRows: expected.rows.length,
    finalStateRows: check.rows,
  });
  const step: JudgedStep | undefined =
    profile.kind === 'constant'
      ? (() => {
          const s = {
            rate: profile.rate,
            lagSlope: figures.lagFloorSlope,
            p99Ms: figures.latency?.p99Ms ?? null,
            achievedRate: observation.generator.achievedRate,
            drained: observation.drained,
            finalStateEqual: check.comparison.equal,
            ...(figures.notSteady ? { notSteady: figures.notSteady } : {}),
            harnessLimit: harnessLimitOf(observation.generator, observation.harnessLoad),
          };
          return { ...s, verdict: judgeStep(s, settings.criteria ?? { p99BoundMs: Infinity, maxLagSlopeFraction: 0.01 }) };
        })()
      : undefined;
  const invalidReasons = streamingInvalidReasons({
    generator: observation.generator,
    // Negative latencies are errors wherever they occur, start-up included.
    latency: observation.output.latency.between(0).summary(),
    malformedRows: observation.output.malformed,
    firstMalformed: observation.output.firstMalformed,
    comparison: check.comparison,
    drained: observation.drained,
    faulted: observation.faults !== undefined,
  });
  const fault = observation.faults
    ? faultSection({
        ...observation.faults,
        generator: observation.generator,
        output: observation.output,
        lagSamples: observation.lagSamples,
        durationMs: settings.durationMs,
        warmupMs: settings.warmupMs,
        steadyFromMs: figures.section.steadyState?.fromMs ?? null,
        commitIntervalMs: variant.commitIntervalMs(settings.parameters),
        lagToleranceRecords: figures.section.steadyState?.toleranceRecords ?? 10,
        guarantee: stream.guarantee,
        outputKind: spec.output.kind,
        check: check.comparison,
      })
    : undefined;
  if (fault) figures.section = { ...figures.section, fault };
  const wallMs = figures.section.window.toMs - figures.section.window.fromMs;
  const repetition = { index: 0, startedAt: new Date(figures.section.window.fromMs).toISOString(), wallMs, engineMs: null, engineMsMissingReason: 'a streaming job has no engine-reported run time; wallMs is the measurement window' };
  const answer = { checksum: check.checksum, rows: check.rows };
  if (invalidReasons.length > 0) {
    const diff = check.comparison.equal
      ? undefined
      : { summary: check.comparison.summary, expectedRows: expected.rows.length, actualRows: check.rows, missing: check.comparison.missing, extra: check.comparison.extra, different: check.comparison.different };
    return {
      measurement: { ...base, status: 'invalid', reason: invalidReasons.join('; '), repetitions: [repetition], answer: { ...answer, verified: false }, ...(diff ? { diff } : {}), streaming: figures.section, ...metrics, finishedAt },
      ...(step ? { step } : {}),
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
      streaming: figures.section,
      ...metrics,
      finishedAt,
    },
    ...(step ? { step } : {}),
  };
}

export interface FigureInputs {
  readonly guarantee: string;
  readonly engineSettings: Readonly<Record<string, string>>;
  readonly commitIntervalMs: number;
  readonly durationMs: number;
  readonly warmupMs: number;
  readonly expectedRows: number;
  readonly finalStateRows: number;
}

const wholeSecondAtOrAfter = (ms: number) => Math.ceil(ms / 1000) * 1000;

/**
 * The streaming section from an observation (pure): figures over the measurement window — from
 * steady state (the first whole second after the warm-up once the start-up backlog has drained,
 * METHOD rule 16) to the end of generation — start-up as its own figures, plus the whole series
 * for the charts. A run whose backlog never drained has no steady window: its latency is
 * missing with the reason and what was measured is under `startup`.
 */
export function streamingFigures(observation: StreamObservation, inputs: FigureInputs): { section: StreamingSection; latency: LatencySummary | null; lagFloorSlope: number | null; notSteady?: string } {
  const { generator, output, lagSamples, schedule } = observation;
  const generationStart = generator.startedAtMs;
  const warmupEnd = generationStart + inputs.warmupMs;
  const windowTo = generationStart + inputs.durationMs;
  // The sustainability test uses the slope of the lag's floor (see lagFloorSlopePerSecond):
  // blocks long enough to hold a commit (Flink checkpoint / Spark epoch) and ≥ 5 of them per window.
  const floorBlockMs = Math.max(2000, 2 * inputs.commitIntervalMs, (inputs.durationMs - inputs.warmupMs) / 5);
  // "Near the floor": within one second's input, or two commit intervals' if longer (at least 10
  // records) — committed offsets move in commit-sized steps (a Flink checkpoint, a Spark batch),
  // so the floor shifts by that much between blocks; a start-up backlog is many seconds' worth.
  const nominalRate = schedule.recordsDueBy(inputs.durationMs) / (inputs.durationMs / 1000);
  const toleranceRecords = Math.max(10, Math.round((nominalRate * Math.max(1000, 2 * inputs.commitIntervalMs)) / 1000));
  const steady = steadyStateStart(lagSamples, { earliestMs: warmupEnd, endMs: windowTo, blockMs: floorBlockMs, toleranceRecords });
  const windowFrom = wholeSecondAtOrAfter(steady.reached && steady.fromMs !== null ? Math.max(warmupEnd, steady.fromMs) : warmupEnd);
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const notSteady = steady.reached
    ? undefined
    : steady.fromMs === null
      ? 'no lag samples after the warm-up: whether the start-up backlog drained cannot be told'
      : `the start-up backlog drained only at t=${seconds(steady.fromMs - generationStart)} of ${seconds(inputs.durationMs)} (lag floor ${Math.round(steady.floorLag ?? 0)} records): less than half of the window would be steady`;
  const steadyLatency = notSteady ? null : output.latency.between(windowFrom).summary();
  const handOverLatency = notSteady ? null : output.handOverLatency.between(windowFrom).summary();
  const startupLatency = output.latency.between(0, notSteady ? Infinity : windowFrom).summary();
  const copy = (l: LatencySummary) => ({ ...l, distribution: [...l.distribution], negative: { ...l.negative, examples: [...l.negative.examples] } });
  const noLatency = notSteady ? `not steady: ${notSteady}; see startup` : 'no output row was sent in the steady window';
  const windowLag = lagSamples.filter((s) => s.tMs >= windowFrom && s.tMs <= windowTo);
  const lagSlope = lagSlopePerSecond(windowLag);
  const lagFloorSlope = windowLag.length ? lagFloorSlopePerSecond(windowLag, floorBlockMs) : null;
  const windowSeconds = Math.max(0.001, (windowTo - windowFrom) / 1000);
  const inputRate = generator.acknowledged > 0 ? (schedule.recordsDueBy(windowTo - generationStart) - schedule.recordsDueBy(windowFrom - generationStart)) / windowSeconds : 0;
  const section: StreamingSection = {
    guarantee: inputs.guarantee,
    engineSettings: { ...inputs.engineSettings },
    latencyMs: steadyLatency ? copy(steadyLatency) : missing(noLatency),
    latencyFrom: 'intended',
    handOverLatencyMs: handOverLatency ? copy(handOverLatency) : missing(noLatency),
    throughput: {
      inputRecordsPerSecond: inputRate,
      outputRecordsPerSecond: output.rateBetween(windowFrom, windowTo),
      outputRowsTotal: output.total,
      inputRecordsTotal: generator.acknowledged,
      outputSeries: [...output.perSecond.entries()].sort((a, b) => a[0] - b[0]).map(([tMs, rows]) => ({ tMs, rows })),
    },
    lag: {
      slopeRecordsPerSecond: lagSlope ?? missing(lagSamples.length ? 'fewer than two lag samples in the measurement window' : observation.lagUnknownReason),
      floorSlopeRecordsPerSecond: lagFloorSlope ?? missing(lagSamples.length ? `fewer than two ${floorBlockMs} ms blocks with lag samples in the measurement window` : observation.lagUnknownReason),
      floorBlockMs,
      series: [...lagSamples],
    },
    generator: {
      scheduled: generator.scheduled,
      acknowledged: generator.acknowledged,
      maxBehindMs: generator.maxBehindMs,
      behindBoundMs: generator.behindBoundMs,
      behindSeries: [...generator.behindSeries],
      achievedRate: generator.achievedRate,
      startedAtMs: generator.startedAtMs,
      latenessMs: generator.lateness ? copy(generator.lateness) : missing('the generator handed over no record'),
    },
    ...(observation.harnessLoad ? { harnessLoad: { ...observation.harnessLoad, busyBound: HARNESS_BUSY_BOUND } } : {}),
    drain: { drained: observation.drained, finalStateRows: inputs.finalStateRows, expectedRows: inputs.expectedRows, duplicateAppends: output.finalState.duplicates },
    window: { fromMs: windowFrom, toMs: windowTo },
    steadyState: { ...steady },
    startup: {
      firstOutputAfterMs: output.firstAppendMs > 0 ? output.firstAppendMs - generationStart : missing('no output row'),
      catchUpMs: notSteady ? missing(`not steady: ${notSteady}`) : Math.max(0, windowFrom - generationStart),
      latencyMs: startupLatency ? copy(startupLatency) : missing('no output row was sent before the steady window'),
    },
    ...(observation.metrics ? { resources: windowResources(observation.metrics, windowFrom, windowTo, inputRate) } : {}),
  };
  return { section, latency: steadyLatency, lagFloorSlope, ...(notSteady ? { notSteady } : {}) };
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
  /** Faults were injected: a wrong final state is the fault's finding (lost output, a broken guarantee), stated as such. */
  faulted?: boolean;
}): string[] {
  const reasons: string[] = [];
  const { generator, latency, comparison } = run;
  if (generator.fellBehind) reasons.push(`generator fell behind: ${Math.round(generator.maxBehindMs)} ms behind its schedule (bound ${generator.behindBoundMs} ms)`);
  if (latency && latency.negative.count > 0) reasons.push(`${latency.negative.count} negative latencies (down to ${latency.negative.minMs} ms): output appended before its input was generated`);
  if (!latency) reasons.push('no output row: no latency measured');
  if (run.malformedRows > 0) reasons.push(`${run.malformedRows} output rows unreadable (first: ${run.firstMalformed})`);
  if (!comparison.equal) reasons.push(`${run.faulted ? 'after the fault, ' : ''}final state wrong${run.drained ? '' : ' (the output had not drained)'}: ${comparison.summary}`);
  return reasons;
}
