// The statement that makes one Parquet dataset (or a result directory) visible as a table in
// each engine. Pure text, so the submitters and the DuckDB oracle register data the same way.
import type { ColumnType, EngineName } from '../../workloads/workload-spec.ts';

export type TableColumns = Readonly<Record<string, ColumnType | { readonly type: ColumnType }>>;

const DUCKDB_TYPES: Record<ColumnType, string> = { BIGINT: 'BIGINT', INT: 'INTEGER', DOUBLE: 'DOUBLE', STRING: 'VARCHAR', DATE: 'DATE' };
const FLINK_TYPES: Record<ColumnType, string> = { BIGINT: 'BIGINT', INT: 'INT', DOUBLE: 'DOUBLE', STRING: 'STRING', DATE: 'DATE' };

export function duckDbType(type: ColumnType): string {
  return DUCKDB_TYPES[type];
}

export function flinkType(type: ColumnType): string {
  return FLINK_TYPES[type];
}

function typeOf(column: ColumnType | { readonly type: ColumnType }): ColumnType {
  return typeof column === 'string' ? column : column.type;
}

const quote = (text: string) => `'${text.replaceAll("'", "''")}'`;
const backtick = (name: string) => `\`${name.replaceAll('`', '``')}\``;
const doubleQuote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * DDL registering `path` (a Parquet file or a directory of them) as table `name`:
 * Spark a temporary view (schema read from the file), Flink a filesystem table with the
 * declared column types, DuckDB a view over read_parquet.
 */
export function tableDdl(engine: EngineName, name: string, columns: TableColumns, path: string): string {
  if (Object.keys(columns).length === 0) throw new Error(`tableDdl: table '${name}' has no columns`);
  switch (engine) {
    case 'spark':
      return `CREATE TEMPORARY VIEW ${backtick(name)} USING parquet OPTIONS (path ${quote(path)})`;
    case 'flink': {
      const columnList = Object.entries(columns)
        .map(([column, spec]) => `  ${backtick(column)} ${flinkType(typeOf(spec))}`)
        .join(',\n');
      return `CREATE TABLE ${backtick(name)} (\n${columnList}\n) WITH (\n  'connector' = 'filesystem',\n  'path' = ${quote(path)},\n  'format' = 'parquet'\n)`;
    }
    case 'duckdb': {
      // A directory is read as all its Parquet files, in name order.
      const source = path.endsWith('.parquet') ? path : `${path.replace(/\/$/, '')}/*.parquet`;
      return `CREATE VIEW ${doubleQuote(name)} AS SELECT * FROM read_parquet(${quote(source)})`;
    }
    default: {
      const unknown: never = engine;
      throw new Error(`tableDdl: unknown engine '${String(unknown)}'`);
    }
  }
}
