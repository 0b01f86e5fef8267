// A reaper per run, as testcontainers' Ryuk is one per test session: a small detached process
// (reaper-main.ts) started when a runtime opens. The harness holds the write end of a pipe to
// its stdin; when the harness process ends for any reason — SIGKILL and OOM kills included —
// the kernel closes that pipe and the reaper stops everything the run started: local process
// groups (and anything carrying the run's id), or the run's labelled containers and network.
// When the run ends normally the runtime releases it ("done" on the pipe) and it exits without
// touching anything. It acts on its own run id only.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createLogger } from '../log.ts';
import { stateDir } from '../paths.ts';
import type { RunOwner } from './owner.ts';
import { ENV_RUN_ID, type RuntimeKind } from './runtime.ts';

const log = createLogger('bench:runtime:reaper');

/** What the reaper process is told (argv[2], JSON). */
export interface ReaperConfig {
  readonly kind: RuntimeKind;
  readonly runId: string;
  /** The harness process it watches (besides the pipe, polled each second). */
  readonly owner: RunOwner;
  /** Local: time between SIGTERM and SIGKILL. */
  readonly graceMs: number;
}

export interface Reaper {
  readonly pid: number;
  /** The run ended normally: tell the reaper to exit without reaping, and wait (≤ 5 s) until it has. */
  release(): Promise<void>;
}

/** The line the reaper prints once it watches the pipe. */
export const REAPER_READY = 'reaper ready';
/** What the harness writes to release it. */
export const REAPER_RELEASE = 'done';
const REAPER_MAIN = fileURLToPath(new URL('./reaper-main.ts', import.meta.url));
/** Grace between SIGTERM and SIGKILL when reaping local groups: short, the harness is gone. */
export const REAPER_GRACE_MS = 5_000;

function tsxLoader(): string {
  return pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
}

/** Start the reaper of a run and wait until it watches; its log goes to `logFile` (when writable). */
export async function startReaper(options: { kind: RuntimeKind; runId: string; owner: RunOwner; logFile?: string; graceMs?: number; readyTimeoutMs?: number }): Promise<Reaper> {
  const config: ReaperConfig = { kind: options.kind, runId: options.runId, owner: options.owner, graceMs: options.graceMs ?? REAPER_GRACE_MS };
  // The reaper must not carry a run id itself, or a sweep of that run would count it as one of its processes.
  const env: NodeJS.ProcessEnv = { ...process.env, BENCH_STATE_DIR: stateDir() };
  delete env[ENV_RUN_ID];
  let logFd: number | 'ignore' = 'ignore';
  if (options.logFile) {
    try {
      logFd = fs.openSync(options.logFile, 'a');
    } catch (error) {
      log.warn(`reaper of run ${options.runId}: cannot open ${options.logFile} (${(error as Error).message}); it runs without a log`);
    }
  }
  let child: ChildProcess;
  try {
    // detached: its own session, so Ctrl-C in the terminal (SIGINT to the foreground group) and
    // a kill of the harness's process group do not take the reaper with them.
    child = spawn(process.execPath, ['--import', tsxLoader(), REAPER_MAIN, JSON.stringify(config)], {
      detached: true,
      stdio: ['pipe', 'pipe', logFd],
      env,
    });
  } finally {
    if (typeof logFd === 'number') fs.closeSync(logFd);
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.stdin!.on('error', (error) => log.debug(`reaper of run ${options.runId}: pipe: ${error.message}`));
  await waitReady(child, options.runId, options.readyTimeoutMs ?? 30_000);
  // Neither the reaper nor its pipe may keep the harness alive: the pipe's end at our exit is its signal.
  child.unref();
  (child.stdin as Socket).unref();
  log.debug(`reaper of run ${options.runId}: pid ${child.pid} (${options.kind})`);

  let releasing: Promise<void> | undefined;
  return {
    pid: child.pid!,
    release: () =>
      (releasing ??= (async () => {
        await new Promise<void>((resolve) => child.stdin!.end(`${REAPER_RELEASE}\n`, () => resolve()));
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), 5_000)));
        const outcome = await Promise.race([exited.then(() => 'exited' as const), timeout]);
        clearTimeout(timer);
        if (outcome === 'timeout') log.warn(`reaper of run ${options.runId} (pid ${child.pid}) did not exit within 5000 ms of its release`);
        else log.debug(`reaper of run ${options.runId} released`);
      })()),
  };
}

async function waitReady(child: ChildProcess, runId: string, timeoutMs: number): Promise<void> {
  let output = '';
  let timer: NodeJS.Timeout | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`the reaper of run ${runId} did not start within ${timeoutMs} ms (output: ${output.trim() || 'none'})`)), timeoutMs);
      child.once('error', (error) => reject(new Error(`could not start the reaper of run ${runId}: ${error.message}`)));
      child.once('exit', (code, signal) => reject(new Error(`the reaper of run ${runId} exited at start (${signal ?? `exit code ${code}`}); output: ${output.trim() || 'none'}`)));
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes(REAPER_READY)) resolve();
      });
    });
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  } finally {
    clearTimeout(timer);
    child.stdout!.destroy();
  }
}
