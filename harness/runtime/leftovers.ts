// Leftovers: what runs left behind, grouped by run and judged by their owner (owner.ts). A
// resource whose harness still runs is not a leftover: `bench clean` spares it unless `--all`
// (then the harness is asked to stop — SIGTERM, its own teardown runs — and what remains is
// removed); the sweep at the start of every run removes only what dead runs left.
import Docker from 'dockerode';
import { createLogger } from '../log.ts';
import { removeRunResources } from './docker-clean.ts';
import { judgeOwner, ownerFromLabels, thisMachine, type MachineProbe, type OwnerVerdict, type RunOwner } from './owner.ts';
import { listRecorded, runProcesses, stopRunProcesses } from './process-registry.ts';
import { processStartTime } from './proc.ts';
import { LABEL_RUN_ID, LABEL_SERVICE, LABEL_TOOL, LABEL_TOOL_VALUE } from './runtime.ts';

const log = createLogger('bench:runtime:leftovers');

export type LeftoverRuntime = 'local' | 'docker';

/** What one run has on one runtime, and who started it. */
export interface RunResources {
  readonly runtime: LeftoverRuntime;
  readonly runId: string;
  readonly owner?: RunOwner;
  /** One entry per thing found, for the user: "flink-jobmanager (pid 4242)", "container bench-…-kafka (running)". */
  readonly items: readonly string[];
}

/**
 * remove: its owner is gone (a leftover). spare: its owner runs (or cannot be judged) and
 * `--all` was not given. stop-live: `--all` and the owner runs: ask it to stop, then remove.
 */
export type CleanAction = 'remove' | 'spare' | 'stop-live';

