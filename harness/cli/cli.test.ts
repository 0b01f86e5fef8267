// The CLI as a user meets it: help, bad flags and bad values give a clear message and a
// non-zero exit, before anything is started.
import { execa } from 'execa';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../paths.ts';
import fs from 'node:fs';
import { describeLockedVersions, LOCK_FILE, loadLock } from '../distributions/lock.ts';

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

  it('rejects an unknown --submission name for `run` with exit code 2, naming the choices, starting nothing', async () => {
    const { exitCode, stderr } = await bench(['run', '--submission', 'session,warm', '--dry-run']);
    expect(exitCode).toBe(2);
    expect(stderr).toContain("--submission: unknown path or family 'warm'; choose from spark-submit, spark-thrift, spark-connect, flink-gateway, flink-application, flink-sql-client, duckdb-in-process, session, job, client, in-process");
  });

  it('rejects a bad --fault with exit code 2 naming the value, starting nothing', async () => {
    const streaming = ['run', '--mode', 'streaming', '--engines', 'flink', '--workloads', 'stream-passthrough', '--duration', '30s', '--dry-run'];
    const cases: [string[], string][] = [
      [['--fault', 'explode:kafka@5s'], "--fault: 'explode:kafka@5s': unknown action 'explode'; choose from kill, stop, pause, restart"],
      [['--fault', 'kill:flink-worker-1@5s'], "--fault: 'kill:flink-worker-1@5s': unknown service 'flink-worker-1'; choose from spark-master, spark-worker-N, flink-jobmanager, flink-taskmanager-N, flink-sql-gateway, kafka"],
      [['--fault', 'kill:kafka@45s'], "--fault: 'kill:kafka@45s' is at 45000 ms, not before the end of the measurement (--duration 30000 ms); choose an earlier time"],
      [['--fault', 'kill:flink-taskmanager-2@5s'], "--fault: 'kill:flink-taskmanager-2@5s': the run has 1 worker(s), so 'flink-taskmanager-2' does not exist; use an index from 1 to 1 (or --workers)"],
      [['--fault', 'restart:spark-worker-1@5s'], "--fault: 'restart:spark-worker-1@5s': no spark engine runs in this run (flink); choose a service of theirs or kafka"],
    ];
    for (const [flags, message] of cases) {
      const { exitCode, stderr } = await bench([...streaming, ...flags]);
      expect(exitCode, stderr).toBe(2);
      expect(stderr).toContain(message);
    }
    const batch = await bench(['run', '--mode', 'batch', '--engines', 'spark', '--fault', 'kill:kafka@5s', '--dry-run']);
    expect(batch.exitCode).toBe(2);
    expect(batch.stderr).toContain("--fault: 'kill:kafka@5s': kafka runs only for streaming; add --mode streaming (or all), or fault an engine service");
    const late = await bench(['run', '--mode', 'batch', '--engines', 'spark', '--timeout', '1m', '--fault', 'kill:spark-worker-1@2m', '--dry-run']);
    expect(late.stderr).toContain("--fault: 'kill:spark-worker-1@2m' is at 120000 ms, not before the end of the measurement (--timeout 60000 ms); choose an earlier time");
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

  it('prints the harness version and the locked engine versions, defaults marked', async () => {
    const { exitCode, stdout } = await bench(['--version']);
    expect(exitCode).toBe(0);
    const lock = loadLock();
    expect(stdout).toBe(
      [
        `spark-flink-bench ${JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).version}`,
        `spark  ${describeLockedVersions(lock.distributions.spark)}`,
        `flink  ${describeLockedVersions(lock.distributions.flink)}`,
        `kafka  ${describeLockedVersions(lock.distributions.kafka)}`,
        `node   ${process.version}`,
      ].join('\n'),
    );
    expect(stdout).toContain('spark  4.2.0 (default), 4.1.1');
  });

  it('`list` shows the locked versions', async () => {
    const { exitCode, stdout } = await bench(['list']);
    expect(exitCode).toBe(0);
    expect(stdout).toContain('Engine versions (distributions lock; choose with --spark-version / --flink-version):\n  spark  4.2.0 (default), 4.1.1\n  flink  ');
  });

  it('rejects a version the lock does not hold, naming the locked ones, before starting anything (exit 2)', async () => {
    for (const [command, flag] of [['smoke', '--spark-version'], ['up', '--flink-version'], ['run', '--spark-version'], ['prepare', '--flink-version']] as const) {
      const args = command === 'up' ? ['up', 'flink', flag, '1.20.0'] : [command, flag, '1.20.0'];
      const { exitCode, stderr } = await bench(args);
      expect(exitCode, args.join(' ')).toBe(2);
      const engine = flag === '--spark-version' ? 'spark' : 'flink';
      expect(stderr).toContain(`error: ${flag}: '1.20.0' is not a locked ${engine} version; locked: ${describeLockedVersions(loadLock().distributions[engine])} (${LOCK_FILE})`);
    }
  });

  it('says Docker is not running when docker is asked for and none answers', async () => {
    const { exitCode, stderr } = await bench(['up', 'kafka', '--runtime', 'docker'], { DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
    expect(exitCode).toBe(2);
    expect(stderr).toContain('Docker was asked for (--runtime docker) but no Docker engine answers');
  });
});
