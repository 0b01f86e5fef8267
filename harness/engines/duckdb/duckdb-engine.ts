// DuckDB in-process: the single-machine baseline (same core budget as the cluster engines)
// and the reference answer for batch workloads. It reads the very Parquet files Spark and
// Flink read.
import path from 'node:path';
import { BenchError, UsageError } from '../../errors.ts';
import { createLogger } from '../../log.ts';
import { generateWorkloadData, type GeneratedDataset } from '../../generators/batch/generate.ts';
import { duckDbTableDdl } from './ddl.ts';
import type { Answer } from '../../answer/answer.ts';
import { displayPath, querySqlFor, type VariableOptions, type Workload } from '../../workloads/load.ts';
import type { ColumnType } from '../../workloads/workload-spec.ts';
import { openDuckDb, type DuckDbSession } from '../../duckdb/session.ts';

const log = createLogger('bench:engine:duckdb');

export interface DuckDbWorkloadOptions extends VariableOptions {
  /** Core budget: DuckDB's thread count. */
  readonly threads: number;
  readonly memoryLimit?: string;
  /** Already generated data; generated (or reused from the cache) when absent. */
  readonly datasets?: Readonly<Record<string, GeneratedDataset>>;
  readonly dataRoot?: string;
}

export interface DuckDbRunResult extends Answer {
  /** Wall time of the query including reading the full result into memory. */
  readonly durationMs: number;
  readonly threads: number;
  readonly sql: string;
}

export interface PreparedDuckDbWorkload extends AsyncDisposable {
  readonly sql: string;
  readonly datasets: Readonly<Record<string, GeneratedDataset>>;
  /** One execution; call repeatedly for warm-up and repetitions. */
  run(): Promise<DuckDbRunResult>;
  close(): void;
}

const DUCKDB_FAMILIES: Record<ColumnType, RegExp> = {
  BIGINT: /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT)$/,
  INT: /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT)$/,
  DOUBLE: /^(DOUBLE|FLOAT)$/,
  STRING: /^VARCHAR$/,
  DATE: /^DATE$/,
};

/** Where the oracle's result disagrees with the workload's declared answer.columns (names, types). */
export function answerColumnProblems(workload: Workload, answer: Answer): string[] {
  const declared = Object.entries(workload.spec.answer?.columns ?? {});
  const problems: string[] = [];
  if (declared.length !== answer.columns.length) {
    problems.push(`answer.columns lists ${declared.length} columns (${declared.map(([n]) => n).join(', ')}), the query returns ${answer.columns.length} (${answer.columns.map((c) => c.name).join(', ')})`);
    return problems;
  }
  declared.forEach(([name, type], index) => {
    const actual = answer.columns[index];
    if (actual.name.toLowerCase() !== name) problems.push(`answer.columns.${name}: the query's column ${index + 1} is named '${actual.name}'`);
    else if (!DUCKDB_FAMILIES[type].test(actual.type)) problems.push(`answer.columns.${name}: declared ${type}, DuckDB returns ${actual.type}`);
  });
  return problems;
}

async function registerTables(db: DuckDbSession, workload: Workload, datasets: Readonly<Record<string, GeneratedDataset>>): Promise<void> {
  for (const [name, dataset] of Object.entries(datasets)) {
    await db.execute(duckDbTableDdl(name, workload.spec.datasets?.[name]?.columns ?? dataset.plan.columns, dataset.path));
  }
}

export async function prepareDuckDbWorkload(workload: Workload, options: DuckDbWorkloadOptions): Promise<PreparedDuckDbWorkload> {
  const sql = querySqlFor(workload, 'duckdb', options);
  const datasets = options.datasets ?? (await generateWorkloadData(workload, { ...options, threads: options.threads }));
  const db = await openDuckDb({ threads: options.threads, memoryLimit: options.memoryLimit });
  try {
    await registerTables(db, workload, datasets);
  } catch (error) {
    db.close();
    throw error;
  }
  const specFile = displayPath(path.join(workload.dir, 'workload.yaml'));
  return {
    sql,
    datasets,
    async run() {
      log.debug(`running ${workload.id} (scale ${options.scale}, ${options.threads} threads)`);
      const started = performance.now();
      const answer = await db.query(sql);
      const durationMs = performance.now() - started;
      const problems = answerColumnProblems(workload, answer);
      if (problems.length > 0) throw new UsageError(problems.map((p) => `${specFile}: ${p}`).join('\n'));
      log.info(`${workload.id}: ${answer.rows.length} rows in ${Math.round(durationMs)} ms (${options.threads} threads)`);
      return { ...answer, durationMs, threads: options.threads, sql };
    },
    close: () => db.close(),
    async [Symbol.asyncDispose]() {
      db.close();
    },
  };
}

/** Generates (or reuses) the data and runs the workload's query once. */
export async function runDuckDbWorkload(workload: Workload, options: DuckDbWorkloadOptions): Promise<DuckDbRunResult> {
  await using prepared = await prepareDuckDbWorkload(workload, options);
  return await prepared.run(); // await: disposal must wait for the query
}
