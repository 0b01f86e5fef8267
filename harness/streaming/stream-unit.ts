// Streaming units for the plan runner: one workload on one variant, either one step at a fixed
// rate (or profile) or a sustainable-rate search of steps; and the groups of a streaming plan
// (one started engine per variant, Kafka shared by all and started once).
import type { StartedStreamEngine, EngineStartContext } from '../engines/engine.ts';
import type { VariantOf } from '../engines/index.ts';
import type { StartedKafka } from '../engines/kafka/cluster.ts';
import type { RateProfile } from '../generators/stream/schedule.ts';
import { missing, type Measurement } from '../results/schema.ts';
import type { StreamingSection } from '../results/streaming-section.ts';
import { nextSearchDecision, type JudgedStep, type SearchSettings, type SustainabilityCriteria } from '../stats/rate-search.ts';
import type { Workload } from '../workloads/load.ts';
import { unitGroup, type AnyUnitGroup, type RunUnit, type StartedGroup, type UnitContext } from '../run/runner.ts';
import { runStreamStep, streamIdentity, type StepResult, type StepSettings, type StepTarget } from './stream-step.ts';
import { streamingSpecOf, type StreamingSpec } from './streaming-spec.ts';
import { faultsForEngine } from '../faults/inject.ts';

export interface RateSearchOptions extends SearchSettings, SustainabilityCriteria {}

/** What a streaming group's units run on: the variant's started engine and the run's Kafka. */
export interface StartedStreamTarget extends StartedGroup {
  readonly engine: StartedStreamEngine;
  readonly kafka: StartedKafka;
}

export const profileOf = (rate: number | RateProfile): RateProfile => (typeof rate === 'number' ? { kind: 'constant', rate } : rate);

/** Steps up, then bisects, for the highest sustainable rate; the measurement of the best step carries every step. */
export async function searchRate(target: StepTarget, settings: StepSettings, search: RateSearchOptions, context: Pick<UnitContext, 'progress' | 'signal'>): Promise<Measurement> {
  const steps: JudgedStep[] = [];
  const results: StepResult[] = [];
  const stepSettings = { ...settings, criteria: { p99BoundMs: search.p99BoundMs, maxLagSlopeFraction: search.maxLagSlopeFraction } };
  for (;;) {
    const decision = nextSearchDecision(steps, search);
    if (decision.done || context.signal.aborted) {
      const why = decision.done ? decision.why : 'interrupted';
      const sustainableRate = decision.done ? decision.sustainableRate : null;
      const best = sustainableRate === null ? results[0]! : results.find((r) => r.step?.rate === sustainableRate)!;
      const rateSearch: StreamingSection['rateSearch'] = {
        sustainableRate: sustainableRate ?? missing(`no rate was sustainable (${why})`),
        why,
        ...(decision.done && decision.harnessLimitedAt !== undefined ? { harnessLimitedAt: decision.harnessLimitedAt } : {}),
        criteria: { p99BoundMs: search.p99BoundMs, maxLagSlopeFraction: search.maxLagSlopeFraction },
        steps: steps.map((s) => ({
          rate: s.rate,
          achievedRate: s.achievedRate ?? missing('the generator reported no achieved rate'),
          drained: s.drained,
          finalStateEqual: s.finalStateEqual,
          lagSlope: s.lagSlope,
          p99Ms: s.p99Ms,
          sustainable: s.verdict.sustainable,
          decidedBy: s.verdict.decidedBy,
          reason: s.verdict.reason,
        })),
      };
      const measurement = best.measurement;
      return 'streaming' in measurement && measurement.streaming ? { ...measurement, streaming: { ...measurement.streaming, rateSearch } } : measurement;
    }
    context.progress.phase(`rate step ${steps.length + 1}`, `${decision.nextRate.toLocaleString('en')} rec/s`);
    const result = await runStreamStep(target, { kind: 'constant', rate: decision.nextRate }, stepSettings);
    results.push(result);
    if (!result.step) return result.measurement; // unsupported or failed: no point searching
    steps.push(result.step);
    context.progress.phase(`rate step ${steps.length}`, `${decision.nextRate.toLocaleString('en')} rec/s: ${result.step.verdict.sustainable ? 'sustainable' : 'not sustainable'} (${result.step.verdict.reason})`);
  }
}

export interface StreamingUnitOptions {
  /** Records per second (constant), or a profile. With a search, the initial rate. */
  readonly rate: number | RateProfile;
  readonly search?: RateSearchOptions;
}

export function streamingUnit({ variant }: VariantOf, workload: Workload, spec: StreamingSpec, settings: StepSettings, options: StreamingUnitOptions): RunUnit<StartedStreamTarget> {
  const profile = profileOf(options.rate);
  return {
    label: `${workload.id} on ${variant.id}${options.search ? ` (rate search from ${options.search.initialRate} rec/s)` : ` at ${profile.kind === 'constant' ? `${profile.rate} rec/s` : 'a rate profile'}`}`,
    identity: streamIdentity(variant, workload, profile, settings),
    async execute(started, context) {
      const target: StepTarget = { variant, engine: started.engine, kafka: started.kafka, workload, spec };
      if (options.search) return searchRate(target, settings, options.search, context);
      context.progress.phase('running', `${settings.durationMs / 1000} s of input, then draining`);
      return (await runStreamStep(target, profile, settings)).measurement;
    },
  };
}

/** Kafka for every streaming group of a run: started on first need, stopped by close(). */
export class SharedKafka {
  private started: Promise<StartedKafka> | undefined;

  constructor(private readonly start: () => Promise<StartedKafka>) {}

  get(): Promise<StartedKafka> {
    this.started ??= this.start();
    return this.started;
  }

  async close(): Promise<void> {
    if (!this.started) return;
    const kafka = await this.started.catch(() => undefined);
    await kafka?.stop();
  }
}

/** One group per variant: a fresh engine cluster each (METHOD rule 9), every workload on it. */
export function streamingGroups(
  variants: readonly VariantOf[],
  workloads: readonly Workload[],
  settings: StepSettings,
  options: StreamingUnitOptions,
  startContext: (engine: VariantOf['engine']) => EngineStartContext,
  kafka: SharedKafka,
): AnyUnitGroup[] {
  const specs = workloads.map((workload) => ({ workload, spec: streamingSpecOf(workload) }));
  return variants.map((v) => {
    const ownFaults = faultsForEngine(settings.faults, v.engine.id);
    const groupSettings: StepSettings = { ...settings, ...(ownFaults ? { faults: ownFaults } : { faults: undefined }) };
    return unitGroup<StartedStreamTarget>({
      label: `${v.variant.id} (streaming)`,
      settingsKey: v.variant.id,
      async start() {
        const sharedKafka = await kafka.get();
        const engine = await v.engine.streaming!.start(startContext(v.engine));
        return { engine, kafka: sharedKafka, settings: engine.settings, stop: () => engine.stop() };
      },
      units: specs.map(({ workload, spec }) => streamingUnit(v, workload, spec, groupSettings, options)),
    });
  });
}
