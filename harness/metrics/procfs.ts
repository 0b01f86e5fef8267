// OS resources of local services from procfs: a service is its process group (the runtime
// starts each with setsid) plus the groups it exec'd (spark-submit runs as an exec in the
// master's environment; in the docker runtime it runs inside the master's container, so both
// runtimes count the driver with the master).
//
// CPU: utime + stime + cutime + cstime of the live members. A child reaped by a member moves
// its time into that member's cutime, so the sum stays continuous; a member that vanished
// without a member parent (an exec's leader, reaped by the harness) keeps its last total in a
// base. I/O: /proc/<pid>/io read_bytes/write_bytes (storage layer) are not inherited by
// parents, so every vanished member keeps its last value in the base. Processes born and gone
// between two samples lose their I/O (their CPU is kept through cutime): a known limitation.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import type { StartedService } from '../runtime/runtime.ts';
import { deriveResourceFigures } from './derived.ts';
import type { Reading, Scraper } from './sampler.ts';

export interface ProcStatFields {
  readonly pid: number;
  readonly state: string;
  readonly ppid: number;
  readonly pgrp: number;
  /** Clock ticks: utime + stime + cutime + cstime. */
  readonly cpuTicks: number;
  readonly rssPages: number;
}

/** /proc/<pid>/stat → fields. comm (field 2) may hold spaces and ')', so split after the last ')'. */
export function parseProcStat(text: string): ProcStatFields {
  const close = text.lastIndexOf(')');
  if (close < 0) throw new Error(`not a /proc/<pid>/stat line: '${text.slice(0, 80)}'`);
  const pid = Number(text.slice(0, text.indexOf(' ')));
  // Index 0 is field 3 (state): field N is at index N - 3.
  const f = text.slice(close + 2).trim().split(' ');
  const num = (field: number) => {
    const value = Number(f[field - 3]);
    if (!Number.isFinite(value)) throw new Error(`/proc/${pid}/stat field ${field} is '${f[field - 3]}', not a number`);
    return value;
  };
  return { pid, state: f[0], ppid: num(4), pgrp: num(5), cpuTicks: num(14) + num(15) + num(16) + num(17), rssPages: num(24) };
}

export interface ProcIo {
  readonly readBytes: number;
  readonly writeBytes: number;
}

/** /proc/<pid>/io → bytes that reached the storage layer (read_bytes, write_bytes). */
export function parseProcIo(text: string): ProcIo {
  const values: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const [key, value] = line.split(':');
    if (key && value !== undefined) values[key.trim()] = Number(value.trim());
  }
  if (values.read_bytes === undefined || values.write_bytes === undefined) throw new Error(`no read_bytes/write_bytes in /proc/<pid>/io: '${text.slice(0, 120)}'`);
  return { readBytes: values.read_bytes, writeBytes: values.write_bytes };
}

export interface MemberSnapshot {
  readonly pid: number;
  readonly ppid: number;
  readonly cpuTicks: number;
  readonly rssBytes: number;
  /** Undefined when /proc/<pid>/io could not be read (permissions, zombie). */
  readonly io: ProcIo | undefined;
}

export interface GroupTotals {
  readonly cpuTicks: number;
  readonly rssBytes: number;
  readonly readBytes: number;
  readonly writeBytes: number;
  readonly processes: number;
}

/** Cumulative counters of a changing set of processes (see the file comment for the rules). */
export class ProcessSetAccount {
  private previous = new Map<number, MemberSnapshot>();
  private baseCpuTicks = 0;
  private baseReadBytes = 0;
  private baseWriteBytes = 0;

  update(members: readonly MemberSnapshot[]): GroupTotals {
    const current = new Map(members.map((m) => [m.pid, m]));
    for (const [pid, gone] of this.previous) {
      if (current.has(pid)) continue;
      if (!current.has(gone.ppid)) this.baseCpuTicks += gone.cpuTicks;
      this.baseReadBytes += gone.io?.readBytes ?? 0;
      this.baseWriteBytes += gone.io?.writeBytes ?? 0;
    }
    // A live member whose io is unreadable this time keeps its last known value.
    const withIo = members.map((m) => (m.io === undefined && this.previous.get(m.pid)?.io ? { ...m, io: this.previous.get(m.pid)!.io } : m));
    this.previous = new Map(withIo.map((m) => [m.pid, m]));
    let cpuTicks = this.baseCpuTicks;
    let rssBytes = 0;
    let readBytes = this.baseReadBytes;
    let writeBytes = this.baseWriteBytes;
    for (const m of withIo) {
      cpuTicks += m.cpuTicks;
      rssBytes += m.rssBytes;
      readBytes += m.io?.readBytes ?? 0;
      writeBytes += m.io?.writeBytes ?? 0;
    }
    return { cpuTicks, rssBytes, readBytes, writeBytes, processes: members.length };
  }
}

