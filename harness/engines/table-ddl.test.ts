import { describe, expect, it } from 'vitest';
import { engineById } from './index.ts';

describe('each engine registers a dataset as a table', () => {
  const columns = { id: 'BIGINT', n: { type: 'INT' }, word: 'STRING', price: 'DOUBLE', day: 'DATE' } as const;
  it('writes its own statement', () => {
    expect(engineById('spark').tableDdl('lines', columns, "/data/it's/lines.parquet")).toBe("CREATE TEMPORARY VIEW `lines` USING parquet OPTIONS (path '/data/it''s/lines.parquet')");
    expect(engineById('flink').tableDdl('lines', columns, '/data/lines.parquet')).toBe(
      "CREATE TABLE `lines` (\n  `id` BIGINT,\n  `n` INT,\n  `word` STRING,\n  `price` DOUBLE,\n  `day` DATE\n) WITH (\n  'connector' = 'filesystem',\n  'path' = '/data/lines.parquet',\n  'format' = 'parquet'\n)",
    );
    expect(engineById('duckdb').tableDdl('lines', columns, '/data/lines.parquet')).toBe(`CREATE VIEW "lines" AS SELECT * FROM read_parquet('/data/lines.parquet')`);
    expect(engineById('duckdb').tableDdl('out', columns, '/out/')).toBe(`CREATE VIEW "out" AS SELECT * FROM read_parquet('/out/*.parquet')`);
  });

  it('refuses a table without columns', () => {
    expect(() => engineById('spark').tableDdl('empty', {}, '/x')).toThrow("tableDdl: table 'empty' has no columns");
  });
});
