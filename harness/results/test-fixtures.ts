// Hand-written results for the results/ tests (and for report tests that need a document).
// Timings are invented round numbers; nothing here pretends to come from a real engine.
import { summarize } from '../stats/summary.ts';
import type { CompletedMeasurement, Measurement, ResultsDocument } from './schema.ts';
import type { NewRun } from './store.ts';

export function exampleRun(): NewRun {
  return {
    startedAt: '2026-11-22T03:15:00.000Z',
    command: ['bench', 'run', '--profile', 'quick'],
    profile: 'quick',
    mode: 'batch',
    config: { repetitions: 3, warmups: 1, engines: ['spark', 'flink', 'duckdb'] },
    budget: { cores: 2, memoryMiB: 4096, parallelism: 2, workers: 1 },
    provenance: {
      harness: { version: '0.1.0' },
      git: { commit: 'a'.repeat(40), dirty: false },
      host: { os: 'Debian GNU/Linux 12 (bookworm)', arch: 'x64', kernel: '6.1.0', cpuModel: 'Example CPU', cores: 2, memoryMiB: 24576 },
      node: { version: 'v20.19.0' },
      java: { missing: true, reason: '`java -version` failed: command not found' },
      runtime: { kind: 'docker', details: { serverVersion: '20.10' }, images: { 'bench-spark:abc': 'sha256:123' } },
      distributions: [
        {
          name: 'spark',
          version: '4.0.1',
          components: [{ name: 'spark-sql-kafka-0-10_2.13', version: '4.0.1' }],
          artifacts: [{ file: 'pyspark-4.0.1.tar.gz', algorithm: 'sha256', checksum: 'b'.repeat(64) }],
        },
      ],
      engineSettings: { spark: { 'spark.sql.shuffle.partitions': '2' } },
      seed: 42,
      scale: 0.01,
      profile: 'quick',
    },
  };
}

export function completed(engine: string, workload: string, wallMs: number[], engineMs: number[] | null): CompletedMeasurement {
  return {
    workload,
    engine,
    mode: 'batch',
    scale: 0.01,
    params: { limit: 100 },
    status: 'completed',
    statistics: {
      wallMs: summarize(wallMs),
      engineMs: engineMs ? summarize(engineMs) : { missing: true, reason: 'no engine timing in REST reply' },
    },
    repetitions: wallMs.map((ms, index) =>
      engineMs
        ? { index, startedAt: '2026-11-22T03:16:00.000Z', wallMs: ms, engineMs: engineMs[index] }
        : {
            index,
            startedAt: '2026-11-22T03:16:00.000Z',
            wallMs: ms,
            engineMs: null,
            engineMsMissingReason: 'no engine timing in REST reply',
          },
    ),
    warmups: 1,
    answer: { checksum: 'c0ffee', rows: 100, verified: true },
  };
}

/** One measurement of every status, over two workloads. */
export function exampleMeasurements(): Measurement[] {
  const common = { mode: 'batch', scale: 0.01, params: {} } as const;
  return [
    completed('spark', 'topn', [4000, 5000, 4500], [3000, 3500, 3200]),
    completed('flink', 'topn', [9000, 10000, 12000], null),
    completed('duckdb', 'topn', [1500, 1200, 1300], [1100, 1000, 1050]),
    {
      ...common,
      workload: 'multijoin',
      engine: 'spark',
      status: 'invalid',
      reason: 'wrong answer: 3 of 12 rows differ from the DuckDB reference',
      statistics: completed('spark', 'multijoin', [20000, 21000, 22000], null).statistics,
      diff: { summary: '3 of 12 rows differ', expectedRows: 12, actualRows: 12 },
    },
    { ...common, workload: 'multijoin', engine: 'flink', status: 'failed', reason: 'job failed: OutOfMemoryError in TaskManager' },
    { ...common, workload: 'multijoin', engine: 'duckdb', status: 'timed-out', timeoutMs: 600000, reason: 'no result after 600000 ms' },
    { ...common, workload: 'multijoin', engine: 'spark-continuous', status: 'unsupported', reason: 'Continuous processing does not support Aggregate operations.' },
  ];
}

export function exampleDocument(): ResultsDocument {
  return {
    schemaVersion: 2,
    runId: '20261122-031500-ab12',
    status: 'completed',
    finishedAt: '2026-11-22T03:45:00.000Z',
    ...exampleRun(),
    measurements: exampleMeasurements(),
  };
}

/** The measurement as gone through `path` of `family` (fixtures without one read as results written before paths were recorded). */
export function via<M extends Measurement>(m: M, path: string, family: 'session' | 'job' | 'client' | 'in-process'): M {
  return { ...m, submission: { path, family } };
}
