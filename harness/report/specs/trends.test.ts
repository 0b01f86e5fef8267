import { describe, expect, it } from 'vitest';
import { exampleDocument } from '../../results/test-fixtures.ts';
import { enginePalette, orderEngines } from '../palette.ts';
import { olderBatchDocument } from '../test-fixtures.ts';
import type { ResultsDocument } from '../../results/schema.ts';
import { trendChart, versionChanges } from './trends.ts';

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
      { runId: '20261121-031500-0001', workload: 'topn @ scale 0.01', engine: 'spark', series: 'spark (spark-submit)', medianS: 5.2, current: false, versions: 'spark 4.0.1', versionChange: null },
      { runId: '20261121-031500-0001', workload: 'topn @ scale 0.01', engine: 'flink', series: 'flink (flink-gateway)', medianS: 8.1, current: false, versions: 'spark 4.0.1', versionChange: null },
      { runId: '20261121-031500-0001', workload: 'topn @ scale 0.01', engine: 'duckdb', series: 'duckdb (duckdb-in-process)', medianS: 1.5, current: false, versions: 'spark 4.0.1', versionChange: null },
      { runId: '20261122-031500-ab12', workload: 'topn @ scale 0.01', engine: 'spark', series: 'spark (spark-submit)', medianS: 4.5, current: true, versions: 'spark 4.0.1', versionChange: null },
      { runId: '20261122-031500-ab12', workload: 'topn @ scale 0.01', engine: 'flink', series: 'flink (flink-gateway)', medianS: 10, current: true, versions: 'spark 4.0.1', versionChange: null },
      { runId: '20261122-031500-ab12', workload: 'topn @ scale 0.01', engine: 'duckdb', series: 'duckdb (duckdb-in-process)', medianS: 1.3, current: true, versions: 'spark 4.0.1', versionChange: null },
    ]);
    expect(spec.spec.layer[0].encoding.x).toEqual({ datum: '20261122-031500-ab12', type: 'ordinal', sort: ['20261121-031500-0001', '20261122-031500-ab12'] });
    expect(chart.table.rows[3]).toEqual(['multijoin @ scale 0.01', 'spark (spark-submit)', '—', { text: 'invalid', title: 'wrong answer: 3 of 12 rows differ from the DuckDB reference', status: 'invalid' }]);
    expect(chart.caption).toBe('Median batch wall time of each workload × engine and submission path in each run; the current run (20261122-031500-ab12) is shaded and drawn larger.');
  });

  it('marks the runs where an engine version changed: a dashed rule and label per run, the caption and the table header say which', () => {
    const at = (document: ResultsDocument, runId: string, startedAt: string, versions: Record<string, string>): ResultsDocument => ({
      ...document,
      runId,
      startedAt,
      provenance: { ...document.provenance, distributions: Object.entries(versions).map(([name, version]) => ({ name, version, components: [], artifacts: [] })) },
    });
    const older = olderBatchDocument();
    const runs = [
      at(older, 'r1', '2026-11-20T03:00:00.000Z', { spark: '4.1.1', flink: '2.2.1' }),
      at(older, 'r2', '2026-11-21T03:00:00.000Z', { spark: '4.1.1', flink: '2.2.1' }),
      at(older, 'r3', '2026-11-22T03:00:00.000Z', { spark: '4.2.0', flink: '2.2.1' }),
      // A run with Kafka too (streaming): not a version change of Kafka.
      at(older, 'r4', '2026-11-23T03:00:00.000Z', { spark: '4.2.0', flink: '2.3.0', kafka: '4.1.2' }),
    ];
    expect(versionChanges(runs)).toEqual([null, null, 'spark 4.1.1 → 4.2.0', 'flink 2.2.1 → 2.3.0']);
    const chart = trendChart(runs, 'r4', colors)!;
    const spec = chart.spec as unknown as { data: { values: { runId: string; engine: string; versions: string; versionChange: string | null }[] }; spec: { layer: { transform?: unknown[]; mark: { type: string; strokeDash?: number[] }; encoding: Record<string, unknown> }[] } };
    expect(spec.data.values.filter((v) => v.engine === 'spark').map((v) => [v.runId, v.versions, v.versionChange])).toEqual([
      ['r1', 'flink 2.2.1, spark 4.1.1', null],
      ['r2', 'flink 2.2.1, spark 4.1.1', null],
      ['r3', 'flink 2.2.1, spark 4.2.0', 'spark 4.1.1 → 4.2.0'],
      ['r4', 'flink 2.3.0, kafka 4.1.2, spark 4.2.0', 'flink 2.2.1 → 2.3.0'],
    ]);
    const [, rule, label] = spec.spec.layer;
    expect(rule).toEqual({
      transform: [{ filter: 'datum.versionChange !== null' }, { aggregate: [], groupby: ['runId', 'versionChange'] }],
      mark: { type: 'rule', strokeDash: [4, 3], color: '#888' },
      encoding: { x: { field: 'runId', type: 'ordinal', title: 'Run (oldest → newest)', sort: ['r1', 'r2', 'r3', 'r4'], axis: { labelAngle: -40 } } },
    });
    expect(label!.mark.type).toBe('text');
    expect(label!.encoding.text).toEqual({ field: 'versionChange' });
    expect(chart.caption).toBe(
      'Median batch wall time of each workload × engine and submission path in each run; the current run (r4) is shaded and drawn larger. ' +
        'A dashed line marks a run whose engine versions differ from the run before it (r3: spark 4.1.1 → 4.2.0; r4: flink 2.2.1 → 2.3.0).',
    );
    expect(chart.table.columns.map((c) => c.header)).toEqual([
      'Workload',
      'Engine (submission path)',
      'r1 median (s)',
      'r2 median (s)',
      'r3 [spark 4.1.1 → 4.2.0] median (s)',
      'r4 (current) [flink 2.2.1 → 2.3.0] median (s)',
    ]);
  });
});
