// Publishing as the commands use it: `bench publish` and `bench run --publish`.
import { publishRun, type PublishOutcome } from './publish-run.ts';
import { withBucket } from './load-runs.ts';
import type { S3ClientOptions } from './s3-client.ts';

/** Publishes `run` (id or directory) to `target` (s3://bucket/prefix). */
export async function publishToUrl(
  run: string,
  target: string,
  s3: S3ClientOptions = {},
  dirs: { resultsDir?: string; reportsDir?: string } = {},
): Promise<PublishOutcome> {
  return withBucket(target, s3, (bucket) => publishRun(bucket, { run, ...dirs }));
}
