// Real Docker: services and jobs in the locally built base image, and nothing left behind.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureImages } from '../distributions/images.ts';
import { createDockerRuntime, dockerAvailable } from './docker-runtime.ts';
import type { DistributionName, JobSpec, Runtime, ServiceSpec, UnexpectedExit } from './runtime.ts';
import { LABEL_RUN_ID } from './runtime.ts';
import { RuntimeServiceContext } from './service-context.ts';
import { Wait } from './wait.ts';

const docker = new Docker();
const available = await dockerAvailable();
let images: Partial<Record<DistributionName, string>> = {};
let runtime: Runtime | undefined;
let runId = '';

async function newRuntime(fixedHostPorts = false): Promise<Runtime> {
  runId = `t${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-docker-'));
  runtime = await createDockerRuntime({ runId, runDir, images, baseImageOrigin: 'how the test came by it', fixedHostPorts });
  return runtime;
}

function httpService(rt: Runtime, name: string, overrides: Partial<ServiceSpec> = {}): ServiceSpec {
  const port = rt.context.port(name, 'http', 8000);
  const workDir = rt.context.workDir(name);
  return {
    name,
    distribution: 'base',
    command: ['python3', '-u', '-m', 'http.server', '8000', '--bind', rt.context.bindAddress, '--directory', workDir],
    env: { GREETING: 'hello' },
    ports: [port],
    files: [{ path: path.join(workDir, 'index.html'), content: 'it works\n' }],
    sharedDirs: [],
    resources: { cpus: 0.5, memoryMiB: 128 },
    waitFor: Wait.forHttp('http', '/index.html', { timeoutMs: 20_000 }),
    ...overrides,
  };
}

function job(overrides: Partial<JobSpec>): JobSpec {
  return { name: 'job', distribution: 'base', command: ['true'], env: {}, files: [], sharedDirs: [], resources: { cpus: 1, memoryMiB: 256 }, timeoutMs: 30_000, ...overrides };
}

async function leftovers(id: string): Promise<string[]> {
  const label = [`${LABEL_RUN_ID}=${id}`];
  const containers = await docker.listContainers({ all: true, filters: { label } });
  const networks = await docker.listNetworks({ filters: { label } });
  return [...containers.map((c) => `container ${c.Names[0]}`), ...networks.map((n) => `network ${n.Name}`)];
}

// In CI Docker is installed by .ci/run: a missing engine there fails instead of skipping.
describe.skipIf(!available && !process.env.CI)('docker runtime (real Docker)', () => {
  beforeAll(async () => {
    images = (await ensureImages([])).tags;
  }, 300_000);

  afterEach(async () => {
    await runtime?.close();
    if (runtime) fs.rmSync(runtime.context.runDir, { recursive: true, force: true });
    runtime = undefined;
    expect(await leftovers(runId)).toEqual([]);
  });

  it('starts an HTTP service: endpoint, url, logs, exec, isRunning, stop', async () => {
    const rt = await newRuntime();
    const spec = httpService(rt, 'web');
    let t = Date.now();
    const web = await rt.start(spec);
    console.log(`create+start+ready of web: ${Date.now() - t} ms`);
    expect(web.endpoint('http')).toEqual({ host: '127.0.0.1', port: spec.ports[0].host });
    expect(web.url('http', '/index.html')).toBe(`http://127.0.0.1:${spec.ports[0].host}/index.html`);
    expect(await (await fetch(web.url('http', '/index.html'))).text()).toBe('it works\n');
    expect(web.handle.kind).toBe('docker');
    expect(await web.logs()).toMatch(/"GET \/index.html HTTP\/1.1" 200/);
    expect(web.logFile).toBe(path.join(rt.context.runDir, 'services', 'web', 'service.log'));

    const env = await web.exec(['sh', '-c', 'echo $GREETING; echo oops >&2; hostname; exit 3']);
    expect(env).toEqual({ exitCode: 3, stdout: `hello\nbench-${runId}-web\n`, stderr: 'oops\n' });
    // The run directory is at the same path inside.
    const seen = await web.exec(['cat', path.join(rt.context.workDir('web'), 'index.html')]);
    expect(seen.stdout).toBe('it works\n');

    // Peers reach it by container name on the run network.
    const peer = await rt.runJob(job({ name: 'peer', command: ['python3', '-c', `import urllib.request;print(urllib.request.urlopen('http://${rt.context.hostOf('web')}:8000/index.html').read().decode(), end='')`] }));
    expect(peer).toMatchObject({ exitCode: 0, stdout: 'it works\n', timedOut: false });

    const description = await rt.describe();
    expect(description.details.cgroupVersion).toMatch(/^[12]$/);
    expect(description.images.base).toContain(images.base);
    expect(description.details.baseImage).toBe('how the test came by it');

    expect(await web.isRunning()).toBe(true);
    t = Date.now();
    await web.stop();
    console.log(`stop of web: ${Date.now() - t} ms`);
    expect(Date.now() - t).toBeLessThan(5_000); // SIGTERM reaches python through the init
    expect(await web.isRunning()).toBe(false);
    await web.stop(); // idempotent
    expect(fs.existsSync(web.logFile)).toBe(true);
  }, 60_000);

  it('a service that exits before it is ready fails with its last log lines and leaves no container', async () => {
    const rt = await newRuntime();
    const spec = httpService(rt, 'dies', {
      // One pipe: stdout and stderr are copied separately by docker, so their relative order is not kept.
      command: ['sh', '-c', 'exec 2>&1; for i in $(seq 1 50); do echo line-$i; done; echo fatal: cannot bind >&2; exit 1'],
    });
    const error = await rt.start(spec).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toContain('dies exited before it was ready (waiting for HTTP /index.html on port \'http\' to answer 2xx)');
    expect(error?.message).toContain(`--- last 40 lines of ${path.join(rt.context.runDir, 'services', 'dies', 'service.log')} ---`);
    expect(error?.message).toContain('line-50\nfatal: cannot bind');
    expect(error?.message).not.toContain('line-10\n');
    const containers = await docker.listContainers({ all: true, filters: { label: [`${LABEL_RUN_ID}=${runId}`] } });
    expect(containers).toEqual([]);
  }, 60_000);

  it('a fixed host port already taken is a clear error before anything starts', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as net.AddressInfo).port;
    try {
      const rt = await newRuntime(true);
      const port = rt.context.port('ui', 'http', taken, { userFacing: true });
      const spec = httpService(rt, 'ui', { ports: [port] });
      await expect(rt.start(spec)).rejects.toThrow(`port ${taken} on 127.0.0.1 (ui http) is already in use`);
      expect(await leftovers(runId)).toEqual([`network bench-${runId}`]);
    } finally {
      blocker.close();
    }
  }, 30_000);

  it('runJob: exit code, separate stdout/stderr, kept log, files, timeout', async () => {
    const rt = await newRuntime();
    const script = path.join(rt.context.runDir, 'jobs-in', 'script.sh');
    const result = await rt.runJob(
      job({ name: 'java-version', command: ['sh', script], files: [{ path: script, content: 'java -version\necho out\nexit 7\n' }] }),
    );
    expect(result.exitCode).toBe(7);
    expect(result.stdout).toBe('out\n');
    expect(result.stderr).toMatch(/openjdk version "17\./);
    expect(result.timedOut).toBe(false);
    expect(result.logFile).toBe(path.join(rt.context.runDir, 'jobs', 'java-version.log'));
    expect(fs.readFileSync(result.logFile, 'utf8')).toContain('out\n');

    const t = Date.now();
    const slow = await rt.runJob(job({ name: 'sleeper', command: ['sleep', '30'], timeoutMs: 1_000 }));
    expect(slow.timedOut).toBe(true);
    expect(slow.exitCode).not.toBe(0);
    expect(Date.now() - t).toBeLessThan(10_000);
    expect((await docker.listContainers({ all: true, filters: { label: [`${LABEL_RUN_ID}=${runId}`] } })).length).toBe(0);
  }, 60_000);

  it('runJob: an abort signal kills the job and rejects', async () => {
    const rt = await newRuntime();
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('user pressed Ctrl-C')), 1_000);
    await expect(rt.runJob(job({ name: 'aborted', command: ['sleep', '30'], signal: controller.signal }))).rejects.toThrow('user pressed Ctrl-C');
  }, 30_000);

  it('close() removes running services and the network, and is idempotent', async () => {
    const rt = await newRuntime();
    await rt.start(httpService(rt, 'a'));
    await rt.start(httpService(rt, 'b'));
    expect((await leftovers(runId)).length).toBe(3);
    await rt.close();
    expect(await leftovers(runId)).toEqual([]);
    await rt.close();
  }, 60_000);

  it('reports a container killed from outside as an unexpected exit, and a stopped one not', async () => {
    const rt = await newRuntime();
    const exits: UnexpectedExit[] = [];
    rt.onUnexpectedExit((exit) => exits.push(exit));
    const victim = await rt.start(httpService(rt, 'victim'));
    const survivor = await rt.start(httpService(rt, 'survivor'));
    const killedAt = Date.now();
    await docker.getContainer((victim.handle as { containerId: string }).containerId).kill();
    for (let i = 0; i < 100 && exits.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(exits.map((e) => [e.service.name, e.description])).toEqual([['victim', 'exit code 137 (killed by SIGKILL)']]);
    expect(exits[0]!.atMs - killedAt).toBeLessThan(10_000);
    expect(victim.stopRequested).toBe(false);
    await survivor.stop();
    expect(survivor.stopRequested).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(exits).toHaveLength(1);
    await rt.close();
    expect(exits).toHaveLength(1);
  }, 60_000);

  it('faults: pause and resume, restart the same container until ready again, kill', async () => {
    const rt = await newRuntime();
    const exits: UnexpectedExit[] = [];
    rt.onUnexpectedExit((exit) => exits.push(exit));
    const service = await rt.start(httpService(rt, 'flaky'));
    const container = docker.getContainer((service.handle as { containerId: string }).containerId);
    await service.fault('pause');
    expect((await container.inspect()).State.Paused).toBe(true);
    await service.fault('resume');
    expect((await container.inspect()).State.Paused).toBe(false);

    const startedBefore = (await container.inspect()).State.StartedAt;
    await service.fault('restart');
    const after = await container.inspect();
    expect(after.State.Running).toBe(true);
    expect(after.State.StartedAt).not.toBe(startedBefore);
    expect((await fetch(service.url('http', '/'))).status).toBe(200);
    expect(exits.map((e) => [e.service.name, e.description])).toEqual([['flaky', 'exit code 137 (killed by SIGKILL)']]);

    await service.fault('kill');
    for (let i = 0; i < 100 && exits.length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(exits).toHaveLength(2);
    expect(await service.isRunning()).toBe(false);
    await rt.close();
  }, 90_000);

  it('names a missing image and the context uses container addressing', async () => {
    const rt = await newRuntime();
    const ctx = rt.context as RuntimeServiceContext;
    expect(ctx.bindAddress).toBe('0.0.0.0');
    expect(ctx.home('spark')).toBe('/opt/spark');
    expect(ctx.hostOf('kafka')).toBe(`bench-${runId}-kafka`);
    await expect(rt.start({ ...httpService(rt, 'x'), distribution: 'spark' })).rejects.toThrow(
      "no docker image for distribution 'spark'; run `npx bench prepare` so it is built",
    );
  }, 30_000);
});
