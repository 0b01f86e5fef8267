import { describe, expect, it } from 'vitest';
import { completed, exampleMeasurements, via } from '../../results/test-fixtures.ts';
import type { Measurement } from '../../results/schema.ts';
import { streamingDocument } from '../test-fixtures.ts';
import { headlineRows, headlineTable } from './headline.ts';

const FIVE_FAST = [4000, 4100, 4200, 4300, 4400];
const FIVE_SLOW = [9000, 9500, 10000, 10500, 11000];

/** Warm and cold paths of both engines plus the baseline, five repetitions each. */
function mixedFamilies(): Measurement[] {
  return [
    via(completed('spark', 'multijoin', FIVE_FAST, null), 'spark-connect', 'session'),
    via(completed('spark', 'multijoin', [4500, 4600, 4700, 4800, 4900], null), 'spark-thrift', 'session'),
    via(completed('flink', 'multijoin', FIVE_SLOW, null), 'flink-gateway', 'session'),
    via(completed('spark', 'multijoin', [20000, 21000, 22000], null), 'spark-submit', 'job'),
    via(completed('flink', 'multijoin', [15000, 19000, 23000], null), 'flink-application', 'job'),
    via(completed('duckdb', 'multijoin', [100, 110, 120], null), 'duckdb-in-process', 'in-process'),
  ];
}

