// The report's readers on sections shaped as the writers write them (report/test-fixtures.ts
// builds them through the sampler's own summaries and the typed streaming schema).
import { describe, expect, it } from 'vitest';
import { completed } from '../results/test-fixtures.ts';
import type { Measurement } from '../results/schema.ts';
import { GENERATION_START_MS, metricsSection, streamingSection } from './test-fixtures.ts';
import { latencyCdf, latencySummary, RESOURCE_METRICS, rateSearch, resourceFigure, timeSeries } from './read-sections.ts';

const withSections = (sections: Partial<Pick<Measurement, 'metrics' | 'streaming'>>): Measurement => ({ ...completed('spark', 'topn', [1000], null), ...sections });
const metric = (key: string) => RESOURCE_METRICS.find((m) => m.key === key)!;

describe('resource figures', () => {
  it('reads the figures the summaries computed, missing ones with their reason', () => {
    const m = withSections({ metrics: metricsSection({ cpuSeconds: 7.5, peakMemoryBytes: 2 ** 30, shuffleWriteBytes: 3 * 2 ** 20, filesCreated: 2 }) });
    expect(RESOURCE_METRICS.map((r) => [r.key, resourceFigure(m, r)])).toEqual([
      ['cpuSeconds', 7.5],
      ['peakMemoryBytes', 2 ** 30],
      ['shuffleReadBytes', 3 * 2 ** 20],
      ['shuffleWriteBytes', 3 * 2 ** 20],
      ['spilledBytes', 0],
      ['filesCreated', 2],
      ['fileBytesCreated', 2 * 2 ** 20],
    ]);
    const noFiles = withSections({ metrics: metricsSection({ cpuSeconds: 1, peakMemoryBytes: 1 }) });
    expect(resourceFigure(noFiles, metric('filesCreated'))).toEqual({ missing: true, reason: 'files created: the shuffle-files scraper gave nothing: no local dir was ever present' });
    expect(resourceFigure(noFiles, metric('shuffleWriteBytes'))).toBeUndefined();
    expect(resourceFigure(withSections({}), metric('cpuSeconds'))).toBeUndefined();
  });
});

describe('streaming section', () => {
  it('reads the latency percentiles and the count', () => {
    const m = withSections({ streaming: streamingSection(1000, 80) });
    expect(latencySummary(m)).toEqual({
      values: [
        { label: 'p50', figure: 20 },
        { label: 'p95', figure: 40 },
        { label: 'p99', figure: 80 },
        { label: 'p99.9', figure: 160 },
        { label: 'max', figure: 240 },
      ],
      count: 100000,
    });
    expect(latencySummary(withSections({}))).toBeUndefined();
  });

  it('shows a latency recorded as missing as missing for every percentile, and no CDF', () => {
    const reason = { missing: true as const, reason: 'no output row was generated after the warm-up' };
    const m = withSections({ streaming: streamingSection(1000, 80, { latencyMs: reason }) });
    expect(latencySummary(m)?.values.map((v) => v.figure)).toEqual([reason, reason, reason, reason, reason]);
    expect(latencyCdf(m)).toBeUndefined();
  });

  it('reads the CDF as fractions', () => {
    expect(latencyCdf(withSections({ streaming: streamingSection(1000, 80) }))).toEqual([
      { latencyMs: 10, fraction: 0.1 },
      { latencyMs: 20, fraction: 0.5 },
      { latencyMs: 40, fraction: 0.95 },
      { latencyMs: 80, fraction: 0.99 },
      { latencyMs: 240, fraction: 1 },
    ]);
  });

  it('reads rate-search steps with the achieved rate, and the sustainable rate', () => {
    expect(rateSearch(withSections({ streaming: streamingSection(1000, 80) }))).toEqual({
      sustainableRate: 1000,
      why: 'bracketed within 10 %',
      steps: [
        { targetRate: 500, achievedRate: 495, p99Ms: 40, sustainable: true, reason: 'lag slope 0 rec/s < 1 % of the rate and p99 under the bound' },
        { targetRate: 1000, achievedRate: 990, p99Ms: 80, sustainable: true, reason: 'lag slope 1 rec/s < 1 % of the rate and p99 under the bound' },
        { targetRate: 2000, achievedRate: 1980, p99Ms: 800, sustainable: false, reason: 'lag grows 500 rec/s' },
      ],
    });
  });

  it('puts the streaming series and the OS timeline on seconds since generation began', () => {
    const m = withSections({
      streaming: streamingSection(100, 80),
      metrics: metricsSection({
        startedAt: new Date(GENERATION_START_MS + 1000).toISOString(),
        cpuSeconds: 2,
        peakMemoryBytes: 2 * 2 ** 20,
        osSeries: { t: [0, 2000], series: { 'a/cpu_seconds_total': [1, 2], 'b/cpu_seconds_total': [0, 1], 'a/memory_bytes': [2 ** 20, null], 'b/memory_bytes': [2 ** 20, 2 ** 20] } },
      }),
    });
    expect(timeSeries(m)).toEqual([
      { metric: 'outputRate', seconds: 0, value: 100 },
      { metric: 'outputRate', seconds: 1, value: 90 },
      { metric: 'outputRate', seconds: 2, value: 80 },
      { metric: 'lag', seconds: 0, value: 0 },
      { metric: 'lag', seconds: 1, value: 5 },
      { metric: 'lag', seconds: 2, value: 10 },
      { metric: 'generatorBehindMs', seconds: 0, value: 2 },
      { metric: 'generatorBehindMs', seconds: 1, value: 2 },
      { metric: 'generatorBehindMs', seconds: 2, value: 2 },
      // (2 - 1 + 1 - 0) CPU-seconds over 2 s = 1 core, at 1 s + 2 s; memory only where both services answered.
      { metric: 'cpuCores', seconds: 3, value: 1 },
      { metric: 'memoryMiB', seconds: 1, value: 2 },
    ]);
  });
});
