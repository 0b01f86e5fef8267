// What a fault did to a streaming job, from what the harness observed (pure): when the engine
// noticed, when output came again, when it had recovered, how far behind it fell; and what the
// output lost or repeated, per record against the oracle. The anchors are van Dongen & Van den
// Poel (IEEE Access 2021: outage, recovery time, data loss, duplicates per delivery guarantee).
import { missing, type Figure } from '../results/missing.ts';

export interface RecoveryInputs {
  /** Epoch ms the fault was injected. */
  readonly faultAtMs: number;
  /** Epoch ms the engine itself reported trouble (Flink tasks not RUNNING, a Spark worker lost), if seen. */
  readonly engineNoticedAtMs?: number;
  /** Output rows per second (epoch ms of the second → rows). */
  readonly outputPerSecond: readonly { readonly tMs: number; readonly rows: number }[];
  /** The engine's lag on its sources over time. */
  readonly lag: readonly { readonly tMs: number; readonly lag: number }[];
  /** Epoch ms the input stopped (recovery after it cannot be judged on output rate). */
  readonly inputEndMs: number;
  /** The normal is taken from the `baselineMs` before the fault, never before this (the warm-up's end). */
  readonly baselineFromMs?: number;
  /** How much pre-fault time defines "normal" (default 10 s). */
  readonly baselineMs?: number;
  /** Recovered = back to normal for this long (default 3 s). */
  readonly holdMs?: number;
  /**
   * The output rate is judged over windows this long (whole seconds, default 1 s): a sink that
   * commits on checkpoints writes in bursts, so one second may hold two commits and the next none.
   */
  readonly rateWindowMs?: number;
  /** How far above its pre-fault floor the lag's floor may be and count as back (default 10 % of a second's output). */
  readonly lagToleranceRecords?: number;
}

