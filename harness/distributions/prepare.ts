// prepare: engine distributions fetched with pip/Maven, verified against the lock, cached, and
// assembled into ready-to-run homes at cacheDir()/dist/<name>-<version>-<lockHash8>/.
// A home is built in a temp directory and renamed into place with a completion marker inside,
// so an interrupted prepare is simply redone; a finished home is reused without network.
import fs from 'node:fs';
import path from 'node:path';
import { BenchError, UsageError } from '../errors.ts';
import { createLogger } from '../log.ts';
import { cacheDir } from '../paths.ts';
import { ASSEMBLY_VERSION, assembleHome, generatedFiles } from './assemble.ts';
import { type DownloadProgress, ensureArtifacts, formatMiB } from './cache.ts';
import { chooseLockedVersion, type ChosenVersion, DISTRIBUTION_NAMES, type EngineDistributionName, type LockedDistribution, loadLock, lockHashOf } from './lock.ts';

const log = createLogger('bench:distributions');

export type { EngineDistributionName } from './lock.ts';

export interface PreparedArtifact {
  readonly id: string;
  readonly file: string;
  readonly sha256: string;
  readonly size: number;
}

export interface PreparedDistribution {
  readonly name: EngineDistributionName;
  readonly version: string;
  /** Whether the version is the lock's default, or was asked for (flag or environment variable). */
  readonly versionSource: ChosenVersion['source'];
  /** Unpacked, ready-to-run directory on the host. */
  readonly home: string;
  /** Hash of this distribution's lock entry and assembly recipe: an input to image tags. */
  readonly lockHash: string;
  /** Versions of the parts, e.g. { spark: '4.1.1', 'spark-sql-kafka': '4.1.1' }. */
  readonly components: Record<string, string>;
  readonly artifacts: readonly PreparedArtifact[];
}

export interface PrepareOptions {
  readonly onProgress?: (message: string) => void;
  readonly signal?: AbortSignal;
  /** Download every artifact again and rebuild the homes. */
  readonly force?: boolean;
  /** Another lock file (tests). */
  readonly lockFile?: string;
  /** Versions asked for (--spark-version …); others: BENCH_<NAME>_VERSION, else the lock's default. */
  readonly versions?: Readonly<Partial<Record<EngineDistributionName, string>>>;
  /** Bytes received so far of each download (for a progress display); see cache.ts. */
  readonly onDownload?: DownloadProgress;
}

const MARKER = '.bench-prepared.json';

export function distRoot(): string {
  return path.join(cacheDir(), 'dist');
}

interface Described extends Omit<PreparedDistribution, 'home'> {
  readonly dirName: string;
  readonly entry: LockedDistribution;
}

function describe(name: EngineDistributionName, chosen: ChosenVersion): Described {
  const { entry } = chosen;
  const lockHash = lockHashOf(name, entry, { assembly: ASSEMBLY_VERSION, generated: generatedFiles(name) });
  return {
    name,
    version: entry.version,
    versionSource: chosen.source,
    lockHash,
    components: { ...entry.components },
    artifacts: entry.artifacts.map(({ id, file, sha256, size }) => ({ id, file, sha256, size })),
    dirName: `${name}-${entry.version}-${lockHash.slice(0, 8)}`,
    entry,
  };
}

function isComplete(home: string, lockHash: string): boolean {
  try {
    return JSON.parse(fs.readFileSync(path.join(home, MARKER), 'utf8')).lockHash === lockHash;
  } catch {
    return false;
  }
}

function checkNames(names: readonly string[]): asserts names is EngineDistributionName[] {
  for (const name of names) {
    if (!(DISTRIBUTION_NAMES as readonly string[]).includes(name)) {
      throw new UsageError(`unknown distribution '${name}'; known: ${DISTRIBUTION_NAMES.join(', ')}`);
    }
  }
}

/** True when the home for the chosen locked version is assembled (no network, no hashing). */
export function isPrepared(name: EngineDistributionName, options: { lockFile?: string; version?: string } = {}): boolean {
  checkNames([name]);
  const info = describe(name, chooseLockedVersion(loadLock(options.lockFile), name, options.version));
  return isComplete(path.join(distRoot(), info.dirName), info.lockHash);
}

// Temp homes older than this are leftovers of an interrupted prepare, not another one at work.
const STALE_TEMP_MS = 60 * 60 * 1000;

function removeStaleTemps(dir: string): void {
  if (!fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir)) {
    if (!entry.startsWith('.tmp-')) continue;
    const full = path.join(dir, entry);
    if (Date.now() - fs.statSync(full).mtimeMs > STALE_TEMP_MS) fs.rmSync(full, { recursive: true, force: true });
  }
}

