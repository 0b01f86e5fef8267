// `bench up` / `bench down` / Ctrl-C as a user drives them, on the local runtime (Kafka: the
// quickest cluster to start): URLs printed, stays up, and every stop path leaves nothing.
import net from 'node:net';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../paths.ts';
import { cleanLocal, listRecorded } from '../runtime/process-registry.ts';

const BIN = path.join(REPO_ROOT, 'bin/bench.js');
const running: ResultPromise[] = [];
const runIds: string[] = [];

function startUp(args: string[]): ResultPromise {
  const child = execa('node', [BIN, 'up', ...args], { reject: false, env: { BENCH_LOG: 'warn' }, all: true });
  running.push(child);
  return child;
}

async function waitForOutput(child: ResultPromise, pattern: RegExp, timeoutMs: number): Promise<string> {
  let text = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${pattern} within ${timeoutMs} ms; output:\n${text}`)), timeoutMs);
    child.all!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (pattern.test(text)) {
        clearTimeout(timer);
        resolve(text);
      }
    });
  });
}

function runIdOf(output: string): string {
  const match = /\(run (\d{8}-\d{6}-[0-9a-f]+),/.exec(output);
  if (!match) throw new Error(`no run id in:\n${output}`);
  runIds.push(match[1]!);
  return match[1]!;
}

afterEach(async () => {
  for (const child of running.splice(0)) child.kill('SIGKILL');
  // Only this test's runs: `bench clean` would also stop clusters a developer has up.
  for (const runId of runIds.splice(0)) await cleanLocal({ runId });
});

describe('bench up / down', () => {
  it('prints the URLs, stays up, and `bench down` stops it without leftovers', async () => {
    const up = startUp(['kafka', '--runtime', 'local', '--random-ports']);
    const output = await waitForOutput(up, /Ctrl-C/, 120_000);
    expect(output).toMatch(/Kafka bootstrap \(host\)\s+127\.0\.0\.1:\d+/);
    const runId = runIdOf(output);
    expect(listRecorded({ runId }).filter((p) => p.state === 'running')).toHaveLength(1);

    const down = await execa('node', [BIN, 'down'], { reject: false });
    expect(down.exitCode).toBe(0);
    expect(down.stdout).toContain(`stopped kafka (run ${runId}, local)`);
    expect((await up).exitCode).toBe(143);
    expect(listRecorded({ runId })).toEqual([]);
  }, 180_000);

  it('Ctrl-C tears down what `bench up` started', async () => {
    const up = startUp(['kafka', '--runtime', 'local', '--random-ports']);
    const runId = runIdOf(await waitForOutput(up, /Ctrl-C/, 120_000));
    up.kill('SIGINT');
    expect((await up).exitCode).toBe(130);
    expect(listRecorded({ runId })).toEqual([]);
  }, 180_000);

  it('a taken port is a clear error naming it, and nothing is started', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen({ host: '127.0.0.1', port: 9094 }, resolve));
    try {
      const result = await startUp(['kafka', '--runtime', 'local']);
      expect(result.exitCode).toBe(1);
      expect(result.all).toContain('port 9094 on 127.0.0.1 (kafka external) is already in use');
    } finally {
      blocker.close();
    }
  }, 120_000);
});
