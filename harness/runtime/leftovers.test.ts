// What `bench clean` and the sweep at run start decide, against real detached processes whose
// records name owners that are alive (this process), dead (one that has exited) or unknown (no
// owner: an older harness). Only this file's runs are looked at (filter), never the machine's.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

process.env.BENCH_STATE_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-leftovers-'));

const { cleanAction, cleanLeftovers, removedHeading, sparedLine, sweepDeadRuns } = await import('./leftovers.ts');
const { ENV_RUN_OWNER, ownerOf, ownerToEnv } = await import('./owner.ts');
const { processesDir, processStartTime, recordProcess } = await import('./process-registry.ts');
type RunOwner = import('./owner.ts').RunOwner;

const suffix = `${process.pid}-${Date.now()}`;
const mine = (run: { runId: string }) => run.runId.endsWith(suffix);
const strays: number[] = [];
afterEach(() => {
  for (const pid of strays.splice(0)) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
});

function detachedSleep(env: NodeJS.ProcessEnv = {}): number {
  const child = spawn('sleep', ['300'], { detached: true, stdio: 'ignore', env: { PATH: process.env.PATH, ...env } });
  child.unref();
  strays.push(child.pid!);
  return child.pid!;
}

/** The owner record of a process that has exited: what a SIGKILLed harness leaves. */
function deadOwner(): RunOwner {
  const exited = spawnSync('sh', ['-c', 'cut -d" " -f22 /proc/$$/stat; echo $$'], { encoding: 'utf8' });
  const [startTime, pid] = exited.stdout.trim().split('\n');
  return { ...ownerOf(), pid: Number(pid), startTime: startTime! };
}

const alive = (pid: number) => processStartTime(pid) !== undefined;

describe('cleanAction', () => {
  it('removes dead runs; spares live and unjudgeable ones unless --all', () => {
    const dead = { state: 'dead', reason: '' } as const;
    const live = { state: 'alive', reason: '' } as const;
    const unknown = { state: 'unknown', reason: '' } as const;
    expect([dead, live, unknown].map((v) => cleanAction(v, { all: false }))).toEqual(['remove', 'spare', 'spare']);
    expect([dead, live, unknown].map((v) => cleanAction(v, { all: true }))).toEqual(['remove', 'stop-live', 'remove']);
  });

  it('says why a run is spared and what would stop it', () => {
    const run = { runtime: 'local' as const, runId: 'r1', items: ['a', 'b'] };
    expect(sparedLine(run, { state: 'alive', reason: 'its harness (pid 7) is running' })).toBe(
      'run r1 (local, 2 process groups): spared, its harness (pid 7) is running (`npx bench clean --all` stops it)',
    );
    expect(sparedLine({ ...run, runtime: 'docker', items: ['c'] }, { state: 'unknown', reason: 'no owner is recorded (started by an older harness)' })).toBe(
      'run r1 (docker, 1 container/network): spared, no owner is recorded (started by an older harness) (`npx bench clean --all` removes it)',
    );
    expect(removedHeading(run, { state: 'dead', reason: 'its harness (pid 7) has exited' })).toBe('run r1 (local): its harness (pid 7) has exited; removed:');
    expect(removedHeading(run, { state: 'alive', reason: 'its harness (pid 7) is running' }, 'sent it SIGTERM; it exited after 1.2 s')).toBe(
      'run r1 (local): live, stopped as --all asks: its harness (pid 7) is running; sent it SIGTERM; it exited after 1.2 s; removed:',
    );
  });
});

