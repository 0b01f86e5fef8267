// The local runtime: each service is one process group on 127.0.0.1 (started with setsid, so
// the whole tree — a launcher script and the JVM it forks — stops together), its output
// appended to <workDir>/service.log. Every group is recorded (process-registry.ts) with the
// harness as its owner, and every process carries BENCH_RUN_ID / BENCH_RUN_OWNER; the run's
// reaper (reaper.ts) stops them all when the harness dies, and `bench clean` finds whatever a
// dead reaper left.
//
// Resource limits are NOT enforced for plain processes: spec.resources is advisory here, and
// the engines hold to their budget through their own config (cores, heap, slots). describe()
// says so, and so does the provenance that records it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa, type Options } from 'execa';
import { createLogger } from '../log.ts';
import type {
  DistributionName,
  ExecResult,
  JobResult,
  JobSpec,
  Runtime,
  RuntimeDescription,
  ServiceFile,
  ServiceFault,
  ServiceSpec,
  StartedService,
  UnexpectedExit,
} from './runtime.ts';
import { RuntimeServiceContext } from './service-context.ts';
import { sinceRestart } from './wait.ts';
import { killProcessGroup, liveGroupMembers, recordProcess, removeRecord, stopProcessGroup } from './process-registry.ts';
import { ENV_RUN_OWNER, ownerOf, ownerToEnv, type RunOwner } from './owner.ts';
import { startReaper, type Reaper } from './reaper.ts';
import { onTeardown } from './teardown.ts';

const log = createLogger('bench:runtime:local');

import { ENV_RUN_ID } from './runtime.ts';
export { ENV_RUN_ID };
const FAILURE_LOG_LINES = 40;
const RESOURCES_NOTE =
  'advisory: cpus/memoryMiB of a service are not enforced for local processes; the engines apply their budget through their own config (cores, heap, slots)';

export interface LocalRuntimeOptions {
  runId: string;
  runDir: string;
  /** Unpacked distribution directories on this host. */
  homes: Partial<Record<DistributionName, string>>;
  /** Keep default host ports for user-facing ports (`bench up`). */
  fixedHostPorts?: boolean;
  /** Time between SIGTERM and SIGKILL when stopping a service (default 10000 ms). */
  stopGraceMs?: number;
}

export async function createLocalRuntime(options: LocalRuntimeOptions): Promise<Runtime> {
  const context = new RuntimeServiceContext({ kind: 'local', ...options });
  fs.mkdirSync(options.runDir, { recursive: true });
  const owner = ownerOf();
  // The reaper watches before the first process starts; it costs ~0.5 s, spent beside the port search.
  const [reaper] = await Promise.all([
    startReaper({ kind: 'local', runId: options.runId, owner, logFile: path.join(options.runDir, 'reaper.log') }),
    context.reservePorts(64),
  ]);
  return new LocalRuntime(context, options.stopGraceMs ?? 10_000, owner, reaper);
}

function baseEnv(runId: string, owner: RunOwner, specEnv: Readonly<Record<string, string>>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of ['PATH', 'JAVA_HOME', 'HOME'] as const) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  return { ...env, ...specEnv, [ENV_RUN_ID]: runId, [ENV_RUN_OWNER]: ownerToEnv(owner) };
}

function writeFiles(files: readonly ServiceFile[], root: string | undefined, owner: string): void {
  for (const file of files) {
    const relative = root === undefined ? '' : path.relative(root, file.path);
    if (!path.isAbsolute(file.path) || relative.startsWith('..') || path.isAbsolute(relative)) {
      throw new Error(`${owner}: file '${file.path}' must be an absolute path${root ? ` under its work dir ${root}` : ''}; build it with context.workDir('${owner}')`);
    }
    fs.mkdirSync(path.dirname(file.path), { recursive: true });
    fs.writeFileSync(file.path, file.content);
  }
}

function tailLines(text: string, lines: number | undefined): string {
  if (lines === undefined) return text;
  const all = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
  return all.slice(-lines).join('\n');
}

function exitCodeOf(result: { exitCode?: number; signal?: string }): number {
  if (result.exitCode !== undefined) return result.exitCode;
  const number = result.signal ? os.constants.signals[result.signal as NodeJS.Signals] : undefined;
  return number !== undefined ? 128 + number : -1;
}

