// DuckDB behind the engine interface: in-process, the single-machine baseline (the COST
// reference: same core budget as one cluster engine, never ranked against them), and the
// correctness oracle every batch answer and streaming final state is compared with.
import type { Engine } from '../engine.ts';
import { DUCKDB_IN_PROCESS } from '../submission-paths.ts';

export { DUCKDB_IN_PROCESS };
import { duckDbBatchEngine } from './batch.ts';
import { duckDbTableDdl } from './ddl.ts';
import { runDuckDbWorkload } from './duckdb-engine.ts';

export { answerColumnProblems, prepareDuckDbWorkload, runDuckDbWorkload } from './duckdb-engine.ts';
export type { DuckDbRunResult, DuckDbWorkloadOptions, PreparedDuckDbWorkload } from './duckdb-engine.ts';


export const duckDbEngine: Engine = {
  id: 'duckdb',
  dialect: 'duckdb',
  distributions: [],
  baseline: true,
  tableDdl: duckDbTableDdl,
  batch: {
    paths: [DUCKDB_IN_PROCESS],
    start: async (context, path) => duckDbBatchEngine(context.budget.cores, path),
  },
};

/** The correctness oracle: DuckDB's dialect and its answer to a batch workload. */
export const ORACLE = {
  dialect: duckDbEngine.dialect,
  referenceAnswer: runDuckDbWorkload,
} as const;