let sysconf: { ticksPerSecond: number; pageBytes: number } | undefined;
function systemConstants(): { ticksPerSecond: number; pageBytes: number } {
  if (!sysconf) {
    const get = (name: string) => Number(execFileSync('getconf', [name], { encoding: 'utf8' }).trim());
    sysconf = { ticksPerSecond: get('CLK_TCK'), pageBytes: get('PAGESIZE') };
    if (!(sysconf.ticksPerSecond > 0) || !(sysconf.pageBytes > 0)) throw new Error(`getconf gave CLK_TCK=${sysconf.ticksPerSecond}, PAGESIZE=${sysconf.pageBytes}`);
  }
  return sysconf;
}

function readOrUndefined(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** One pass over /proc: every process's stat fields (processes that vanish mid-scan are skipped). */
export function scanProcesses(): ProcStatFields[] {
  const found: ProcStatFields[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (entry.charCodeAt(0) < 48 || entry.charCodeAt(0) > 57) continue;
    const text = readOrUndefined(`/proc/${entry}/stat`);
    if (text) found.push(parseProcStat(text));
  }
  return found;
}

interface LocalTarget {
  readonly name: string;
  readonly pgid: number;
  /** cwd of the service (its work dir): exec'd groups run there too. */
  readonly workDir: string;
}

/**
 * Members of each target: its own process group, plus groups led by a child of this harness
 * process whose cwd is the target's work dir (its execs).
 */
export function membersByTarget(processes: readonly ProcStatFields[], targets: readonly LocalTarget[], cwdOf: (pid: number) => string | undefined): Map<string, ProcStatFields[]> {
  const groupOwner = new Map<number, string>(targets.map((t) => [t.pgid, t.name]));
  for (const p of processes) {
    if (p.pid === p.pgrp && p.ppid === process.pid && !groupOwner.has(p.pgrp)) {
      const cwd = cwdOf(p.pid);
      const owner = targets.find((t) => t.workDir === cwd);
      if (owner) groupOwner.set(p.pgrp, owner.name);
    }
  }
  const members = new Map<string, ProcStatFields[]>(targets.map((t) => [t.name, []]));
  for (const p of processes) {
    const owner = groupOwner.get(p.pgrp);
    if (owner && p.state !== 'Z') members.get(owner)!.push(p);
  }
  return members;
}

/**
 * One scraper for all local services (one /proc scan per sample). Series per service:
 * `<service>/cpu_seconds_total`, `memory_bytes` (RSS), `read_bytes_total`, `write_bytes_total`,
 * `processes`. A service with no live process gives no values (a gap, not zeros).
 */
export function localProcessScraper(services: readonly StartedService[], name = 'os'): Scraper {
  // Read each service's group at every sample, not once: a restarted service (--fault restart)
  // has a new process group leader, and its figures must follow it rather than the dead group.
  const targetsNow = (): LocalTarget[] =>
    services.map((s) => {
      if (s.handle.kind !== 'local') throw new Error(`service ${s.name} is not a local process (handle ${s.handle.kind}); use the docker stats scraper`);
      return { name: s.name, pgid: s.handle.pid, workDir: s.logFile.slice(0, s.logFile.lastIndexOf('/')) };
    });
  const targets = targetsNow();
  const accounts = new Map(targets.map((t) => [t.name, new ProcessSetAccount()]));
  const { ticksPerSecond, pageBytes } = systemConstants();
  return {
    name,
    kind: 'os',
    async sample(): Promise<Reading> {
      const targets = targetsNow();
      const members = membersByTarget(scanProcesses(), targets, (pid) => {
        try {
          return fs.readlinkSync(`/proc/${pid}/cwd`);
        } catch {
          return undefined;
        }
      });
      const reading: Record<string, number> = {};
      for (const target of targets) {
        const live = members.get(target.name)!;
        if (live.length === 0) continue;
        const snapshots = live.map((p): MemberSnapshot => {
          const io = readOrUndefined(`/proc/${p.pid}/io`);
          return { pid: p.pid, ppid: p.ppid, cpuTicks: p.cpuTicks, rssBytes: p.rssPages * pageBytes, io: io ? parseProcIo(io) : undefined };
        });
        const totals = accounts.get(target.name)!.update(snapshots);
        reading[`${target.name}/cpu_seconds_total`] = totals.cpuTicks / ticksPerSecond;
        reading[`${target.name}/memory_bytes`] = totals.rssBytes;
        reading[`${target.name}/read_bytes_total`] = totals.readBytes;
        reading[`${target.name}/write_bytes_total`] = totals.writeBytes;
        reading[`${target.name}/processes`] = totals.processes;
      }
      if (Object.keys(reading).length === 0) throw new Error(`no live process in the groups of ${targets.map((t) => `${t.name} (pgid ${t.pgid})`).join(', ')}`);
      return reading;
    },
    async finish(collected) {
      return { source: 'procfs (process group + exec groups; RSS summed over processes)', perService: deriveResourceFigures(collected, targets.map((t) => t.name)) };
    },
  };
}
