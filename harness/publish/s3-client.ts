// The S3 client: endpoint, region and credentials come from the standard AWS environment and
// config files (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, AWS_PROFILE,
// ~/.aws/{config,credentials}, AWS_REGION, AWS_ENDPOINT_URL[_S3]), plus `--s3-endpoint` for
// S3-compatible stores. Credentials are resolved by the SDK and never read, printed or
// stored by the harness.
import { S3Client } from '@aws-sdk/client-s3';
import { createLogger } from '../log.ts';

const log = createLogger('bench:publish:s3');

export interface S3ClientOptions {
  /** e.g. http://127.0.0.1:9000 for MinIO; unset = AWS (or AWS_ENDPOINT_URL[_S3]). */
  endpoint?: string;
  region?: string;
}

export interface BenchS3Client {
  readonly client: S3Client;
  /** For messages: the endpoint URL or 'AWS S3'. */
  readonly endpointDescription: string;
}

/**
 * The SDK warns on Node < 22 that SDK releases after January 2027 will need Node 22. The
 * installed version is pinned by the lockfile and supports Node 20, so the notice only adds
 * noise to every command's stderr; a user who sets the variable keeps their choice.
 */
export function quietSdkNodeVersionNotice(): void {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}

export function createS3Client(options: S3ClientOptions = {}): BenchS3Client {
  quietSdkNodeVersionNotice();
  const endpoint = options.endpoint ?? process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL;
  if (endpoint !== undefined && !/^https?:\/\/[^/]+/.test(endpoint)) {
    throw new Error(`S3 endpoint ${JSON.stringify(endpoint)} is not a URL: expected e.g. http://127.0.0.1:9000`);
  }
  // The JS SDK reads AWS_REGION but not AWS_DEFAULT_REGION; S3-compatible stores accept any region.
  const region = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? (endpoint ? 'us-east-1' : undefined);
  const client = new S3Client({
    ...(region ? { region } : {}),
    ...(endpoint
      ? {
          endpoint,
          // S3-compatible stores address buckets by path, not by virtual host names.
          forcePathStyle: true,
          // The SDK's default (checksums on every request, streamed with trailing headers) is
          // not understood by every S3-compatible store; ENVIRONMENT.md saw silent corruption.
          // Uploads are checked with Content-MD5 and a HEAD instead (publish-run.ts).
          requestChecksumCalculation: 'WHEN_REQUIRED',
          responseChecksumValidation: 'WHEN_REQUIRED',
        }
      : {}),
  });
  const endpointDescription = endpoint ?? 'AWS S3';
  log.debug(`S3 client for ${endpointDescription}${region ? ` (region ${region})` : ''}`);
  return { client, endpointDescription };
}
