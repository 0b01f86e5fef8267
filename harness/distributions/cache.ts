// The artifact cache: cacheDir()/artifacts/{pypi,maven/<groupId>}/<file>. A file enters it only
// after its sha256 and size matched the lock, by rename from a temp directory on the same
// filesystem, so an interrupted download never leaves a half file under a cached name.
import fs from 'node:fs';
import path from 'node:path';
import { BenchError } from '../errors.ts';
import { createLogger } from '../log.ts';
import { cacheDir } from '../paths.ts';
import { verifyFile } from './checksum.ts';
import { mavenCopy, pipBatches, pipDownload } from './clients.ts';
import { type DownloadProgress, inSubdirectories, mavenLocalRepository, watchDownload, type WatchedFile } from './download-watch.ts';
import { LOCK_FILE, type LockedArtifact, type MavenArtifact, type PypiArtifact } from './lock.ts';

export type { DownloadProgress } from './download-watch.ts';

const log = createLogger('bench:distributions');

export function artifactsDir(root = cacheDir()): string {
  return path.join(root, 'artifacts');
}

export function artifactCachePath(artifact: LockedArtifact, root = cacheDir()): string {
  return artifact.source === 'pypi'
    ? path.join(artifactsDir(root), 'pypi', artifact.file)
    : path.join(artifactsDir(root), 'maven', artifact.groupId, artifact.file);
}

/** A temp directory inside the cache (same filesystem, so finished files can be renamed in); stale ones are swept by prepare. */
export function makeCacheTempDir(prefix: string, root = cacheDir()): string {
  const base = path.join(root, 'tmp');
  fs.mkdirSync(base, { recursive: true });
  return fs.mkdtempSync(path.join(base, `.tmp-${prefix}-`));
}

