// DuckDB as a batch engine: in-process, the single-machine baseline (COST) with the same core
// budget (threads) as each cluster engine. The answer is in hand, no output files.
import type { BatchExecution, StartedBatchEngine } from '../batch-engine.ts';
import type { SubmissionPath } from '../engine.ts';
import { prepareDuckDbWorkload, type PreparedDuckDbWorkload } from './duckdb-engine.ts';

export function duckDbBatchEngine(threads: number, submission: SubmissionPath): StartedBatchEngine {
  const prepared = new Map<string, PreparedDuckDbWorkload>();
  return {
    engine: 'duckdb',
    path: submission,
    settings: { threads: String(threads) },
    async execute(request): Promise<BatchExecution> {
      const key = `${request.workload.id}/${request.variables.scale}/${request.variables.seed}`;
      const started = Date.now();
      try {
        let workload = prepared.get(key);
        if (!workload) {
          workload = await prepareDuckDbWorkload(request.workload, { ...request.variables, threads, datasets: request.datasets });
          prepared.set(key, workload);
        }
        const result = await workload.run();
        return {
          status: 'completed',
          wallMs: Date.now() - started,
          engineMs: null,
          engineMsMissingReason: 'DuckDB runs in-process and reports no duration of its own; the wall time is its query time',
          output: { answer: result },
        };
      } catch (error) {
        return { status: 'failed', wallMs: Date.now() - started, reason: `DuckDB: ${(error as Error).message}` };
      }
    },
    async stop() {
      for (const workload of prepared.values()) workload.close();
      prepared.clear();
    },
  };
}
