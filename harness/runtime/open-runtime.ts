// Everything a command needs before starting services: distributions prepared (fetched and
// verified when missing), the runtime chosen (auto → docker when an engine answers), what dead
// runs left behind removed (and said), images built for docker, and teardown registered so
// Ctrl-C removes what this command started. The runtime itself starts the run's reaper.
import fs from 'node:fs';
import Docker from 'dockerode';
import { BenchError, UsageError } from '../errors.ts';
import type { DownloadProgress } from '../distributions/cache.ts';
import { VERSION_ENV } from '../distributions/lock.ts';
import { prepareDistributions, type PreparedDistribution } from '../distributions/prepare.ts';
import { ensureImages } from '../distributions/images.ts';
import { createLogger } from '../log.ts';
import { createDockerRuntime, dockerAvailable } from './docker-runtime.ts';
import { createLocalRuntime } from './local-runtime.ts';
import { sweepDeadRuns } from './leftovers.ts';
import type { DistributionName, Runtime, RuntimeChoice, RuntimeKind } from './runtime.ts';
import { onTeardown } from './teardown.ts';

const log = createLogger('bench:runtime');

export type EngineDistribution = Exclude<DistributionName, 'base'>;

export interface OpenRuntimeOptions {
  readonly choice: RuntimeChoice;
  readonly runId: string;
  readonly runDir: string;
  readonly distributions: readonly EngineDistribution[];
  /** Locked versions asked for (--spark-version, --flink-version); the others: BENCH_<NAME>_VERSION, else the lock's default. */
  readonly versions?: Readonly<Partial<Record<EngineDistribution, string>>>;
  readonly baseImage?: string;
  readonly fixedHostPorts?: boolean;
  readonly onProgress?: (message: string) => void;
  /** Bytes received of each distribution download (a progress display). */
  readonly onDownload?: DownloadProgress;
}

export interface OpenedRuntime {
  readonly runtime: Runtime;
  readonly distributions: Readonly<Partial<Record<EngineDistribution, PreparedDistribution>>>;
  /** How the runtime was chosen, for the user and for provenance. */
  readonly choiceReason: string;
  /** Unregisters the Ctrl-C teardown and closes the runtime. */
  close(): Promise<void>;
}

export async function chooseRuntime(choice: RuntimeChoice): Promise<{ kind: RuntimeKind; reason: string }> {
  if (choice === 'local') return { kind: 'local', reason: 'local processes (--runtime local)' };
  const available = await dockerAvailable();
  if (choice === 'docker') {
    if (!available) {
      throw new UsageError(
        'Docker was asked for (--runtime docker) but no Docker engine answers on its socket; start one (e.g. `dockerd &`, or `systemctl start docker`) or use --runtime local');
    }
    return { kind: 'docker', reason: 'docker containers (--runtime docker)' };
  }
  return available
    ? { kind: 'docker', reason: 'docker containers (--runtime auto: a Docker engine answered)' }
    : { kind: 'local', reason: 'local processes (--runtime auto: no Docker engine answered)' };
}

const SOURCE_TEXT: Record<PreparedDistribution['versionSource'], (name: string) => string> = {
  default: () => 'default',
  flag: (name) => `--${name}-version`,
  environment: (name) => VERSION_ENV[name as EngineDistribution],
  'all-versions': () => 'all versions',
};

/** Why this version: 'default', '--spark-version', 'BENCH_FLINK_VERSION', 'all versions'. */
export function versionSourceText(d: Pick<PreparedDistribution, 'name' | 'versionSource'>): string {
  return SOURCE_TEXT[d.versionSource](d.name);
}

/** 'spark 4.1.1 (--spark-version)': which version runs, and why. */
export function describeVersion(d: Pick<PreparedDistribution, 'name' | 'version' | 'versionSource'>): string {
  return `${d.name} ${d.version} (${versionSourceText(d)})`;
}

export async function openRuntime(options: OpenRuntimeOptions): Promise<OpenedRuntime> {
  const progress = options.onProgress ?? ((m: string) => log.info(m));
  const { kind, reason } = await chooseRuntime(options.choice);
  progress(`runtime: ${reason}`);
  try {
    for (const line of await sweepDeadRuns(kind === 'docker' ? { docker: new Docker() } : {})) progress(`leftovers: ${line}`);
  } catch (error) {
    log.warn(`could not look for what dead runs left behind: ${(error as Error).message}`);
  }
  const distributions = options.distributions.length
    ? await prepareDistributions([...options.distributions], { onProgress: progress, versions: options.versions, onDownload: options.onDownload })
    : {};
  if (options.distributions.length) progress(`versions: ${Object.values(distributions).map(describeVersion).join(', ')}`);
  fs.mkdirSync(options.runDir, { recursive: true });

  let runtime: Runtime;
  if (kind === 'docker') {
    const { tags, baseOrigin } = await ensureImages(
      Object.values(distributions).map((d) => ({ name: d.name, home: d.home, lockHash: d.lockHash })),
      { baseImage: options.baseImage, onProgress: progress },
    );
    progress(`base image: ${baseOrigin}`);
    runtime = await createDockerRuntime({ runId: options.runId, runDir: options.runDir, images: tags, baseImageOrigin: baseOrigin, fixedHostPorts: options.fixedHostPorts });
  } else {
    const homes = Object.fromEntries(Object.values(distributions).map((d) => [d.name, d.home]));
    runtime = await createLocalRuntime({ runId: options.runId, runDir: options.runDir, homes, fixedHostPorts: options.fixedHostPorts });
  }
  const unregister = onTeardown(() => runtime.close());
  return {
    runtime,
    distributions,
    choiceReason: reason,
    async close() {
      unregister();
      await runtime.close();
    },
  };
}
