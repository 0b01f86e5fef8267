import { describe, expect, it } from 'vitest';
import type { MetricsSection } from '../results/metrics-section.ts';
import { windowResources } from './window-resources.ts';

const startedAt = '2026-01-01T00:00:00.000Z';
const t0 = Date.parse(startedAt);

function section(os: MetricsSection['scrapers'][string]): Pick<MetricsSection, 'startedAt' | 'scrapers'> {
  return { startedAt, scrapers: { os } };
}

const common = { kind: 'os' as const, failedSamples: 0, skippedTicks: 0, failures: [] };
const ok = section({
  status: 'ok',
  ...common,
  t: [0, 1000, 2000, 3000, 4000, 5000],
  series: {
    'jm/cpu_seconds_total': [0, 5, 5.5, 6, 6.5, 9],
    'jm/memory_bytes': [10, 10, 10, 10, 10, 10],
    'tm/cpu_seconds_total': [0, 5, 6, 7, 8, 20],
    'tm/memory_bytes': [100, 100, 200, 300, 250, 900],
  },
  details: { perService: { jm: {}, tm: {}, total: {} } },
});

describe('windowResources', () => {
  it('derives the figures from the OS samples inside the window only', () => {
    // Window 1000..4000 ms: jm 5 → 6.5, tm 5 → 8: 4.5 CPU-seconds over 3 s = 1.5 cores.
    const r = windowResources(ok, t0 + 1000, t0 + 4000, 300);
    expect(r.total).toMatchObject({ windowMs: 3000, cpuSeconds: 4.5, averageCores: 1.5, peakMemoryBytes: 310 });
    // 300 records/s × 3 s = 900 records per 4.5 CPU-seconds.
    expect(r.inputRecordsPerCpuSecond).toBe(200);
  });

  it("keeps the scraper's reason for a series it cannot measure (bytes written on cgroup v1)", () => {
    const os = ok.scrapers.os!;
    const cgroupV1 = section({ ...os, missingSeries: { 'jm/write_bytes_total': 'cgroup v1 does not charge buffered writeback', 'tm/write_bytes_total': 'cgroup v1 does not charge buffered writeback' } } as MetricsSection['scrapers'][string]);
    const r = windowResources(cgroupV1, t0 + 1000, t0 + 4000, 300);
    expect(r.total).toMatchObject({ cpuSeconds: 4.5, writeBytes: { missing: true } });
    expect(JSON.stringify((r.total as { writeBytes: unknown }).writeBytes)).toContain('cgroup v1 does not charge buffered writeback');
  });

  it('is missing with the reason when the window holds fewer than two samples', () => {
    const r = windowResources(ok, t0 + 1500, t0 + 2500, 300);
    expect(r.total).toMatchObject({ cpuSeconds: { missing: true, reason: 'total CPU-seconds: jm cpu_seconds_total: 1 sample(s), need 2 to measure an increase' } });
    expect(r.inputRecordsPerCpuSecond).toEqual({ missing: true, reason: 'throughput per core: no service had 2 CPU samples' });
  });

  it('is missing when the OS scraper gave nothing', () => {
    const r = windowResources(section({ status: 'missing', reason: 'no live process', ...common }), t0, t0 + 5000, 300);
    expect(r.total).toEqual({ missing: true, reason: "the 'os' scraper gave nothing: no live process" });
    expect(r.inputRecordsPerCpuSecond).toEqual({ missing: true, reason: "throughput per core: the 'os' scraper gave nothing: no live process" });
  });
});
