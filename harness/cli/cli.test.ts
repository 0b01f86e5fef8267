// The CLI as a user meets it: help, bad flags and bad values give a clear message and a
// non-zero exit, before anything is started.
import { execa } from 'execa';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../paths.ts';

const bench = (args: string[], env: Record<string, string> = {}) =>
  execa('node', [path.join(REPO_ROOT, 'bin/bench.js'), ...args], { reject: false, env: { ...env, BENCH_LOG: 'warn' } });

describe('bench CLI', () => {
  it('prints help listing the commands', async () => {
    const { exitCode, stdout } = await bench(['--help']);
    expect(exitCode).toBe(0);
    for (const command of ['prepare', 'up', 'down', 'clean', 'smoke']) expect(stdout).toContain(command);
  });

  it('rejects an unknown engine for `up` with exit code 2', async () => {
    const { exitCode, stderr } = await bench(['up', 'storm', '--runtime', 'local']);
    expect(exitCode).toBe(2);
    expect(stderr).toContain("unknown engine 'storm': choose from spark, flink, kafka");
  });

  it('rejects an unknown runtime with exit code 2', async () => {
    const { exitCode, stderr } = await bench(['smoke', '--runtime', 'podman']);
    expect(exitCode).toBe(2);
    expect(stderr).toContain("--runtime: 'podman' is not one of auto, docker, local");
  });

  it('rejects a malformed number with exit code 2', async () => {
    const { exitCode, stderr } = await bench(['up', 'flink', '--workers', 'two']);
    expect(exitCode).toBe(2);
    expect(stderr).toContain("--workers: 'two' is not an integer ≥ 1");
  });

  it('says Docker is not running when docker is asked for and none answers', async () => {
    const { exitCode, stderr } = await bench(['up', 'kafka', '--runtime', 'docker'], { DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
    expect(exitCode).toBe(2);
    expect(stderr).toContain('Docker was asked for (--runtime docker) but no Docker engine answers');
  });
});
