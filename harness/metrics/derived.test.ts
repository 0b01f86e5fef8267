import { describe, expect, it } from 'vitest';
import { missing } from '../results/schema.ts';
import { deriveResourceFigures, serviceFigures, throughputPerCore } from './derived.ts';

const collected = {
  t: [0, 1000, 2000, 4000],
  series: {
    'a/cpu_seconds_total': [10, 10.5, 12, 13],
    'a/memory_bytes': [100, 300, 200, 250],
    'a/read_bytes_total': [0, 0, 4096, 8192],
    'a/write_bytes_total': [10, 20, 30, 40],
    'b/cpu_seconds_total': [1, 1.25, null, 2],
    'b/memory_bytes': [50, 60, null, 70],
    'b/read_bytes_total': [0, 0, null, 0],
    'b/write_bytes_total': [0, 0, null, 100],
  },
};

describe('derived resource figures', () => {
  it('per service: CPU-seconds, average and peak cores, peak memory, bytes', () => {
    expect(serviceFigures(collected, 'a')).toEqual({ windowMs: 4000, cpuSeconds: 3, averageCores: 0.75, peakCores: 1.5, peakMemoryBytes: 300, readBytes: 8192, writeBytes: 30 });
    // b skips a sample: peak over 1000 → 4000 is 0.75 / 3 s = 0.25 cores, the first step 0.25 too
    expect(serviceFigures(collected, 'b')).toEqual({ windowMs: 4000, cpuSeconds: 1, averageCores: 0.25, peakCores: 0.25, peakMemoryBytes: 70, readBytes: 0, writeBytes: 100 });
  });

  it('totals: sums, the peak of the summed series where every service answered', () => {
    const figures = deriveResourceFigures(collected, ['a', 'b']);
    // summed CPU at t 0, 1000, 4000: 11, 11.75, 15 → rates 0.75 and 3.25/3
    expect(figures.total).toEqual({ windowMs: 4000, cpuSeconds: 4, averageCores: 1, peakCores: 3.25 / 3, peakMemoryBytes: 360, readBytes: 8192, writeBytes: 130 });
  });

  it('says why when a figure cannot be derived, never 0', () => {
    const one = { t: [0], series: { 'a/cpu_seconds_total': [5], 'a/memory_bytes': [1] } };
    const figures = serviceFigures(one, 'a');
    expect(figures.cpuSeconds).toEqual(missing('a cpu_seconds_total: 1 sample(s), need 2 to measure an increase'));
    expect(figures.readBytes).toEqual(missing('a read_bytes_total: 0 sample(s), need 2 to measure an increase'));
    expect(figures.peakMemoryBytes).toBe(1);
    const reset = serviceFigures({ t: [0, 1000], series: { 'a/cpu_seconds_total': [5, 1] } }, 'a');
    expect(reset.cpuSeconds).toEqual(missing('a cpu_seconds_total: the counter went down (5 → 1); a process restarted'));
    expect(deriveResourceFigures(one, ['a']).total.cpuSeconds).toEqual(missing('total CPU-seconds: a cpu_seconds_total: 1 sample(s), need 2 to measure an increase'));
  });

  it('throughput per core', () => {
    expect(throughputPerCore(1_000_000, 4)).toBe(250_000);
    expect(throughputPerCore(10, 0)).toEqual(missing('throughput per core: CPU-seconds is 0'));
    expect(throughputPerCore(10, missing('no samples'))).toEqual(missing('throughput per core: no samples'));
  });
});

describe('peak cores from Docker cpu_cores', () => {
  it('uses the cpu_cores series (Docker-timed) instead of rates over tick times', () => {
    // Tick 2 saw 2 s of CPU after 1 s of ticks (Docker read late, then early): a tick rate of 2.0 is an artefact.
    const collected = { t: [0, 1000, 2000], series: { 'a/cpu_seconds_total': [0, 2, 2.8], 'a/cpu_cores': [null, 1.0, 0.8] } };
    expect(serviceFigures(collected, 'a').peakCores).toBe(1);
    expect(deriveResourceFigures(collected, ['a']).total!.peakCores).toBe(1);
  });
});

describe('series the scraper declared unmeasurable', () => {
  it('bytes written on cgroup v1: missing with the reason per service and in the total, never 0 or a lower bound; bytes read stay', () => {
    const reason = 'cgroup v1 does not charge buffered writeback';
    const v1 = {
      t: [0, 1000],
      series: { 'a/cpu_seconds_total': [1, 2], 'a/read_bytes_total': [0, 4096], 'b/cpu_seconds_total': [0, 0.5], 'b/read_bytes_total': [10, 10] },
      missing: { 'a/write_bytes_total': reason, 'b/write_bytes_total': reason },
    };
    const figures = deriveResourceFigures(v1, ['a', 'b']);
    expect(figures.a!.writeBytes).toEqual(missing('a write_bytes_total: cgroup v1 does not charge buffered writeback'));
    expect(figures.a!.readBytes).toBe(4096);
    expect(figures.b!.readBytes).toBe(0);
    expect(figures.total!.writeBytes).toEqual(missing('total bytes written: a write_bytes_total: cgroup v1 does not charge buffered writeback'));
    expect(figures.total!.readBytes).toBe(4096);
    expect(figures.total!.cpuSeconds).toBe(1.5);
  });

  it('a declared reason wins over values that happen to be present', () => {
    const collected = { t: [0, 1000], series: { 'a/write_bytes_total': [0, 0] }, missing: { 'a/write_bytes_total': 'not charged' } };
    expect(serviceFigures(collected, 'a').writeBytes).toEqual(missing('a write_bytes_total: not charged'));
  });
});
