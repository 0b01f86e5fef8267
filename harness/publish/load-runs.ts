// Reading runs back, from a results directory or from a publication prefix in S3 — for
// `bench compare`, `bench history` and the report's trends (`--history`).
//
// A run reference is a run id (under results/), a run directory, a results.json path, or an
// S3 URL: s3://bucket/prefix/runs/<run-id> (or …/results.json). A run source (many runs) is a
// results directory or a publication prefix s3://bucket/prefix (its index.json).
import fs from 'node:fs';
import path from 'node:path';
import { BenchError } from '../errors.ts';
import { resultsDir as defaultResultsDir } from '../paths.ts';
import type { ResultsDocument } from '../results/schema.ts';
import { RESULTS_FILE, ResultsStore } from '../results/store.ts';
import { parseResultsDocument } from './parse-documents.ts';
import { readIndex } from './publish-run.ts';
import { indexEntryFor, type RunIndexEntry } from './run-index.ts';
import { S3Bucket, sha256Hex } from './s3-bucket.ts';
import { createS3Client, type S3ClientOptions } from './s3-client.ts';
import { isS3Url, keyUnder, parseS3Url, s3Url } from './s3-location.ts';

export interface LoadOptions {
  /** Where run ids are looked up (default results/). */
  resultsDir?: string;
  s3?: S3ClientOptions;
}

export function bucketFor(url: string, s3: S3ClientOptions = {}): S3Bucket {
  return new S3Bucket(createS3Client(s3), parseS3Url(url));
}

/** Runs `use` with a bucket for `url`, closing its connections afterwards. */
export async function withBucket<T>(url: string, s3: S3ClientOptions | undefined, use: (bucket: S3Bucket) => Promise<T>): Promise<T> {
  const bucket = bucketFor(url, s3);
  try {
    return await use(bucket);
  } finally {
    bucket.client.destroy();
  }
}

/** One results document from a run id, directory, file or S3 URL. */
export async function loadRun(reference: string, options: LoadOptions = {}): Promise<ResultsDocument> {
  if (!isS3Url(reference)) return ResultsStore.load(reference, { resultsDir: options.resultsDir });
  return withBucket(reference, options.s3, async (bucket) => {
    const location = bucket.location;
    const key = location.prefix.endsWith('.json') ? location.prefix : keyUnder(location, RESULTS_FILE);
    const bytes = await bucket.get(key);
    if (!bytes) {
      throw new BenchError(
        `no results document at ${s3Url(location, key)}: published runs live at s3://<bucket>/<prefix>/runs/<run-id> ` +
          '(`npx bench history s3://<bucket>/<prefix>` lists them)',
      );
    }
    return parseResultsDocument(bytes, s3Url(location, key));
  });
}

/** The runs of a source, oldest first. */
export async function listRuns(source: string, options: LoadOptions = {}): Promise<RunIndexEntry[]> {
  if (isS3Url(source)) return withBucket(source, options.s3, async (bucket) => (await readIndex(bucket)).runs);
  return listLocalRuns(source);
}

/** Runs under a results directory, indexed the same way as a publication prefix. */
function listLocalRuns(dir: string): RunIndexEntry[] {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new BenchError(`${dir} is not a directory: expected a results directory (e.g. results/) or s3://bucket/prefix`);
  }
  const entries: RunIndexEntry[] = [];
  for (const name of fs.readdirSync(dir).sort()) {
    const file = path.join(dir, name, RESULTS_FILE);
    if (!fs.existsSync(file)) continue;
    // An unreadable run is an error to see, not a run to skip silently.
    const document = ResultsStore.load(file);
    entries.push(indexEntryFor(document, { results: path.join(name, RESULTS_FILE), resultsSha256: sha256Hex(fs.readFileSync(file)) }));
  }
  return entries.sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.runId.localeCompare(b.runId));
}

/** The documents of the last `limit` runs of a source, oldest first (for trend charts). */
export async function loadRecentRuns(source: string, options: LoadOptions & { limit?: number } = {}): Promise<ResultsDocument[]> {
  const runs = await listRuns(source, options);
  const chosen = options.limit === undefined ? runs : runs.slice(-options.limit);
  return Promise.all(chosen.map((entry) => loadEntry(source, entry, options)));
}

export async function loadEntry(source: string, entry: RunIndexEntry, options: LoadOptions = {}): Promise<ResultsDocument> {
  if (!isS3Url(source)) return ResultsStore.load(path.join(source, entry.results));
  return withBucket(source, options.s3, async (bucket) => {
    const key = keyUnder(bucket.location, entry.results);
    const bytes = await bucket.get(key);
    if (!bytes) throw new BenchError(`${s3Url(bucket.location, key)} is listed in the index but missing; re-publish run ${entry.runId}`);
    return parseResultsDocument(bytes, s3Url(bucket.location, key));
  });
}

/**
 * The newest completed run of `source` that started before `candidate`, with the same
 * profile, mode and scale — the baseline a nightly run is compared with. Undefined (with why)
 * when there is none.
 */
export async function previousRun(
  source: string,
  candidate: ResultsDocument,
  options: LoadOptions = {},
): Promise<{ document: ResultsDocument } | { document: undefined; reason: string }> {
  const runs = await listRuns(source, options);
  const eligible = runs.filter(
    (run) =>
      run.runId !== candidate.runId &&
      run.startedAt < candidate.startedAt &&
      run.status === 'completed' &&
      run.profile === candidate.profile &&
      run.mode === candidate.mode &&
      String(run.scale) === String(candidate.provenance.scale),
  );
  const latest = eligible.at(-1);
  if (!latest) {
    return {
      document: undefined,
      reason: `${source} has no completed run before ${candidate.runId} with profile '${candidate.profile}', mode '${candidate.mode}' and scale ${JSON.stringify(candidate.provenance.scale)} (${runs.length} run${runs.length === 1 ? '' : 's'} listed)`,
    };
  }
  return { document: await loadEntry(source, latest, options) };
}
