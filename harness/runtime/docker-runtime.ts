// The docker runtime: each service is a labelled container on a private per-run bridge network,
// with CPU/memory limits, ports published on 127.0.0.1 only, and the run directory bind-mounted
// at the same path so specs can use host paths everywhere. Labels name the run and its owner
// (the harness process, owner.ts); the run's reaper (reaper.ts) removes its containers and
// network when the harness dies, and `bench clean` tells a dead run's leftovers from a live run.
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PassThrough, type Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import Docker from 'dockerode';
import { BenchError } from '../errors.ts';
import { createLogger } from '../log.ts';
import {
  type DistributionName,
  type ExecResult,
  type JobResult,
  type JobSpec,
  LABEL_RUN_ID,
  LABEL_SERVICE,
  LABEL_TOOL,
  LABEL_TOOL_VALUE,
  type ResourceLimits,
  type Runtime,
  type RuntimeDescription,
  type ServiceFile,
  type ServiceSpec,
  type StartedService,
  type UnexpectedExit,
} from './runtime.ts';
import { removeQuietly, removeRunResources } from './docker-clean.ts';
import { ownerLabels, ownerOf, type RunOwner } from './owner.ts';
import { startReaper } from './reaper.ts';
import { RuntimeServiceContext } from './service-context.ts';
import { sinceRestart } from './wait.ts';

const log = createLogger('bench:runtime:docker');

/** Distribution homes inside the images (docker/<name>/Dockerfile). */
export const CONTAINER_HOMES: Record<DistributionName, string> = { spark: '/opt/spark', flink: '/opt/flink', kafka: '/opt/kafka', base: '/opt/base' };
const STOP_GRACE_SECONDS = 10;
const PORT_POOL_SIZE = 64;
const FAILURE_LOG_LINES = 40;

export async function dockerAvailable(timeoutMs = 2000): Promise<boolean> {
  const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref());
  const ping = new Docker()
    .ping()
    .then(() => true)
    .catch(() => false);
  return Promise.race([ping, timeout]);
}

export function runLabels(runId: string, service: string, owner?: RunOwner): Record<string, string> {
  return { [LABEL_TOOL]: LABEL_TOOL_VALUE, [LABEL_RUN_ID]: runId, [LABEL_SERVICE]: service, ...(owner ? ownerLabels(owner) : {}) };
}

export function networkName(runId: string): string {
  return `bench-${runId}`;
}

/** Directories to bind at the same path; a directory inside another bound one is already visible. */
export function bindDirs(dirs: readonly string[]): string[] {
  const unique = [...new Set(dirs.map((dir) => path.resolve(dir)))].sort();
  return unique.filter((dir) => !unique.some((other) => other !== dir && dir.startsWith(other.endsWith('/') ? other : other + '/')));
}

function hostConfigFor(resources: ResourceLimits, network: string, binds: readonly string[]): Docker.HostConfig {
  const memory = Math.round(resources.memoryMiB * 1024 * 1024);
  return {
    NanoCpus: Math.round(resources.cpus * 1e9),
    Memory: memory,
    // Equal to Memory: the limit must not be stretched by swap.
    MemorySwap: memory,
    // docker-init as PID 1 forwards SIGTERM to the JVM, so `stop` is graceful and quick.
    Init: true,
    NetworkMode: network,
    Binds: bindDirs(binds).map((dir) => `${dir}:${dir}`),
  };
}

/** Pure: a service spec → dockerode create options (container name = its DNS name on the run network). */
export function toContainerCreateOptions(
  spec: ServiceSpec,
  ctx: RuntimeServiceContext,
  options: { image: string; workDir: string; owner?: RunOwner },
): Docker.ContainerCreateOptions {
  const name = ctx.containerHostname(spec.name);
  const network = networkName(ctx.runId);
  const exposed: Record<string, object> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const port of spec.ports) {
    exposed[`${port.listen}/tcp`] = {};
    bindings[`${port.listen}/tcp`] = [{ HostIp: '127.0.0.1', HostPort: String(port.host) }];
  }
  return {
    name,
    Hostname: name,
    Image: options.image,
    Cmd: [...spec.command],
    Env: Object.entries(spec.env).map(([key, value]) => `${key}=${value}`),
    WorkingDir: options.workDir,
    Labels: runLabels(ctx.runId, spec.name, options.owner),
    ExposedPorts: exposed,
    HostConfig: { ...hostConfigFor(spec.resources, network, [ctx.runDir, options.workDir, ...spec.sharedDirs]), PortBindings: bindings },
    NetworkingConfig: { EndpointsConfig: { [network]: { Aliases: [spec.name] } } },
  };
}

