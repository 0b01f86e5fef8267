// The few object operations publishing needs, with S3's failures turned into messages that
// say what to do. Objects here are small (a results document, an HTML report of ~1 MB), so
// bodies are buffers: single-part uploads whose integrity the server checks (Content-MD5).
import { createHash } from 'node:crypto';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { BenchError } from '../errors.ts';
import type { BenchS3Client } from './s3-client.ts';
import { s3Url, type S3Location } from './s3-location.ts';

/** Metadata key holding the sha256 (hex) of the object's bytes, set by every upload. */
export const SHA256_METADATA = 'sha256';

export interface ObjectInfo {
  readonly size: number;
  /** sha256 hex from our metadata; undefined for objects uploaded by something else. */
  readonly sha256: string | undefined;
  readonly etag: string | undefined;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export class S3Bucket {
  readonly client: S3Client;

  constructor(
    private readonly s3: BenchS3Client,
    readonly location: S3Location,
  ) {
    this.client = s3.client;
  }

  get bucket(): string {
    return this.location.bucket;
  }

  /** Size, our sha256 metadata and ETag of `key`; undefined when there is no such object. */
  async head(key: string): Promise<ObjectInfo | undefined> {
    try {
      const reply = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { size: reply.ContentLength ?? -1, sha256: reply.Metadata?.[SHA256_METADATA], etag: reply.ETag };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw this.explain(error, 'read', key);
    }
  }

  /** The object's bytes; undefined when there is no such object. */
  async get(key: string): Promise<Buffer | undefined> {
    try {
      const reply = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (!reply.Body) throw new Error(`empty body for ${s3Url(this.location, key)}`);
      return Buffer.from(await reply.Body.transformToByteArray());
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw this.explain(error, 'read', key);
    }
  }

  /**
   * Uploads `body` with Content-MD5 (the store rejects a body that arrives different) and its
   * sha256 as metadata, then checks with a HEAD that the stored size and sha256 are ours.
   */
  async put(key: string, body: Buffer, contentType: string): Promise<void> {
    const sha256 = sha256Hex(body);
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: body,
          ContentLength: body.length,
          ContentType: contentType,
          ContentMD5: createHash('md5').update(body).digest('base64'),
          Metadata: { [SHA256_METADATA]: sha256 },
        }),
      );
    } catch (error) {
      throw this.explain(error, 'write', key);
    }
    const stored = await this.head(key);
    if (!stored || stored.size !== body.length || stored.sha256 !== sha256) {
      throw new BenchError(
        `upload of ${s3Url(this.location, key)} did not verify: sent ${body.length} bytes with sha256 ${sha256}, ` +
          `the store reports ${stored ? `${stored.size} bytes with sha256 ${stored.sha256 ?? '(none)'}` : 'no object'}`,
      );
    }
  }

  /** All keys under `prefix` (paginated). */
  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    try {
      do {
        const reply = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }));
        for (const object of reply.Contents ?? []) if (object.Key) keys.push(object.Key);
        token = reply.IsTruncated ? reply.NextContinuationToken : undefined;
      } while (token);
    } catch (error) {
      throw this.explain(error, 'list', prefix);
    }
    return keys;
  }

  /** A user-facing error naming the object, the endpoint and what to check. Never includes credentials. */
  explain(error: unknown, action: 'read' | 'write' | 'list', key: string): BenchError {
    const where = `${s3Url(this.location, key)} at ${this.s3.endpointDescription}`;
    const name = (error as { name?: string }).name ?? 'Error';
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    const message = (error as Error).message ?? String(error);
    const code = networkCode(error);
    if (code) return new BenchError(`cannot ${action} ${where}: the endpoint did not answer (${code}); check --s3-endpoint / AWS_ENDPOINT_URL`);
    if (name === 'CredentialsProviderError') {
      return new BenchError(`cannot ${action} ${where}: no S3 credentials found (${message}); set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE`);
    }
    if (['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'AccessDenied', 'Forbidden', 'InvalidToken', 'ExpiredToken'].includes(name) || status === 403) {
      return new BenchError(
        `S3 refused the credentials to ${action} ${where} (${name}${status ? `, HTTP ${status}` : ''}): check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or AWS_PROFILE) and the bucket's permissions`,
      );
    }
    if (name === 'NoSuchBucket') return new BenchError(`cannot ${action} ${where}: bucket '${this.bucket}' does not exist; create it first`);
    return new BenchError(`cannot ${action} ${where}: ${name}${status ? ` (HTTP ${status})` : ''}: ${message}`);
  }
}

function isNotFound(error: unknown): boolean {
  const name = (error as { name?: string }).name;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  // A missing bucket is an error to report, not an absent object.
  return name !== 'NoSuchBucket' && (name === 'NotFound' || name === 'NoSuchKey' || status === 404);
}

function networkCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH)$/.test(code)) return code;
  }
  return undefined;
}
