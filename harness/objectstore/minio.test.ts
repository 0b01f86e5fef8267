// MinIO through the local runtime: it answers S3 with the generated credentials only, and
// nothing is left running after stop.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { requireMinioBinary } from './minio.ts';
import { startMinio } from './start-minio.ts';

describe('MinIO object store', () => {
  it('says how to build the binary when it is missing', () => {
    const previous = process.env.BENCH_CACHE_DIR;
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-nocache-'));
    process.env.BENCH_CACHE_DIR = empty;
    try {
      expect(() => requireMinioBinary()).toThrow(`is not built at ${path.join(empty, 'bin', 'minio')}: run .ci/install-minio.sh`);
    } finally {
      if (previous === undefined) delete process.env.BENCH_CACHE_DIR;
      else process.env.BENCH_CACHE_DIR = previous;
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });

  it('starts on 127.0.0.1, checks credentials, and stops completely', async () => {
    const minio = await startMinio();
    const pid = minio.service.handle.kind === 'local' ? minio.service.handle.pid : -1;
    try {
      expect(minio.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      await minio.createBucket('probe');
      const buckets = await minio.adminClient().send(new ListBucketsCommand({}));
      expect(buckets.Buckets?.map((b) => b.Name)).toEqual(['probe']);
      const impostor = new S3Client({
        endpoint: minio.endpoint,
        region: minio.region,
        forcePathStyle: true,
        credentials: { accessKeyId: minio.credentials.accessKeyId, secretAccessKey: 'not-the-secret' },
      });
      await expect(impostor.send(new ListBucketsCommand({}))).rejects.toMatchObject({ name: 'SignatureDoesNotMatch' });
      impostor.destroy();
      expect(await minio.service.logs()).not.toContain(minio.credentials.secretAccessKey);
    } finally {
      await minio.stop();
    }
    expect(() => process.kill(pid, 0)).toThrow();
  });
});
