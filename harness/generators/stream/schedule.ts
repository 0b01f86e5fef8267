// The generator's send schedule (METHOD rule 1): the send time of record k is a function of
// the start time and the rate profile only, so nothing the engines do can slow the load, and
// computing from the start (not by adding intervals) cannot drift. A profile is a list of
// segments whose rate changes linearly (constant and steps are flat segments, a ramp is one
// sloped segment); the last segment lasts forever.

export type RateProfile =
  | { readonly kind: 'constant'; readonly rate: number }
  /** `rate` from `atMs` (relative to the start) on; the first step must be at 0. */
  | { readonly kind: 'steps'; readonly steps: readonly { readonly atMs: number; readonly rate: number }[] }
  /** Linear from `fromRate` to `toRate` over `durationMs`, then `toRate`. */
  | { readonly kind: 'ramp'; readonly fromRate: number; readonly toRate: number; readonly durationMs: number };

interface Segment {
  readonly startMs: number;
  /** Infinity for the last one. */
  readonly durationMs: number;
  /** Records per ms at the segment's start and its slope (records per ms²). */
  readonly perMs: number;
  readonly slope: number;
  /** Records due before the segment starts. */
  readonly before: number;
}

function checkRate(rate: number, where: string): void {
  if (!Number.isFinite(rate) || rate < 0) throw new Error(`${where}: rate must be a non-negative number of records per second, got ${rate}`);
}

function segmentsOf(profile: RateProfile): Segment[] {
  const pieces: { startMs: number; durationMs: number; from: number; to: number }[] = [];
  switch (profile.kind) {
    case 'constant':
      checkRate(profile.rate, 'constant profile');
      if (profile.rate === 0) throw new Error('constant profile: rate must be above 0');
      pieces.push({ startMs: 0, durationMs: Infinity, from: profile.rate, to: profile.rate });
      break;
    case 'steps': {
      const steps = profile.steps;
      if (steps.length === 0 || steps[0]!.atMs !== 0) throw new Error('steps profile: the first step must be at 0 ms');
      steps.forEach((step, i) => {
        checkRate(step.rate, `steps profile step ${i}`);
        const next = steps[i + 1];
        if (next && next.atMs <= step.atMs) throw new Error(`steps profile: step ${i + 1} at ${next.atMs} ms is not after step ${i} at ${step.atMs} ms`);
        pieces.push({ startMs: step.atMs, durationMs: next ? next.atMs - step.atMs : Infinity, from: step.rate, to: step.rate });
      });
      break;
    }
    case 'ramp':
      checkRate(profile.fromRate, 'ramp profile fromRate');
      checkRate(profile.toRate, 'ramp profile toRate');
      if (!(profile.durationMs > 0)) throw new Error(`ramp profile: durationMs must be above 0, got ${profile.durationMs}`);
      pieces.push({ startMs: 0, durationMs: profile.durationMs, from: profile.fromRate, to: profile.toRate });
      pieces.push({ startMs: profile.durationMs, durationMs: Infinity, from: profile.toRate, to: profile.toRate });
      break;
  }
  const segments: Segment[] = [];
  let before = 0;
  for (const piece of pieces) {
    const perMs = piece.from / 1000;
    const slope = piece.durationMs === Infinity ? 0 : (piece.to - piece.from) / 1000 / piece.durationMs;
    segments.push({ startMs: piece.startMs, durationMs: piece.durationMs, perMs, slope, before });
    if (piece.durationMs !== Infinity) before += perMs * piece.durationMs + (slope * piece.durationMs * piece.durationMs) / 2;
  }
  if (segments.at(-1)!.perMs === 0) throw new Error('rate profile: the final rate must be above 0 (the schedule would never end)');
  return segments;
}

export class SendSchedule {
  private readonly segments: Segment[];

  constructor(readonly profile: RateProfile) {
    this.segments = segmentsOf(profile);
  }

  /** How many records are due at `elapsedMs` after the start: those whose send time ≤ elapsedMs (records 0 … n−1). */
  recordsDueBy(elapsedMs: number): number {
    if (elapsedMs < 0) return 0;
    const segment = this.segmentAtTime(elapsedMs);
    const tau = elapsedMs - segment.startMs;
    // +1e-9 absorbs float error at exact boundaries (record k is due at its own send time).
    return Math.floor(segment.before + segment.perMs * tau + (segment.slope * tau * tau) / 2 + 1e-9) + 1;
  }

  /** The scheduled send time of record k (ms after the start). Record 0 is due at 0. */
  sendTimeMs(k: number): number {
    let segment = this.segments[0]!;
    for (const s of this.segments) if (s.before <= k) segment = s;
    const n = k - segment.before;
    if (segment.slope === 0) return segment.startMs + n / segment.perMs;
    // before + a·τ + b·τ²/2 = k  →  τ = (−a + √(a² + 2bn)) / b
    const { perMs: a, slope: b } = segment;
    return segment.startMs + (-a + Math.sqrt(a * a + 2 * b * n)) / b;
  }

  /** The instantaneous rate (records/s) at `elapsedMs`. */
  rateAt(elapsedMs: number): number {
    const segment = this.segmentAtTime(Math.max(0, elapsedMs));
    return (segment.perMs + segment.slope * (elapsedMs - segment.startMs)) * 1000;
  }

  private segmentAtTime(elapsedMs: number): Segment {
    let segment = this.segments[0]!;
    for (const s of this.segments) if (s.startMs <= elapsedMs) segment = s;
    return segment;
  }
}
