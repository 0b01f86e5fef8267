// The local runtime's counterpart of docker labels: every process group it starts is recorded
// under stateDir()/processes/<run-id>/<service>.json, so the run's reaper and `bench clean` can
// find leftovers after a crash. A record carries the leader's start time (field 22 of
// /proc/<pid>/stat): a pid the kernel has since given to another process is never signalled.
// It also names the run's owner (the harness process, owner.ts), so a leftover can be told
// from a group of a run that is still going.
import fs from 'node:fs';
import path from 'node:path';
import { stateDir } from '../paths.ts';
import { createLogger } from '../log.ts';
import { ENV_RUN_ID, LABEL_TOOL_VALUE } from './runtime.ts';
import { ENV_RUN_OWNER, ownerFromEnv, ownerOf, validOwner, type RunOwner } from './owner.ts';
import { liveGroupMembers, processStartTime, processesWithEnv, readProcStat } from './proc.ts';

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
  /** The harness process that started it; absent in records of older harnesses. */
  readonly owner?: RunOwner;
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

// ---- /proc helpers (proc.ts), re-exported for the registry's users -------------------------

export { liveGroupMembers, processStartTime, readProcStat } from './proc.ts';

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
export function recordProcess(entry: { runId: string; service: string; pid: number; command: readonly string[]; owner?: RunOwner }): ProcessRecord | undefined {
  const startTime = processStartTime(entry.pid);
  // A leader that exited within microseconds left nothing to clean up; its members (if any) are
  // still found through the pgid, but without a start time we cannot record it safely.
  if (startTime === undefined) return undefined;
  const record: ProcessRecord = { tool: LABEL_TOOL_VALUE, ...entry, owner: entry.owner ?? ownerOf(), startTime, recordedAt: new Date().toISOString() };
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
    const owner = validOwner(parsed.owner as Partial<Record<keyof RunOwner, unknown>> | undefined);
    const { owner: _raw, ...rest } = parsed;
    return owner ? { ...rest, owner } : rest;
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

// ---- every process of a run, recorded or not ------------------------------------------------

/** A live process whose environment carries a run id: what the local runtime started, and everything that forked. */
export interface RunProcess {
  readonly pid: number;
  readonly pgrp: number;
  readonly startTime: string;
  readonly runId: string;
  readonly owner?: RunOwner;
  readonly command: string;
}

export function runProcesses(filter: { runId?: string } = {}): RunProcess[] {
  return processesWithEnv([ENV_RUN_ID, ENV_RUN_OWNER])
    .map((p) => ({ pid: p.pid, pgrp: p.pgrp, startTime: p.startTime, runId: p.env[ENV_RUN_ID]!, owner: ownerFromEnv(p.env[ENV_RUN_OWNER]), command: p.command }))
    .filter((p) => filter.runId === undefined || p.runId === filter.runId);
}

function signalPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/**
 * Stop everything of one local run: its recorded groups and any process still carrying its
 * run id outside them (one that left its group, or one started just before a crash, before it
 * was recorded). All get SIGTERM at once, what is left after `graceMs` SIGKILL; the run's
 * records are deleted. One line per thing found.
 */
export async function stopRunProcesses(runId: string, options: { graceMs?: number } = {}): Promise<string[]> {
  const graceMs = options.graceMs ?? 10_000;
  const lines: string[] = [];
  const groups: RecordedProcess[] = [];
  const describe = (entry: RecordedProcess) => `${entry.service} (pid ${entry.pid}, ${entry.command.join(' ')})`;
  for (const entry of listRecorded({ runId })) {
    if (entry.state === 'pid-reused') lines.push(`${describe(entry)}: not signalled, pid ${entry.pid} now belongs to another process (start time differs)`);
    else if (entry.state === 'gone') lines.push(`${describe(entry)}: already gone`);
    else groups.push(entry);
  }
  const strays = runProcesses({ runId }).filter((p) => !groups.some((g) => g.pid === p.pgrp));
  const strayAlive = (p: RunProcess) => processStartTime(p.pid) === p.startTime;
  const left = () => [...groups.filter((g) => liveGroupMembers(g.pid).length > 0), ...strays.filter(strayAlive)];

  for (const group of groups) signalGroup(group.pid, 'SIGTERM');
  for (const stray of strays) signalPid(stray.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (left().length > 0 && Date.now() < deadline) await sleep(50);
  const killed = new Set(left());
  if (killed.size > 0) {
    log.warn(`run ${runId}: ${killed.size} process group(s)/process(es) still running ${graceMs} ms after SIGTERM; sending SIGKILL`);
    for (const group of groups) if (killed.has(group)) signalGroup(group.pid, 'SIGKILL');
    for (const stray of strays) if (killed.has(stray)) signalPid(stray.pid, 'SIGKILL');
    const killDeadline = Date.now() + 5_000;
    while (left().length > 0 && Date.now() < killDeadline) await sleep(50);
  }
  const survivors = new Set(left());
  const outcome = (thing: RecordedProcess | RunProcess) =>
    survivors.has(thing) ? `survived SIGKILL for 5000 ms` : killed.has(thing) ? `killed (SIGKILL after ${graceMs} ms)` : 'stopped (SIGTERM)';
  for (const group of groups) lines.push(`${describe(group)}: ${outcome(group)}`);
  for (const stray of strays) lines.push(`process ${stray.pid} outside the recorded groups (${stray.command}): ${outcome(stray)}`);
  for (const entry of listRecorded({ runId })) removeRecord(runId, entry.service);
  return lines;
}