interface GroupRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  durationMs: number;
}

class LocalRuntime implements Runtime {
  readonly kind = 'local' as const;
  readonly runId: string;
  private readonly running = new Map<string, LocalService>();
  private readonly exitListeners = new Set<(exit: UnexpectedExit) => void>();
  /** Groups of running jobs and execs, killed by close(). */
  private readonly oneShotGroups = new Set<number>();
  private readonly closeController = new AbortController();
  private closing: Promise<void> | undefined;
  private readonly unregisterTeardown: () => void;

  constructor(
    readonly context: RuntimeServiceContext,
    private readonly stopGraceMs: number,
    private readonly owner: RunOwner,
    private readonly reaper: Reaper,
  ) {
    this.runId = context.runId;
    this.unregisterTeardown = onTeardown(() => this.close(), `local runtime ${this.runId}`);
  }

  async start(spec: ServiceSpec): Promise<StartedService> {
    if (this.closing) throw new Error(`local runtime of run ${this.runId} is closed; cannot start ${spec.name}`);
    if (this.running.has(spec.name)) throw new Error(`service ${spec.name} is already running in run ${this.runId}`);
    if (spec.command.length === 0) throw new Error(`service ${spec.name}: command is empty`);
    await this.context.checkFixedPorts();

    const workDir = this.context.workDir(spec.name);
    writeFiles(spec.files, workDir, spec.name);
    const logFile = path.join(workDir, 'service.log');
    const env = baseEnv(this.runId, this.owner, spec.env);
    const [file, ...args] = spec.command;
    log.info(`starting ${spec.name}: ${spec.command.join(' ')} (cwd ${workDir}, log ${logFile})`);
    log.debug(`${spec.name}: resources ${spec.resources.cpus} cpus / ${spec.resources.memoryMiB} MiB are ${RESOURCES_NOTE}`);
    const started = Date.now();

    // The child writes straight to the file (an fd, not a pipe through us), so its output is
    // kept even when the harness dies first. Also how a restart (fault) starts it again.
    const spawnLeader = (): { pid: number; subprocess: PromiseLike<{ exitCode?: number; signal?: string }> } => {
      // execa's types list only fds 3-9; at runtime it hands any fd number to spawn() as is.
      const logFd = fs.openSync(logFile, 'a') as 3;
      let subprocess;
      try {
        subprocess = execa(file, args, {
          cwd: workDir,
          env,
          extendEnv: false,
          detached: true,
          cleanup: false,
          reject: false,
          stdin: 'ignore',
          stdout: logFd,
          stderr: logFd,
        });
      } finally {
        // The child holds its own copy of the descriptor from here on.
        fs.closeSync(logFd);
      }
      const pid = subprocess.pid;
      if (pid === undefined) throw new Error(`could not start ${spec.name} (${spec.command.join(' ')})`);
      recordProcess({ runId: this.runId, service: spec.name, pid, command: spec.command, owner: this.owner });
      return { pid, subprocess };
    };
    const leader = spawnLeader();

    const service = new LocalService(spec, leader, logFile, workDir, env, this.stopGraceMs, this.runId, spawnLeader, () => this.running.delete(spec.name));
    this.running.set(spec.name, service);
    try {
      await spec.waitFor.waitUntilReady(service, this.closeController.signal);
    } catch (error) {
      const tail = await service.logs(FAILURE_LOG_LINES).catch(() => '(log unreadable)');
      const exit = service.exitDescription();
      await service.stop();
      throw new Error(
        `${(error as Error).message}${exit ? ` (${exit})` : ''}\n--- last ${FAILURE_LOG_LINES} lines of ${logFile} ---\n${tail}`,
        { cause: error },
      );
    }
    log.info(`${spec.name} ready after ${Date.now() - started} ms (pid ${service.pid})`);
    service.whenExitedUnexpectedly((exit) => {
      log.warn(`${spec.name} (pid ${exit.pid}) exited without being stopped: ${exit.description}`);
      for (const listener of this.exitListeners) listener(exit);
    });
    return service;
  }

