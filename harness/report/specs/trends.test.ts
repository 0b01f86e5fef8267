import { describe, expect, it } from 'vitest';
import { exampleDocument } from '../../results/test-fixtures.ts';
import { enginePalette, orderEngines } from '../palette.ts';
import { olderBatchDocument } from '../test-fixtures.ts';
import { trendChart } from './trends.ts';

const engines = ['spark', 'flink', 'duckdb'];
const colors = { order: orderEngines(engines), colors: enginePalette(engines) };

describe('trend chart', () => {
  it('needs at least two runs', () => {
    expect(trendChart([exampleDocument()], exampleDocument().runId, colors)).toBeUndefined();
  });

  it('plots completed medians oldest first, marking the current run', () => {
    const current = exampleDocument();
    const chart = trendChart([current, olderBatchDocument()], current.runId, colors)!;
    const spec = chart.spec as { data: { values: unknown[] }; spec: { layer: { encoding: { x: unknown } }[] } };
    expect(spec.data.values).toEqual([
      { runId: '20261121-031500-0001', workload: 'topn @ scale 0.01', engine: 'spark', medianS: 5.2, current: false },
      { runId: '20261121-031500-0001', workload: 'topn @ scale 0.01', engine: 'flink', medianS: 8.1, current: false },
      { runId: '20261121-031500-0001', workload: 'topn @ scale 0.01', engine: 'duckdb', medianS: 1.5, current: false },
      { runId: '20261122-031500-ab12', workload: 'topn @ scale 0.01', engine: 'spark', medianS: 4.5, current: true },
      { runId: '20261122-031500-ab12', workload: 'topn @ scale 0.01', engine: 'flink', medianS: 10, current: true },
      { runId: '20261122-031500-ab12', workload: 'topn @ scale 0.01', engine: 'duckdb', medianS: 1.3, current: true },
    ]);
    expect(spec.spec.layer[0].encoding.x).toEqual({ datum: '20261122-031500-ab12', type: 'ordinal', sort: ['20261121-031500-0001', '20261122-031500-ab12'] });
    expect(chart.table.rows[3]).toEqual(['multijoin @ scale 0.01', 'spark', '—', { text: 'invalid', title: 'wrong answer: 3 of 12 rows differ from the DuckDB reference', status: 'invalid' }]);
  });
});
