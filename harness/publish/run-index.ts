// <prefix>/index.json: the runs published under a prefix, newest last, so `bench history`
// and "compare with the previous run" need one GET instead of reading every results file.
// One writer at a time is assumed (the nightly job); a lost concurrent update is repaired by
// re-publishing the missing run.
import { z } from 'zod';
import type { ResultsDocument } from '../results/schema.ts';

export const INDEX_VERSION = 1 as const;

export const runIndexEntrySchema = z.strictObject({
  runId: z.string().min(1),
  startedAt: z.string().min(1),
  finishedAt: z.string().min(1).optional(),
  status: z.string().min(1),
  profile: z.string().min(1),
  mode: z.string().min(1),
  scale: z.union([z.number(), z.string()]),
  engines: z.array(z.string()),
  workloads: z.array(z.string()),
  /** name@version of every engine distribution. */
  distributions: z.array(z.string()),
  /** How many measurements ended in each status. */
  measurements: z.record(z.string(), z.int().min(0)),
  /** Key of results.json, relative to the prefix. */
  results: z.string().min(1),
  /** sha256 of results.json: tells a re-publish of the same bytes from a changed run. */
  resultsSha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Key of the report's index.html relative to the prefix, when a report was published. */
  report: z.string().min(1).optional(),
  gitCommit: z.string().optional(),
});
export type RunIndexEntry = z.infer<typeof runIndexEntrySchema>;

export const runIndexSchema = z.strictObject({
  indexVersion: z.literal(INDEX_VERSION),
  runs: z.array(runIndexEntrySchema),
});
export type RunIndex = z.infer<typeof runIndexSchema>;

export function emptyIndex(): RunIndex {
  return { indexVersion: INDEX_VERSION, runs: [] };
}

export function indexEntryFor(
  document: ResultsDocument,
  published: { results: string; resultsSha256: string; report?: string },
): RunIndexEntry {
  const counts: Record<string, number> = {};
  for (const m of document.measurements) counts[m.status] = (counts[m.status] ?? 0) + 1;
  const git = document.provenance.git;
  return {
    runId: document.runId,
    startedAt: document.startedAt,
    ...(document.finishedAt ? { finishedAt: document.finishedAt } : {}),
    status: document.status,
    profile: document.profile,
    mode: document.mode,
    scale: document.provenance.scale,
    engines: unique(document.measurements.map((m) => m.engine)),
    workloads: unique(document.measurements.map((m) => m.workload)),
    distributions: document.provenance.distributions.map((d) => `${d.name}@${d.version}`),
    measurements: counts,
    results: published.results,
    resultsSha256: published.resultsSha256,
    ...(published.report ? { report: published.report } : {}),
    ...('commit' in git ? { gitCommit: git.commit } : {}),
  };
}

/** The index with `entry` added or replacing the entry of the same run, ordered by start time. */
export function withEntry(index: RunIndex, entry: RunIndexEntry): RunIndex {
  const runs = [...index.runs.filter((run) => run.runId !== entry.runId), entry];
  runs.sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.runId.localeCompare(b.runId));
  return { indexVersion: INDEX_VERSION, runs };
}

export function serializeIndex(index: RunIndex): Buffer {
  return Buffer.from(`${JSON.stringify(index, null, 2)}\n`);
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
