// The measured window of a streaming step starts at steady state (METHOD rule 16), from a
// synthetic observation at the figures' boundary: an engine with a start-up backlog (Spark's
// first seconds) gets its window after the backlog drained and start-up as its own figures; one
// whose backlog never drains reports no steady-state latency, with the reason.
import { describe, expect, it } from 'vitest';
import type { GeneratorReport } from '../generators/stream/generator.ts';
import { SendSchedule } from '../generators/stream/schedule.ts';
import { LatencyBySecond, type OutputConsumer } from './output-consumer.ts';
import { streamingFigures, type StreamObservation } from './stream-step.ts';

const START = 1_700_000_000_000; // a whole second
const RATE = 1000;
const DURATION = 40_000;
const WARMUP = 10_000;

/** Rows sent each 100 ms; a row sent at `t` (ms after start) comes out `latencyOf(t)` later. */
function observation(backlogUntilMs: number, latencyOf: (t: number) => number): StreamObservation {
  const latency = new LatencyBySecond();
  const handOver = new LatencyBySecond();
  for (let t = 0; t < DURATION; t += 100) {
    latency.record(START + t + latencyOf(t), START + t);
    handOver.record(START + t + latencyOf(t), START + t + 5);
  }
  // Lag every 500 ms: the backlog while it lasts, then a sawtooth of one second's commits above 0.
  const lagSamples = Array.from({ length: DURATION / 500 }, (_, i) => i * 500).map((t) => ({ tMs: START + t, lag: t < backlogUntilMs ? 20_000 : t % 1000 === 0 ? 0 : RATE }));
  const output = { latency, handOverLatency: handOver, firstAppendMs: START + latencyOf(0), total: DURATION / 100, perSecond: new Map(), rateBetween: () => RATE, finalState: { duplicates: 0 } } as unknown as OutputConsumer;
  const generator = { scheduled: 40_000, acknowledged: 40_000, startedAtMs: START, maxBehindMs: 3, behindBoundMs: 1000, behindSeries: [], achievedRate: RATE, lateness: null } as unknown as GeneratorReport;
  return { generator, output, lagSamples, lagUnknownReason: '', drained: true, events: undefined as never, schedule: new SendSchedule({ kind: 'constant', rate: RATE }) };
}

const inputs = { guarantee: 'exactly-once', engineSettings: {}, commitIntervalMs: 1000, durationMs: DURATION, warmupMs: WARMUP, expectedRows: 1, finalStateRows: 1 };

describe('the steady-state window', () => {
  it('starts once the start-up backlog has drained; start-up latency and catch-up time are their own figures', () => {
    // Backlog for the first 17 s; rows sent then wait for it (5 s), later ones take 50 ms.
    const { section, notSteady } = streamingFigures(observation(17_000, (t) => (t < 17_000 ? 5000 : 50)), inputs);
    expect(notSteady).toBeUndefined();
    // The first lag sample back at the floor is at 17 s.
    expect(section.steadyState).toMatchObject({ reached: true, fromMs: START + 17_000, floorLag: 0, toleranceRecords: 2000 });
    expect(section.window).toEqual({ fromMs: START + 17_000, toMs: START + DURATION });
    expect(section.latencyMs).toMatchObject({ count: 230, minMs: 50, p50Ms: 50, maxMs: 50 });
    expect(section.startup).toMatchObject({ firstOutputAfterMs: 5000, catchUpMs: 17_000, latencyMs: { count: 170, p50Ms: 5000, maxMs: 5000 } });
    expect(section.throughput.inputRecordsPerSecond).toBe(RATE);
  });

  it('starts at the warm-up end when there is no backlog', () => {
    const { section } = streamingFigures(observation(0, () => 40), inputs);
    expect(section.window.fromMs).toBe(START + WARMUP);
    expect(section.startup).toMatchObject({ catchUpMs: WARMUP, latencyMs: { count: 100, maxMs: 40 } });
  });

  it('a backlog that never drains leaves no steady-state latency: missing with the reason, start-up holds what was measured', () => {
    const { section, notSteady, latency } = streamingFigures(observation(35_000, () => 3000), inputs);
    expect(latency).toBeNull();
    expect(notSteady).toBe('the start-up backlog drained only at t=35.0 s of 40.0 s (lag floor 0 records): less than half of the window would be steady');
    expect(section.latencyMs).toEqual({ missing: true, reason: `not steady: ${notSteady}; see startup` });
    expect(section.steadyState?.reached).toBe(false);
    expect(section.startup).toMatchObject({ catchUpMs: { missing: true }, latencyMs: { count: 400, p50Ms: 3000 } });
  });
});
