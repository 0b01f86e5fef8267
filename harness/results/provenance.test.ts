import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../paths.ts';
import { captureBaseProvenance, captureHostProvenance, gitProvenance, harnessVersion, javaVersion } from './provenance.ts';
import { provenanceSchema } from './schema.ts';

const temporaryDirs: string[] = [];
function temporaryDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-provenance-'));
  temporaryDirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of temporaryDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('captureHostProvenance', () => {
  it('reads this host', async () => {
    const { host, node, java } = await captureHostProvenance();
    const cpuinfoModel = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1].trim();
    expect(host.cpuModel).toBe(cpuinfoModel);
    expect(host.cores).toBe(os.cpus().length);
    expect(host.memoryMiB).toBe(Math.round(os.totalmem() / 2 ** 20));
    expect(host.kernel).toBe(os.release());
    expect(host.os).not.toBe('');
    expect(node.version).toBe(process.version);
    // The machine has Java 17 (ENVIRONMENT.md).
    expect(java).toMatchObject({ version: expect.stringMatching(/^17\./) });
  });
});

describe('javaVersion', () => {
  const saved = process.env.JAVA_HOME;
  afterEach(() => {
    if (saved === undefined) delete process.env.JAVA_HOME;
    else process.env.JAVA_HOME = saved;
  });

  it('records a missing java with the reason instead of failing', async () => {
    process.env.JAVA_HOME = '/nonexistent-jdk';
    expect(await javaVersion()).toEqual({
      missing: true,
      reason: '`/nonexistent-jdk/bin/java -version` failed: command not found',
    });
  });
});

describe('gitProvenance', () => {
  it('gives the commit of this repository', async () => {
    const git = await gitProvenance(REPO_ROOT);
    const head = execFileSync('git', ['-C', REPO_ROOT, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
    expect(git).toMatchObject({ commit: head });
  });

  it('notices uncommitted files', async () => {
    const repo = temporaryDir();
    const run = (...args: string[]) => execFileSync('git', ['-C', repo, ...args], { stdio: 'pipe' });
    run('init', '-q');
    writeFileSync(path.join(repo, 'a.txt'), 'a');
    run('add', 'a.txt');
    run('-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'commit', '-q', '-m', 'first');
    expect(await gitProvenance(repo)).toMatchObject({ dirty: false });
    writeFileSync(path.join(repo, 'a.txt'), 'changed');
    expect(await gitProvenance(repo)).toMatchObject({ dirty: true });
  });

  it('is missing, with the reason, outside a repository', async () => {
    const dir = temporaryDir();
    const git = await gitProvenance(dir);
    expect(git).toMatchObject({ missing: true });
    expect((git as { reason: string }).reason).toMatch(new RegExp(`^git could not describe ${dir}: .*not a git repository`));
  });
});

describe('harnessVersion', () => {
  it('reads package.json', async () => {
    const expected = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).version;
    expect(await harnessVersion()).toBe(expected);
  });

  it('names the file when there is no version', async () => {
    const dir = temporaryDir();
    writeFileSync(path.join(dir, 'package.json'), '{}');
    await expect(harnessVersion(dir)).rejects.toThrow(`${dir}/package.json has no "version" string`);
  });
});

describe('captureBaseProvenance', () => {
  it('fits the schema once the runtime parts are added', async () => {
    const base = await captureBaseProvenance();
    const complete = {
      ...base,
      runtime: { kind: 'local', details: {}, images: {} },
      distributions: [],
      engineSettings: {},
      seed: 42,
      scale: 1,
      profile: 'quick',
    };
    expect(provenanceSchema.safeParse(complete).error).toBeUndefined();
  });
});
