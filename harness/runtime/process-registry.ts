// The local runtime's counterpart of docker labels: every process group it starts is recorded
// under stateDir()/processes/<run-id>/<service>.json, so `bench clean` can find leftovers after
// a crash. A record carries the leader's start time (field 22 of /proc/<pid>/stat): a pid the
// kernel has since given to another process is never signalled.
import fs from 'node:fs';
import path from 'node:path';
import { stateDir } from '../paths.ts';
import { createLogger } from '../log.ts';
import { LABEL_TOOL_VALUE } from './runtime.ts';

const log = createLogger('bench:runtime:processes');

export interface ProcessRecord {
  readonly tool: string;
  readonly runId: string;
  /** Service name, or `job-<name>` for one-shot jobs. */
  readonly service: string;
  /** Process group leader; the group id equals it (started with setsid). */
  readonly pid: number;
  /** Field 22 of /proc/<pid>/stat (clock ticks since boot) when recorded. */
  readonly startTime: string;
  readonly command: readonly string[];
  readonly recordedAt: string;
}

export interface RecordedProcess extends ProcessRecord {
  readonly file: string;
  /** 'running': leader or group members alive; 'gone': nothing left; 'pid-reused': leader pid now belongs to another process. */
  readonly state: 'running' | 'gone' | 'pid-reused';
}

export function processesDir(): string {
  return path.join(stateDir(), 'processes');
}

function recordFile(runId: string, service: string): string {
  return path.join(processesDir(), runId, `${service}.json`);
}

// ---- /proc helpers ---------------------------------------------------------------------------

interface ProcStat {
  readonly state: string;
  readonly pgrp: number;
  readonly startTime: string;
}

/** Fields of /proc/<pid>/stat, or undefined when no such process. comm may hold spaces and ')'. */
export function readProcStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // After the last ')': field 3 (state) is index 0, field 5 (pgrp) index 2, field 22 (starttime) index 19.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0], pgrp: Number(fields[2]), startTime: fields[19] };
}

/** Start time of a live (non-zombie) process, or undefined. */
export function processStartTime(pid: number): string | undefined {
  const stat = readProcStat(pid);
  return stat && stat.state !== 'Z' ? stat.startTime : undefined;
}

/**
 * Live (non-zombie) pids in process group `pgid`. Scans /proc instead of `kill(-pgid, 0)`,
 * which also succeeds for zombies nobody reaps (e.g. orphans under a PID 1 that does not reap).
 */
export function liveGroupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid <= 0) continue;
    const stat = readProcStat(pid);
    if (stat && stat.pgrp === pgid && stat.state !== 'Z') members.push(pid);
  }
  return members;
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitGroupGone(pgid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (liveGroupMembers(pgid).length === 0) return true;
    if (Date.now() >= deadline) return false;
    await sleep(50);
  }
}

/**
 * SIGTERM the group, wait up to `graceMs` for every member to exit, then SIGKILL the group.
 * Returns how it ended. Only call for a group known to be ours (see the start-time check).
 */
export async function stopProcessGroup(pgid: number, graceMs: number): Promise<'not-running' | 'terminated' | 'killed'> {
  if (liveGroupMembers(pgid).length === 0) return 'not-running';
  signalGroup(pgid, 'SIGTERM');
  if (await waitGroupGone(pgid, graceMs)) return 'terminated';
  log.warn(`process group ${pgid} still running ${graceMs} ms after SIGTERM; sending SIGKILL`);
  signalGroup(pgid, 'SIGKILL');
  if (!(await waitGroupGone(pgid, 5_000))) throw new Error(`process group ${pgid} survived SIGKILL for 5000 ms: pids ${liveGroupMembers(pgid).join(', ')}`);
  return 'killed';
}

/** SIGKILL the group at once and wait (up to 5 s) until its members are gone. */
export async function killProcessGroup(pgid: number): Promise<void> {
  signalGroup(pgid, 'SIGKILL');
  await waitGroupGone(pgid, 5_000);
}

// ---- records ---------------------------------------------------------------------------------