describe('headline', () => {
  it('ranks within a family only: one row per workload × family, each engine by its headline path, the baseline never ranked', () => {
    expect(headlineRows(mixedFamilies())).toEqual([
      {
        workload: 'multijoin',
        mode: 'batch',
        family: 'session',
        winner: 'spark (spark-connect)',
        ratio: 10000 / 4200,
        verdict: '2.38× faster than flink (flink-gateway): spark (spark-connect) 4.00–4.40 s vs flink (flink-gateway) 9.00–11.0 s, Mann-Whitney p = 0.0079',
        verified: true,
      },
      {
        workload: 'multijoin',
        mode: 'batch',
        family: 'job',
        winner: null,
        ratio: null,
        verdict:
          'no clear winner: flink (flink-application) 15.0–23.0 s vs spark (spark-submit) 20.0–22.0 s; the ranges overlap; 3 + 3 repetitions cannot reach p ≤ 0.05 (Mann-Whitney p = 0.7)',
        verified: true,
      },
    ]);
  });

  it("ranks Spark by its headline path (spark-connect) even when the Thrift server was faster: never the best of its two warm paths", () => {
    const measurements = [
      via(completed('spark', 'topn', FIVE_SLOW, null), 'spark-connect', 'session'),
      via(completed('spark', 'topn', FIVE_FAST, null), 'spark-thrift', 'session'),
      via(completed('flink', 'topn', [6000, 6100, 6200, 6300, 6400], null), 'flink-gateway', 'session'),
    ];
    expect(headlineRows(measurements)[0]).toMatchObject({ winner: 'flink (flink-gateway)', verdict: '1.61× faster than spark (spark-connect): flink (flink-gateway) 6.00–6.40 s vs spark (spark-connect) 9.00–11.0 s, Mann-Whitney p = 0.0079' });
    // Without its headline path, the first of its paths in declared order (spark-thrift), whatever its time.
    expect(headlineRows(measurements.slice(1))[0]).toMatchObject({ winner: 'spark (spark-thrift)' });
  });

  it('says "no clear winner" with both ranges when the ranges are apart but the test cannot be significant', () => {
    const measurements = [via(completed('spark', 'topn', [1000, 1100, 1200], null), 'spark-connect', 'session'), via(completed('flink', 'topn', [5000, 5100, 5200], null), 'flink-gateway', 'session')];
    expect(headlineRows(measurements)[0]!.verdict).toBe(
      'no clear winner: spark (spark-connect) 1.00–1.20 s vs flink (flink-gateway) 5.00–5.20 s; 3 + 3 repetitions cannot reach p ≤ 0.05 (Mann-Whitney p = 0.1)',
    );
  });

  it('never ranks a warm engine against a cold one: each is alone in its family, nothing to rank', () => {
    const measurements = [via(completed('spark', 'topn', FIVE_FAST, null), 'spark-connect', 'session'), via(completed('flink', 'topn', FIVE_SLOW, null), 'flink-application', 'job')];
    expect(headlineRows(measurements)).toEqual([
      { workload: 'topn', mode: 'batch', family: 'session', winner: null, ratio: null, verdict: 'only spark in the session (warm) family (spark (spark-connect)): nothing to rank', verified: true },
      { workload: 'topn', mode: 'batch', family: 'job', winner: null, ratio: null, verdict: 'only flink in the job (cold) family (flink (flink-application)): nothing to rank', verified: true },
    ]);
  });

  it('reads measurements without a recorded path as their engine\'s only old path (spark-submit cold, flink-gateway warm)', () => {
    expect(headlineRows(exampleMeasurements())).toEqual([
      { workload: 'topn', mode: 'batch', family: 'session', winner: null, ratio: null, verdict: 'only flink in the session (warm) family (flink (flink-gateway)): nothing to rank', verified: true },
      { workload: 'topn', mode: 'batch', family: 'job', winner: null, ratio: null, verdict: 'only spark in the job (cold) family (spark (spark-submit)): nothing to rank', verified: true },
      { workload: 'multijoin', mode: 'batch', family: 'session', winner: null, ratio: null, verdict: 'only flink in the session (warm) family (flink (flink-gateway) failed): nothing to rank', verified: false },
      { workload: 'multijoin', mode: 'batch', family: 'job', winner: null, ratio: null, verdict: 'only spark in the job (cold) family (spark (spark-submit) invalid): nothing to rank', verified: false },
      { workload: 'multijoin', mode: 'batch', family: 'unrecorded', winner: null, ratio: null, verdict: 'only spark-continuous in the path not recorded family (spark-continuous unsupported): nothing to rank', verified: false },
    ]);
  });

  it('does not let the DuckDB baseline win, and says when only one engine of a family completed', () => {
    const measurements: Measurement[] = [
      via(completed('duckdb', 'topn', [10], null), 'duckdb-in-process', 'in-process'),
      via(completed('flink', 'topn', [50], null), 'flink-gateway', 'session'),
      { workload: 'topn', engine: 'spark', mode: 'batch', scale: 0.01, params: {}, submission: { path: 'spark-connect', family: 'session' }, status: 'timed-out', timeoutMs: 1000, reason: 'slow' },
    ];
    expect(headlineRows(measurements)).toEqual([
      {
        workload: 'topn',
        mode: 'batch',
        family: 'session',
        winner: 'flink (flink-gateway)',
        ratio: null,
        verdict: 'only flink (flink-gateway) completed in the session (warm) family (spark (spark-connect) timed-out)',
        verified: false,
      },
    ]);
    expect(headlineRows([measurements[0]!])).toEqual([
      { workload: 'topn', mode: 'batch', family: 'in-process', winner: null, ratio: null, verdict: 'only the baseline (duckdb) ran: nothing to rank', verified: true },
    ]);
  });

  it('judges streaming by sustainable rate (higher wins)', () => {
    expect(headlineRows(streamingDocument().measurements)).toEqual([
      { workload: 'passthrough', mode: 'streaming', family: null, winner: 'flink-rocksdb', ratio: 2, verdict: '2.00× higher sustainable rate than spark-microbatch', verified: true },
    ]);
  });

  it('a sustainable rate found at the harness limit is a lower bound: a winner above it is "≥", a bound below the winner is no clear winner', () => {
    const atHarnessLimit = (engine: string) => (m: Measurement): Measurement =>
      m.engine === engine && m.status === 'completed' && m.streaming?.rateSearch ? { ...m, streaming: { ...m.streaming, rateSearch: { ...m.streaming.rateSearch, harnessLimitedAt: 44000 } } } : m;
    expect(headlineRows(streamingDocument().measurements.map(atHarnessLimit('flink-rocksdb')))).toEqual([
      { workload: 'passthrough', mode: 'streaming', family: null, winner: 'flink-rocksdb', ratio: 2, verdict: "≥ 2.00× higher sustainable rate than spark-microbatch (flink-rocksdb reached the harness's limit)", verified: true },
    ]);
    expect(headlineRows(streamingDocument().measurements.map(atHarnessLimit('spark-microbatch')))).toEqual([
      { workload: 'passthrough', mode: 'streaming', family: null, winner: null, ratio: null, verdict: "no clear winner: flink-rocksdb 40,000 rec/s vs spark-microbatch ≥ 20,000 rec/s (the harness's limit, not the engines')", verified: true },
    ]);
  });

  it('tabulates one cell per engine with its figure per path, the baseline beside every family, statuses with the reason as tooltip', () => {
    const table = headlineTable(mixedFamilies(), ['spark', 'flink', 'duckdb']);
    expect(table.columns.map((c) => c.header)).toEqual(['Workload', 'Mode', 'Submission family', 'Winner', 'Margin', 'Answers verified', 'spark', 'flink', 'duckdb (baseline)']);
    expect(table.rows.map((row) => [row[0], row[2], row[3], row[5], ...row.slice(6)])).toEqual([
      ['multijoin', 'session (warm)', 'spark (spark-connect)', { text: 'yes (4 of 4 that ran)', status: 'completed' }, '4.20 s (spark-connect); 4.70 s (spark-thrift)', '10.0 s (flink-gateway)', '0.110 s (duckdb-in-process)'],
      ['multijoin', 'job (cold)', 'no clear winner', { text: 'yes (3 of 3 that ran)', status: 'completed' }, '21.0 s (spark-submit)', '19.0 s (flink-application)', '0.110 s (duckdb-in-process)'],
    ]);
    const failures = headlineTable(exampleMeasurements(), ['spark', 'spark-continuous', 'flink', 'duckdb']);
    expect(failures.rows[3]).toEqual([
      'multijoin',
      'batch',
      'job (cold)',
      '—',
      'only spark in the job (cold) family (spark (spark-submit) invalid): nothing to rank',
      { text: 'no: spark (spark-submit) invalid, duckdb (duckdb-in-process) timed-out', status: 'invalid' },
      { text: 'invalid (spark-submit)', title: 'wrong answer: 3 of 12 rows differ from the DuckDB reference', status: 'invalid' },
      'no job (cold) path',
      'no job (cold) path',
      { text: 'timed-out (duckdb-in-process)', title: 'no result after 600000 ms', status: 'timed-out' },
    ]);
  });
});
