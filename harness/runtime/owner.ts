// Who owns a run's resources: the harness process that started them, named so that it can be
// told apart from any later process — pid + start time (field 22 of /proc/<pid>/stat, clock
// ticks since boot) + boot id (the start time restarts at every boot) + host name (a state
// directory or Docker engine may be shared with other machines). Recorded with every process
// group (local) and as labels on every container and network (docker); `bench clean` and the
// sweep at the start of a run remove only what belongs to an owner that is gone.
import fs from 'node:fs';
import os from 'node:os';
import { processStartTime } from './proc.ts';

export interface RunOwner {
  readonly pid: number;
  readonly startTime: string;
  readonly bootId: string;
  readonly host: string;
}

/** What this machine says about processes; a fake in unit tests. */
export interface MachineProbe {
  readonly bootId: string;
  readonly host: string;
  /** Start time of a live (non-zombie) process, undefined when there is none with that pid. */
  startTimeOf(pid: number): string | undefined;
}

/**
 * alive: the owner still runs, its resources are in use. dead: the owner is gone, they are
 * leftovers. unknown: no owner recorded (an older harness) or it runs on another machine —
 * never removed without `--all`.
 */
export type OwnerState = 'alive' | 'dead' | 'unknown';

export interface OwnerVerdict {
  readonly state: OwnerState;
  /** Completes "… because <reason>", e.g. "its harness (pid 4242) has exited". */
  readonly reason: string;
}

/** Pure: is the owner of a run still running, as far as this machine can tell? */
export function judgeOwner(owner: RunOwner | undefined, probe: MachineProbe): OwnerVerdict {
  if (!owner) return { state: 'unknown', reason: 'no owner is recorded (started by an older harness)' };
  if (owner.host !== probe.host) return { state: 'unknown', reason: `its harness (pid ${owner.pid}) runs on host ${owner.host}, not on ${probe.host}` };
  if (owner.bootId !== probe.bootId) return { state: 'dead', reason: `its harness (pid ${owner.pid}) ran before this machine restarted` };
  const startTime = probe.startTimeOf(owner.pid);
  if (startTime === undefined) return { state: 'dead', reason: `its harness (pid ${owner.pid}) has exited` };
  if (startTime !== owner.startTime) return { state: 'dead', reason: `its harness (pid ${owner.pid}) has exited; that pid now belongs to another process` };
  return { state: 'alive', reason: `its harness (pid ${owner.pid}) is running` };
}

let bootIdCache: string | undefined;
function bootId(): string {
  // Absent outside Linux; then the start time alone decides (a reboot may then go unnoticed).
  bootIdCache ??= (() => {
    try {
      return fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    } catch {
      return 'unknown';
    }
  })();
  return bootIdCache;
}

export function thisMachine(): MachineProbe {
  return { bootId: bootId(), host: os.hostname(), startTimeOf: processStartTime };
}

/** The owner record of a live process (this one by default). */
export function ownerOf(pid: number = process.pid): RunOwner {
  const startTime = processStartTime(pid);
  if (startTime === undefined) throw new Error(`process ${pid} is not running: cannot name it as the owner of a run`);
  return { pid, startTime, bootId: bootId(), host: os.hostname() };
}

// ---- the owner as docker labels and as an environment variable -------------------------------

export const LABEL_OWNER_PID = 'bench.owner.pid';
export const LABEL_OWNER_START_TIME = 'bench.owner.start-time';
export const LABEL_OWNER_BOOT_ID = 'bench.owner.boot-id';
export const LABEL_OWNER_HOST = 'bench.owner.host';

export function ownerLabels(owner: RunOwner): Record<string, string> {
  return {
    [LABEL_OWNER_PID]: String(owner.pid),
    [LABEL_OWNER_START_TIME]: owner.startTime,
    [LABEL_OWNER_BOOT_ID]: owner.bootId,
    [LABEL_OWNER_HOST]: owner.host,
  };
}

/** The owner named by labels; undefined when any is missing or malformed. */
export function ownerFromLabels(labels: Readonly<Record<string, string>> | undefined): RunOwner | undefined {
  if (!labels) return undefined;
  return validOwner({
    pid: Number(labels[LABEL_OWNER_PID]),
    startTime: labels[LABEL_OWNER_START_TIME],
    bootId: labels[LABEL_OWNER_BOOT_ID],
    host: labels[LABEL_OWNER_HOST],
  });
}

/** Carried by every local process of a run, so one found without a record still names its owner. */
export const ENV_RUN_OWNER = 'BENCH_RUN_OWNER';

export function ownerToEnv(owner: RunOwner): string {
  return `${owner.pid}:${owner.startTime}:${owner.bootId}:${owner.host}`;
}

export function ownerFromEnv(value: string | undefined): RunOwner | undefined {
  if (!value) return undefined;
  const [pid, startTime, bootIdValue, ...host] = value.split(':');
  return validOwner({ pid: Number(pid), startTime, bootId: bootIdValue, host: host.join(':') });
}

/** An owner read from JSON, labels or env: undefined unless every field has the right shape. */
export function validOwner(candidate: Partial<Record<keyof RunOwner, unknown>> | undefined): RunOwner | undefined {
  if (!candidate) return undefined;
  const { pid, startTime, bootId: boot, host } = candidate;
  if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0) return undefined;
  if (typeof startTime !== 'string' || !/^\d+$/.test(startTime)) return undefined;
  if (typeof boot !== 'string' || boot === '' || typeof host !== 'string' || host === '') return undefined;
  return { pid, startTime, bootId: boot, host };
}
