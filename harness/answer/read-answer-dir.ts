// Reads an engine's output directory (Parquet or CSV part files) into an Answer, with DuckDB
// as the file reader.
import fs from 'node:fs';
import path from 'node:path';
import { openDuckDb, sqlString } from '../duckdb/session.ts';
import { duckDbType } from '../generators/batch/table-ddl.ts';
import type { ColumnType } from '../workloads/workload-spec.ts';
import type { Answer } from './answer.ts';

export interface ReadAnswerOptions {
  /** CSV only: column names and types, in file order (engines' CSV output has no reliable header). */
  readonly columns?: Readonly<Record<string, ColumnType>>;
  /** CSV only: whether the files start with a header line (default false). */
  readonly header?: boolean;
  readonly threads?: number;
}

/** Part files of an output directory in name order (numbers compared as numbers). */
export function answerFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) throw new Error(`answer directory ${dir} does not exist`);
  return fs
    .readdirSync(dir, { withFileTypes: true })
    // _SUCCESS, _committed, .crc, .part-…inprogress: engine bookkeeping, not answer rows.
    .filter((entry) => entry.isFile() && !entry.name.startsWith('_') && !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    .sort((x, y) => x.localeCompare(y, 'en', { numeric: true }))
    .map((name) => path.join(dir, name));
}

/** Reads every part file of an engine's output directory, in file order, as one Answer. */
export async function readAnswerDir(dir: string, format: 'parquet' | 'csv', options: ReadAnswerOptions = {}): Promise<Answer> {
  const files = answerFiles(dir);
  if (files.length === 0) throw new Error(`answer directory ${dir} holds no output files (only bookkeeping files or nothing)`);
  const list = `[${files.map(sqlString).join(', ')}]`;
  let source: string;
  if (format === 'parquet') {
    source = `read_parquet(${list})`;
  } else {
    const typed = options.columns
      ? `, columns = {${Object.entries(options.columns)
          .map(([name, type]) => `${sqlString(name)}: ${sqlString(duckDbType(type))}`)
          .join(', ')}}`
      : '';
    source = `read_csv(${list}, header = ${options.header ? 'true' : 'false'}, auto_detect = ${options.columns ? 'false' : 'true'}${typed})`;
  }
  await using db = await openDuckDb({ threads: options.threads ?? 2 });
  await db.execute('SET preserve_insertion_order = true');
  return await db.query(`SELECT * FROM ${source}`); // await: disposal must wait for the query
}
