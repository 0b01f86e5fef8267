import * as hdr from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { LatencyRecorder, eventTimeLatencyMs } from './latency.ts';

describe('event-time latency', () => {
  it('is log-append time minus generation time, sign kept', () => {
    expect(eventTimeLatencyMs(1_700_000_000_250, 1_700_000_000_000)).toBe(250);
    expect(eventTimeLatencyMs(1_700_000_000_000, 1_700_000_000_007)).toBe(-7);
  });

  it('summarises 1..1000 ms exactly (values below 2048 are exact with 3 significant digits)', () => {
    const recorder = new LatencyRecorder();
    for (let v = 1; v <= 1000; v++) recorder.record(10_000 + v, 10_000);
    const s = recorder.summary()!;
    expect(s.count).toBe(1000);
    expect([s.minMs, s.p50Ms, s.p95Ms, s.p99Ms, s.p999Ms, s.maxMs]).toEqual([1, 500, 950, 990, 999, 1000]);
    expect(s.meanMs).toBe(500.5);
    expect(s.negative).toEqual({ count: 0, minMs: null, examples: [] });
    // The encoded histogram round-trips to the same counts.
    const decoded = hdr.decodeFromCompressedBase64(s.hdrBase64, 64, false);
    expect(decoded.totalCount).toBe(1000);
    expect(decoded.getValueAtPercentile(99)).toBe(990);
  });

  it('never reports a percentile above the exact maximum (a bucket edge can lie above it)', () => {
    // 5750 ms sits in a bucket of width 2 (5750–5751): its highest equivalent value is 5751.
    const recorder = new LatencyRecorder();
    for (let i = 0; i < 100; i++) recorder.record(10_000 + 5750, 10_000);
    const s = recorder.summary()!;
    expect([s.p50Ms, s.p99Ms, s.p999Ms, s.maxMs]).toEqual([5750, 5750, 5750, 5750]);
    expect(s.distribution.every((p) => p.valueMs <= s.maxMs)).toBe(true);
  });

  it('counts negative latencies as errors, outside the histogram (not clamped to 0)', () => {
    const recorder = new LatencyRecorder();
    recorder.record(100, 105);
    recorder.record(100, 130);
    recorder.record(200, 100);
    const s = recorder.summary()!;
    expect(s.count).toBe(1);
    expect(s.p50Ms).toBe(100);
    expect(s.minMs).toBe(100);
    expect(s.negative).toEqual({ count: 2, minMs: -30, examples: [{ appendMs: 100, generatedMs: 105 }, { appendMs: 100, generatedMs: 130 }] });
  });

  it('keeps zero latency (same millisecond) as a value', () => {
    const recorder = new LatencyRecorder();
    recorder.record(5, 5);
    recorder.record(8, 5);
    expect(recorder.summary()!.minMs).toBe(0);
    expect(recorder.summary()!.maxMs).toBe(3);
  });

  it('reports nothing (null), not zeros, when no record was measured', () => {
    expect(new LatencyRecorder().summary()).toBeNull();
  });
});

describe('LatencyRecorder.merged', () => {
  it('holds exactly what the parts recorded: counts, percentiles, negatives', () => {
    const a = new LatencyRecorder();
    const b = new LatencyRecorder();
    for (let v = 1; v <= 50; v++) a.record(1000 + v, 1000);
    for (let v = 51; v <= 100; v++) b.record(1000 + v, 1000);
    b.record(990, 1000);
    const merged = LatencyRecorder.merged([a, b]).summary()!;
    expect([merged.count, merged.minMs, merged.p50Ms, merged.maxMs]).toEqual([100, 1, 50, 100]);
    expect(merged.negative).toEqual({ count: 1, minMs: -10, examples: [{ appendMs: 990, generatedMs: 1000 }] });
    expect(LatencyRecorder.merged([]).summary()).toBeNull();
  });
});