export function formatMiB(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export interface EnsureArtifactsOptions {
  /** Download again even when a cached copy exists (and replace it once verified). */
  readonly force?: boolean;
  readonly onProgress?: (message: string) => void;
  /** Bytes received of each pip / Maven download, read from the growing files. */
  readonly onDownload?: DownloadProgress;
  readonly signal?: AbortSignal;
}

function corruptedCacheError(file: string, artifact: LockedArtifact, actual: { actualSha256: string; actualSize: number }): BenchError {
  return new BenchError(
    `cached artifact ${file} does not match ${LOCK_FILE} (${artifact.id}): expected sha256 ${artifact.sha256} (${artifact.size} bytes), ` +
      `actual sha256 ${actual.actualSha256} (${actual.actualSize} bytes). Delete the file, or run \`npx bench prepare --force\`, to download it again.`,
  );
}

/**
 * Makes every artifact present and verified in the cache; returns id → cached path.
 * Cached files are re-hashed here (this runs only when a home is assembled).
 */
export async function ensureArtifacts(artifacts: readonly LockedArtifact[], options: EnsureArtifactsOptions = {}): Promise<Map<string, string>> {
  const paths = new Map<string, string>();
  const missing: LockedArtifact[] = [];
  const byPath = new Map<string, LockedArtifact>();
  for (const artifact of artifacts) {
    const file = artifactCachePath(artifact);
    const other = byPath.get(file);
    if (other && other.sha256 !== artifact.sha256) {
      throw new BenchError(`${LOCK_FILE}: '${other.id}' and '${artifact.id}' share the cache file ${file} with different checksums; fix the lock`);
    }
    paths.set(artifact.id, file);
    if (other) continue;
    byPath.set(file, artifact);
    if (!options.force && fs.existsSync(file)) {
      const verdict = await verifyFile(file, artifact);
      if (!verdict.ok) throw corruptedCacheError(file, artifact, verdict);
      continue;
    }
    missing.push(artifact);
  }
  if (missing.length === 0) return paths;

  const total = missing.reduce((sum, a) => sum + a.size, 0);
  options.onProgress?.(`downloading ${missing.length} artifact(s), ${formatMiB(total)}`);
  const temp = makeCacheTempDir('download');
  try {
    const downloaded = await download(missing, temp, options);
    for (const artifact of missing) {
      const got = downloaded.get(artifact.id)!;
      const verdict = await verifyFile(got, artifact);
      if (!verdict.ok) {
        throw new BenchError(
          `downloaded ${artifact.file} (${artifact.id}) does not match ${LOCK_FILE}: expected sha256 ${artifact.sha256} (${artifact.size} bytes), ` +
            `actual sha256 ${verdict.actualSha256} (${verdict.actualSize} bytes). The registry served a different file than the lock pins; ` +
            'if the lock is out of date, regenerate it with `npx tsx harness/distributions/update-lock.ts`.',
        );
      }
      const target = artifactCachePath(artifact);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.renameSync(got, target);
      log.debug(`cached ${target}`);
    }
    options.onProgress?.(`verified and cached ${missing.length} artifact(s)`);
  } finally {
    fs.rmSync(temp, { recursive: true, force: true });
  }
  return paths;
}

/** Downloads with one pip call per option set and one Maven call; returns id → downloaded file. */
async function download(artifacts: readonly LockedArtifact[], temp: string, options: EnsureArtifactsOptions): Promise<Map<string, string>> {
  const result = new Map<string, string>();
  const pypi = artifacts.filter((a): a is PypiArtifact => a.source === 'pypi');
  const maven = artifacts.filter((a): a is MavenArtifact => a.source === 'maven');
  if (pypi.length) {
    const pipDir = path.join(temp, 'pip');
    // pip downloads into TMPDIR/pip-unpack-*/ first; a TMPDIR of our own makes that watchable.
    const pipTemp = path.join(temp, 'pip-tmp');
    fs.mkdirSync(pipDir, { recursive: true });
    fs.mkdirSync(pipTemp, { recursive: true });
    // One pip call per batch (pipBatches), each shown as its own download.
    for (const batch of pipBatches(pypi) as PypiArtifact[][]) {
      const watched = batch.map((a): WatchedFile => ({ size: a.size, candidates: () => [path.join(pipDir, a.file), ...inSubdirectories(pipTemp, a.file)] }));
      const watch = watchDownload(`pip: ${batch.map((a) => `${a.package} ${a.version}`).join(', ')}`, watched, options.onDownload);
      let completed = false;
      try {
        await pipDownload(batch, pipDir, { ...options, tempDir: pipTemp });
        completed = true;
      } finally {
        watch.stop(completed);
      }
    }
    const produced = fs.readdirSync(pipDir);
    for (const artifact of pypi) {
      if (!produced.includes(artifact.file)) {
        throw new BenchError(
          `pip download of ${artifact.package}==${artifact.version} did not produce ${artifact.file} (the lock's file); it produced: ${produced.join(', ') || 'nothing'}. ` +
            'Check the pip options in the lock, or regenerate it with `npx tsx harness/distributions/update-lock.ts`.',
        );
      }
      result.set(artifact.id, path.join(pipDir, artifact.file));
    }
  }
  for (const [index, batch] of mavenBatches(maven).entries()) {
    const batchBytes = batch.reduce((sum, a) => sum + a.size, 0);
    options.onProgress?.(`maven: fetching ${batch.length} artifact(s), ${formatMiB(batchBytes)}`);
    const workDir = path.join(temp, `maven-${index}`);
    const watched = batch.map((a): WatchedFile => {
      const relative = path.join(...a.groupId.split('.'), a.artifactId, a.version, a.file);
      const local = path.join(mavenLocalRepository(), relative);
      return { size: a.size, candidates: () => [`${local}.part`, local, path.join(workDir, 'out', relative)] };
    });
    const watch = watchDownload(`maven: ${batch.length} artifact(s)`, watched, options.onDownload);
    let files;
    try {
      files = await mavenCopy(batch, workDir, { ...options, onProgress: undefined });
    } finally {
      watch.stop(files !== undefined);
    }
    for (const artifact of batch) {
      const got = files.find((f) => f.groupId === artifact.groupId && f.artifactId === artifact.artifactId && f.file === artifact.file);
      if (!got) throw new BenchError(`Maven did not produce ${artifact.file} (${artifact.id}); it produced: ${files.map((f) => f.file).join(', ') || 'nothing'}`);
      result.set(artifact.id, got.path);
    }
  }
  return result;
}

/** Splits artifacts so no batch holds one groupId:artifactId twice (a pom resolves each once). */
export function mavenBatches(artifacts: readonly MavenArtifact[]): MavenArtifact[][] {
  const batches: { keys: Set<string>; items: MavenArtifact[] }[] = [];
  for (const artifact of artifacts) {
    const key = `${artifact.groupId}:${artifact.artifactId}:${artifact.classifier ?? ''}:${artifact.type}`;
    let batch = batches.find((b) => !b.keys.has(key));
    if (!batch) batches.push((batch = { keys: new Set(), items: [] }));
    batch.keys.add(key);
    batch.items.push(artifact);
  }
  return batches.map((b) => b.items);
}
