// DuckDB: a dataset is a view over read_parquet (a directory = all its Parquet files, in name order).
import { checkColumns, doubleQuote, sqlQuote, type TableColumns } from '../../generators/batch/table-ddl.ts';

export function duckDbTableDdl(name: string, columns: TableColumns, path: string): string {
  checkColumns(name, columns);
  const source = path.endsWith('.parquet') ? path : `${path.replace(/\/$/, '')}/*.parquet`;
  return `CREATE VIEW ${doubleQuote(name)} AS SELECT * FROM read_parquet(${sqlQuote(source)})`;
}
