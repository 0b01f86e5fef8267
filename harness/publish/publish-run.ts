// Publishing a run: results/<run-id>/results.json and, when present, reports/<run-id>/**
// go to <prefix>/runs/<run-id>/, then the prefix's index.json is updated. Each object is
// compared (size + sha256 metadata) with what is already stored and only uploaded when it
// differs, so re-publishing an unchanged run uploads nothing.
import fs from 'node:fs';
import path from 'node:path';
import { BenchError } from '../errors.ts';
import { createLogger } from '../log.ts';
import { reportsDir as defaultReportsDir, resultsDir as defaultResultsDir } from '../paths.ts';
import { RESULTS_FILE, ResultsStore } from '../results/store.ts';
import { parseRunIndex } from './parse-documents.ts';
import { emptyIndex, indexEntryFor, serializeIndex, withEntry, type RunIndex } from './run-index.ts';
import { S3Bucket, sha256Hex } from './s3-bucket.ts';
import { indexKey, reportKeyPrefix, resultsKey, s3Url, type S3Location } from './s3-location.ts';

const log = createLogger('bench:publish');

export interface PublishOptions {
  /** Run id (a directory under resultsDir) or a run directory. */
  run: string;
  resultsDir?: string;
  reportsDir?: string;
}

export interface PublishOutcome {
  readonly runId: string;
  readonly target: string;
  /** Keys written. */
  readonly uploaded: string[];
  /** Keys already stored with the same bytes. */
  readonly unchanged: string[];
  readonly indexUpdated: boolean;
  readonly bytesUploaded: number;
  readonly durationMs: number;
}

interface LocalFile {
  readonly key: string;
  readonly file: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
};

export async function publishRun(bucket: S3Bucket, options: PublishOptions): Promise<PublishOutcome> {
  const started = performance.now();
  const resultsDir = options.resultsDir ?? defaultResultsDir();
  // Validates the document: an invalid run is not published.
  const document = ResultsStore.load(options.run, { resultsDir });
  const runDir = fs.existsSync(options.run) ? path.resolve(options.run) : path.join(resultsDir, options.run);
  const resultsFile = fs.statSync(runDir).isDirectory() ? path.join(runDir, RESULTS_FILE) : runDir;
  if (document.status === 'running') {
    log.warn(`run ${document.runId} is still marked running: publishing what it has so far`);
  }
  const location = bucket.location;
  const files: LocalFile[] = [{ key: resultsKey(location, document.runId), file: resultsFile }];
  const reportDir = path.join(options.reportsDir ?? defaultReportsDir(), document.runId);
  const reportFiles = fs.existsSync(reportDir) ? listFiles(reportDir) : [];
  for (const file of reportFiles) {
    files.push({ key: `${reportKeyPrefix(location, document.runId)}/${path.relative(reportDir, file).split(path.sep).join('/')}`, file });
  }
  log.info(`publishing run ${document.runId} (${files.length} file${files.length === 1 ? '' : 's'}${reportFiles.length ? ', with report' : ', no report found in ' + reportDir}) to ${s3Url(location)}`);

  const uploaded: string[] = [];
  const unchanged: string[] = [];
  let bytesUploaded = 0;
  let resultsSha256 = '';
  for (const { key, file } of files) {
    const body = fs.readFileSync(file);
    const sha256 = sha256Hex(body);
    if (file === resultsFile) resultsSha256 = sha256;
    const stored = await bucket.head(key);
    if (stored && stored.size === body.length && stored.sha256 === sha256) {
      unchanged.push(key);
      continue;
    }
    await bucket.put(key, body, CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream');
    uploaded.push(key);
    bytesUploaded += body.length;
    log.debug(`uploaded ${s3Url(location, key)} (${body.length} bytes, sha256 ${sha256})`);
  }

  const relative = (key: string) => key.slice(location.prefix ? location.prefix.length + 1 : 0);
  const hasReport = reportFiles.some((file) => path.relative(reportDir, file) === 'index.html');
  const entry = indexEntryFor(document, {
    results: relative(resultsKey(location, document.runId)),
    resultsSha256,
    ...(hasReport ? { report: relative(`${reportKeyPrefix(location, document.runId)}/index.html`) } : {}),
  });
  const current = await readIndex(bucket);
  const existing = current.runs.find((run) => run.runId === document.runId);
  let indexUpdated = false;
  if (!existing || JSON.stringify(existing) !== JSON.stringify(entry)) {
    await bucket.put(indexKey(location), serializeIndex(withEntry(current, entry)), CONTENT_TYPES['.json']);
    indexUpdated = true;
  }
  const outcome: PublishOutcome = {
    runId: document.runId,
    target: s3Url(location, `${location.prefix ? `${location.prefix}/` : ''}runs/${document.runId}`),
    uploaded,
    unchanged,
    indexUpdated,
    bytesUploaded,
    durationMs: Math.round(performance.now() - started),
  };
  log.info(
    `published ${document.runId}: ${uploaded.length} uploaded (${bytesUploaded} bytes), ${unchanged.length} unchanged, index ${indexUpdated ? 'updated' : 'unchanged'}, ${outcome.durationMs} ms`,
  );
  return outcome;
}

/** The prefix's index; empty when nothing was published there yet. */
export async function readIndex(bucket: S3Bucket): Promise<RunIndex> {
  const key = indexKey(bucket.location);
  const bytes = await bucket.get(key);
  return bytes ? parseRunIndex(bytes, s3Url(bucket.location, key)) : emptyIndex();
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full));
    else if (entry.isFile()) out.push(full);
    else throw new BenchError(`${full}: not a regular file or directory; the report directory should hold only files`);
  }
  return out.sort();
}