  async runJob(spec: JobSpec): Promise<JobResult> {
    if (this.closing) throw new Error(`local runtime of run ${this.runId} is closed; cannot run job ${spec.name}`);
    if (spec.command.length === 0) throw new Error(`job ${spec.name}: command is empty`);
    writeFiles(spec.files, undefined, `job ${spec.name}`);
    const jobsDir = path.join(this.context.runDir, 'jobs');
    const cwd = path.join(jobsDir, spec.name);
    fs.mkdirSync(cwd, { recursive: true });
    const logFile = path.join(jobsDir, `${spec.name}.log`);
    // Appended, so repetitions of the same job keep every attempt's output.
    fs.appendFileSync(logFile, `--- ${new Date().toISOString()} ${spec.command.join(' ')}\n`);
    log.info(`job ${spec.name}: ${spec.command.join(' ')} (timeout ${spec.timeoutMs} ms, log ${logFile})`);
    const run = await runProcessGroup(spec.command, {
      what: `job ${spec.name}`,
      runId: this.runId,
      recordAs: `job-${spec.name}`,
      cwd,
      env: baseEnv(this.runId, this.owner, spec.env),
      timeoutMs: spec.timeoutMs,
      signal: spec.signal,
      logFile,
      groups: this.oneShotGroups,
    });
    log.info(`job ${spec.name}: exit code ${run.exitCode}${run.timedOut ? ' (timed out)' : ''} after ${run.durationMs} ms`);
    return { ...run, logFile };
  }

  services(): readonly StartedService[] {
    return [...this.running.values()];
  }

  onUnexpectedExit(listener: (exit: UnexpectedExit) => void): () => void {
    this.exitListeners.add(listener);
    return () => this.exitListeners.delete(listener);
  }

  async describe(): Promise<RuntimeDescription> {
    const java = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
    const version = await execa(java, ['-version'], { reject: false, timeout: 30_000 });
    const javaVersion =
      version.exitCode === 0 ? (version.stderr || version.stdout).split('\n')[0].trim() : `unavailable (${java} -version: ${version.shortMessage})`;
    return {
      kind: 'local',
      details: {
        java: javaVersion,
        hostname: os.hostname(),
        cpus: String(os.cpus().length),
        memoryMiB: String(Math.round(os.totalmem() / 2 ** 20)),
        resourceLimits: RESOURCES_NOTE,
      },
      images: {},
    };
  }

  close(): Promise<void> {
    this.closing ??= this.closeAll();
    return this.closing;
  }