/** Pure: what `bench clean` does with a run, given its owner's verdict. */
export function cleanAction(verdict: OwnerVerdict, options: { all: boolean }): CleanAction {
  if (verdict.state === 'dead') return 'remove';
  if (!options.all) return 'spare';
  return verdict.state === 'alive' ? 'stop-live' : 'remove';
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Pure: the line for a run left alone. */
export function sparedLine(run: RunResources, verdict: OwnerVerdict): string {
  const what = run.runtime === 'local' ? plural(run.items.length, 'process group') : plural(run.items.length, 'container/network');
  const advice = verdict.state === 'alive' ? '`npx bench clean --all` stops it' : '`npx bench clean --all` removes it';
  return `run ${run.runId} (${run.runtime}, ${what}): spared, ${verdict.reason} (${advice})`;
}

/** Pure: the heading of a run that was removed; its removal lines follow, indented. */
export function removedHeading(run: RunResources, verdict: OwnerVerdict, stopped?: string): string {
  if (stopped !== undefined) return `run ${run.runId} (${run.runtime}): live, stopped as --all asks: ${verdict.reason}; ${stopped}; removed:`;
  return `run ${run.runId} (${run.runtime}): ${verdict.reason}; removed:`;
}

// ---- finding --------------------------------------------------------------------------------

export function findLocalRuns(): RunResources[] {
  const byRun = new Map<string, { owner?: RunOwner; items: string[]; groups: Set<number> }>();
  const entry = (runId: string) => {
    let found = byRun.get(runId);
    if (!found) byRun.set(runId, (found = { items: [], groups: new Set() }));
    return found;
  };
  for (const record of listRecorded()) {
    const run = entry(record.runId);
    run.owner ??= record.owner;
    run.groups.add(record.pid);
    run.items.push(`${record.service} (pid ${record.pid}${record.state === 'running' ? '' : `, ${record.state}`})`);
  }
  for (const process of runProcesses()) {
    const run = entry(process.runId);
    run.owner ??= process.owner;
    if (!run.groups.has(process.pgrp)) {
      run.groups.add(process.pgrp);
      run.items.push(`process group ${process.pgrp} (${process.command.slice(0, 80)})`);
    }
  }
  return [...byRun.entries()].map(([runId, run]) => ({ runtime: 'local' as const, runId, ...(run.owner ? { owner: run.owner } : {}), items: run.items }));
}

export async function findDockerRuns(docker: Docker): Promise<RunResources[]> {
  const label = [`${LABEL_TOOL}=${LABEL_TOOL_VALUE}`];
  const [containers, networks] = await Promise.all([docker.listContainers({ all: true, filters: { label } }), docker.listNetworks({ filters: { label } })]);
  const byRun = new Map<string, { owner?: RunOwner; items: string[] }>();
  const add = (labels: Record<string, string> | undefined, item: string) => {
    const runId = labels?.[LABEL_RUN_ID] ?? '(no run id)';
    let run = byRun.get(runId);
    if (!run) byRun.set(runId, (run = { items: [] }));
    run.owner ??= ownerFromLabels(labels);
    run.items.push(item);
  };
  for (const info of containers) add(info.Labels, `container ${info.Names[0]?.replace(/^\//, '') ?? info.Id.slice(0, 12)} (${info.Labels[LABEL_SERVICE]}, ${info.State})`);
  for (const info of networks) add(info.Labels, `network ${info.Name}`);
  return [...byRun.entries()].map(([runId, run]) => ({ runtime: 'docker' as const, runId, ...(run.owner ? { owner: run.owner } : {}), items: run.items }));
}

// ---- removing -------------------------------------------------------------------------------

async function removeRun(run: RunResources, docker: Docker | undefined, graceMs: number): Promise<string[]> {
  if (run.runtime === 'local') return stopRunProcesses(run.runId, { graceMs });
  if (!docker) throw new Error(`run ${run.runId}: docker resources but no Docker client`);
  return removeRunResources(docker, { runId: run.runId });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** SIGTERM a live owner (its teardown removes what it started) and wait until it has exited. */
async function stopOwner(owner: RunOwner, waitMs: number): Promise<string> {
  if (owner.pid === process.pid) return 'it is this process, not signalled';
  const t0 = Date.now();
  try {
    process.kill(owner.pid, 'SIGTERM');
  } catch (error) {
    return `could not signal it (${(error as Error).message})`;
  }
  while (processStartTime(owner.pid) === owner.startTime) {
    if (Date.now() - t0 >= waitMs) return `sent it SIGTERM; it was still running after ${waitMs} ms`;
    await sleep(100);
  }
  return `sent it SIGTERM; it exited after ${((Date.now() - t0) / 1000).toFixed(1)} s`;
}

export interface CleanOptions {
  /** Also stop live runs (and remove runs whose owner cannot be judged). */
  readonly all: boolean;
  readonly local: boolean;
  /** A client when docker resources are to be looked at. */
  readonly docker?: Docker;
  /** Local: SIGTERM → SIGKILL grace. */
  readonly graceMs?: number;
  /** How long a live owner may take to exit after SIGTERM (--all). */
  readonly ownerWaitMs?: number;
  readonly probe?: MachineProbe;
  /** Only runs this accepts (tests: never another run on the machine). */
  readonly filter?: (run: RunResources) => boolean;
}

/** `bench clean`: one line per run (removed ones followed by their removal lines, indented). */
export async function cleanLeftovers(options: CleanOptions): Promise<string[]> {
  const probe = options.probe ?? thisMachine();
  const runs = [...(options.local ? findLocalRuns() : []), ...(options.docker ? await findDockerRuns(options.docker) : [])].filter(options.filter ?? (() => true));
  const lines: string[] = [];
  const signalled = new Map<number, Promise<string>>();
  for (const run of runs) {
    const verdict = judgeOwner(run.owner, probe);
    const action = cleanAction(verdict, { all: options.all });
    if (action === 'spare') {
      lines.push(sparedLine(run, verdict));
      continue;
    }
    let stopped: string | undefined;
    if (action === 'stop-live') {
      // One owner may have several runs (runtimes); it is asked once.
      const owner = run.owner!;
      if (!signalled.has(owner.pid)) signalled.set(owner.pid, stopOwner(owner, options.ownerWaitMs ?? 45_000));
      stopped = await signalled.get(owner.pid)!;
    }
    const removed = await removeRun(run, options.docker, options.graceMs ?? 10_000);
    lines.push(removedHeading(run, verdict, stopped), ...(removed.length ? removed : ['nothing was left']).map((line) => `  ${line}`));
  }
  return lines;
}

/**
 * At the start of a run: remove what dead runs left (never a live run's, never one whose owner
 * cannot be judged). One line per run removed.
 */
export async function sweepDeadRuns(options: Pick<CleanOptions, 'docker' | 'graceMs' | 'probe' | 'filter'>): Promise<string[]> {
  const probe = options.probe ?? thisMachine();
  const runs = [...findLocalRuns(), ...(options.docker ? await findDockerRuns(options.docker) : [])].filter(options.filter ?? (() => true));
  const lines: string[] = [];
  for (const run of runs) {
    const verdict = judgeOwner(run.owner, probe);
    if (verdict.state !== 'dead') continue;
    try {
      const removed = await removeRun(run, options.docker, options.graceMs ?? 10_000);
      lines.push(`removed what run ${run.runId} (${run.runtime}) left behind, ${verdict.reason}: ${removed.join('; ') || 'nothing was left'}`);
    } catch (error) {
      log.warn(`could not remove what run ${run.runId} left behind: ${(error as Error).message}`);
    }
  }
  return lines;
}