describe('cleanLeftovers / sweepDeadRuns (real processes)', () => {
  it('removes exactly the dead run (recorded groups and unrecorded processes carrying its id), sparing live and unknown ones', async () => {
    const [deadRun, liveRun, oldRun] = [`dead-${suffix}`, `live-${suffix}`, `old-${suffix}`];
    const dead = deadOwner();
    const deadPid = detachedSleep();
    recordProcess({ runId: deadRun, service: 'jobmanager', pid: deadPid, command: ['sleep', '300'], owner: dead });
    // Started just before its harness died, never recorded: found by the run id it carries.
    const unrecorded = detachedSleep({ BENCH_RUN_ID: deadRun, [ENV_RUN_OWNER]: ownerToEnv(dead) });
    const livePid = detachedSleep();
    recordProcess({ runId: liveRun, service: 'taskmanager', pid: livePid, command: ['sleep', '300'] });
    const oldPid = detachedSleep();
    const oldRecord = path.join(processesDir(), oldRun, 'kafka.json');
    fs.mkdirSync(path.dirname(oldRecord), { recursive: true });
    fs.writeFileSync(oldRecord, JSON.stringify({ tool: 'spark-flink-bench', runId: oldRun, service: 'kafka', pid: oldPid, startTime: processStartTime(oldPid), command: ['sleep', '300'], recordedAt: new Date().toISOString() }));

    const lines = await cleanLeftovers({ all: false, local: true, filter: mine, graceMs: 2_000 });
    // Runs come in the order the registry lists them; each removed run is followed by its lines.
    const heading = lines.indexOf(`run ${deadRun} (local): its harness (pid ${dead.pid}) has exited; removed:`);
    expect(lines.slice(heading + 1, heading + 3)).toEqual([`  jobmanager (pid ${deadPid}, sleep 300): stopped (SIGTERM)`, `  process ${unrecorded} outside the recorded groups (sleep 300): stopped (SIGTERM)`]);
    expect([...lines].sort()).toEqual([
      `run ${deadRun} (local): its harness (pid ${dead.pid}) has exited; removed:`,
      `  jobmanager (pid ${deadPid}, sleep 300): stopped (SIGTERM)`,
      `  process ${unrecorded} outside the recorded groups (sleep 300): stopped (SIGTERM)`,
      `run ${liveRun} (local, 1 process group): spared, its harness (pid ${process.pid}) is running (\`npx bench clean --all\` stops it)`,
      `run ${oldRun} (local, 1 process group): spared, no owner is recorded (started by an older harness) (\`npx bench clean --all\` removes it)`,
    ].sort());
    expect([alive(deadPid), alive(unrecorded), alive(livePid), alive(oldPid)]).toEqual([false, false, true, true]);

    // Nothing dead is left: the sweep at the next run's start has nothing to say.
    expect(await sweepDeadRuns({ filter: mine })).toEqual([]);

    // --all: the live run's owner is this very process (not signalled), the unknown one goes too.
    const all = await cleanLeftovers({ all: true, local: true, filter: mine, graceMs: 2_000 });
    expect(all).toContain(`run ${liveRun} (local): live, stopped as --all asks: its harness (pid ${process.pid}) is running; it is this process, not signalled; removed:`);
    expect(all).toContain(`run ${oldRun} (local): no owner is recorded (started by an older harness); removed:`);
    expect([alive(livePid), alive(oldPid)]).toEqual([false, false]);
    expect(await cleanLeftovers({ all: false, local: true, filter: mine })).toEqual([]);
  });

  it('the sweep at run start removes dead runs only, one line each', async () => {
    const [deadRun, liveRun] = [`sweep-dead-${suffix}`, `sweep-live-${suffix}`];
    const dead = deadOwner();
    const deadPid = detachedSleep();
    recordProcess({ runId: deadRun, service: 'master', pid: deadPid, command: ['sleep', '300'], owner: dead });
    const livePid = detachedSleep();
    recordProcess({ runId: liveRun, service: 'worker', pid: livePid, command: ['sleep', '300'] });
    expect(await sweepDeadRuns({ filter: mine, graceMs: 2_000 })).toEqual([
      `removed what run ${deadRun} (local) left behind, its harness (pid ${dead.pid}) has exited: master (pid ${deadPid}, sleep 300): stopped (SIGTERM)`,
    ]);
    expect([alive(deadPid), alive(livePid)]).toEqual([false, true]);
    await cleanLeftovers({ all: true, local: true, filter: (r) => r.runId === liveRun });
    expect(alive(livePid)).toBe(false);
  });
});
