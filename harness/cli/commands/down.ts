// `bench down`: stop clusters started by `bench up` (signal the `up` process so its own
// teardown runs; clean by run id if it is gone or does not stop in time).
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { cleanDocker } from '../../runtime/docker-clean.ts';
import { dockerAvailable } from '../../runtime/docker-runtime.ts';
import { cleanLocal } from '../../runtime/process-registry.ts';
import { processStartTime } from '../../runtime/proc.ts';
import { upStateDir, type UpRecord } from './up.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The `up` process still runs (with a start time recorded: that very process, not a later one with its pid). */
function alive(record: UpRecord): boolean {
  const startTime = processStartTime(record.pid);
  return startTime !== undefined && (record.startTime === undefined || record.startTime === startTime);
}

export function readUpRecords(): { file: string; record: UpRecord }[] {
  const dir = upStateDir();
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .flatMap((f) => {
      const file = path.join(dir, f);
      try {
        return [{ file, record: JSON.parse(fs.readFileSync(file, 'utf8')) as UpRecord }];
      } catch {
        return [];
      }
    });
}

export async function bringDown(graceMs = 60_000): Promise<string[]> {
  const lines: string[] = [];
  for (const { file, record } of readUpRecords()) {
    if (alive(record)) {
      process.kill(record.pid, 'SIGTERM');
      const deadline = Date.now() + graceMs;
      while (alive(record) && Date.now() < deadline) await sleep(250);
    }
    // Whatever the `up` process did not remove (it died, or took too long) goes by run id.
    const leftovers = [...(await cleanLocal({ runId: record.runId }))];
    if (await dockerAvailable()) leftovers.push(...(await cleanDocker({ runId: record.runId })));
    fs.rmSync(file, { force: true });
    lines.push(`stopped ${record.clusters.join(', ')} (run ${record.runId}, ${record.runtime})${leftovers.length ? `; also removed: ${leftovers.join('; ')}` : ''}`);
  }
  return lines;
}

export function registerDown(program: Command): void {
  program
    .command('down')
    .description('stop what `bench up` started')
    .action(async () => {
      const lines = await bringDown();
      process.stdout.write(lines.length ? lines.map((l) => `${l}\n`).join('') : 'nothing is up\n');
    });
}