  private async closeAll(): Promise<void> {
    this.closeController.abort(new Error(`local runtime of run ${this.runId} is closing`));
    const results = await Promise.allSettled([
      ...[...this.running.values()].map((service) => service.stop()),
      ...[...this.oneShotGroups].map((pgid) => killProcessGroup(pgid)),
    ]);
    this.unregisterTeardown();
    const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => String(r.reason?.message ?? r.reason));
    // Not released on failure: whatever could not be stopped is the reaper's once this process ends.
    if (failures.length > 0) throw new Error(`closing local runtime of run ${this.runId}: ${failures.join('; ')} (its reaper, pid ${this.reaper.pid}, stops what is left when this process exits)`);
    await this.reaper.release();
    log.info(`local runtime of run ${this.runId} closed`);
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/**
 * Run a command as its own process group to completion. On timeout or abort the whole group is
 * SIGKILLed; processes the leader left behind in its group are killed too (nothing untracked).
 */
async function runProcessGroup(
  command: readonly string[],
  options: {
    what: string;
    runId: string;
    recordAs: string;
    cwd: string;
    env: Record<string, string>;
    timeoutMs?: number;
    signal?: AbortSignal;
    logFile?: string;
    groups: Set<number>;
  },
): Promise<GroupRun> {
  options.signal?.throwIfAborted();
  const started = performance.now();
  const [file, ...args] = command;
  const output: Options['stdout'] = options.logFile ? ['pipe', { file: options.logFile, append: true }] : 'pipe';
  const subprocess = execa(file, args, {
    cwd: options.cwd,
    env: options.env,
    extendEnv: false,
    detached: true,
    cleanup: false,
    reject: false,
    stdin: 'ignore',
    stdout: output,
    stderr: output,
  });
  const pid = subprocess.pid;
  if (pid === undefined) {
    const result = await subprocess;
    throw new Error(`could not start ${options.what} (${command.join(' ')}): ${result.shortMessage}`);
  }
  const recordName = `${options.recordAs}-${pid}`;
  recordProcess({ runId: options.runId, service: recordName, pid, command });
  options.groups.add(pid);

  let timedOut = false;
  const kill = () => void killProcessGroup(pid).catch((error: Error) => log.error(`${options.what}: ${error.message}`));
  const timer =
    options.timeoutMs !== undefined
      ? setTimeout(() => {
          timedOut = true;
          log.warn(`${options.what} timed out after ${options.timeoutMs} ms: killing process group ${pid}`);
          kill();
        }, options.timeoutMs)
      : undefined;
  options.signal?.addEventListener('abort', kill, { once: true });
  // The leader's exit, not the end of its output: a leftover holding the pipe would keep
  // `await subprocess` waiting until it exits on its own.
  const leaderExited = new Promise((resolve) => subprocess.once('exit', resolve));
  try {
    await leaderExited;
    if (liveGroupMembers(pid).length > 0) {
      log.warn(`${options.what} left processes in its group (${liveGroupMembers(pid).join(', ')}): killing them`);
      await killProcessGroup(pid);
    }
    const result = await subprocess;
    options.signal?.throwIfAborted();
    if (result.exitCode === undefined && result.signal === undefined) {
      throw new Error(`${options.what} (${command.join(' ')}) failed: ${result.shortMessage}`);
    }
    return {
      exitCode: exitCodeOf(result),
      stdout: String(result.stdout ?? ''),
      stderr: String(result.stderr ?? ''),
      timedOut,
      durationMs: Math.round(performance.now() - started),
    };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', kill);
    options.groups.delete(pid);
    removeRecord(options.runId, recordName);
  }
}

/** The leader process of a service as it runs now (a restart replaces it). */
interface Leader {
  readonly pid: number;
  exit?: { exitCode?: number; signal?: string };
  readonly exited: Promise<void>;
}

class LocalService implements StartedService {
  readonly name: string;
  private leader: Leader;
  private stopping: Promise<void> | undefined;
  private restarting: Promise<void> | undefined;
  private reportUnexpectedExit: ((exit: UnexpectedExit & { pid: number }) => void) | undefined;
  /** Groups of commands exec'd in this service: they end with it, as a docker exec ends with its container. */
  private readonly execGroups = new Set<number>();

  constructor(
    readonly spec: ServiceSpec,
    first: { pid: number; subprocess: PromiseLike<{ exitCode?: number; signal?: string }> },
    readonly logFile: string,
    private readonly workDir: string,
    private readonly env: Record<string, string>,
    private readonly stopGraceMs: number,
    private readonly runId: string,
    private readonly spawnLeader: () => { pid: number; subprocess: PromiseLike<{ exitCode?: number; signal?: string }> },
    private readonly onStopped: () => void,
  ) {
    this.name = spec.name;
    this.leader = this.adopt(first);
  }

  get pid(): number {
    return this.leader.pid;
  }

  get handle(): { readonly kind: 'local'; readonly pid: number } {
    return { kind: 'local', pid: this.leader.pid };
  }

  private adopt({ pid, subprocess }: { pid: number; subprocess: PromiseLike<{ exitCode?: number; signal?: string }> }): Leader {
    const leader: Leader = {
      pid,
      exited: Promise.resolve(subprocess).then((result) => {
        leader.exit = { exitCode: result.exitCode, signal: result.signal };
      }),
    };
    void leader.exited.then(() => {
      if (!this.stopping) this.reportUnexpectedExit?.({ service: this, pid, description: this.describeExit(leader) ?? 'exited', atMs: Date.now() });
    });
    return leader;
  }

  endpoint(portName: string): { host: string; port: number } {
    const assignment = this.spec.ports.find((p) => p.name === portName);
    if (!assignment) {
      throw new Error(`service ${this.name} has no port '${portName}' (it has: ${this.spec.ports.map((p) => p.name).join(', ') || 'none'})`);
    }
    return { host: '127.0.0.1', port: assignment.host };
  }

