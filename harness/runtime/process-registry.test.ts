// The registry against real processes: a harness process that dies without closing its
// runtime has its service stopped by the run's reaper; when the reaper died too, cleanLocal
// must find and stop it, and must never signal a pid whose start time no longer matches the record.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';

const stateRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-process-registry-'));
process.env.BENCH_CACHE_DIR = stateRoot;

const { cleanLocal, listRecorded, processStartTime, readProcStat, recordProcess, processesDir } = await import('./process-registry.ts');
const { reapersOf } = await import('./run-probes.ts');

const here = path.dirname(fileURLToPath(import.meta.url));

const alive = (pid: number) => {
  const stat = readProcStat(pid);
  return stat !== undefined && stat.state !== 'Z';
};

/** A detached `sleep` we start ourselves (its own group), killed in afterEach if still there. */
const strays: number[] = [];
function startDetachedSleep(executable = 'sleep'): number {
  const child = spawn(executable, ['300'], { detached: true, stdio: 'ignore' });
  child.unref();
  if (child.pid === undefined) throw new Error(`could not start ${executable}`);
  strays.push(child.pid);
  return child.pid;
}

afterEach(() => {
  for (const pid of strays.splice(0)) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
});

describe('process registry', () => {
  /** A separate harness process: starts a service, prints its pid, then exits (or waits) without close(). */
  function forgetfulHarness(runId: string, then: 'exit' | 'wait') {
    const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-leftover-run-'));
    // .mts: outside the repo there is no package.json saying "type": "module".
    const script = path.join(runDir, 'forget.mts');
    fs.writeFileSync(
      script,
      `import { createLocalRuntime } from ${JSON.stringify(path.join(here, 'local-runtime.ts'))};
import { Wait } from ${JSON.stringify(path.join(here, 'wait.ts'))};
const runtime = await createLocalRuntime({ runId: ${JSON.stringify(runId)}, runDir: ${JSON.stringify(runDir)}, homes: { base: '/' } });
const service = await runtime.start({
  name: 'forgotten', distribution: 'base', env: {}, ports: [], files: [], sharedDirs: [],
  command: ['sh', '-c', 'sleep 300 & echo ready; wait'],
  resources: { cpus: 1, memoryMiB: 64 }, waitFor: Wait.forLogMessage(/ready/, { timeoutMs: 5000 }),
});
console.log(JSON.stringify(service.handle));
${then === 'exit' ? 'process.exit(0);' : 'await new Promise(() => {});'}
`,
    );
    return { runDir, harness: execa('node', ['--import', 'tsx', script], { env: { BENCH_CACHE_DIR: stateRoot, BENCH_LOG: 'silent' }, reject: false, buffer: true, lines: false }) };
  }

  const groupMembers = (pgid: number) =>
    fs
      .readdirSync('/proc')
      .filter((e) => /^\d+$/.test(e))
      .filter((e) => readProcStat(Number(e))?.pgrp === pgid && readProcStat(Number(e))?.state !== 'Z');

  it('the reaper stops a service whose harness exited without closing its runtime', async () => {
    const runId = `reaped-${process.pid}-${Date.now()}`;
    const { runDir, harness } = forgetfulHarness(runId, 'exit');
    const { pid } = JSON.parse((await harness).stdout as string) as { pid: number };
    strays.push(pid);
    await expect.poll(() => groupMembers(pid), { timeout: 15_000, interval: 100 }).toEqual([]);
    await expect.poll(() => reapersOf(runId), { timeout: 5_000, interval: 100 }).toEqual([]);
    expect(listRecorded({ runId })).toEqual([]);
    expect(fs.readFileSync(path.join(runDir, 'reaper.log'), 'utf8')).toContain(`forgotten (pid ${pid}, sh -c sleep 300 & echo ready; wait): stopped (SIGTERM)`);
  });

  it('cleanLocal stops a service left by a harness killed after its reaper', async () => {
    const runId = `leftover-${process.pid}-${Date.now()}`;
    const { harness } = forgetfulHarness(runId, 'wait');
    const { pid } = await new Promise<{ pid: number }>((resolve) => harness.stdout!.once('data', (chunk: Buffer) => resolve(JSON.parse(chunk.toString()))));
    strays.push(pid);
    const [reaper] = reapersOf(runId);
    expect(reaper).toBeGreaterThan(0);
    process.kill(reaper!, 'SIGKILL');
    await expect.poll(() => reapersOf(runId), { timeout: 5_000 }).toEqual([]);
    harness.kill('SIGKILL');
    await harness;

    expect(alive(pid)).toBe(true); // outlived its harness and its reaper: detached group
    const recorded = listRecorded({ runId });
    expect(recorded.map((r) => [r.service, r.pid, r.state, r.command, r.owner?.pid])).toEqual([['forgotten', pid, 'running', ['sh', '-c', 'sleep 300 & echo ready; wait'], harness.pid]]);
    expect(recorded[0].file).toBe(path.join(processesDir(), runId, 'forgotten.json'));

    const t0 = Date.now();
    const lines = await cleanLocal({ runId });
    const cleanMs = Date.now() - t0;
    expect(lines).toEqual([`run ${runId} forgotten (pid ${pid}, sh -c sleep 300 & echo ready; wait): stopped (SIGTERM); record removed`]);
    expect(alive(pid)).toBe(false);
    expect(groupMembers(pid)).toEqual([]);
    expect(listRecorded({ runId })).toEqual([]);
    expect(fs.existsSync(path.join(processesDir(), runId))).toBe(false);
    expect(await cleanLocal({ runId })).toEqual([]);
    console.log(`cleanLocal stopped a leftover 2-process group in ${cleanMs} ms`);
  });

  it('refuses to signal a recorded pid whose start time differs (pid reused)', async () => {
    const runId = `reused-${process.pid}-${Date.now()}`;
    const pid = startDetachedSleep();
    const record = recordProcess({ runId, service: 'victim', pid, command: ['sleep', '300'] });
    expect(record?.startTime).toBe(processStartTime(pid));
    // Pretend the record was made for an earlier process that had the same pid.
    const file = path.join(processesDir(), runId, 'victim.json');
    const stale = { ...JSON.parse(fs.readFileSync(file, 'utf8')), startTime: String(Number(record?.startTime) - 1) };
    fs.writeFileSync(file, JSON.stringify(stale));

    expect(listRecorded({ runId }).map((r) => r.state)).toEqual(['pid-reused']);
    const lines = await cleanLocal({ runId });
    expect(lines).toEqual([`run ${runId} victim (pid ${pid}, sleep 300): not signalled, pid ${pid} now belongs to another process (start time differs); record removed`]);
    expect(alive(pid)).toBe(true);
    expect(listRecorded({ runId })).toEqual([]);
  });

  it('drops records of groups that are already gone, and only touches the run asked for', async () => {
    const gone = `gone-${process.pid}-${Date.now()}`;
    const other = `other-${process.pid}-${Date.now()}`;
    const pid = startDetachedSleep();
    recordProcess({ runId: gone, service: 'dead', pid, command: ['sleep', '300'] });
    const otherPid = startDetachedSleep();
    recordProcess({ runId: other, service: 'alive', pid: otherPid, command: ['sleep', '300'] });
    process.kill(-pid, 'SIGKILL');
    await expect.poll(() => alive(pid), { timeout: 2_000 }).toBe(false);

    expect(await cleanLocal({ runId: gone })).toEqual([`run ${gone} dead (pid ${pid}, sleep 300): already gone; record removed`]);
    expect(alive(otherPid)).toBe(true);
    expect(listRecorded({ runId: other }).map((r) => [r.service, r.state])).toEqual([['alive', 'running']]);
    expect(await cleanLocal({ runId: other })).toEqual([`run ${other} alive (pid ${otherPid}, sleep 300): stopped (SIGTERM); record removed`]);
    expect(alive(otherPid)).toBe(false);
  });

  it('reads /proc/<pid>/stat when the command name holds spaces and parentheses', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-comm-'));
    const odd = path.join(dir, 'a) b (c');
    fs.copyFileSync('/bin/sleep', odd);
    fs.chmodSync(odd, 0o755);
    const pid = startDetachedSleep(odd);
    const stat = readProcStat(pid);
    expect(stat?.pgrp).toBe(pid);
    expect(stat?.startTime).toMatch(/^\d+$/);
    expect(readProcStat(2 ** 22 + 1)).toBeUndefined(); // above pid_max
  });

  it('ignores files that are not our records, naming them', () => {
    const runId = `junk-${process.pid}-${Date.now()}`;
    fs.mkdirSync(path.join(processesDir(), runId), { recursive: true });
    fs.writeFileSync(path.join(processesDir(), runId, 'x.json'), '{"pid": 1}');
    expect(listRecorded({ runId })).toEqual([]);
    fs.rmSync(path.join(processesDir(), runId), { recursive: true });
  });
});
