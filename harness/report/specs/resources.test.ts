import { describe, expect, it } from 'vitest';
import { exampleDocument } from '../../results/test-fixtures.ts';
import { enginePalette, orderEngines } from '../palette.ts';
import { batchDocumentWithMetrics } from '../test-fixtures.ts';
import { resourceCharts, unreadableResourceTable } from './resources.ts';

const engines = ['spark', 'flink', 'duckdb', 'spark-continuous'];
const colors = { order: orderEngines(engines), colors: enginePalette(engines) };

describe('resource charts', () => {
  it('appear only for figures some measurement carries', () => {
    expect(resourceCharts(exampleDocument().measurements, colors)).toEqual([]);
    expect(resourceCharts(batchDocumentWithMetrics().measurements, colors).map((c) => c.id)).toEqual([
      'resource-cpuSeconds',
      'resource-peakMemory',
      'resource-shuffleReadBytes',
      'resource-shuffleWriteBytes',
      'resource-spilledBytes',
      'resource-shuffleSpillFiles',
      'resource-shuffleSpillFileBytes',
    ]);
  });

  it('is the exact CPU-seconds spec, one bar per completed measurement', () => {
    const [cpu] = resourceCharts(batchDocumentWithMetrics().measurements, colors);
    expect(cpu.spec).toEqual({
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: { text: 'CPU time per query', subtitle: 'lower is better' },
      data: {
        values: [
          { workload: 'topn', engine: 'spark', series: 'spark (spark-submit)', value: 7.5 },
          { workload: 'topn', engine: 'flink', series: 'flink (flink-gateway)', value: 12 },
          { workload: 'topn', engine: 'duckdb', series: 'duckdb (duckdb-in-process)', value: 1.25 },
        ],
      },
      width: { step: 28 },
      height: 200,
      mark: { type: 'bar', tooltip: true },
      encoding: {
        x: { field: 'workload', type: 'nominal', title: 'Workload', sort: ['topn'], axis: { labelAngle: 0 } },
        xOffset: { field: 'series', type: 'nominal', sort: ['spark (spark-submit)', 'flink (flink-gateway)', 'duckdb (duckdb-in-process)'] },
        y: { field: 'value', type: 'quantitative', title: 'CPU time (core-seconds)' },
        color: { field: 'engine', type: 'nominal', title: 'Engine', scale: { domain: ['spark', 'flink', 'duckdb'], range: ['#e8710a', '#6a3d9a', '#7f7f7f'] } },
      },
    });
  });

  it('lists a missing figure with its reason and does not draw it', () => {
    const shuffle = resourceCharts(batchDocumentWithMetrics().measurements, colors).find((c) => c.id === 'resource-shuffleWriteBytes')!;
    expect((shuffle.spec as { data: { values: unknown[] } }).data.values).toEqual([{ workload: 'topn', engine: 'spark', series: 'spark (spark-submit)', value: 3 }]);
    expect(shuffle.table.rows).toEqual([
      ['topn', 'spark (spark-submit)', '3', { text: 'completed (verified)', status: 'completed' }],
      ['topn', 'flink (flink-gateway)', { text: 'missing', title: 'Flink REST has no shuffle byte counter for this job' }, 'missing: Flink REST has no shuffle byte counter for this job'],
    ]);
  });

  it('lists figures no measurement could give in a table instead of a chart', () => {
    const flinkOnly = batchDocumentWithMetrics().measurements.filter((m) => m.engine === 'flink');
    expect(resourceCharts(flinkOnly, colors).map((c) => c.id)).not.toContain('resource-shuffleWriteBytes');
    expect(unreadableResourceTable(flinkOnly)?.rows).toEqual([
      ['Shuffle read (MiB)', 'topn', 'flink (flink-gateway)', 'missing: Flink REST has no shuffle byte counter for this job'],
      ['Shuffle write (MiB)', 'topn', 'flink (flink-gateway)', 'missing: Flink REST has no shuffle byte counter for this job'],
    ]);
  });

  it('reports a metrics scraper that gave nothing as missing with its reason', () => {
    const files = resourceCharts(batchDocumentWithMetrics().measurements, colors).find((c) => c.id === 'resource-shuffleSpillFiles')!;
    expect(files.table.rows).toEqual([
      ['topn', 'spark (spark-submit)', '2', { text: 'completed (verified)', status: 'completed' }],
      ['topn', 'flink (flink-gateway)', '0', { text: 'completed (verified)', status: 'completed' }],
      ['topn', 'duckdb (duckdb-in-process)', { text: 'missing', title: 'files created: the shuffle-files scraper gave nothing: no local dir was ever present' }, 'missing: files created: the shuffle-files scraper gave nothing: no local dir was ever present'],
    ]);
  });
});
