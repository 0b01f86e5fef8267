// For tests: what of one run is still there — its processes (by the BENCH_RUN_ID they carry),
// its reaper, its containers and network — looked up by run id only, so a test never sees (or
// touches) another run on the machine.
import fs from 'node:fs';
import Docker from 'dockerode';
import { processesWithEnv } from './proc.ts';
import { ENV_RUN_ID, LABEL_RUN_ID } from './runtime.ts';

/** Live pids carrying BENCH_RUN_ID=runId. */
export function processesOfRun(runId: string): number[] {
  return processesWithEnv([ENV_RUN_ID])
    .filter((p) => p.env[ENV_RUN_ID] === runId)
    .map((p) => p.pid);
}

/** Pids of reaper processes watching `runId` (its config, with the run id, is in its argv). */
export function reapersOf(runId: string): number[] {
  const found: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let cmdline: string;
    try {
      cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (fs.readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]?.startsWith('Z')) continue;
    } catch {
      continue;
    }
    if (cmdline.includes('reaper-main.ts') && cmdline.includes(`"runId":${JSON.stringify(runId)}`)) found.push(Number(entry));
  }
  return found;
}

/** Names of the containers and networks labelled with `runId`. */
export async function dockerResourcesOf(runId: string, docker = new Docker()): Promise<string[]> {
  const filters = { label: [`${LABEL_RUN_ID}=${runId}`] };
  const [containers, networks] = await Promise.all([docker.listContainers({ all: true, filters }), docker.listNetworks({ filters })]);
  return [...containers.map((c) => `container ${c.Names[0]?.replace(/^\//, '')}`), ...networks.map((n) => `network ${n.Name}`)];
}
