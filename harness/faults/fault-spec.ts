// `--fault ACTION:SERVICE@TIME[+DURATION][,…]`: what to do to which service, and when, on the
// measurement's own time axis (streaming: from the start of load generation; batch: from the
// submission of the faulted execution). Parsed once, checked against the run before anything
// starts (an unknown action or service, a time beyond the run: exit 2 naming the value).
import { UsageError } from '../errors.ts';
import { parseDuration } from '../config/options.ts';

export const FAULT_ACTIONS = ['kill', 'stop', 'pause', 'restart'] as const;
export type FaultAction = (typeof FAULT_ACTIONS)[number];

export const FAULT_ACTION_MEANING: Readonly<Record<FaultAction, string>> = {
  kill: 'SIGKILL to the process group / docker kill; the service stays down',
  stop: 'graceful stop (SIGTERM, then SIGKILL after the grace period); the service stays down',
  pause: 'SIGSTOP / docker pause for +DURATION, then resumed',
  restart: 'SIGKILL, then the same service started again after +DELAY (default at once): a crash under a supervisor',
};

export interface FaultSpec {
  readonly action: FaultAction;
  readonly service: string;
  /** When, in ms from the start of the measurement's time axis. */
  readonly atMs: number;
  /** pause: how long; restart: delay before starting again. */
  readonly durationMs?: number;
  /** As the user wrote it, for messages and the record. */
  readonly text: string;
}

/** Services the harness starts, by name pattern (a worker's index is checked against the run's worker count). */
const SERVICE_PATTERNS: readonly { pattern: RegExp; describe: string }[] = [
  { pattern: /^spark-master$/, describe: 'spark-master' },
  { pattern: /^spark-worker-(\d+)$/, describe: 'spark-worker-N' },
  { pattern: /^flink-jobmanager$/, describe: 'flink-jobmanager' },
  { pattern: /^flink-taskmanager-(\d+)$/, describe: 'flink-taskmanager-N' },
  { pattern: /^flink-sql-gateway$/, describe: 'flink-sql-gateway' },
  { pattern: /^kafka$/, describe: 'kafka' },
];

/** The engine a service belongs to (`spark`, `flink`), or undefined for one every streaming run shares (kafka). */
export function engineOfService(service: string): string | undefined {
  const prefix = service.split('-')[0];
  return prefix === 'spark' || prefix === 'flink' ? prefix : undefined;
}

const FAULT = /^([a-z]+):([a-z0-9-]+)@([^+]+)(?:\+(.+))?$/;

function parseOne(text: string, workers: number): FaultSpec {
  const match = FAULT.exec(text.trim());
  if (!match) throw new UsageError(`--fault: '${text}' is not ACTION:SERVICE@TIME[+DURATION] (e.g. kill:flink-taskmanager-1@20s, pause:kafka@15s+5s)`);
  const [, action = '', service = '', at = '', duration] = match;
  if (!(FAULT_ACTIONS as readonly string[]).includes(action)) {
    throw new UsageError(`--fault: '${text}': unknown action '${action}'; choose from ${FAULT_ACTIONS.join(', ')}`);
  }
  const known = SERVICE_PATTERNS.find((p) => p.pattern.test(service));
  if (!known) throw new UsageError(`--fault: '${text}': unknown service '${service}'; choose from ${SERVICE_PATTERNS.map((p) => p.describe).join(', ')}`);
  const index = known.pattern.exec(service)?.[1];
  if (index !== undefined && (Number(index) < 1 || Number(index) > workers)) {
    throw new UsageError(`--fault: '${text}': the run has ${workers} worker(s), so '${service}' does not exist; use an index from 1 to ${workers} (or --workers)`);
  }
  const atMs = parseDuration(at, 'fault');
  const durationMs = duration === undefined ? undefined : parseDuration(duration, 'fault');
  if (action === 'pause' && durationMs === undefined) throw new UsageError(`--fault: '${text}': pause needs +DURATION (e.g. pause:${service}@${at}+5s)`);
  if ((action === 'kill' || action === 'stop') && durationMs !== undefined) throw new UsageError(`--fault: '${text}': ${action} takes no +DURATION (the service stays down; use restart:…+DELAY to bring it back)`);
  return { action: action as FaultAction, service, atMs, ...(durationMs !== undefined ? { durationMs } : {}), text: text.trim() };
}

/**
 * Parses a comma-separated list. `horizonMs`: the longest a measurement's time axis runs (the
 * streaming generation time; a batch execution's timeout): a fault after it would never fire.
 */
export function parseFaults(value: string, options: { workers: number; horizonMs: number; horizonName: string }): FaultSpec[] {
  const faults = value.split(',').map((part) => part.trim()).filter(Boolean).map((part) => parseOne(part, options.workers));
  if (faults.length === 0) throw new UsageError('--fault: empty list');
  for (const fault of faults) {
    if (fault.atMs >= options.horizonMs) {
      throw new UsageError(`--fault: '${fault.text}' is at ${fault.atMs} ms, not before the end of the measurement (${options.horizonName} ${options.horizonMs} ms); choose an earlier time`);
    }
  }
  return faults.sort((a, b) => a.atMs - b.atMs);
}
