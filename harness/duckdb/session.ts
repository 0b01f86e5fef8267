// An in-process DuckDB database with a thread budget, returning results as engine-neutral
// Answers. Used by the batch data generator, the DuckDB baseline/oracle and readAnswerDir.
import { DuckDBInstance, type DuckDBConnection, type DuckDBResultReader } from '@duckdb/node-api';
import type { Answer, AnswerColumn, AnswerValue } from '../answer/answer.ts';

export interface DuckDbSessionOptions {
  /** Worker threads DuckDB may use: the core budget of the measurement. */
  readonly threads: number;
  /** e.g. '8GB'; DuckDB's default (80 % of RAM) when absent. */
  readonly memoryLimit?: string;
}

export interface DuckDbSession extends AsyncDisposable {
  readonly connection: DuckDBConnection;
  /** Runs one statement and reads the whole result. */
  query(sql: string): Promise<Answer>;
  /** Runs statements whose result is not needed (DDL, COPY). */
  execute(sql: string): Promise<void>;
  /** Closes now, or as soon as the statements in flight have settled. */
  close(): void;
}

const INTEGER_TYPES = new Set(['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT', 'UHUGEINT']);

function toAnswerValue(value: unknown, integerColumn: boolean): AnswerValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return integerColumn ? BigInt(value) : value;
  if (typeof value === 'bigint' || typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

/** Converts a materialised DuckDB result to an Answer: integers as bigint, floats as number. */
export function readerToAnswer(reader: DuckDBResultReader): Answer {
  const names = reader.columnNames();
  const types = reader.columnTypes().map((type) => type.toString());
  const columns: AnswerColumn[] = names.map((name, index) => ({ name, type: types[index] }));
  const integer = types.map((type) => INTEGER_TYPES.has(type));
  const rows = reader.getRowsJS().map((row) => row.map((value, index) => toAnswerValue(value, integer[index])));
  return { columns, rows };
}

export async function openDuckDb(options: DuckDbSessionOptions): Promise<DuckDbSession> {
  if (!Number.isInteger(options.threads) || options.threads < 1) {
    throw new Error(`DuckDB threads must be a positive integer, got ${options.threads}`);
  }
  const config: Record<string, string> = { threads: String(options.threads) };
  if (options.memoryLimit) config.memory_limit = options.memoryLimit;
  const instance = await DuckDBInstance.create(':memory:', config);
  const connection = await instance.connect();
  // Closing while a statement runs crashes the native side (bad_weak_ptr, segfault), and
  // `await using db …; return db.query(…)` disposes before the query settles: so closing
  // waits for the statements still in flight.
  const inFlight = new Set<Promise<unknown>>();
  const track = <T>(promise: Promise<T>): Promise<T> => {
    inFlight.add(promise);
    const forget = () => inFlight.delete(promise);
    promise.then(forget, forget);
    return promise;
  };
  let closed = false;
  const closeNow = () => {
    if (closed) return;
    closed = true;
    connection.closeSync();
    instance.closeSync();
  };
  const settled = () => Promise.allSettled([...inFlight]);
  return {
    connection,
    query: (sql) => track(connection.runAndReadAll(sql).then(readerToAnswer)),
    execute: (sql) => track(connection.run(sql).then(() => undefined)),
    close() {
      if (inFlight.size === 0) closeNow();
      else void settled().then(closeNow);
    },
    async [Symbol.asyncDispose]() {
      while (inFlight.size > 0) await settled();
      closeNow();
    },
  };
}

/** A SQL string literal (paths, names) with quotes escaped. */
export function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
