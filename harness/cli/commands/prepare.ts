// `bench prepare`: fetch and verify the pinned distributions, build the Spark runner and,
// when the runtime is docker, the images. `bench run` / `up` / `smoke` do this on demand.
import type { Command } from 'commander';
import { Option } from 'commander';
import { prepareDistributions } from '../../distributions/prepare.ts';
import { ensureImages } from '../../distributions/images.ts';
import { ensureSparkRunnerJar } from '../../engines/spark/runner-jar.ts';
import { CLUSTER_NAMES } from '../../engines/clusters.ts';
import { chooseRuntime } from '../../runtime/open-runtime.ts';
import { parseList } from '../../config/options.ts';
import { addOptions } from '../shared-options.ts';

export function registerPrepare(program: Command): void {
  const command = program
    .command('prepare')
    .description('download and verify the pinned Spark, Flink and Kafka distributions (and build images when the runtime is docker)')
    .addOption(new Option('--engines <list>', `which distributions: ${CLUSTER_NAMES.join(',')}`).default([...CLUSTER_NAMES], CLUSTER_NAMES.join(',')).argParser((v: string) => parseList(v, 'engines', CLUSTER_NAMES)))
    .option('--force', 'download again even when cached', false);
  addOptions(command, 'runtime', 'baseImage');
  command.action(async (options: { engines: ('spark' | 'flink' | 'kafka')[]; force: boolean; runtime: 'auto' | 'docker' | 'local'; baseImage?: string }) => {
    const started = Date.now();
    const say = (m: string) => process.stderr.write(`${m}\n`);
    const dists = await prepareDistributions(options.engines, { onProgress: say, force: options.force });
    if (dists.spark) await ensureSparkRunnerJar(dists.spark.home, dists.spark.lockHash);
    const { kind, reason } = await chooseRuntime(options.runtime);
    if (kind === 'docker') {
      const { tags, baseOrigin } = await ensureImages(Object.values(dists).map((d) => ({ name: d.name, home: d.home, lockHash: d.lockHash })), { baseImage: options.baseImage, onProgress: say });
      for (const [name, tag] of Object.entries(tags)) process.stdout.write(`image ${name.padEnd(6)} ${tag}${name === 'base' ? `  (${baseOrigin})` : ''}\n`);
    } else {
      say(`images skipped: ${reason}`);
    }
    for (const d of Object.values(dists)) process.stdout.write(`${d.name.padEnd(6)} ${d.version.padEnd(8)} ${d.home}\n`);
    process.stdout.write(`prepared in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  });
}
