// MinIO, a real S3-compatible server, as a service spec for the harness's runtimes. It is
// built from source by .ci/install-minio.sh (pinned in minio.version) into <cache>/bin and run
// by the local runtime as a plain process on 127.0.0.1; readiness is its liveness endpoint.
// Credentials go in through the environment only (never argv, which is logged), and
// `--quiet` keeps MinIO's banner — which prints the root credentials — out of the service log.
import fs from 'node:fs';
import path from 'node:path';
import { BenchError } from '../errors.ts';
import { cacheDir, REPO_ROOT } from '../paths.ts';
import type { ServiceContext, ServiceSpec } from '../runtime/runtime.ts';
import { Wait } from '../runtime/wait.ts';

export const MINIO_VERSION_FILE = path.join(REPO_ROOT, 'harness', 'objectstore', 'minio.version');

export function pinnedMinioVersion(): string {
  return fs.readFileSync(MINIO_VERSION_FILE, 'utf8').trim();
}

export function minioBinaryPath(): string {
  return path.join(cacheDir(), 'bin', 'minio');
}

/** The built binary; an error saying how to build it when it is missing or another version. */
export function requireMinioBinary(): string {
  const binary = minioBinaryPath();
  const wanted = pinnedMinioVersion();
  const stampFile = `${binary}.version`;
  const built = fs.existsSync(stampFile) ? fs.readFileSync(stampFile, 'utf8').trim() : undefined;
  if (!fs.existsSync(binary) || built !== wanted) {
    throw new BenchError(
      `MinIO ${wanted} is not built at ${binary}${built ? ` (found ${built})` : ''}: run .ci/install-minio.sh (builds it from source with Go, ~3 min)`,
    );
  }
  return binary;
}

export interface MinioCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export interface MinioSpecOptions {
  readonly name?: string;
  readonly binary: string;
  readonly credentials: MinioCredentials;
  readonly startTimeoutMs?: number;
}

export function minioServiceSpec(context: ServiceContext, options: MinioSpecOptions): ServiceSpec {
  const name = options.name ?? 'minio';
  const api = context.port(name, 'api', 9000);
  const console = context.port(name, 'console', 9001);
  const workDir = context.workDir(name);
  return {
    name,
    distribution: 'base',
    command: [
      options.binary,
      'server',
      '--quiet',
      '--address',
      `${context.bindAddress}:${api.listen}`,
      '--console-address',
      `${context.bindAddress}:${console.listen}`,
      '--certs-dir',
      path.join(workDir, 'certs'),
      path.join(workDir, 'data'),
    ],
    env: {
      MINIO_ROOT_USER: options.credentials.accessKeyId,
      MINIO_ROOT_PASSWORD: options.credentials.secretAccessKey,
      MINIO_BROWSER: 'off',
      MINIO_UPDATE: 'off',
    },
    ports: [api, console],
    files: [],
    sharedDirs: [],
    resources: { cpus: 1, memoryMiB: 512 },
    waitFor: Wait.forHttp('api', '/minio/health/live', { timeoutMs: options.startTimeoutMs ?? 60_000 }),
  };
}