/** Pure: a job spec → dockerode create options for a one-shot container. */
export function toJobCreateOptions(spec: JobSpec, ctx: RuntimeServiceContext, options: { image: string; containerName: string; owner?: RunOwner }): Docker.ContainerCreateOptions {
  const network = networkName(ctx.runId);
  return {
    name: options.containerName,
    Hostname: options.containerName,
    Image: options.image,
    Cmd: [...spec.command],
    Env: Object.entries(spec.env).map(([key, value]) => `${key}=${value}`),
    WorkingDir: ctx.runDir,
    Labels: runLabels(ctx.runId, `job-${spec.name}`, options.owner),
    HostConfig: hostConfigFor(spec.resources, network, [ctx.runDir, ...spec.sharedDirs]),
  };
}

/** Files are written on the host; they must lie in a bound directory to be visible inside. */
function writeFiles(files: readonly ServiceFile[], allowedDirs: readonly string[], owner: string): void {
  for (const file of files) {
    const resolved = path.resolve(file.path);
    if (!allowedDirs.some((dir) => resolved.startsWith(path.resolve(dir) + '/'))) {
      throw new Error(`${owner}: file ${file.path} is outside ${allowedDirs.join(', ')}; write service files under context.workDir('${owner}')`);
    }
    fs.mkdirSync(path.dirname(resolved), { recursive: true });
    fs.writeFileSync(resolved, file.content);
  }
}

const isStatus = (error: unknown, ...codes: number[]) => codes.includes((error as { statusCode?: number }).statusCode ?? 0);

/** Last `lines` lines of a text file ('' when it does not exist). */
export function tailFile(file: string, lines?: number): string {
  if (!fs.existsSync(file)) return '';
  const text = fs.readFileSync(file, 'utf8');
  if (lines === undefined) return text;
  const all = text.split('\n');
  if (all[all.length - 1] === '') all.pop();
  return all.slice(-lines).join('\n');
}

/** Keep an earlier log of a service of the same name (a restart) instead of overwriting it. */
function rotate(file: string): void {
  if (!fs.existsSync(file)) return;
  let n = 1;
  while (fs.existsSync(`${file}.${n}`)) n++;
  fs.renameSync(file, `${file}.${n}`);
}

/**
 * Follow the container's log (json-file) from its beginning, demultiplexed into the sinks. Unlike
 * attach, the log endpoint delivers everything written before exit (attach was seen to drop the
 * last stderr line of a container that exits at once).
 */
/** Follows a container's output into the log; `sinceSeconds`: only what it wrote from then on (a restarted container keeps its earlier output). */
async function followOutput(docker: Docker, container: Docker.Container, stdout: Writable, stderr: Writable, sinceSeconds?: number): Promise<{ ended: Promise<void> }> {
  const stream = (await container.logs({ follow: true, stdout: true, stderr: true, ...(sinceSeconds !== undefined ? { since: sinceSeconds } : {}) })) as NodeJS.ReadableStream;
  docker.modem.demuxStream(stream, stdout, stderr);
  const ended = new Promise<void>((resolve) => {
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', resolve);
  });
  return { ended };
}

/** 'exit code 1'; 137 and 143 are 128 + SIGKILL / SIGTERM as the container's shell reports them. */
export function containerExitDescription(statusCode: number, oomKilled: boolean): string {
  if (oomKilled) return `exit code ${statusCode} (OOM-killed)`;
  if (statusCode === 137) return 'exit code 137 (killed by SIGKILL)';
  if (statusCode === 143) return 'exit code 143 (terminated by SIGTERM)';
  return `exit code ${statusCode}`;
}

const within = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([promise, new Promise<void>((resolve) => setTimeout(resolve, ms).unref())]);

export interface DockerRuntimeOptions {
  runId: string;
  runDir: string;
  images: Partial<Record<DistributionName, string>>;
  /** How the base image was come by (named, present, imported, built as root or through sudo): recorded in describe(). */
  baseImageOrigin?: string;
  fixedHostPorts?: boolean;
  docker?: Docker;
}

