import { describe, expect, it } from 'vitest';
import { streamingDocument } from '../report/test-fixtures.ts';
import { summarizeMetrics, type RawMetricsSection } from './summaries.ts';

/** The fixture's raw section with its OS scraper's totals replaced. */
function withOsTotals(total: Record<string, unknown>): RawMetricsSection {
  const flink = streamingDocument().measurements.find((m) => m.engine === 'flink-rocksdb')!;
  const { figures: _figures, checkpoints: _checkpoints, timeline: _timeline, ...raw } = flink.metrics!;
  const os = Object.entries(raw.scrapers).find(([, r]) => r.kind === 'os')!;
  return { ...raw, scrapers: { ...raw.scrapers, [os[0]]: { ...os[1], details: { perService: { total } } } } };
}

describe('metrics figures from the OS scraper', () => {
  it("carries the storage layer's bytes read and written beside CPU and memory; an unreadable one stays missing with its reason", () => {
    const docker = { cpuSeconds: 12.5, peakMemoryBytes: 2 ** 30, readBytes: 4096, writeBytes: { missing: true, reason: 'cgroup v1 does not charge writeback to the container' } };
    expect(summarizeMetrics(withOsTotals(docker)).figures).toMatchObject({
      cpuSeconds: 12.5,
      peakMemoryBytes: 2 ** 30,
      diskReadBytes: 4096,
      diskWriteBytes: { missing: true, reason: 'cgroup v1 does not charge writeback to the container' },
    });
    expect(summarizeMetrics(withOsTotals({ cpuSeconds: 1, peakMemoryBytes: 1, readBytes: 0, writeBytes: 123_456 })).figures).toMatchObject({ diskReadBytes: 0, diskWriteBytes: 123_456 });
  });
});
