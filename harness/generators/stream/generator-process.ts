// The generator in a process of its own (METHOD rule 17): the schedule loop gets an event loop
// and a core to itself instead of sharing the run's with the output consumer, the lag sampler
// and the metrics scrapers, and its own CPU is known. node-rdkafka cannot run in a worker
// thread (it aborts), so this is a child process running generator-child.ts through tsx.
// The child says when generation started (faults and the load window start there), streams its
// hand-over times back while it runs (the output consumer turns them into latency from
// hand-over), then sends its report and what it used.
import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { StreamingSpec } from '../../streaming/streaming-spec.ts';
import type { GeneratorReport, HandOverLog } from './generator.ts';
import type { RateProfile } from './schedule.ts';

/** What one process of the harness used over a span: CPU in cores, and how busy its event loop was. */
export interface ProcessLoad {
  /** (user + system CPU) / wall time: native client threads (librdkafka) included, so it can exceed 1. */
  readonly cpuCores: number;
  /** Share of the wall time the event loop spent running callbacks rather than waiting (performance.eventLoopUtilization). */
  readonly eventLoopBusy: number;
  readonly wallMs: number;
}

/** Starts measuring this process's load; the returned function ends the span and reads it. */
export function processLoadStart(): () => ProcessLoad {
  const cpu = process.cpuUsage();
  const loop = performance.eventLoopUtilization();
  const at = performance.now();
  return () => {
    const used = process.cpuUsage(cpu);
    const wallMs = performance.now() - at;
    return { cpuCores: (used.user + used.system) / 1000 / Math.max(1, wallMs), eventLoopBusy: performance.eventLoopUtilization(loop).utilization, wallMs };
  };
}

export interface GeneratorProcessOptions {
  readonly bootstrap: string;
  readonly topics: readonly string[];
  readonly profile: RateProfile;
  readonly durationMs: number;
  readonly spec: StreamingSpec;
  readonly seed: number;
  readonly behindBoundMs: number;
  /** Filled as the child reports hand-overs (every ~50 ms). */
  readonly handOvers?: HandOverLog;
}

/** Parent → child: the one message that starts it. */
export interface GeneratorStart {
  readonly kind: 'start';
  readonly options: Omit<GeneratorProcessOptions, 'handOvers'>;
}

/** Child → parent. `load` spans generation start → report (records produced, flushed, acknowledged). */
export type GeneratorMessage =
  | { readonly kind: 'started'; readonly startedAtMs: number }
  | { readonly kind: 'hand-overs'; readonly entries: readonly (readonly [intendedMs: number, handedMs: number])[] }
  | { readonly kind: 'done'; readonly report: GeneratorReport; readonly load: ProcessLoad }
  | { readonly kind: 'failed'; readonly message: string };

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'generator-child.ts');

/** tsx's ESM loader as an absolute URL: the child resolves it wherever the harness was started from. */
function tsxLoader(): string {
  const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
  return pathToFileURL(path.join(path.dirname(manifest), 'dist', 'loader.mjs')).href;
}

/**
 * Runs the generator in a child process and resolves with its report and load. Rejects naming
 * the cause when the child fails or ends without a report. `signal` ends the child;
 * `onStarted` gets the schedule's time zero as soon as the child has it.
 */
export function runGeneratorProcess(options: GeneratorProcessOptions, control: { signal?: AbortSignal; onStarted?: (startedAtMs: number) => void } = {}): Promise<{ report: GeneratorReport; load: ProcessLoad }> {
  const { signal, onStarted } = control;
  if (signal?.aborted) return Promise.reject(new Error('generator aborted'));
  const { handOvers, ...start } = options;
  const child = fork(CHILD, [], { execArgv: ['--import', tsxLoader()], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    let outcome: { ok: true; value: { report: GeneratorReport; load: ProcessLoad } } | { ok: false; error: Error } | undefined;
    const onAbort = () => {
      outcome ??= { ok: false, error: new Error('generator aborted') };
      child.kill('SIGTERM');
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    child.on('message', (message: GeneratorMessage) => {
      if (message.kind === 'started') onStarted?.(message.startedAtMs);
      else if (message.kind === 'hand-overs') for (const [intendedMs, handedMs] of message.entries) handOvers?.note(intendedMs, handedMs);
      else if (message.kind === 'done') outcome ??= { ok: true, value: { report: message.report, load: message.load } };
      else outcome ??= { ok: false, error: new Error(message.message) };
    });
    child.once('error', (error) => {
      outcome ??= { ok: false, error: new Error(`generator process: ${error.message}`) };
      child.kill('SIGKILL');
    });
    // 'close', not 'exit': it comes after the IPC channel has delivered everything the child sent.
    child.once('close', (code, exitSignal) => {
      signal?.removeEventListener('abort', onAbort);
      const result = outcome ?? { ok: false as const, error: new Error(`the generator process exited (${exitSignal ?? `code ${code}`}) before it reported`) };
      if (result.ok) resolve(result.value);
      else reject(result.error);
    });
    child.send({ kind: 'start', options: start } satisfies GeneratorStart);
  });
}
