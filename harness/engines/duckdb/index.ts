// DuckDB baseline/oracle: public surface of harness/engines/duckdb.
export { answerColumnProblems, prepareDuckDbWorkload, runDuckDbWorkload } from './duckdb-engine.ts';
export type { DuckDbRunResult, DuckDbWorkloadOptions, PreparedDuckDbWorkload } from './duckdb-engine.ts';
export { openDuckDb, readerToAnswer, sqlString } from '../../duckdb/session.ts';
export type { DuckDbSession, DuckDbSessionOptions } from '../../duckdb/session.ts';
