import { describe, expect, it } from 'vitest';
import { exampleDocument, via } from '../results/test-fixtures.ts';
import { flatten, methodSection, pathSpanRows, repetitionsUsed } from './method.ts';
import type { Block } from './model.ts';

describe('method section', () => {
  it('states the warm-ups and repetitions each engine actually ran', () => {
    expect(repetitionsUsed(exampleDocument())).toEqual([
      { engine: 'spark', text: '3 measured + 1 warm-up' },
      { engine: 'flink', text: '3 measured + 1 warm-up' },
      { engine: 'duckdb', text: '3 measured + 1 warm-up' },
    ]);
  });

  it('lists the budget and every non-default engine setting', () => {
    const tables = methodSection(exampleDocument()).blocks.filter((b): b is Extract<Block, { kind: 'table' }> => b.kind === 'table');
    expect(tables.map((t) => t.title)).toEqual([
      'Warm-ups and repetitions used in this run',
      "What each path's times span (wall and engine time; client start-up is kept out of the wall and shown apart)",
      'Resource budget (identical for every engine)',
      'Engine settings that differ from the engine defaults',
      'Effective configuration (flags over profile)',
    ]);
    expect(tables[2].table.rows).toEqual([['2', '4096', '2', '1']]);
    expect(tables[3].table.rows).toEqual([['spark', 'spark.sql.shuffle.partitions', '2']]);
  });

  it("states each measured path's spans, in path order; an unknown path id says so", () => {
    const document = exampleDocument();
    const [spark, flink, duckdb] = document.measurements.filter((m) => m.mode === 'batch');
    const rows = pathSpanRows({ ...document, measurements: [via(flink!, 'flink-gateway', 'session'), via(spark!, 'spark-connect', 'session'), via(duckdb!, 'duckdb-in-process', 'in-process'), via(spark!, 'spark-livy', 'session')] });
    expect(rows.map((r) => r[0])).toEqual(['spark-connect', 'flink-gateway', 'duckdb-in-process', 'spark-livy']);
    expect(rows[0]).toEqual([
      'spark-connect',
      'session',
      "the client's first statement on an open connection → the write committed: dataset views (Parquet schema inference) on the warm application, the query, the commit",
      "the write's SQL execution as Spark's listener bus times it (planning, every stage, the commit of the output files)",
      "the JDBC client's JVM start, loading the driver and opening the connection (a session on the server)",
    ]);
    expect(rows[1]![4]).toBe('— (no client start-up of its own)');
    expect(rows[3]).toEqual(['spark-livy', '', 'not known to this version of the harness', '', '']);
  });

  it('flattens nested configuration to dotted keys', () => {
    expect(flatten({ a: 1, b: { c: 'x', d: [1, 2] } })).toEqual([
      ['a', '1'],
      ['b.c', 'x'],
      ['b.d', '[1,2]'],
    ]);
  });
});
