// The `fault` part of a streaming measurement (pure): what was injected, when the engine
// noticed, how long it took to recover, and what the output lost or repeated against the
// promise of the variant's guarantee.
import type { AnswerComparison } from '../answer/answer.ts';
import type { FaultSection } from '../results/streaming-section.ts';
import type { LagSample } from '../stats/lag.ts';
import type { InjectedFault } from './inject.ts';
import { deliveryCounts, guaranteeVerdict, promiseOf, recoveryFigures } from './recovery.ts';

export interface FaultObservation {
  readonly injected: readonly InjectedFault[];
  /** Every poll at which the engine reported trouble (epoch ms). */
  readonly troubles: readonly { readonly tMs: number; readonly what: string }[];
  readonly generator: { readonly startedAtMs: number };
  readonly output: { readonly perSecond: ReadonlyMap<number, number>; readonly finalState: { readonly duplicates: number } };
  readonly lagSamples: readonly LagSample[];
  readonly durationMs: number;
  readonly warmupMs: number;
  /** Where the step's steady state began (epoch ms), if it did: the pre-fault normal is taken after the start-up catch-up. */
  readonly steadyFromMs?: number | null;
  /** The engine commits (offsets, transactions) this often: output and lag move in steps of it. */
  readonly commitIntervalMs: number;
  /** How far the lag's floor may stray and still count as steady (the step's steady-state tolerance). */
  readonly lagToleranceRecords: number;
  readonly guarantee: string;
  readonly outputKind: 'append' | 'upsert';
  readonly check: AnswerComparison;
}

/** The output consumer reads with isolation.level read_committed (OutputConsumer). */
export const OUTPUT_ISOLATION = 'read_committed: output of a transactional sink counts once its transaction committed';

export function faultSection(observed: FaultObservation): FaultSection {
  const first = observed.injected.find((f) => f.injectedAtMs !== undefined);
  const faultAtMs = first?.injectedAtMs;
  const noticed = faultAtMs === undefined ? undefined : observed.troubles.find((t) => t.tMs >= faultAtMs);
  const outputPerSecond = [...observed.output.perSecond.entries()].sort((a, b) => a[0] - b[0]).map(([tMs, rows]) => ({ tMs, rows }));
  const notInjected = { missing: true as const, reason: `no fault was injected (${observed.injected.map((f) => `${f.text}: ${f.error ?? 'unknown'}`).join('; ')})` };
  const recovery =
    faultAtMs === undefined
      ? { detectMs: notInjected, firstOutputAfterMs: notInjected, recoveryMs: notInjected, peakLag: notInjected, baseline: { outputRowsPerSecond: notInjected, lagFloor: notInjected }, rule: 'no fault was injected' }
      : recoveryFigures({
          faultAtMs,
          ...(noticed ? { engineNoticedAtMs: noticed.tMs } : {}),
          outputPerSecond,
          lag: observed.lagSamples,
          inputEndMs: observed.generator.startedAtMs + observed.durationMs,
          baselineFromMs: Math.max(observed.generator.startedAtMs + observed.warmupMs, observed.steadyFromMs != null && observed.steadyFromMs < faultAtMs ? observed.steadyFromMs : -Infinity),
          rateWindowMs: Math.max(1000, 2 * observed.commitIntervalMs),
          lagToleranceRecords: observed.lagToleranceRecords,
        });
  const check = observed.check.equal ? { missing: 0, extra: 0, different: 0 } : observed.check;
  const delivery = deliveryCounts(observed.outputKind, check, observed.output.finalState.duplicates);
  return {
    injected: observed.injected.map((f) => ({ ...f })),
    ...(noticed ? { engineNoticed: { atMs: noticed.tMs, what: noticed.what } } : {}),
    recovery,
    delivery: { ...delivery, isolation: OUTPUT_ISOLATION },
    guarantee: guaranteeVerdict(promiseOf(observed.guarantee), delivery),
  };
}
