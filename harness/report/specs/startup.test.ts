import { describe, expect, it } from 'vitest';
import { missing } from '../../results/missing.ts';
import type { Measurement } from '../../results/schema.ts';
import { streamingDocument } from '../test-fixtures.ts';
import { startupChart } from './startup.ts';

const values = (spec: unknown) => (spec as { data: { values: unknown[] } }).data.values;

/** The fixture's measurements with start-up figures: flink steady after 10.5 s, spark never steady. */
function withStartup(): Measurement[] {
  return streamingDocument().measurements.map((m) => {
    if (m.status !== 'completed' || !m.streaming) return m;
    const steady = m.engine === 'flink-rocksdb';
    const latencyMs = { ...m.streaming.latencyMs, ...(isSummary(m.streaming.latencyMs) ? { p50Ms: 2400, p99Ms: 8600 } : {}) };
    return {
      ...m,
      streaming: {
        ...m.streaming,
        ...(steady ? {} : { latencyMs: missing('not steady: the start-up backlog drained only at t=35.0 s of 40.0 s; see startup') }),
        startup: { firstOutputAfterMs: steady ? 2399 : 8154, catchUpMs: steady ? 10469 : missing('not steady: the start-up backlog drained only at t=35.0 s of 40.0 s'), latencyMs },
      },
    };
  });
}
const isSummary = (x: unknown): x is { p50Ms: number } => typeof x === 'object' && x !== null && 'p50Ms' in x;

describe('start-up chart', () => {
  it('does not appear without start-up figures (results before METHOD rule 16)', () => {
    const older = streamingDocument().measurements.map((m) => {
      if (m.status !== 'completed' || !m.streaming) return m;
      const { startup: _startup, steadyState: _steadyState, ...before } = m.streaming;
      return { ...m, streaming: before };
    });
    expect(startupChart(older)).toBeUndefined();
  });

  it('draws time to first output and to steady state; the table puts start-up latency beside the steady one', () => {
    const chart = startupChart(withStartup())!;
    expect(chart.id).toBe('streaming-startup');
    expect(values(chart.spec)).toEqual([
      { workload: 'passthrough', engine: 'flink-rocksdb', figure: 'first output', seconds: 2.399 },
      { workload: 'passthrough', engine: 'flink-rocksdb', figure: 'backlog drained (window starts)', seconds: 10.469 },
      { workload: 'passthrough', engine: 'spark-microbatch', figure: 'first output', seconds: 8.154 },
    ]);
    expect(chart.table.rows).toEqual([
      ['passthrough', 'flink-rocksdb', '2.40', '10.5', '2,400 / 8,600', '20.0 / 80.0'],
      ['passthrough', 'spark-microbatch', '8.15', { text: 'never steady', title: 'not steady: the start-up backlog drained only at t=35.0 s of 40.0 s' }, '2,400 / 8,600', { text: 'missing', title: 'not steady: the start-up backlog drained only at t=35.0 s of 40.0 s; see startup' }],
    ]);
  });
});
