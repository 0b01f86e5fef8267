// Which submission path a measurement went through, also for results written before paths
// were recorded, and the label a path is shown under. Report, summary table and compare all
// read paths through here, so an old file is matched and labelled the same way everywhere.
import type { Measurement } from './schema.ts';
import { SUBMISSION_FAMILIES } from './schema.ts';

export type SubmissionFamily = (typeof SUBMISSION_FAMILIES)[number];
export interface Submission {
  path: string;
  family: SubmissionFamily;
}

/**
 * How runs that did not record a path reached each engine: one path per engine then.
 * Historical data, not a choice: batch Spark was spark-submit per query, Flink the SQL
 * Gateway on a session cluster, DuckDB in-process.
 */
export const OLD_SUBMISSION: Readonly<Record<string, Submission>> = {
  spark: { path: 'spark-submit', family: 'job' },
  flink: { path: 'flink-gateway', family: 'session' },
  duckdb: { path: 'duckdb-in-process', family: 'in-process' },
};

/**
 * The measurement's path: as recorded, else (a batch measurement from an older file) the
 * engine's only old path; undefined for streaming and for an engine with no known old path.
 */
export function submissionOf(m: Pick<Measurement, 'mode' | 'engine' | 'submission'>): Submission | undefined {
  if (m.submission) return m.submission;
  return m.mode === 'batch' ? OLD_SUBMISSION[m.engine] : undefined;
}

/** 'spark (spark-connect)': engine plus path, so two paths of one engine are never merged; the bare engine when no path is known. */
export function pathLabel(m: Pick<Measurement, 'mode' | 'engine' | 'submission'>): string {
  const submission = submissionOf(m);
  return submission ? `${m.engine} (${submission.path})` : m.engine;
}

export const FAMILY_WORDS: Readonly<Record<SubmissionFamily, string>> = {
  session: 'session (warm)',
  job: 'job (cold)',
  client: 'client (cold client, warm cluster)',
  'in-process': 'in-process (baseline)',
};

/**
 * A measurement taken with a fault injected (`--fault`): shown under Faults beside its
 * unfaulted counterpart, never ranked against unfaulted measurements (like for like).
 */
export function isFaulted(m: Pick<Measurement, 'params'> & { fault?: unknown; streaming?: { fault?: unknown } }): boolean {
  return m.params.faults !== undefined || m.fault !== undefined || m.streaming?.fault !== undefined;
}
