import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bindDirs, CONTAINER_HOMES, tailFile, toContainerCreateOptions, toJobCreateOptions } from './docker-runtime.ts';
import type { JobSpec, ServiceSpec } from './runtime.ts';
import { RuntimeServiceContext } from './service-context.ts';
import { Wait } from './wait.ts';

const runDir = '/tmp/bench-unit/results/r1';
const ctx = () => new RuntimeServiceContext({ kind: 'docker', runId: 'r1', runDir, homes: CONTAINER_HOMES, fixedHostPorts: true });

const spec: ServiceSpec = {
  name: 'flink-jobmanager',
  distribution: 'flink',
  command: ['/opt/flink/bin/jobmanager.sh', 'start-foreground'],
  env: { FLINK_CONF_DIR: '/x/conf', A: 'b=c' },
  ports: [
    { name: 'rest', listen: 8081, host: 18081 },
    { name: 'rpc', listen: 6123, host: 40000 },
  ],
  files: [],
  sharedDirs: ['/data/in', '/tmp/bench-unit/results/r1/checkpoints'],
  resources: { cpus: 1.5, memoryMiB: 1024 },
  waitFor: Wait.none(),
};

describe('toContainerCreateOptions', () => {
  it('maps a spec to labelled, limited, loopback-published create options with same-path binds', () => {
    const workDir = '/tmp/bench-unit/results/r1/services/flink-jobmanager';
    expect(toContainerCreateOptions(spec, ctx(), { image: 'spark-flink-bench/flink:abc', workDir })).toEqual({
      name: 'bench-r1-flink-jobmanager',
      Hostname: 'bench-r1-flink-jobmanager',
      Image: 'spark-flink-bench/flink:abc',
      Cmd: ['/opt/flink/bin/jobmanager.sh', 'start-foreground'],
      Env: ['FLINK_CONF_DIR=/x/conf', 'A=b=c'],
      WorkingDir: workDir,
      Labels: { 'bench.tool': 'spark-flink-bench', 'bench.run-id': 'r1', 'bench.service': 'flink-jobmanager' },
      ExposedPorts: { '8081/tcp': {}, '6123/tcp': {} },
      HostConfig: {
        NanoCpus: 1_500_000_000,
        Memory: 1024 * 1024 * 1024,
        MemorySwap: 1024 * 1024 * 1024,
        Init: true,
        NetworkMode: 'bench-r1',
        // workDir and checkpoints lie inside runDir: one bind covers them.
        Binds: ['/data/in:/data/in', '/tmp/bench-unit/results/r1:/tmp/bench-unit/results/r1'],
        PortBindings: {
          '8081/tcp': [{ HostIp: '127.0.0.1', HostPort: '18081' }],
          '6123/tcp': [{ HostIp: '127.0.0.1', HostPort: '40000' }],
        },
      },
      NetworkingConfig: { EndpointsConfig: { 'bench-r1': { Aliases: ['flink-jobmanager'] } } },
    });
  });

  it('maps a job spec to a one-shot container without published ports', () => {
    const job: JobSpec = {
      name: 'submit',
      distribution: 'spark',
      command: ['spark-submit', '--version'],
      env: {},
      files: [],
      sharedDirs: ['/data'],
      resources: { cpus: 1, memoryMiB: 512 },
      timeoutMs: 1000,
    };
    const options = toJobCreateOptions(job, ctx(), { image: 'img', containerName: 'bench-r1-job-submit-1' });
    expect(options.Labels).toEqual({ 'bench.tool': 'spark-flink-bench', 'bench.run-id': 'r1', 'bench.service': 'job-submit' });
    expect(options.HostConfig).toEqual({
      NanoCpus: 1e9,
      Memory: 512 * 1024 * 1024,
      MemorySwap: 512 * 1024 * 1024,
      Init: true,
      NetworkMode: 'bench-r1',
      Binds: ['/data:/data', `${runDir}:${runDir}`],
    });
    expect(options.ExposedPorts).toBeUndefined();
  });
});

describe('bindDirs', () => {
  it('drops directories inside another and duplicates, but not siblings sharing a prefix', () => {
    expect(bindDirs(['/a/b', '/a', '/a/b/c', '/ab', '/a/'])).toEqual(['/a', '/ab']);
  });
});

describe('tailFile', () => {
  it('returns the last lines, all when no count, empty for a missing file', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tail-')), 'x.log');
    fs.writeFileSync(file, 'one\ntwo\nthree\n');
    expect(tailFile(file, 2)).toBe('two\nthree');
    expect(tailFile(file)).toBe('one\ntwo\nthree\n');
    expect(tailFile(file + '.missing', 5)).toBe('');
  });
});
