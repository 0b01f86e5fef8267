import * as vega from 'vega';
import { compile } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import type { Measurement } from '../../results/schema.ts';
import { streamingDocument } from '../test-fixtures.ts';
import { harnessLoadChart } from './harness-load.ts';

const values = (spec: unknown) => (spec as { data: { values: unknown[] } }).data.values;

/** The fixture with the harness's load: flink's generator near idle, spark's run process busy. */
function withLoad(): Measurement[] {
  return streamingDocument().measurements.map((m) => {
    if (m.status !== 'completed' || !m.streaming) return m;
    const flink = m.engine === 'flink-rocksdb';
    return {
      ...m,
      streaming: {
        ...m.streaming,
        harnessLoad: {
          generator: { cpuCores: flink ? 0.0812 : 0.2, eventLoopBusy: flink ? 0.05 : 0.1, wallMs: 40_000 },
          runProcess: { cpuCores: flink ? 0.31 : 1.24, eventLoopBusy: flink ? 0.2 : 0.955, wallMs: 40_000 },
          busyBound: 0.9,
        },
      },
    };
  });
}

describe('harness load chart', () => {
  it('does not appear for results without the harness load (generator in the run process)', () => {
    expect(harnessLoadChart(streamingDocument().measurements)).toBeUndefined();
  });

  it("draws each event loop's busy share against the bound; the table has both processes' CPU and loop", () => {
    const chart = harnessLoadChart(withLoad())!;
    expect(chart.id).toBe('streaming-harness-load');
    expect(values(chart.spec)).toEqual([
      { workload: 'passthrough', engine: 'flink-rocksdb', figure: 'generator event loop', value: 0.05 },
      { workload: 'passthrough', engine: 'flink-rocksdb', figure: 'run process event loop', value: 0.2 },
      { workload: 'passthrough', engine: 'spark-microbatch', figure: 'generator event loop', value: 0.1 },
      { workload: 'passthrough', engine: 'spark-microbatch', figure: 'run process event loop', value: 0.955 },
    ]);
    expect(chart.table.rows).toEqual([
      ['passthrough', 'flink-rocksdb', '0.0812', '5 %', '0.310', '20 %'],
      ['passthrough', 'spark-microbatch', '0.200', '10 %', '1.24', '96 %'],
    ]);
    expect(chart.caption).toContain('At 0.9 or above, a rate-search step is marked harness-limited');
  });

  it('compiles and renders in vega without a warning', async () => {
    const warnings: string[] = [];
    const logger = { level: () => logger, error: (...a: unknown[]) => (warnings.push(a.map(String).join(' ')), logger), warn: (...a: unknown[]) => (warnings.push(a.map(String).join(' ')), logger), info: () => logger, debug: () => logger };
    const view = new vega.View(vega.parse(compile(harnessLoadChart(withLoad())!.spec, { logger: logger as never }).spec), { renderer: 'none', logger: logger as never, logLevel: vega.Warn });
    expect(await view.toSVG()).toContain('Harness load while the input ran');
    view.finalize();
    expect(warnings).toEqual([]);
  });
});