  url(portName: string, urlPath = '/'): string {
    const { host, port } = this.endpoint(portName);
    return `http://${host}:${port}${urlPath.startsWith('/') ? urlPath : `/${urlPath}`}`;
  }

  async logs(lines?: number): Promise<string> {
    return tailLines(await fs.promises.readFile(this.logFile, 'utf8'), lines);
  }

  async isRunning(): Promise<boolean> {
    return this.leader.exit === undefined;
  }

  get stopRequested(): boolean {
    return this.stopping !== undefined;
  }

  /** Calls `report` whenever a leader exits before stop() was called (again after a restart). */
  whenExitedUnexpectedly(report: (exit: UnexpectedExit & { pid: number }) => void): void {
    this.reportUnexpectedExit = report;
  }

  /** "exit code 3" / "killed by SIGKILL" once the leader has exited, else undefined. */
  exitDescription(): string | undefined {
    return this.describeExit(this.leader);
  }

  private describeExit(leader: Leader): string | undefined {
    if (!leader.exit) return undefined;
    return leader.exit.exitCode !== undefined ? `exit code ${leader.exit.exitCode}` : `killed by ${leader.exit.signal}`;
  }

  async fault(action: ServiceFault): Promise<void> {
    if (this.stopping) throw new Error(`${this.name} is stopped: no fault can be injected`);
    const signalGroup = (signal: NodeJS.Signals) => {
      try {
        process.kill(-this.leader.pid, signal);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
      }
    };
    const leader = this.leader;
    switch (action) {
      case 'kill':
        signalGroup('SIGKILL');
        await leader.exited;
        return;
      case 'terminate': {
        signalGroup('SIGTERM');
        const ended = await Promise.race([leader.exited.then(() => true), sleep(this.stopGraceMs).then(() => false)]);
        if (!ended) signalGroup('SIGKILL');
        await leader.exited;
        return;
      }
      case 'pause':
        signalGroup('SIGSTOP');
        return;
      case 'resume':
        signalGroup('SIGCONT');
        return;
      case 'restart':
        this.restarting ??= (async () => {
          signalGroup('SIGKILL');
          await leader.exited;
          removeRecord(this.runId, this.name);
          const logLengthBefore = (await this.logs().catch(() => '')).length;
          this.leader = this.adopt(this.spawnLeader());
          await this.spec.waitFor.waitUntilReady(sinceRestart(this, logLengthBefore));
          log.info(`${this.name} restarted (pid ${this.leader.pid})`);
        })().finally(() => (this.restarting = undefined));
        return this.restarting;
    }
  }

  async exec(command: readonly string[], options: { timeoutMs?: number } = {}): Promise<ExecResult> {
    if (command.length === 0) throw new Error(`exec in ${this.name}: command is empty`);
    const run = await runProcessGroup(command, {
      what: `exec in ${this.name}`,
      runId: this.runId,
      recordAs: `exec-${this.name}`,
      cwd: this.workDir,
      env: this.env,
      timeoutMs: options.timeoutMs,
      groups: this.execGroups,
    });
    if (run.timedOut) throw new Error(`exec in ${this.name} did not finish within ${options.timeoutMs} ms: ${command.join(' ')}`);
    return { exitCode: run.exitCode, stdout: run.stdout, stderr: run.stderr };
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await this.restarting?.catch(() => undefined);
      // A paused (SIGSTOP) group ignores SIGTERM until it is continued.
      try {
        process.kill(-this.leader.pid, 'SIGCONT');
      } catch {
        // already gone
      }
      const outcome = await stopProcessGroup(this.leader.pid, this.stopGraceMs);
      await Promise.allSettled([...this.execGroups].map((pgid) => killProcessGroup(pgid)));
      await this.leader.exited;
      removeRecord(this.runId, this.name);
      this.onStopped();
      log.info(`${this.name} (pid ${this.leader.pid}) ${outcome === 'killed' ? `killed after ${this.stopGraceMs} ms grace` : outcome === 'terminated' ? 'stopped' : 'had already exited'}`);
    })();
    return this.stopping;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }
}