/** Record a freshly started group; undefined when its leader is already gone (nothing to record). */
export function recordProcess(entry: { runId: string; service: string; pid: number; command: readonly string[] }): ProcessRecord | undefined {
  const startTime = processStartTime(entry.pid);
  // A leader that exited within microseconds left nothing to clean up; its members (if any) are
  // still found through the pgid, but without a start time we cannot record it safely.
  if (startTime === undefined) return undefined;
  const record: ProcessRecord = { tool: LABEL_TOOL_VALUE, ...entry, startTime, recordedAt: new Date().toISOString() };
  const file = recordFile(entry.runId, entry.service);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify(record, null, 2) + '\n');
  fs.renameSync(temporary, file);
  return record;
}

export function removeRecord(runId: string, service: string): void {
  fs.rmSync(recordFile(runId, service), { force: true });
  // Drop the run's folder once empty, so `listRecorded` stays cheap.
  try {
    fs.rmdirSync(path.dirname(recordFile(runId, service)));
  } catch {
    /* not empty or already gone */
  }
}

function stateOf(record: ProcessRecord): RecordedProcess['state'] {
  const leaderStart = processStartTime(record.pid);
  if (leaderStart !== undefined && leaderStart !== record.startTime) return 'pid-reused';
  // Leader gone but members left: the kernel does not reuse a pid while it names a live group.
  return leaderStart !== undefined || liveGroupMembers(record.pid).length > 0 ? 'running' : 'gone';
}

function readRecord(file: string): ProcessRecord | undefined {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as ProcessRecord;
    if (parsed.tool !== LABEL_TOOL_VALUE || !Number.isInteger(parsed.pid) || parsed.pid <= 1 || typeof parsed.startTime !== 'string') {
      log.warn(`ignoring ${file}: not a process record of ${LABEL_TOOL_VALUE} (delete it by hand if it is stale)`);
      return undefined;
    }
    return parsed;
  } catch (error) {
    log.warn(`ignoring ${file}: ${(error as Error).message} (delete it by hand if it is stale)`);
    return undefined;
  }
}

/** Every recorded process group (optionally of one run), with whether it still runs. */
export function listRecorded(filter: { runId?: string } = {}): RecordedProcess[] {
  const root = processesDir();
  if (!fs.existsSync(root)) return [];
  const runIds = filter.runId !== undefined ? [filter.runId] : fs.readdirSync(root);
  const found: RecordedProcess[] = [];
  for (const runId of runIds) {
    const runFolder = path.join(root, runId);
    if (!fs.existsSync(runFolder) || !fs.statSync(runFolder).isDirectory()) continue;
    for (const name of fs.readdirSync(runFolder).filter((n) => n.endsWith('.json')).sort()) {
      const file = path.join(runFolder, name);
      const record = readRecord(file);
      if (record) found.push({ ...record, file, state: stateOf(record) });
    }
  }
  return found;
}

/**
 * Stop every recorded group that still runs (SIGTERM, then SIGKILL after `graceMs`) and delete
 * the records. A record whose pid now belongs to another process is deleted without a signal.
 * Returns one line per record describing what was done.
 */
export async function cleanLocal(filter: { runId?: string } = {}, options: { graceMs?: number } = {}): Promise<string[]> {
  const graceMs = options.graceMs ?? 10_000;
  const lines: string[] = [];
  for (const entry of listRecorded(filter)) {
    const what = `run ${entry.runId} ${entry.service} (pid ${entry.pid}, ${entry.command.join(' ')})`;
    if (entry.state === 'pid-reused') {
      lines.push(`${what}: not signalled, pid ${entry.pid} now belongs to another process (start time differs); record removed`);
    } else if (entry.state === 'gone') {
      lines.push(`${what}: already gone; record removed`);
    } else {
      const outcome = await stopProcessGroup(entry.pid, graceMs);
      lines.push(`${what}: ${outcome === 'killed' ? `killed (SIGKILL after ${graceMs} ms)` : outcome === 'terminated' ? 'stopped (SIGTERM)' : 'already gone'}; record removed`);
    }
    removeRecord(entry.runId, entry.service);
  }
  return lines;
}
