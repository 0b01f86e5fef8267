import { describe, expect, it } from 'vitest';
import { offsetsLagScraper, partitionLag, topicLagReading } from './kafka-lag.ts';
import { metricsSectionSchema } from '../results/metrics-section.ts';
import { startSampler } from './sampler.ts';

describe('partitionLag', () => {
  it('is the high watermark minus the committed offset; no commit gives no value', () => {
    expect(partitionLag(1000, 400)).toBe(600);
    expect(partitionLag(1000, 1000)).toBe(0);
    expect(partitionLag(1000, -1001)).toBeUndefined();
    expect(partitionLag(1000, undefined)).toBeUndefined();
  });
});

describe('topicLagReading', () => {
  it('sums the partitions when every one has a consumed offset', () => {
    expect(topicLagReading('in', [0, 1], { 0: 500, 1: 300 }, { 0: 450, 1: 300 })).toEqual({
      'in/p0/lag': 50,
      'in/p1/lag': 0,
      'in/committed_partitions': 2,
      'in/end_offset_total': 800,
      'in/lag': 50,
    });
  });

  it('gives no topic lag (not 0) while a partition has no commit', () => {
    expect(topicLagReading('in', [0, 1], { 0: 500, 1: 300 }, { 0: 450, 1: -1001 })).toEqual({ 'in/p0/lag': 50, 'in/committed_partitions': 1, 'in/end_offset_total': 800 });
    expect(topicLagReading('in', [0, 1], { 0: 500, 1: 300 }, {})).toEqual({ 'in/committed_partitions': 0, 'in/end_offset_total': 800 });
  });

  it('refuses a partition without a high watermark', () => {
    expect(() => topicLagReading('in', [0, 1], { 0: 5 }, {})).toThrow('no high watermark for in/1');
  });
});

describe('offsetsLagScraper', () => {
  const options = { name: 'kafka-lag', topic: 'in', partitions: 2, source: 'the engine checkpoint', noOffsetsReason: 'the engine committed no batch yet', highWatermarks: async () => ({ 0: 10, 1: 20 }) };

  it('is missing with the reason, never zeros, while the engine reports no offsets', async () => {
    const sampler = startSampler({ intervalMs: 20, scrapers: [offsetsLagScraper({ ...options, consumed: async () => null })] });
    await new Promise((r) => setTimeout(r, 70));
    const record = metricsSectionSchema.parse(await sampler.stop()).scrapers['kafka-lag'];
    expect(record).toMatchObject({ status: 'missing', reason: 'the engine committed no batch yet', details: { source: 'the engine checkpoint', topics: ['in'] } });
  });

  it('reads lag from the reported offsets', async () => {
    let consumed = 0;
    const sampler = startSampler({ intervalMs: 1000, scrapers: [offsetsLagScraper({ ...options, consumed: async () => ({ 0: (consumed += 2), 1: 20 }) })] });
    const record = metricsSectionSchema.parse(await sampler.stop()).scrapers['kafka-lag'];
    if (record.status !== 'ok') throw new Error(`expected ok, got ${record.reason}`);
    // Two samples: the first tick (consumed 2) and the closing one (consumed 4).
    expect(record.series['in/lag']).toEqual([8, 6]);
    expect(record.series['in/end_offset_total']).toEqual([30, 30]);
  });
});
