// Flink: a dataset (or the answer sink) is a filesystem table with the declared column types.
import type { ColumnType } from '../../workloads/workload-spec.ts';
import { backtick, checkColumns, columnType, sqlQuote, type TableColumns } from '../../generators/batch/table-ddl.ts';

const FLINK_TYPES: Record<ColumnType, string> = { BIGINT: 'BIGINT', INT: 'INT', DOUBLE: 'DOUBLE', STRING: 'STRING', DATE: 'DATE' };

export function flinkType(type: ColumnType): string {
  return FLINK_TYPES[type];
}

export function flinkTableDdl(name: string, columns: TableColumns, path: string): string {
  checkColumns(name, columns);
  const columnList = Object.entries(columns)
    .map(([column, spec]) => `  ${backtick(column)} ${flinkType(columnType(spec))}`)
    .join(',\n');
  return `CREATE TABLE ${backtick(name)} (\n${columnList}\n) WITH (\n  'connector' = 'filesystem',\n  'path' = ${sqlQuote(path)},\n  'format' = 'parquet'\n)`;
}
