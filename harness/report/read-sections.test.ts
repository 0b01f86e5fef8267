import { describe, expect, it } from 'vitest';
import { completed } from '../results/test-fixtures.ts';
import type { Measurement } from '../results/schema.ts';
import { asFigure, latencyCdf, latencySummary, RESOURCE_METRICS, rateSearch, resourceFigure, timeSeries } from './read-sections.ts';

const withSections = (sections: Partial<Pick<Measurement, 'metrics' | 'streaming'>>): Measurement => ({ ...completed('spark', 'topn', [1000], null), ...sections });
const metric = (key: string) => RESOURCE_METRICS.find((m) => m.key === key)!;

describe('asFigure', () => {
  it('reads numbers, {value}, {median} and missing; anything else is absent', () => {
    expect([3, { value: 4 }, { median: 5 }, { missing: true, reason: 'no cgroup' }, 'x', null, Number.NaN, {}].map(asFigure)).toEqual([
      3,
      4,
      5,
      { missing: true, reason: 'no cgroup' },
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe('resource figures', () => {
  it('finds a figure under any of its aliases, including dotted paths', () => {
    expect(resourceFigure(withSections({ metrics: { cpu: { seconds: 7 } } }), metric('cpuSeconds'))).toBe(7);
    expect(resourceFigure(withSections({ metrics: { scrapers: { os: { status: 'ok', details: { perService: { total: { cpuSeconds: 9 } } } } } } }), metric('cpuSeconds'))).toBe(9);
    expect(resourceFigure(withSections({ metrics: { scrapers: { os: { status: 'missing', reason: 'docker stats refused' } } } }), metric('cpuSeconds'))).toEqual({ missing: true, reason: 'docker stats refused' });
    expect(resourceFigure(withSections({ metrics: { scrapers: { os: { status: 'ok', detailsMissingReason: 'finish timed out' } } } }), metric('cpuSeconds'))).toEqual({ missing: true, reason: 'finish timed out' });
    expect(resourceFigure(withSections({ metrics: { peakMemoryBytes: { value: 1024 } } }), metric('peakMemory'))).toBe(1024);
    expect(resourceFigure(withSections({ metrics: { spillFiles: { missing: true, reason: 'dir gone' } } }), metric('shuffleSpillFiles'))).toEqual({ missing: true, reason: 'dir gone' });
    expect(resourceFigure(withSections({}), metric('cpuSeconds'))).toBeUndefined();
  });
});

describe('streaming section', () => {
  it('reads latency percentiles (p99.9 under any spelling) and the count', () => {
    const m = withSections({ streaming: { latencyMs: { p50: 1, p99: 9, 'p99.9': 12, max: { missing: true, reason: 'x' }, count: 10 } } });
    expect(latencySummary(m)).toEqual({
      values: [
        { label: 'p50', figure: 1 },
        { label: 'p99', figure: 9 },
        { label: 'p99.9', figure: 12 },
        { label: 'max', figure: { missing: true, reason: 'x' } },
      ],
      count: 10,
    });
    expect(latencySummary(withSections({ streaming: {} }))).toBeUndefined();
  });

  it('reads a CDF given as fractions or percentiles, skipping malformed points', () => {
    const m = withSections({ streaming: { latencyMs: { distribution: [{ valueMs: 5, percentile: 50 }, { latencyMs: 9, fraction: 1 }, { latencyMs: 'x' }] } } });
    expect(latencyCdf(m)).toEqual([
      { latencyMs: 5, fraction: 0.5 },
      { latencyMs: 9, fraction: 1 },
    ]);
  });

  it('reads rate-search steps and the sustainable rate', () => {
    const m = withSections({ streaming: { rateSearch: { steps: [{ rate: 100, latencyMs: { p99: 20 }, sustainable: true }, { targetRate: 200, achievedRate: 150, p99Ms: 900, sustainable: false, reason: 'lag grew' }], sustainableRate: 100 } } });
    expect(rateSearch(m)).toEqual({
      steps: [
        { targetRate: 100, p99Ms: 20, sustainable: true },
        { targetRate: 200, achievedRate: 150, p99Ms: 900, sustainable: false, reason: 'lag grew' },
      ],
      sustainableRate: 100,
    });
  });

  it('shows a latency recorded as missing as missing for every percentile', () => {
    const reason = { missing: true, reason: 'no output row was generated after the warm-up' };
    expect(latencySummary(withSections({ streaming: { latencyMs: reason } }))?.values.map((v) => v.figure)).toEqual([reason, reason, reason, reason, reason]);
  });

  it('builds time series from the streaming flow and the OS scraper, in seconds since generation began', () => {
    const start = Date.parse('2026-11-22T04:00:00.000Z');
    const m = withSections({
      streaming: {
        generator: { startedAtMs: start, behindSeries: [{ tMs: 1000, behindMs: 3 }] },
        throughput: { outputSeries: [{ tMs: start + 2000, rows: 50 }] },
        lag: { series: [{ tMs: start + 3000, lag: 7 }] },
      },
      metrics: {
        startedAt: '2026-11-22T04:00:01.000Z',
        scrapers: { os: { status: 'ok', t: [0, 2000], series: { 'a/cpu_seconds_total': [1, 2], 'b/cpu_seconds_total': [0, 1], 'a/memory_bytes': [2 ** 20, null], 'b/memory_bytes': [2 ** 20, 2 ** 20] } } },
      },
    });
    expect(timeSeries(m)).toEqual([
      { metric: 'outputRate', seconds: 2, value: 50 },
      { metric: 'lag', seconds: 3, value: 7 },
      { metric: 'generatorBehindMs', seconds: 1, value: 3 },
      { metric: 'cpuCores', seconds: 3, value: 1 },
      { metric: 'memoryBytes', seconds: 1, value: 2 },
    ]);
  });

  it('turns time series into points in seconds, converting bytes to MiB', () => {
    const m = withSections({ streaming: { timeSeries: [{ tMs: 0, inputRate: 10, memoryBytes: 2 ** 21 }, { tMs: 1500, inputRate: 12, note: 'x' }] } });
    expect(timeSeries(m)).toEqual([
      { metric: 'inputRate', seconds: 0, value: 10 },
      { metric: 'memoryBytes', seconds: 0, value: 2 },
      { metric: 'inputRate', seconds: 1.5, value: 12 },
    ]);
  });
});
