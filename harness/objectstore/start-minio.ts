// A throwaway MinIO for tests (and for trying `bench publish` locally): its own local runtime,
// fresh random credentials, data under the run dir, stopped and removed on dispose.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { createLocalRuntime } from '../runtime/local-runtime.ts';
import type { Runtime, StartedService } from '../runtime/runtime.ts';
import { newRunId } from '../results/store.ts';
import { quietSdkNodeVersionNotice } from '../publish/s3-client.ts';
import { minioServiceSpec, requireMinioBinary, type MinioCredentials } from './minio.ts';

export interface StartedMinio extends AsyncDisposable {
  /** http://127.0.0.1:<port> */
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: MinioCredentials;
  readonly service: StartedService;
  /** An S3 client with the root credentials (for test setup only). */
  adminClient(): S3Client;
  createBucket(name: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startMinio(options: { runDir?: string; startTimeoutMs?: number } = {}): Promise<StartedMinio> {
  const binary = requireMinioBinary();
  const runId = `minio-${newRunId()}`;
  const runDir = options.runDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'bench-minio-'));
  const ownsRunDir = options.runDir === undefined;
  // MinIO needs an access key of ≥ 3 and a secret of ≥ 8 characters.
  const credentials: MinioCredentials = {
    accessKeyId: `bench${randomBytes(6).toString('hex')}`,
    secretAccessKey: randomBytes(20).toString('hex'),
  };
  const runtime: Runtime = await createLocalRuntime({ runId, runDir, homes: { base: '/' }, stopGraceMs: 5_000 });
  let service: StartedService;
  try {
    service = await runtime.start(minioServiceSpec(runtime.context, { binary, credentials, startTimeoutMs: options.startTimeoutMs }));
  } catch (error) {
    await runtime.close();
    if (ownsRunDir) fs.rmSync(runDir, { recursive: true, force: true });
    throw error;
  }
  const endpoint = service.url('api', '').replace(/\/$/, '');
  const region = 'us-east-1';
  const clients: S3Client[] = [];
  const adminClient = () => {
    quietSdkNodeVersionNotice();
    const client = new S3Client({
      endpoint,
      region,
      forcePathStyle: true,
      credentials,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    clients.push(client);
    return client;
  };
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      for (const client of clients) client.destroy();
      await runtime.close();
      if (ownsRunDir) fs.rmSync(runDir, { recursive: true, force: true });
    })());
  return {
    endpoint,
    region,
    credentials,
    service,
    adminClient,
    async createBucket(name) {
      await adminClient().send(new CreateBucketCommand({ Bucket: name }));
    },
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