/**
 * Makes the named distributions ready, each at its chosen version (options.versions, else
 * BENCH_<NAME>_VERSION, else the lock's default): reuses finished homes, otherwise verifies
 * cached artifacts (or downloads and verifies missing ones) and assembles the home.
 */
export async function prepareDistributions(names: EngineDistributionName[], options: PrepareOptions = {}): Promise<Record<string, PreparedDistribution>> {
  checkNames(names);
  const lock = loadLock(options.lockFile);
  const wanted = [...new Set(names)].map((name) => describe(name, chooseLockedVersion(lock, name, options.versions?.[name])));
  const prepared = await prepareDescribed(wanted, options);
  return Object.fromEntries(prepared.map((d) => [d.name, d]));
}

/** Every locked version of the named distributions (`bench prepare --all-versions`), defaults first. */
export async function prepareAllVersions(names: EngineDistributionName[], options: Omit<PrepareOptions, 'versions'> = {}): Promise<PreparedDistribution[]> {
  checkNames(names);
  const lock = loadLock(options.lockFile);
  const wanted = [...new Set(names)].flatMap((name) => {
    const engine = lock.distributions[name];
    const ordered = [...engine.versions].sort((a, b) => Number(b.version === engine.default) - Number(a.version === engine.default));
    return ordered.map((entry) => describe(name, { entry, source: entry.version === engine.default ? 'default' : 'all-versions' }));
  });
  return prepareDescribed(wanted, options);
}

async function prepareDescribed(wanted: readonly Described[], options: Omit<PrepareOptions, 'versions'>): Promise<PreparedDistribution[]> {
  // The caller's reporter replaces the log, so a CLI progress display does not print twice.
  const progress = options.onProgress ?? ((message: string) => log.info(message));
  const root = distRoot();
  fs.mkdirSync(root, { recursive: true });
  removeStaleTemps(root);
  removeStaleTemps(path.join(cacheDir(), 'tmp'));

  const todo = wanted.filter((info) => options.force || !isComplete(path.join(root, info.dirName), info.lockHash));
  for (const info of wanted) if (!todo.includes(info)) log.debug(`${info.name} ${info.version}: ready at ${path.join(root, info.dirName)}`);

  if (todo.length) {
    const artifacts = todo.flatMap((info) => info.entry.artifacts);
    const total = artifacts.reduce((sum, a) => sum + a.size, 0);
    progress(`preparing ${todo.map((i) => `${i.name} ${i.version}`).join(', ')} (${artifacts.length} artifacts, ${formatMiB(total)})`);
    const cached = await ensureArtifacts(artifacts, { force: options.force, onProgress: progress, onDownload: options.onDownload, signal: options.signal });
    for (const info of todo) {
      options.signal?.throwIfAborted();
      const started = Date.now();
      await assembleInto(info, cached, root, options.signal, progress);
      log.debug(`${info.name} ${info.version}: assembled in ${Date.now() - started} ms`);
    }
  }
  return wanted.map(({ dirName, entry: _entry, ...info }) => ({ ...info, home: path.join(root, dirName) }));
}

async function assembleInto(
  info: Described,
  cached: ReadonlyMap<string, string>,
  root: string,
  signal: AbortSignal | undefined,
  progress: (message: string) => void,
): Promise<void> {
  const target = path.join(root, info.dirName);
  const temp = fs.mkdtempSync(path.join(root, `.tmp-${info.dirName}-`));
  try {
    progress(`${info.name} ${info.version}: assembling ${target}`);
    const home = path.join(temp, 'home');
    await assembleHome(info.name, info.entry, cached, home, { signal, onProgress: progress });
    fs.writeFileSync(
      path.join(home, MARKER),
      `${JSON.stringify({ name: info.name, version: info.version, lockHash: info.lockHash, components: info.components, preparedAt: new Date().toISOString() }, null, 2)}\n`,
    );
    // Replace an old (incomplete or forced) home: move it aside first so the rename is atomic.
    if (fs.existsSync(target)) fs.renameSync(target, path.join(temp, 'old'));
    try {
      fs.renameSync(home, target);
    } catch (error) {
      // Another prepare finished the same home first: theirs is as good as ours.
      if (!isComplete(target, info.lockHash)) throw error;
    }
    progress(`${info.name} ${info.version}: ready at ${target}`);
  } finally {
    fs.rmSync(temp, { recursive: true, force: true });
  }
}
