import { describe, expect, it } from 'vitest';
import { missing, type Measurement } from '../../results/schema.ts';
import { completed, via } from '../../results/test-fixtures.ts';
import { coldStartChart, coldStartRows, coldStartTable } from './cold-start.ts';

const colors = { order: ['spark', 'flink', 'duckdb'], colors: new Map([['spark', '#e8710a'], ['flink', '#6a3d9a'], ['duckdb', '#7f7f7f']]) };

function measurements(): Measurement[] {
  return [
    via(completed('spark', 'topn', [9000, 10000, 11000], [3000, 3500, 4000]), 'spark-submit', 'job'),
    via(completed('spark', 'topn', [1500, 2000, 2500], [1000, 1200, 1400]), 'spark-connect', 'session'),
    via(completed('flink', 'topn', [3000, 3100, 3200], null), 'flink-gateway', 'session'),
    { workload: 'topn', engine: 'flink', mode: 'batch', scale: 0.01, params: {}, submission: { path: 'flink-application', family: 'job' }, status: 'failed', reason: 'JobManager did not start' },
    via(completed('spark', 'wordcount', [5000], [4000]), 'spark-submit', 'job'),
    via(completed('duckdb', 'topn', [100], [90]), 'duckdb-in-process', 'in-process'),
  ];
}

describe('cost of a cold start', () => {
  it('is cold − warm median wall per engine and path pair, split into engine time and time outside the engine; an absent or failed side is missing with why', () => {
    expect(coldStartRows(measurements())).toEqual([
      {
        workload: 'topn',
        engine: 'spark',
        coldPath: 'spark-submit',
        warmPath: 'spark-connect',
        coldWallMs: 10000,
        warmWallMs: 2000,
        wallDeltaMs: 8000,
        engineDeltaMs: 2300,
        outsideDeltaMs: 5700,
        coldOutsideMs: 6500,
        warmOutsideMs: 800,
      },
      {
        workload: 'topn',
        engine: 'flink',
        coldPath: 'flink-application',
        warmPath: 'flink-gateway',
        coldWallMs: missing('flink (flink-application) failed: JobManager did not start'),
        warmWallMs: 3100,
        wallDeltaMs: missing('flink (flink-application) failed: JobManager did not start'),
        engineDeltaMs: missing('flink (flink-application) failed: JobManager did not start'),
        outsideDeltaMs: missing('flink (flink-application) failed: JobManager did not start'),
        coldOutsideMs: missing('flink (flink-application) failed: JobManager did not start'),
        warmOutsideMs: missing('engine time missing on flink (flink-gateway): no engine timing in REST reply'),
      },
      {
        workload: 'wordcount',
        engine: 'spark',
        coldPath: 'spark-submit',
        warmPath: null,
        coldWallMs: 5000,
        warmWallMs: missing('no warm (session-family) path of spark measured'),
        wallDeltaMs: missing('no warm (session-family) path of spark measured'),
        engineDeltaMs: missing('no warm (session-family) path of spark measured'),
        outsideDeltaMs: missing('no warm (session-family) path of spark measured'),
        coldOutsideMs: 1000,
        warmOutsideMs: missing('no warm (session-family) path of spark measured'),
      },
    ]);
  });

  it('tabulates every row, the reason written out where the difference is missing, and draws only complete pairs', () => {
    const rows = coldStartRows(measurements());
    expect(coldStartTable(rows).rows).toEqual([
      ['topn', 'spark', 'spark-submit', 'spark-connect', '10.0', '2.00', '8.00', '2.30', '5.70', '6.50', '0.800'],
      [
        'topn',
        'flink',
        'flink-application',
        'flink-gateway',
        { text: 'missing', title: 'flink (flink-application) failed: JobManager did not start' },
        '3.10',
        'missing: flink (flink-application) failed: JobManager did not start',
        { text: 'missing', title: 'flink (flink-application) failed: JobManager did not start' },
        { text: 'missing', title: 'flink (flink-application) failed: JobManager did not start' },
        { text: 'missing', title: 'flink (flink-application) failed: JobManager did not start' },
        { text: 'missing', title: 'engine time missing on flink (flink-gateway): no engine timing in REST reply' },
      ],
      [
        'wordcount',
        'spark',
        'spark-submit',
        '—',
        '5.00',
        { text: 'missing', title: 'no warm (session-family) path of spark measured' },
        'missing: no warm (session-family) path of spark measured',
        { text: 'missing', title: 'no warm (session-family) path of spark measured' },
        { text: 'missing', title: 'no warm (session-family) path of spark measured' },
        '1.00',
        { text: 'missing', title: 'no warm (session-family) path of spark measured' },
      ],
    ]);
    const chart = coldStartChart(rows, colors)!;
    expect(chart.spec.data).toEqual({ values: [{ workload: 'topn', engine: 'spark', pair: 'spark: spark-submit − spark-connect', deltaS: 8 }] });
    expect(coldStartChart(rows.slice(1), colors)).toBeUndefined();
  });
});