export interface RecoveryFigures {
  readonly detectMs: Figure;
  readonly firstOutputAfterMs: Figure;
  readonly recoveryMs: Figure;
  readonly peakLag: Figure;
  /** The normal the recovery was judged against. */
  readonly baseline: { readonly outputRowsPerSecond: Figure; readonly lagFloor: Figure };
  readonly rule: string;
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/**
 * Recovered at the first second from which, for `holdMs`, the output rate (over `rateWindowMs`
 * windows) is within 10 % of its pre-fault median and the lag's floor (its least value over the
 * hold) is back within `lagToleranceRecords` of the pre-fault floor: committed offsets move in
 * commit-sized steps, so it is the floor, not every sample, that tells a drained backlog. The
 * output is compared with its own pre-fault level rather than with the input rate: a filter or
 * an aggregation writes fewer rows than it reads.
 */
export function recoveryFigures(inputs: RecoveryInputs): RecoveryFigures {
  const holdMs = inputs.holdMs ?? 3000;
  const windowMs = Math.max(1000, Math.round((inputs.rateWindowMs ?? 1000) / 1000) * 1000);
  const { faultAtMs } = inputs;
  const baselineFrom = Math.max(faultAtMs - (inputs.baselineMs ?? 10_000), inputs.baselineFromMs ?? -Infinity);
  const baselineSeconds = Math.round((faultAtMs - baselineFrom) / 1000);
  const bySecond = new Map(inputs.outputPerSecond.map((p) => [p.tMs, p.rows]));
  /** Mean rows per second over [tMs, tMs + windowMs). */
  const rateAt = (tMs: number) => {
    let rows = 0;
    for (let t = tMs; t < tMs + windowMs; t += 1000) rows += bySecond.get(t) ?? 0;
    return rows / (windowMs / 1000);
  };
  const secondsFrom = (fromMs: number, toMs: number) => inputs.outputPerSecond.map((p) => p.tMs).filter((t) => t >= fromMs && t < toMs).sort((a, b) => a - b);
  const before = secondsFrom(baselineFrom, faultAtMs - windowMs + 1);
  const lagBefore = inputs.lag.filter((p) => p.tMs >= baselineFrom && p.tMs <= faultAtMs);
  const normalRate = before.length ? median(before.map(rateAt)) : undefined;
  const lagFloor = lagBefore.length ? Math.min(...lagBefore.map((p) => p.lag)) : undefined;
  const tolerance = inputs.lagToleranceRecords ?? (normalRate ?? 0) * 0.1;
  const rule = `recovered: output rows/s${windowMs > 1000 ? ` (over ${windowMs / 1000} s windows)` : ''} within 10 % of the ${baselineSeconds} s before the fault and the lag's floor back within ${Math.round(tolerance)} records of its pre-fault floor, held for ${holdMs / 1000} s`;
  const after = inputs.outputPerSecond.filter((p) => p.tMs >= faultAtMs).sort((a, b) => a.tMs - b.tMs);
  const firstOutput = after.find((p) => p.rows > 0);
  const lagAfter = inputs.lag.filter((p) => p.tMs >= faultAtMs);

  let recoveryMs: Figure;
  if (normalRate === undefined || normalRate <= 0) recoveryMs = missing(`no output in the ${baselineSeconds} s before the fault: nothing to recover to`);
  else if (lagFloor === undefined) recoveryMs = missing('no lag sample before the fault');
  else {
    const lagBackFrom = (tMs: number) => {
      const samples = lagAfter.filter((p) => p.tMs >= tMs && p.tMs < tMs + holdMs);
      return samples.length > 0 && Math.min(...samples.map((p) => p.lag)) <= lagFloor + tolerance;
    };
    const rateOk = (tMs: number) => Math.abs(rateAt(tMs) - normalRate) <= 0.1 * normalRate;
    const lastJudgeable = inputs.inputEndMs - Math.max(holdMs, windowMs);
    let found: number | undefined;
    for (const p of after) {
      if (p.tMs > lastJudgeable) break;
      let held = lagBackFrom(p.tMs);
      for (let t = p.tMs; held && t + windowMs <= p.tMs + Math.max(holdMs, windowMs); t += 1000) held = rateOk(t);
      if (held) {
        found = p.tMs;
        break;
      }
    }
    recoveryMs = found === undefined ? missing(`not recovered before the input ended (${Math.round((inputs.inputEndMs - faultAtMs) / 1000)} s after the fault)`) : Math.max(0, found - faultAtMs);
  }
  return {
    detectMs: inputs.engineNoticedAtMs === undefined ? missing('the engine reported nothing the harness could see') : inputs.engineNoticedAtMs - faultAtMs,
    firstOutputAfterMs: firstOutput ? Math.max(0, firstOutput.tMs - faultAtMs) : missing('no output after the fault'),
    recoveryMs,
    peakLag: lagAfter.length ? Math.max(...lagAfter.map((p) => p.lag)) : missing('no lag sample after the fault'),
    baseline: { outputRowsPerSecond: normalRate ?? missing('no output before the fault'), lagFloor: lagFloor ?? missing('no lag sample before the fault') },
    rule,
  };
}

export interface DeliveryCounts {
  /** Records (append outputs) or keys (upsert outputs) the oracle expects that the output lacks. */
  readonly lost: number;
  /** Appends beyond the first per record key (append outputs); not visible in an upsert output. */
  readonly duplicated: Figure;
  /** Output records/keys the oracle does not know. */
  readonly unexpected: number;
  readonly unit: 'records' | 'keys';
}

/**
 * Lost and duplicated output from the final-state check against the oracle (rows matched on
 * the output's key columns) and the appends beyond the first per key the output consumer
 * counted. An upsert key whose final value is wrong lost an update: it counts as lost.
 */
export function deliveryCounts(kind: 'append' | 'upsert', check: { missing: number; extra: number; different: number }, repeatedAppends: number): DeliveryCounts {
  return kind === 'append'
    ? { lost: check.missing + check.different, duplicated: repeatedAppends, unexpected: check.extra, unit: 'records' }
    : {
        lost: check.missing + check.different,
        duplicated: missing('an upsert output keeps the last value per key: a repeated update is not visible, the final state decides'),
        unexpected: check.extra,
        unit: 'keys',
      };
}

export type DeliveryPromise = 'exactly-once' | 'at-least-once' | 'at-most-once';

/** The promise a variant's guarantee text starts with ("at-least-once: Kafka sink …"). */
export function promiseOf(guarantee: string): DeliveryPromise {
  const word = guarantee.split(':')[0]!.trim();
  if (word === 'exactly-once' || word === 'at-least-once' || word === 'at-most-once') return word;
  throw new Error(`guarantee '${guarantee}' does not start with exactly-once, at-least-once or at-most-once`);
}

/** Whether what was observed keeps what was promised, and why, in words (a broken promise is a finding, not an error). */
export function guaranteeVerdict(promised: DeliveryPromise, delivery: DeliveryCounts): { promised: DeliveryPromise; kept: boolean; why: string } {
  const { unit } = delivery;
  const duplicated = typeof delivery.duplicated === 'number' ? delivery.duplicated : undefined;
  if (delivery.unexpected > 0) return { promised, kept: false, why: `${delivery.unexpected} output ${unit} the input never produced` };
  if (delivery.lost > 0 && promised !== 'at-most-once') return { promised, kept: false, why: `${delivery.lost} ${unit} lost: ${promised} promises none` };
  if (duplicated !== undefined && duplicated > 0 && promised !== 'at-least-once') return { promised, kept: false, why: `${duplicated} ${unit} written twice: ${promised} promises none` };
  const lostPart = delivery.lost > 0 ? `${delivery.lost} ${unit} lost, as at-most-once allows` : `no ${unit} lost`;
  const duplicatePart = duplicated === undefined ? 'duplicates not visible in an upsert output (the final state per key is right)' : duplicated > 0 ? `${duplicated} written twice, as ${promised} allows` : 'none written twice';
  return { promised, kept: true, why: `${lostPart}; ${duplicatePart}` };
}
