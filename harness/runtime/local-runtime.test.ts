// Real processes on 127.0.0.1: python3's http.server as a service, sh for trees and jobs.
// Every process started here carries BENCH_RUN_ID=<the test's run id>; after each test /proc
// must hold none of them.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';

const stateRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-local-runtime-'));
process.env.BENCH_CACHE_DIR = stateRoot;

const { createLocalRuntime } = await import('./local-runtime.ts');
const { listRecorded } = await import('./process-registry.ts');
const { Wait } = await import('./wait.ts');
const { BenchError } = await import('../errors.ts');
const { freePort } = await import('./ports.ts');
type Runtime = import('./runtime.ts').Runtime;
type ServiceSpec = import('./runtime.ts').ServiceSpec;
type WaitStrategy = import('./wait.ts').WaitStrategy;

/** Live (non-zombie) pids whose environment carries BENCH_RUN_ID=runId. */
function processesOfRun(runId: string): number[] {
  const marker = `BENCH_RUN_ID=${runId}\0`;
  const found: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
      if (fs.readFileSync(`/proc/${entry}/environ`, 'latin1').includes(marker)) found.push(Number(entry));
    } catch {
      /* exited while we looked */
    }
  }
  return found;
}

const alive = (pid: number) => {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
};

let runtimes: { runtime: Runtime; runId: string }[] = [];
let counter = 0;

