// What /proc says about processes: state, group, start time, and the run a process belongs to
// (the BENCH_RUN_ID / BENCH_RUN_OWNER its environment carries — every process the local
// runtime starts has them, and so does everything those processes fork).
import fs from 'node:fs';

export interface ProcStat {
  readonly state: string;
  readonly ppid: number;
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
  // After the last ')': field 3 (state) is index 0, field 4 (ppid) index 1, field 5 (pgrp)
  // index 2, field 22 (starttime) index 19.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0], ppid: Number(fields[1]), pgrp: Number(fields[2]), startTime: fields[19] };
}

/** Start time of a live (non-zombie) process, or undefined. */
export function processStartTime(pid: number): string | undefined {
  const stat = readProcStat(pid);
  return stat && stat.state !== 'Z' ? stat.startTime : undefined;
}

function allPids(): number[] {
  return fs
    .readdirSync('/proc')
    .map(Number)
    .filter((pid) => Number.isInteger(pid) && pid > 0);
}

/**
 * Live (non-zombie) pids in process group `pgid`. Scans /proc instead of `kill(-pgid, 0)`,
 * which also succeeds for zombies nobody reaps (e.g. orphans under a PID 1 that does not reap).
 */
export function liveGroupMembers(pgid: number): number[] {
  return allPids().filter((pid) => {
    const stat = readProcStat(pid);
    return stat !== undefined && stat.pgrp === pgid && stat.state !== 'Z';
  });
}

/** Pure: the value of one variable in a /proc/<pid>/environ text (NUL-separated KEY=VALUE). */
export function environValue(environ: string, key: string): string | undefined {
  const prefix = `${key}=`;
  for (const entry of environ.split('\0')) if (entry.startsWith(prefix)) return entry.slice(prefix.length);
  return undefined;
}

export interface TaggedProcess {
  readonly pid: number;
  readonly pgrp: number;
  readonly startTime: string;
  /** Values of the asked-for environment variables (only processes carrying the first one are listed). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly command: string;
}

/**
 * Live processes whose environment carries `keys[0]`, with the values of every key. Processes
 * we may not read (other users, when not root) are skipped.
 */
export function processesWithEnv(keys: readonly [string, ...string[]]): TaggedProcess[] {
  const found: TaggedProcess[] = [];
  for (const pid of allPids()) {
    if (pid === process.pid) continue;
    let environ: string;
    try {
      environ = fs.readFileSync(`/proc/${pid}/environ`, 'latin1');
    } catch {
      continue;
    }
    if (!environ.includes(`${keys[0]}=`)) continue;
    const stat = readProcStat(pid);
    if (!stat || stat.state === 'Z') continue;
    const env = Object.fromEntries(keys.map((key) => [key, environValue(environ, key)]));
    if (env[keys[0]] === undefined) continue;
    let command = '';
    try {
      command = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
    } catch {
      /* exited while we looked */
    }
    found.push({ pid, pgrp: stat.pgrp, startTime: stat.startTime, env, command });
  }
  return found;
}
