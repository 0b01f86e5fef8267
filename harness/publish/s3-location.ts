// s3://bucket/prefix URLs and the layout of a publication prefix:
//   <prefix>/index.json                      the runs published here (run-index.ts)
//   <prefix>/runs/<run-id>/results.json      the results document, byte for byte
//   <prefix>/runs/<run-id>/report/…          the HTML report directory, when there was one
import { BenchError, UsageError } from '../errors.ts';

export interface S3Location {
  readonly bucket: string;
  /** Key prefix without leading or trailing '/'; '' for the bucket root. */
  readonly prefix: string;
}

// Bucket naming rules (lowercase letters, digits, dots, hyphens; 3–63 characters).
const BUCKET_PATTERN = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function isS3Url(text: string): boolean {
  return text.startsWith('s3://');
}

export function parseS3Url(text: string): S3Location {
  if (!isS3Url(text)) throw new UsageError(`${JSON.stringify(text)} is not an S3 URL: expected s3://bucket/prefix`);
  const rest = text.slice('s3://'.length);
  const slash = rest.indexOf('/');
  const bucket = slash === -1 ? rest : rest.slice(0, slash);
  const prefix = slash === -1 ? '' : rest.slice(slash + 1).replace(/^\/+|\/+$/g, '');
  if (!BUCKET_PATTERN.test(bucket)) {
    throw new UsageError(
      `${JSON.stringify(text)}: bucket ${JSON.stringify(bucket)} is not a valid bucket name (3–63 lowercase letters, digits, '.', '-')`);
  }
  if (prefix.split('/').some((part) => part === '.' || part === '..')) {
    throw new UsageError(`${JSON.stringify(text)}: the prefix may not contain '.' or '..' segments`);
  }
  return { bucket, prefix };
}

export function s3Url(location: S3Location, key?: string): string {
  const path = key ?? location.prefix;
  return `s3://${location.bucket}${path ? `/${path}` : ''}`;
}

/** A key under the location's prefix. */
export function keyUnder(location: S3Location, ...parts: string[]): string {
  return [location.prefix, ...parts].filter((part) => part !== '').join('/');
}

export const INDEX_KEY = 'index.json';

export function indexKey(location: S3Location): string {
  return keyUnder(location, INDEX_KEY);
}

export function runKeyPrefix(location: S3Location, runId: string): string {
  return keyUnder(location, 'runs', runId);
}

export function resultsKey(location: S3Location, runId: string): string {
  return keyUnder(location, 'runs', runId, 'results.json');
}

export function reportKeyPrefix(location: S3Location, runId: string): string {
  return keyUnder(location, 'runs', runId, 'report');
}
