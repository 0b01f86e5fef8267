// What the engines' table DDL shares (each engine's own statement is in
// harness/engines/<engine>/ddl.ts): the column types a workload declares, and quoting.
import type { ColumnType } from '../../workloads/workload-spec.ts';

export type TableColumns = Readonly<Record<string, ColumnType | { readonly type: ColumnType }>>;

const DUCKDB_TYPES: Record<ColumnType, string> = { BIGINT: 'BIGINT', INT: 'INTEGER', DOUBLE: 'DOUBLE', STRING: 'VARCHAR', DATE: 'DATE' };

/** DuckDB's name of a workload column type (the generator and the answer reader use DuckDB). */
export function duckDbType(type: ColumnType): string {
  return DUCKDB_TYPES[type];
}

export function columnType(column: ColumnType | { readonly type: ColumnType }): ColumnType {
  return typeof column === 'string' ? column : column.type;
}

export function checkColumns(name: string, columns: TableColumns): void {
  if (Object.keys(columns).length === 0) throw new Error(`tableDdl: table '${name}' has no columns`);
}

export const sqlQuote = (text: string) => `'${text.replaceAll("'", "''")}'`;
export const backtick = (name: string) => `\`${name.replaceAll('`', '``')}\``;
export const doubleQuote = (name: string) => `"${name.replaceAll('"', '""')}"`;
