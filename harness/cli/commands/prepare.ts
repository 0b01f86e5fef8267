// `bench prepare`: fetch and verify the pinned distributions (the default versions, the ones
// asked for, or every locked one), build the Spark runner and, when the runtime is docker, the
// images. `bench run` / `up` / `smoke` do this on demand. Downloads show bytes of total.
import type { Command } from 'commander';
import { Option } from 'commander';
import { prepareAllVersions, prepareDistributions, type PreparedDistribution } from '../../distributions/prepare.ts';
import Docker from 'dockerode';
import { ensureBaseImage, ensureEngineImage } from '../../distributions/images.ts';
import { ensureSparkRunnerJar } from '../../engines/spark/runner-jar.ts';
import { CLUSTER_NAMES } from '../../engines/clusters.ts';
import { createProgress } from '../../progress/progress.ts';
import { chooseRuntime, versionSourceText } from '../../runtime/open-runtime.ts';
import { parseList } from '../../config/options.ts';
import { addOptions, versionsFrom } from '../shared-options.ts';

interface PrepareFlags {
  engines: ('spark' | 'flink' | 'kafka')[];
  force: boolean;
  allVersions: boolean;
  sparkVersion?: string;
  flinkVersion?: string;
  runtime: 'auto' | 'docker' | 'local';
  baseImage?: string;
}

export function registerPrepare(program: Command): void {
  const command = program
    .command('prepare')
    .description('download and verify the pinned Spark, Flink and Kafka distributions (and build images when the runtime is docker)')
    .addOption(new Option('--engines <list>', `which distributions: ${CLUSTER_NAMES.join(',')}`).default([...CLUSTER_NAMES], CLUSTER_NAMES.join(',')).argParser((v: string) => parseList(v, 'engines', CLUSTER_NAMES)))
    .option('--all-versions', 'every locked version of each engine, not only the default (or asked-for) one', false)
    .option('--force', 'download again even when cached', false);
  addOptions(command, 'sparkVersion', 'flinkVersion', 'runtime', 'baseImage');
  command.action(async (options: PrepareFlags) => {
    const started = Date.now();
    const progress = createProgress({ stream: process.stderr });
    const say = (m: string) => progress.message(m);
    let dists: PreparedDistribution[];
    const images: string[] = [];
    try {
      const common = { onProgress: say, onDownload: progress.download, force: options.force };
      dists = options.allVersions
        ? await prepareAllVersions(options.engines, common)
        : Object.values(await prepareDistributions(options.engines, { ...common, versions: versionsFrom(options) }));
      for (const d of dists) if (d.name === 'spark') await ensureSparkRunnerJar(d.home, d.lockHash);
      const { kind, reason } = await chooseRuntime(options.runtime);
      if (kind === 'docker') {
        const docker = new Docker();
        const base = await ensureBaseImage(docker, { baseImage: options.baseImage, onProgress: say });
        images.push(`image base           ${base.tag}  (${base.origin})`);
        for (const d of dists) images.push(`image ${`${d.name} ${d.version}`.padEnd(14)} ${await ensureEngineImage(docker, d, base.tag, say)}`);
      } else {
        say(`images skipped: ${reason}`);
      }
    } finally {
      progress.stop();
    }
    for (const line of images) process.stdout.write(`${line}\n`);
    for (const d of dists) process.stdout.write(`${d.name.padEnd(6)} ${d.version.padEnd(8)} ${d.home}  (${versionSourceText(d)})\n`);
    process.stdout.write(`prepared in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  });
}