async function newRuntime(options: { fixedHostPorts?: boolean; stopGraceMs?: number } = {}) {
  const runId = `t${process.pid}-${Date.now()}-${counter++}`;
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-run-${runId}-`));
  const runtime = await createLocalRuntime({ runId, runDir, homes: { base: '/' }, ...options });
  runtimes.push({ runtime, runId });
  return { runtime, runId, runDir };
}

function serviceSpec(name: string, command: string[], waitFor: WaitStrategy, extra: Partial<ServiceSpec> = {}): ServiceSpec {
  return {
    name,
    distribution: 'base',
    command,
    env: {},
    ports: [],
    files: [],
    sharedDirs: [],
    resources: { cpus: 1, memoryMiB: 256 },
    waitFor,
    ...extra,
  };
}

function httpServerSpec(runtime: Runtime, name = 'web', extra: Partial<ServiceSpec> = {}): ServiceSpec {
  const port = runtime.context.port(name, 'http', 8000);
  const workDir = runtime.context.workDir(name);
  return serviceSpec(
    name,
    ['python3', '-u', '-m', 'http.server', '--bind', runtime.context.bindAddress, String(port.listen)],
    Wait.forHttp('http', '/', { timeoutMs: 15_000 }),
    { ports: [port], files: [{ path: path.join(workDir, 'index.html'), content: 'hello from bench\n' }], ...extra },
  );
}

afterEach(async () => {
  const current = runtimes;
  runtimes = [];
  for (const { runtime, runId } of current) {
    await runtime.close();
    expect(processesOfRun(runId)).toEqual([]);
    expect(listRecorded({ runId })).toEqual([]);
  }
});

describe('local runtime services', () => {
  it('starts a service, waits for HTTP, serves its files, keeps logs, runs exec in its env, stops', async () => {
    const { runtime, runId } = await newRuntime();
    const t0 = Date.now();
    const web = await runtime.start(httpServerSpec(runtime));
    const startMs = Date.now() - t0;
    expect(web.handle.kind).toBe('local');
    expect(await web.isRunning()).toBe(true);
    expect(web.url('http', '/index.html')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/index\.html$/);

    const response = await fetch(web.url('http', '/index.html'));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('hello from bench\n');
    // http.server logs each request to stderr, which lands in service.log.
    await expect.poll(() => web.logs(), { timeout: 5_000 }).toMatch(/"GET \/index\.html HTTP\/1\.1" 200/);
    expect(web.logFile).toBe(path.join(runtime.context.workDir('web'), 'service.log'));

    const recorded = listRecorded({ runId });
    expect(recorded.map((r) => [r.service, r.pid, r.state])).toEqual([['web', (web.handle as { pid: number }).pid, 'running']]);

    const exec = await web.exec(['sh', '-c', 'echo "$BENCH_RUN_ID $(pwd)"; echo oops >&2; exit 4']);
    expect(exec).toEqual({ exitCode: 4, stdout: `${runId} ${runtime.context.workDir('web')}`, stderr: 'oops' });
    await expect(web.exec(['sleep', '30'], { timeoutMs: 300 })).rejects.toThrow('exec in web did not finish within 300 ms: sleep 30');

    expect(() => web.endpoint('nope')).toThrow("service web has no port 'nope' (it has: http)");
    const t1 = Date.now();
    await web.stop();
    const stopMs = Date.now() - t1;
    await web.stop(); // idempotent
    expect(await web.isRunning()).toBe(false);
    expect(processesOfRun(runId)).toEqual([]);
    expect(listRecorded({ runId })).toEqual([]);
    expect(fs.readFileSync(web.logFile, 'utf8')).toContain('GET /index.html');
    console.log(`http.server ready in ${startMs} ms, stopped in ${stopMs} ms`);
  });

  it('describes the runtime: java version, hostname, limits are advisory', async () => {
    const { runtime } = await newRuntime();
    const description = await runtime.describe();
    expect(description.kind).toBe('local');
    expect(description.details.java).toMatch(/^openjdk version "17\./);
    expect(description.details.hostname).toBe(os.hostname());
    expect(description.details.resourceLimits).toMatch(/^advisory: .* not enforced for local processes/);
  });

  it('a service that exits before it is ready fails naming it, with its last log lines, leaving nothing running', async () => {
    const { runtime, runId } = await newRuntime();
    const spec = httpServerSpec(runtime, 'broken', {
      command: ['sh', '-c', 'for i in $(seq 1 60); do echo "line $i"; done; echo "fatal: config is broken" >&2; exit 3'],
    });
    const error = await runtime.start(spec).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toContain("broken exited before it was ready (waiting for HTTP / on port 'http' to answer 2xx) (exit code 3)");
    expect(message).toContain(`--- last 40 lines of ${path.join(runtime.context.workDir('broken'), 'service.log')} ---`);
    expect(message).toContain('line 60\nfatal: config is broken');
    expect(message).not.toContain('line 20\n'); // only the tail
    expect(processesOfRun(runId)).toEqual([]);
    expect(listRecorded({ runId })).toEqual([]);
  });

  it('a service that never gets ready is killed after the wait timeout', async () => {
    const { runtime, runId } = await newRuntime();
    const port = runtime.context.port('silent', 'tcp', 9000);
    const spec = serviceSpec('silent', ['sh', '-c', 'echo waiting forever; sleep 300'], Wait.forListeningPort('tcp', { timeoutMs: 1_000 }), { ports: [port] });
    await expect(runtime.start(spec)).rejects.toThrow(/^silent was not ready after 1000 ms \(waiting for TCP port 'tcp' to accept connections\)\n--- last 40 lines of .*service\.log ---\nwaiting forever$/);
    expect(processesOfRun(runId)).toEqual([]);
  });

  it('a taken fixed host port is a clear BenchError before anything starts', async () => {
    const port = await freePort();
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen({ host: '127.0.0.1', port }, resolve));
    try {
      const { runtime, runId } = await newRuntime({ fixedHostPorts: true });
      const assignment = runtime.context.port('ui-service', 'ui', port, { userFacing: true });
      expect(assignment).toEqual({ name: 'ui', listen: port, host: port });
      const spec = serviceSpec('ui-service', ['sleep', '300'], Wait.none(), { ports: [assignment] });
      const error = await runtime.start(spec).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(error).toBeInstanceOf(BenchError);
      expect((error as Error).message).toBe(
        `port ${port} on 127.0.0.1 (ui-service ui) is already in use; stop whatever holds it ` +
          `(e.g. \`ss -ltnp 'sport = :${port}'\`, or \`npx bench down\` if it is ours) or let the harness pick free ports (--random-ports)`,
      );
      expect(processesOfRun(runId)).toEqual([]);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('close() kills the whole process tree of a service and is idempotent', async () => {
    const { runtime, runId } = await newRuntime();
    const spec = serviceSpec('tree', ['sh', '-c', 'sleep 300 & echo "child $!"; echo ready; wait'], Wait.forLogMessage(/^ready$/m, { timeoutMs: 5_000 }));
    const tree = await runtime.start(spec);
    const leader = (tree.handle as { pid: number }).pid;
    const child = Number(/child (\d+)/.exec(await tree.logs())?.[1]);
    expect(alive(leader)).toBe(true);
    expect(alive(child)).toBe(true);
    expect(processesOfRun(runId).sort()).toEqual([leader, child].sort());
    const t0 = Date.now();
    await runtime.close();
    const closeMs = Date.now() - t0;
    await runtime.close();
    expect(alive(leader)).toBe(false);
    expect(alive(child)).toBe(false);
    expect(closeMs).toBeLessThan(3_000);
    await expect(runtime.start(spec)).rejects.toThrow(`local runtime of run ${runId} is closed; cannot start tree`);
    console.log(`close() of a 2-process tree took ${closeMs} ms`);
  });

  it('a service ignoring SIGTERM is SIGKILLed after the grace period', async () => {
    const { runtime, runId } = await newRuntime({ stopGraceMs: 1_000 });
    const spec = serviceSpec('stubborn', ['sh', '-c', 'trap "" TERM; echo ready; while true; do sleep 0.1; done'], Wait.forLogMessage(/ready/, { timeoutMs: 5_000 }));
    const stubborn = await runtime.start(spec);
    const t0 = Date.now();
    await stubborn.stop();
    const stopMs = Date.now() - t0;
    expect(stopMs).toBeGreaterThanOrEqual(1_000);
    expect(stopMs).toBeLessThan(4_000);
    expect(processesOfRun(runId)).toEqual([]);
  });

  it('reports a service killed from outside as an unexpected exit; a stopped one and one that failed to start are not', async () => {
    const { runtime, runId } = await newRuntime({ stopGraceMs: 1_000 });
    const exits: import('./runtime.ts').UnexpectedExit[] = [];
    runtime.onUnexpectedExit((exit) => exits.push(exit));
    const loop = (name: string) => serviceSpec(name, ['sh', '-c', 'echo ready; while true; do sleep 0.1; done'], Wait.forLogMessage(/ready/, { timeoutMs: 5_000 }));
    const victim = await runtime.start(loop('victim'));
    const survivor = await runtime.start(loop('survivor'));
    await expect(runtime.start(serviceSpec('broken', ['sh', '-c', 'exit 3'], Wait.forLogMessage(/never/, { timeoutMs: 5_000 })))).rejects.toThrow('(exit code 3)');
    // A command exec'd in the survivor ends with it, as a docker exec ends with its container.
    const execution = survivor.exec(['sleep', '30']);
    await new Promise((resolve) => setTimeout(resolve, 300));
    process.kill(-(victim.handle as { pid: number }).pid, 'SIGKILL');
    for (let i = 0; i < 50 && exits.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(exits.map((e) => [e.service.name, e.description])).toEqual([['victim', 'killed by SIGKILL']]);
    expect(victim.stopRequested).toBe(false);
    const t0 = Date.now();
    await survivor.stop();
    expect(survivor.stopRequested).toBe(true);
    expect((await execution).exitCode).not.toBe(0);
    expect(Date.now() - t0).toBeLessThan(5_000);
    await runtime.close();
    expect(exits).toHaveLength(1);
    expect(processesOfRun(runId)).toEqual([]);
  });

  it('faults: pause and resume the group, restart under the same handle waiting for the new run to be ready, kill', async () => {
    const { runtime, runId } = await newRuntime({ stopGraceMs: 1_000 });
    const exits: import('./runtime.ts').UnexpectedExit[] = [];
    runtime.onUnexpectedExit((exit) => exits.push(exit));
    // Ready at once the first time; a restarted run logs "ready" only after a second (the marker file).
    const script = 'if [ -f started ]; then sleep 1; fi; touch started; echo ready; while true; do sleep 0.1; done';
    const service = await runtime.start(serviceSpec('flaky', ['sh', '-c', script], Wait.forLogMessage(/ready/, { timeoutMs: 10_000 })));
    const state = (pid: number) => {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    };
    const firstPid = (service.handle as { pid: number }).pid;
    // A signal is delivered asynchronously: poll the state the kernel reports.
    const settle = async (want: (s: string) => boolean) => {
      for (let i = 0; i < 50 && !want(state(firstPid)); i++) await new Promise((resolve) => setTimeout(resolve, 20));
      return state(firstPid);
    };
    await service.fault('pause');
    expect(await settle((s) => s === 'T')).toBe('T');
    await service.fault('resume');
    expect(await settle((s) => s !== 'T')).not.toBe('T');

    await service.fault('restart');
    const secondPid = (service.handle as { pid: number }).pid;
    expect(secondPid).not.toBe(firstPid);
    expect(alive(firstPid)).toBe(false);
    // Ready means the new run said so: the old run's "ready" line did not count.
    expect((await service.logs()).match(/ready/g)).toHaveLength(2);
    expect(await service.isRunning()).toBe(true);
    expect(runtime.services().map((s) => s.name)).toEqual(['flaky']);

    await service.fault('kill');
    expect(await service.isRunning()).toBe(false);
    for (let i = 0; i < 50 && exits.length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(exits.map((e) => [e.service.name, e.description])).toEqual([
      ['flaky', 'killed by SIGKILL'],
      ['flaky', 'killed by SIGKILL'],
    ]);
    await runtime.close();
    expect(processesOfRun(runId)).toEqual([]);
  });

  it('rejects files outside the service work dir, naming the file', async () => {
    const { runtime } = await newRuntime();
    const spec = httpServerSpec(runtime, 'web', { files: [{ path: '/tmp/elsewhere.conf', content: 'x' }] });
    await expect(runtime.start(spec)).rejects.toThrow(`web: file '/tmp/elsewhere.conf' must be an absolute path under its work dir ${runtime.context.workDir('web')}`);
  });
});

describe('local runtime jobs', () => {
  const job = (name: string, command: string[], extra: { timeoutMs?: number; signal?: AbortSignal } = {}) => ({
    name,
    distribution: 'base' as const,
    command,
    env: { GREETING: 'hi' },
    files: [],
    sharedDirs: [],
    resources: { cpus: 1, memoryMiB: 256 },
    timeoutMs: extra.timeoutMs ?? 10_000,
    signal: extra.signal,
  });

  it('returns exit code, stdout, stderr and keeps a log under <runDir>/jobs', async () => {
    const { runtime, runDir } = await newRuntime();
    const result = await runtime.runJob(job('hello', ['sh', '-c', 'echo "$GREETING out"; echo err >&2; exit 7']));
    expect(result).toMatchObject({ exitCode: 7, stdout: 'hi out', stderr: 'err', timedOut: false, logFile: path.join(runDir, 'jobs', 'hello.log') });
    const logged = fs.readFileSync(result.logFile, 'utf8');
    expect(logged).toContain('hi out\n');
    expect(logged).toContain('err\n');
    await expect(runtime.runJob(job('missing', ['/nonexistent/tool']))).rejects.toThrow(/^could not start job missing \(\/nonexistent\/tool\): /);
  });

  it('kills the whole job group on timeout and reports timedOut', async () => {
    const { runtime, runId } = await newRuntime();
    const t0 = Date.now();
    const result = await runtime.runJob(job('slow', ['sh', '-c', 'sleep 30 & sleep 30'], { timeoutMs: 500 }));
    const elapsed = Date.now() - t0;
    expect(result.timedOut).toBe(true);
    expect(result.exitCode).toBe(137);
    expect(elapsed).toBeLessThan(3_000);
    expect(processesOfRun(runId)).toEqual([]);
    console.log(`timed-out job returned after ${elapsed} ms (timeout 500 ms)`);
  });

  it('abort kills the job group and rejects with the abort reason', async () => {
    const { runtime, runId } = await newRuntime();
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('user cancelled')), 300);
    await expect(runtime.runJob(job('aborted', ['sh', '-c', 'sleep 30 & sleep 30'], { signal: controller.signal }))).rejects.toThrow('user cancelled');
    expect(processesOfRun(runId)).toEqual([]);
  });

  it('kills processes a job leaves behind in its group', async () => {
    const { runtime, runId } = await newRuntime();
    const result = await runtime.runJob(job('forks', ['sh', '-c', 'sleep 30 & echo done']));
    expect(result).toMatchObject({ exitCode: 0, stdout: 'done', timedOut: false });
    expect(processesOfRun(runId)).toEqual([]);
  });
});