export async function createDockerRuntime(options: DockerRuntimeOptions): Promise<Runtime> {
  const docker = options.docker ?? new Docker();
  const ctx = new RuntimeServiceContext({
    kind: 'docker',
    runId: options.runId,
    runDir: options.runDir,
    homes: CONTAINER_HOMES,
    fixedHostPorts: options.fixedHostPorts,
  });
  fs.mkdirSync(options.runDir, { recursive: true });
  const owner = ownerOf();
  // The reaper watches before the network exists; it costs ~0.5 s, spent beside the port search.
  const [reaper] = await Promise.all([
    startReaper({ kind: 'docker', runId: options.runId, owner, logFile: path.join(options.runDir, 'reaper.log') }),
    ctx.reservePorts(PORT_POOL_SIZE),
  ]);
  const network = networkName(options.runId);
  const existing = await docker.listNetworks({ filters: { name: [network] } });
  if (!existing.some((n) => n.Name === network)) {
    await docker.createNetwork({ Name: network, Driver: 'bridge', CheckDuplicate: true, Labels: runLabels(options.runId, 'network', owner) });
    log.debug(`created network ${network}`);
  }
  const services = new Set<StartedService>();
  const exitListeners = new Set<(exit: UnexpectedExit) => void>();
  let jobCounter = 0;

  const imageFor = (distribution: DistributionName): string => {
    const image = options.images[distribution];
    if (!image) throw new BenchError(`no docker image for distribution '${distribution}'; run \`npx bench prepare\` so it is built`);
    return image;
  };

  async function start(spec: ServiceSpec): Promise<StartedService> {
    await ctx.checkFixedPorts();
    for (const port of spec.ports) {
      if (spec.ports.filter((p) => p.name === port.name).length > 1) throw new Error(`${spec.name}: port name '${port.name}' appears twice`);
    }
    const workDir = ctx.workDir(spec.name);
    writeFiles(spec.files, [workDir], spec.name);
    for (const dir of spec.sharedDirs) fs.mkdirSync(dir, { recursive: true });
    const createOptions = toContainerCreateOptions(spec, ctx, { image: imageFor(spec.distribution), workDir, owner });
    const logFile = path.join(workDir, 'service.log');
    rotate(logFile);
    // Output still arriving after we stopped following must not crash the harness.
    const openLog = (flags: 'w' | 'a') => fs.createWriteStream(logFile, { flags }).on('error', (error) => log.warn(`${logFile}: ${error.message}`));
    let logStream = openLog('w');

    let t = Date.now();
    const container = await docker.createContainer(createOptions).catch((error: Error) => {
      logStream.end();
      if (isStatus(error, 409)) {
        throw new BenchError(`container ${createOptions.name} already exists; run \`npx bench clean\` to remove leftovers of run ${ctx.runId}`);
      }
      throw error;
    });
    log.debug(`created ${createOptions.name} in ${Date.now() - t} ms`);
    let logClosed: Promise<void> = Promise.resolve();
    const follow = async (sinceSeconds?: number) => {
      const stream = logStream;
      const { ended } = await followOutput(docker, container, stream, stream, sinceSeconds);
      logClosed = ended.then(() => new Promise<void>((resolve) => stream.end(resolve)));
    };

    let stopping: Promise<void> | undefined;
    let restarting: Promise<void> | undefined;
    const stop = () =>
      (stopping ??= (async () => {
        log.debug(`stopping ${createOptions.name}`);
        await restarting?.catch(() => undefined);
        // A paused container cannot be stopped; unpausing one that runs is refused (409), ignored.
        await container.unpause().catch(() => undefined);
        await container.stop({ t: STOP_GRACE_SECONDS }).catch((error) => {
          if (!isStatus(error, 304, 404)) throw error;
        });
        await within(logClosed, 2_000);
        if (!logStream.writableEnded) logStream.end();
        await removeQuietly(container);
        services.delete(started);
        log.debug(`removed ${createOptions.name}`);
      })());
    const ignoreNotRunning = (error: unknown) => {
      if (!isStatus(error, 304, 409)) throw error;
    };

    const started: StartedService = {
      name: spec.name,
      spec,
      handle: { kind: 'docker', containerId: container.id },
      logFile,
      endpoint(portName) {
        const port = spec.ports.find((p) => p.name === portName);
        if (!port) throw new Error(`${spec.name} has no port '${portName}' (it has: ${spec.ports.map((p) => p.name).join(', ') || 'none'})`);
        return { host: '127.0.0.1', port: port.host };
      },
      url(portName, urlPath = '/') {
        const { host, port } = started.endpoint(portName);
        return `http://${host}:${port}${urlPath.startsWith('/') ? urlPath : `/${urlPath}`}`;
      },
      logs: async (tailLines) => tailFile(logFile, tailLines),
      async isRunning() {
        try {
          return (await container.inspect()).State.Running;
        } catch (error) {
          if (isStatus(error, 404)) return false;
          throw error;
        }
      },
      exec: (command, execOptions) => execIn(docker, container, spec.name, command, execOptions?.timeoutMs),
      stop,
      get stopRequested() {
        return stopping !== undefined;
      },
      async fault(action) {
        if (stopping) throw new Error(`${spec.name} is stopped: no fault can be injected`);
        switch (action) {
          case 'kill':
            await container.kill().catch(ignoreNotRunning);
            return;
          case 'terminate':
            await container.stop({ t: STOP_GRACE_SECONDS }).catch(ignoreNotRunning);
            return;
          case 'pause':
            await container.pause();
            return;
          case 'resume':
            await container.unpause();
            return;
          case 'restart':
            // The same container started again: its id, name, address and published ports stay,
            // so the cluster, the metrics and the teardown keep finding it.
            restarting ??= (async () => {
              await container.kill().catch(ignoreNotRunning);
              await container.wait({ condition: 'not-running' });
              await within(logClosed, 2_000);
              const logLengthBefore = tailFile(logFile).length;
              logStream = openLog('a');
              // Docker's `since` has whole seconds: started on a fresh second, the follow gets
              // exactly the new run's output (at most a second more of outage, recorded in doneAtMs).
              const sinceSeconds = Math.ceil(Date.now() / 1000);
              await sleep(sinceSeconds * 1000 - Date.now());
              await container.start();
              await follow(sinceSeconds);
              watchExit();
              await spec.waitFor.waitUntilReady(sinceRestart(started, logLengthBefore));
              log.info(`${spec.name} restarted`);
            })().finally(() => (restarting = undefined));
            return restarting;
        }
      },
      [Symbol.asyncDispose]: stop,
    };
    services.add(started);

    // A long poll that returns when the container stops, whoever stopped it.
    const watchExit = () =>
      void container
        .wait()
        .then(async ({ StatusCode }: { StatusCode: number }) => {
          if (stopping) return;
          const state = await container.inspect().then((info) => info.State, () => undefined);
          const exit: UnexpectedExit = { service: started, description: containerExitDescription(StatusCode, state?.OOMKilled === true), atMs: Date.now() };
          log.warn(`${createOptions.name} exited without being stopped: ${exit.description}`);
          for (const listener of exitListeners) listener(exit);
        })
        .catch((error: Error) => log.debug(`waiting on ${createOptions.name}: ${error.message}`));

    try {
      t = Date.now();
      await container.start();
      log.debug(`started ${createOptions.name} in ${Date.now() - t} ms`);
      await follow();
      await spec.waitFor.waitUntilReady(started);
    } catch (error) {
      // Stop first so the log stream has everything the service wrote before we quote it.
      await stop().catch((stopError: Error) => log.warn(`could not remove ${createOptions.name}: ${stopError.message}`));
      const tail = tailFile(logFile, FAILURE_LOG_LINES);
      const message = `${(error as Error).message}\n--- last ${FAILURE_LOG_LINES} lines of ${logFile} ---\n${tail || '(no output)'}`;
      throw error instanceof BenchError ? new BenchError(message, error.kind, { cause: error }) : new Error(message, { cause: error });
    }
    log.info(`${spec.name} ready (${spec.waitFor.describe()})`);
    watchExit();
    return started;
  }

  async function runJob(spec: JobSpec): Promise<JobResult> {
    spec.signal?.throwIfAborted();
    writeFiles(spec.files, [ctx.runDir, ...spec.sharedDirs], spec.name);
    for (const dir of spec.sharedDirs) fs.mkdirSync(dir, { recursive: true });
    const containerName = `${ctx.containerHostname('job')}-${spec.name.replace(/[^a-zA-Z0-9_.-]/g, '_')}-${++jobCounter}`;
    const createOptions = toJobCreateOptions(spec, ctx, { image: imageFor(spec.distribution), containerName, owner });
    const logFile = path.join(ctx.runDir, 'jobs', `${spec.name}.log`);
    fs.mkdirSync(path.dirname(logFile), { recursive: true });
    const logStream = fs.createWriteStream(logFile).on('error', (error) => log.warn(`${logFile}: ${error.message}`));
    const stdoutChunks: Buffer[] = [];
    const stderrChunks: Buffer[] = [];
    const sink = (chunks: Buffer[]) => {
      const through = new PassThrough();
      through.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        if (!logStream.writableEnded) logStream.write(chunk);
      });
      return through;
    };

    const container = await docker.createContainer(createOptions);
    let timedOut = false;
    let aborted = false;
    const kill = () => container.kill().catch(() => {});
    const onAbort = () => {
      aborted = true;
      void kill();
    };
    try {
      const startedAt = Date.now();
      await container.start();
      const { ended: outputEnded } = await followOutput(docker, container, sink(stdoutChunks), sink(stderrChunks));
      const timer = setTimeout(() => {
        timedOut = true;
        void kill();
      }, spec.timeoutMs);
      spec.signal?.addEventListener('abort', onAbort, { once: true });
      if (spec.signal?.aborted) onAbort(); // aborted while the container was being created
      const { StatusCode } = (await container.wait()) as { StatusCode: number };
      clearTimeout(timer);
      const durationMs = Date.now() - startedAt;
      await within(outputEnded, 2_000);
      if (aborted) throw spec.signal?.reason ?? new Error(`job ${spec.name} aborted`);
      log.debug(`job ${spec.name} exited ${StatusCode} after ${durationMs} ms${timedOut ? ' (timed out)' : ''}`);
      return {
        exitCode: StatusCode,
        stdout: Buffer.concat(stdoutChunks).toString('utf8'),
        stderr: Buffer.concat(stderrChunks).toString('utf8'),
        durationMs,
        logFile,
        timedOut,
      };
    } finally {
      spec.signal?.removeEventListener('abort', onAbort);
      logStream.end();
      await finished(logStream).catch(() => {});
      await removeQuietly(container);
    }
  }

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await Promise.allSettled([...services].map((service) => service.stop()));
      let failed = false;
      for (const line of await removeRunResources(docker, { runId: ctx.runId })) {
        failed ||= line.startsWith('could not');
        if (line.startsWith('could not')) log.warn(line);
        else log.debug(line);
      }
      // Not released when something could not be removed: it is the reaper's once this process ends.
      if (failed) log.warn(`run ${ctx.runId}: its reaper (pid ${reaper.pid}) removes what is left when this process exits`);
      else await reaper.release();
    })());

  return {
    kind: 'docker',
    runId: ctx.runId,
    context: ctx,
    start,
    runJob,
    services: () => [...services],
    onUnexpectedExit(listener) {
      exitListeners.add(listener);
      return () => exitListeners.delete(listener);
    },
    async describe(): Promise<RuntimeDescription> {
      const [version, info] = await Promise.all([docker.version(), docker.info()]);
      const images: Record<string, string> = {};
      for (const [distribution, tag] of Object.entries(options.images)) {
        images[distribution] = `${tag} (${(await docker.getImage(tag).inspect()).Id})`;
      }
      return {
        kind: 'docker',
        details: {
          serverVersion: String(version.Version),
          apiVersion: String(version.ApiVersion),
          cgroupVersion: String((info as { CgroupVersion?: string }).CgroupVersion ?? 'unknown'),
          storageDriver: String(info.Driver),
          kernel: String(info.KernelVersion),
          cpus: String(info.NCPU),
          memoryBytes: String(info.MemTotal),
          ...(options.baseImageOrigin ? { baseImage: options.baseImageOrigin } : {}),
        },
        images,
      };
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

async function execIn(docker: Docker, container: Docker.Container, service: string, command: readonly string[], timeoutMs = 60_000): Promise<ExecResult> {
  const exec = await container.exec({ Cmd: [...command], AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  const collect = (chunks: Buffer[]) => new PassThrough().on('data', (chunk: Buffer) => chunks.push(chunk));
  docker.modem.demuxStream(stream, collect(stdout), collect(stderr));
  const ended = new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', reject);
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      stream.destroy();
      reject(new Error(`exec in ${service} did not finish within ${timeoutMs} ms: ${command.join(' ')}`));
    }, timeoutMs);
  });
  try {
    await Promise.race([ended, timeout]);
  } finally {
    clearTimeout(timer);
  }
  const { ExitCode } = await exec.inspect();
  return { exitCode: ExitCode ?? -1, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') };
}
