// What a fault did to a streaming job, from what the harness observed (pure): when the engine
// noticed, when output came again, when it had recovered, how far behind it fell; and what the
// output lost or repeated, per record against the oracle. The anchors are van Dongen & Van den
// Poel (IEEE Access 2021: outage, recovery time, data loss, duplicates per delivery guarantee).
import { missing, type Figure } from '../results/missing.ts';

export interface RecoveryInputs {
  /** Epoch ms the fault was injected. */
  readonly faultAtMs: number;
  /** Epoch ms the engine itself reported trouble (Flink job not RUNNING, Spark executor lost), if seen. */
  readonly engineNoticedAtMs?: number;
  /** Output rows per second (epoch ms of the second → rows). */
  readonly outputPerSecond: readonly { readonly tMs: number; readonly rows: number }[];
  /** The engine's lag on its sources over time. */
  readonly lag: readonly { readonly tMs: number; readonly lag: number }[];
  /** Epoch ms the input stopped (recovery after it cannot be judged on output rate). */
  readonly inputEndMs: number;
  /** How much pre-fault time defines "normal" (default 10 s). */
  readonly baselineMs?: number;
  /** Recovered = back to normal for this long (default 3 s). */
  readonly holdMs?: number;
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
 * Recovered at the first second from which, for `holdMs`, the output rate is within 10 % of its
 * pre-fault median and the lag is back under its pre-fault floor plus 10 % of the pre-fault
 * output per second (the lag moves in commit-sized steps). The output is compared with its own
 * pre-fault level rather than with the input rate: a filter or an aggregation writes fewer rows
 * than it reads.
 */
export function recoveryFigures(inputs: RecoveryInputs): RecoveryFigures {
  const baselineMs = inputs.baselineMs ?? 10_000;
  const holdMs = inputs.holdMs ?? 3000;
  const { faultAtMs } = inputs;
  const rule = `recovered: output rows/s within 10 % of the ${baselineMs / 1000} s before the fault and lag back under its pre-fault floor (+10 % of a second's output), held for ${holdMs / 1000} s`;
  const before = inputs.outputPerSecond.filter((p) => p.tMs >= faultAtMs - baselineMs && p.tMs + 1000 <= faultAtMs);
  const lagBefore = inputs.lag.filter((p) => p.tMs >= faultAtMs - baselineMs && p.tMs <= faultAtMs);
  const normalRate = before.length ? median(before.map((p) => p.rows)) : undefined;
  const lagFloor = lagBefore.length ? Math.min(...lagBefore.map((p) => p.lag)) : undefined;
  const after = inputs.outputPerSecond.filter((p) => p.tMs >= faultAtMs).sort((a, b) => a.tMs - b.tMs);
  const firstOutput = after.find((p) => p.rows > 0);
  const lagAfter = inputs.lag.filter((p) => p.tMs >= faultAtMs);

  let recoveryMs: Figure;
  if (normalRate === undefined || normalRate <= 0) recoveryMs = missing(`no output in the ${baselineMs / 1000} s before the fault: nothing to recover to`);
  else if (lagFloor === undefined) recoveryMs = missing('no lag sample before the fault');
  else {
    const lagOk = (tMs: number) => {
      const samples = lagAfter.filter((p) => p.tMs >= tMs && p.tMs < tMs + 1000);
      return samples.length > 0 && samples.every((p) => p.lag <= lagFloor + 0.1 * normalRate);
    };
    const rateOk = (p: { rows: number }) => Math.abs(p.rows - normalRate) <= 0.1 * normalRate;
    const bySecond = new Map(after.map((p) => [p.tMs, p.rows]));
    const lastJudgeable = inputs.inputEndMs - holdMs;
    let found: number | undefined;
    for (const p of after) {
      if (p.tMs > lastJudgeable) break;
      let held = true;
      for (let t = p.tMs; t < p.tMs + holdMs; t += 1000) {
        const rows = bySecond.get(t) ?? 0;
        if (!rateOk({ rows }) || !lagOk(t)) {
          held = false;
          break;
        }
      }
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
  /** Appends beyond the first per record id (append outputs); not visible in an upsert output. */
  readonly duplicated: Figure;
  /** Output records/keys the oracle does not know. */
  readonly unexpected: number;
  readonly unit: 'records' | 'keys';
}

/**
 * Lost and duplicated output against the oracle. `appends`: how many times each output key was
 * appended (read committed where the sink is transactional); `expected`: the oracle's keys;
 * `wrongFinal`: upsert keys present with a final value the oracle disagrees with (counted lost).
 */
export function deliveryCounts(kind: 'append' | 'upsert', expected: ReadonlySet<string>, appends: ReadonlyMap<string, number>, wrongFinal = 0): DeliveryCounts {
  let lost = 0;
  for (const key of expected) if (!appends.has(key)) lost++;
  let unexpected = 0;
  let extraAppends = 0;
  for (const [key, n] of appends) {
    if (!expected.has(key)) unexpected++;
    else extraAppends += n - 1;
  }
  return kind === 'append'
    ? { lost, duplicated: extraAppends, unexpected, unit: 'records' }
    : { lost: lost + wrongFinal, duplicated: missing('an upsert output keeps the last value per key: a repeated update is not visible, the final state decides'), unexpected, unit: 'keys' };
}
