// Spark: a dataset is a temporary view over its Parquet files (schema read from the files).
import { backtick, checkColumns, sqlQuote, type TableColumns } from '../../generators/batch/table-ddl.ts';

export function sparkTableDdl(name: string, columns: TableColumns, path: string): string {
  checkColumns(name, columns);
  return `CREATE TEMPORARY VIEW ${backtick(name)} USING parquet OPTIONS (path ${sqlQuote(path)})`;
}
