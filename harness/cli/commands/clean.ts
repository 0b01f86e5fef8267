// `bench clean`: remove what dead runs left behind — process groups, containers, networks —
// and say so for each; a run whose harness still runs is spared and named. `--all` also stops
// live runs (their harness gets SIGTERM so its own teardown runs, then whatever remains is
// removed) and removes resources whose owner cannot be judged (older harnesses, other hosts).
import fs from 'node:fs';
import path from 'node:path';
import { Option, type Command } from 'commander';
import Docker from 'dockerode';
import { cleanLeftovers } from '../../runtime/leftovers.ts';
import { dockerAvailable } from '../../runtime/docker-runtime.ts';
import { processStartTime } from '../../runtime/proc.ts';
import { readUpRecords } from './down.ts';

export interface CleanFlags {
  readonly all: boolean;
  readonly runtime: 'auto' | 'docker' | 'local';
}

/** `bench up` records whose process has exited (all of them with --all) go too. */
function cleanUpRecords(all: boolean): string[] {
  const lines: string[] = [];
  for (const { file, record } of readUpRecords()) {
    const alive = record.startTime !== undefined ? processStartTime(record.pid) === record.startTime : processStartTime(record.pid) !== undefined;
    if (alive && !all) continue;
    fs.rmSync(file, { force: true });
    lines.push(`removed the \`bench up\` record ${path.basename(file)} (run ${record.runId}, process ${record.pid} ${alive ? 'still running' : 'has exited'})`);
  }
  return lines;
}

export async function cleanEverything(flags: CleanFlags): Promise<string[]> {
  const lines: string[] = [];
  const lookAtDocker = flags.runtime !== 'local' && (await dockerAvailable());
  if (flags.runtime === 'docker' && !lookAtDocker) lines.push('(no Docker engine answers: containers not checked)');
  lines.push(...(await cleanLeftovers({ all: flags.all, local: flags.runtime !== 'docker', ...(lookAtDocker ? { docker: new Docker() } : {}) })));
  if (flags.runtime === 'auto' && !lookAtDocker) lines.push('(no Docker engine answers: containers not checked)');
  if (flags.runtime !== 'docker') lines.push(...cleanUpRecords(flags.all));
  return lines;
}

export function registerClean(program: Command): void {
  program
    .command('clean')
    .description('remove what dead runs left behind (processes, containers, networks); live runs are spared unless --all')
    .option('--all', 'also stop live runs (their harness gets SIGTERM, then what remains is removed) and remove resources whose owner cannot be judged', false)
    .addOption(new Option('--runtime <runtime>', 'look at local processes, docker containers, or both (auto: docker too when a Docker engine answers)').choices(['auto', 'docker', 'local']).default('auto'))
    .action(async (flags: CleanFlags) => {
      const lines = await cleanEverything(flags);
      process.stdout.write(lines.length ? lines.map((l) => `${l}\n`).join('') : 'nothing to clean: no run left anything behind\n');
    });
}
