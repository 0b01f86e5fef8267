// `bench clean`: remove every container, network and process this tool started (by label /
// recorded pid), from any run, and say what was removed.
import fs from 'node:fs';
import type { Command } from 'commander';
import { cleanDocker } from '../../runtime/docker-clean.ts';
import { dockerAvailable } from '../../runtime/docker-runtime.ts';
import { cleanLocal } from '../../runtime/process-registry.ts';
import { upStateDir } from './up.ts';

export async function cleanEverything(): Promise<string[]> {
  const removed = await cleanLocal();
  if (await dockerAvailable()) removed.push(...(await cleanDocker()));
  else removed.push('(no Docker engine answers: containers not checked)');
  fs.rmSync(upStateDir(), { recursive: true, force: true });
  return removed;
}

export function registerClean(program: Command): void {
  program
    .command('clean')
    .description('remove every container, network and process spark-flink-bench started (from any run)')
    .action(async () => {
      const removed = await cleanEverything();
      const real = removed.filter((l) => !l.startsWith('('));
      process.stdout.write(real.length ? `removed:\n${removed.map((l) => `  ${l}\n`).join('')}` : `nothing to remove${removed.length ? ` ${removed.join(' ')}` : ''}\n`);
    });
}
