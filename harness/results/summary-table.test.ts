import { describe, expect, it } from 'vitest';
import { summaryTable } from './summary-table.ts';
import { streamingDocument } from '../report/test-fixtures.ts';
import { completed, exampleDocument } from './test-fixtures.ts';

describe('summaryTable', () => {
  it('shows numbers only for completed measurements, statuses with reasons otherwise; engine + path, × fastest within a submission family', () => {
    expect(summaryTable(exampleDocument())).toBe(
      [
        'Workload   Engine (submission path)    Median wall (s)   Min–max (s)            Engine-reported median (s)  × fastest  Spread (max/min)  Status',
        '---------  --------------------------  ---------------  ------------  ------------------------------------  ---------  ----------------  ------------------------------------------------------------',
        'topn       spark (spark-submit)                  4.500   4.000–5.000                                 3.200       1.00              1.25  completed',
        'topn       flink (flink-gateway)                10.000  9.000–12.000  missing (no engine timing in REST r…       1.00              1.33  completed',
        'topn       duckdb (duckdb-in-process)            1.300   1.200–1.500                                 1.050       1.00              1.25  completed',
        'multijoin  spark (spark-submit)                      —             —                                     —          —                 —  invalid: wrong answer: 3 of 12 rows differ from the DuckDB …',
        'multijoin  flink (flink-gateway)                     —             —                                     —          —                 —  failed: job failed: OutOfMemoryError in TaskManager',
        'multijoin  duckdb (duckdb-in-process)                —             —                                     —          —                 —  timed-out: no result after 600000 ms',
        'multijoin  spark-continuous                          —             —                                     —          —                 —  unsupported: Continuous processing does not support Aggrega…',
      ].join('\n'),
    );
  });

  it('adds a scale column when scales differ and compares only within one scale', () => {
    const document = exampleDocument();
    document.measurements = [
      { ...completed('spark', 'topn', [2000, 2000, 2000], [1000, 1000, 1000]), scale: 1 },
      { ...completed('flink', 'topn', [3000, 3000, 3000], [1500, 1500, 1500]), scale: 1 },
      { ...completed('spark', 'topn', [30000, 33000, 36000], [25000, 25000, 25000]), scale: 10 },
    ];
    expect(summaryTable(document)).toBe(
      [
        'Workload  Scale  Engine (submission path)  Median wall (s)    Min–max (s)  Engine-reported median (s)  × fastest  Spread (max/min)  Status',
        '--------  -----  ------------------------  ---------------  -------------  --------------------------  ---------  ----------------  ---------',
        'topn      1      spark (spark-submit)                2.000    2.000–2.000                       1.000       1.00              1.00  completed',
        'topn      1      flink (flink-gateway)               3.000    3.000–3.000                       1.500       1.00              1.00  completed',
        'topn      10     spark (spark-submit)               33.000  30.000–36.000                      25.000       1.00              1.20  completed',
      ].join('\n'),
    );
  });

  it('renders only the header for a run without measurements', () => {
    const document = { ...exampleDocument(), measurements: [] };
    expect(summaryTable(document).split('\n')).toHaveLength(2);
  });

  it('shows streaming rows with input rate, p50/p99 and the sustainable rate, never the window as a wall time', () => {
    const document = streamingDocument();
    const [flink, spark] = document.measurements;
    if (flink?.status === 'completed' && flink.streaming) flink.streaming = { ...flink.streaming, latencyFrom: 'intended' };
    if (spark?.status === 'completed' && spark.streaming) spark.streaming = { ...spark.streaming, rateSearch: { ...spark.streaming.rateSearch!, sustainableRate: { missing: true, reason: 'no rate was sustainable' }, why: 'no integer rate left between 0 and 1' } };
    expect(summaryTable(document)).toBe(
      [
        'Workload     Variant           Input (rec/s)  p50 (ms)  p99 (ms)  Latency from                   Sustainable (rec/s)  Status',
        '-----------  ----------------  -------------  --------  --------  ------------  ------------------------------------  ------------------------------------------------------------',
        'passthrough  flink-rocksdb            40,000        20        80  intended                                    40,000  completed',
        'passthrough  spark-microbatch         20,000       300     1,200  hand-over     none (no integer rate left between …  completed',
        'passthrough  spark-continuous              —         —         —  —                                                —  unsupported: Continuous trigger needs a Kafka sink with exa…',
      ].join('\n'),
    );
  });

  it('a sustainable rate found at the harness limit reads as a lower bound', () => {
    const document = streamingDocument();
    const [flink] = document.measurements;
    if (flink?.status === 'completed' && flink.streaming) flink.streaming = { ...flink.streaming, rateSearch: { ...flink.streaming.rateSearch!, harnessLimitedAt: 44000 } };
    expect(summaryTable(document).split('\n')[2]).toBe('passthrough  flink-rocksdb            40,000        20        80  hand-over     ≥ 40,000 (harness limit)  completed');
  });
});
