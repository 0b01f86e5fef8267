// The batch execution interface every engine implements (spark/batch.ts, flink/batch.ts,
// duckdb/batch.ts): run one workload query over the generated datasets once, timed. One
// started engine is one submission path (engine.ts): its warm-ups and repetitions go through it.
import type { GeneratedDataset } from '../generators/batch/generate.ts';
import type { Answer } from '../answer/answer.ts';
import type { VariableOptions, Workload } from '../workloads/load.ts';
import type { Scraper } from '../metrics/sampler.ts';
import type { SubmissionPath } from './engine.ts';

export interface BatchExecutionRequest {
  readonly workload: Workload;
  readonly variables: VariableOptions;
  readonly datasets: Readonly<Record<string, GeneratedDataset>>;
  /** Fresh directory for this execution's output (never reused: METHOD rule 5). */
  readonly outputDir: string;
  readonly timeoutMs: number;
}

interface Timed {
  /** Harness-side wall time: submission → completion as the harness saw it. */
  readonly wallMs: number;
}

export type BatchExecution =
  | (Timed & {
      readonly status: 'completed';
      /** The engine's own duration; null with a reason when it could not be read. */
      readonly engineMs: number | null;
      readonly engineMsMissingReason?: string;
      /** Where the answer is: files in a directory, or rows in hand (in-process engines). */
      readonly output: { readonly dir: string; readonly format: 'parquet' | 'csv' } | { readonly answer: Answer };
      /** Engine-side id (Spark app id, Flink job id) for metrics and logs. */
      readonly engineId?: string;
      /** The client's own start-up before its first statement (e.g. a JDBC client's JVM), not part of wallMs. */
      readonly clientStartMs?: number;
    })
  | (Timed & { readonly status: 'failed'; readonly reason: string; readonly logExcerpt?: string })
  | (Timed & { readonly status: 'timed-out'; readonly reason: string });

export interface StartedBatchEngine {
  /** The engine's id (`spark`, `flink`, `duckdb`), as measurements name it. */
  readonly engine: string;
  readonly path: SubmissionPath;
  /** Engine settings that differ from the engine's defaults (recorded in provenance). */
  readonly settings: Readonly<Record<string, string>>;
  execute(request: BatchExecutionRequest): Promise<BatchExecution>;
  /** Fresh metric scrapers for one execution (absent: the engine has no services to watch, e.g. in-process DuckDB). */
  metricsScrapers?(): Scraper[];
  stop(): Promise<void>;
}

/** A dataset's column types as declared in workload.yaml (for each engine's table DDL). */
export function datasetColumns(request: BatchExecutionRequest, dataset: string) {
  const spec = request.workload.spec.datasets?.[dataset];
  if (!spec) throw new Error(`workload '${request.workload.id}' has no dataset '${dataset}'`);
  return Object.fromEntries(Object.entries(spec.columns).map(([name, column]) => [name, column.type]));
}