describe('Ctrl-C', () => {
  it('SIGINT to a harness process stops its services through the teardown registry, then exits 130', async () => {
    const runId = `sigint-${process.pid}-${Date.now()}`;
    const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-sigint-run-'));
    const here = path.dirname(fileURLToPath(import.meta.url));
    // .mts: outside the repo there is no package.json saying "type": "module".
    const script = path.join(runDir, 'harness.mts');
    fs.writeFileSync(
      script,
      `import { createLocalRuntime } from ${JSON.stringify(path.join(here, 'local-runtime.ts'))};
import { Wait } from ${JSON.stringify(path.join(here, 'wait.ts'))};
const runtime = await createLocalRuntime({ runId: ${JSON.stringify(runId)}, runDir: ${JSON.stringify(runDir)}, homes: { base: '/' } });
await runtime.start({
  name: 'svc', distribution: 'base', env: {}, ports: [], files: [], sharedDirs: [],
  command: ['sh', '-c', 'sleep 300 & echo ready; wait'],
  resources: { cpus: 1, memoryMiB: 64 }, waitFor: Wait.forLogMessage(/ready/, { timeoutMs: 5000 }),
});
console.log('started');
setInterval(() => {}, 1000);
`,
    );
    const harness = execa('node', ['--import', 'tsx', script], { reject: false, env: { BENCH_CACHE_DIR: stateRoot, BENCH_LOG: 'silent' } });
    await new Promise<void>((resolve, reject) => {
      harness.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('started') && resolve());
      void harness.then((r) => reject(new Error(`harness exited early: ${r.stderr}`)));
    });
    expect(processesOfRun(runId)).toHaveLength(2);
    const t0 = Date.now();
    harness.kill('SIGINT');
    const result = await harness;
    console.log(`SIGINT → harness exit after ${Date.now() - t0} ms`);
    expect(result.exitCode).toBe(130);
    expect(processesOfRun(runId)).toEqual([]);
    expect(listRecorded({ runId })).toEqual([]);
  });
});
