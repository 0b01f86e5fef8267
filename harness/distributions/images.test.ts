import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { dockerAvailable } from '../runtime/docker-runtime.ts';
import {
  baseImageTag,
  debianMirrorFrom,
  engineImageTag,
  ensureEngineImage,
  ensureImages,
  parsePackageList,
  readDebianMirror,
} from './images.ts';

describe('parsePackageList', () => {
  it('keeps one package per line, without comments and blanks', () => {
    expect(parsePackageList('# base\nopenjdk-17-jre-headless\n\n  tini  # init\nlibstdc++6\n')).toEqual(['openjdk-17-jre-headless', 'tini', 'libstdc++6']);
  });
  it('names the file and the bad entry', () => {
    expect(() => parsePackageList('tini procps\n', 'x/packages.txt')).toThrow("x/packages.txt: 'tini procps' is not a Debian package name; write one package per line");
    expect(() => parsePackageList('# nothing\n', 'x/packages.txt')).toThrow('x/packages.txt lists no packages');
  });
});

describe('image tags', () => {
  it('base tag depends on the package set, not its order', () => {
    expect(baseImageTag(['a', 'b'])).toBe(baseImageTag(['b', 'a']));
    expect(baseImageTag(['a', 'b'])).not.toBe(baseImageTag(['a', 'c']));
    expect(baseImageTag(['a'], 'bookworm')).not.toBe(baseImageTag(['a'], 'trixie'));
    expect(baseImageTag(['a'])).toMatch(/^spark-flink-bench\/base:[0-9a-f]{12}$/);
  });
  it('engine tag changes with each input', () => {
    const tag = engineImageTag('flink', 'b1', 'FROM x', 'lock1');
    expect(tag).toMatch(/^spark-flink-bench\/flink:[0-9a-f]{12}$/);
    expect(engineImageTag('flink', 'b1', 'FROM x', 'lock1')).toBe(tag);
    expect(engineImageTag('flink', 'b2', 'FROM x', 'lock1')).not.toBe(tag);
    expect(engineImageTag('flink', 'b1', 'FROM y', 'lock1')).not.toBe(tag);
    expect(engineImageTag('flink', 'b1', 'FROM x', 'lock2')).not.toBe(tag);
  });
});

describe('debianMirrorFrom', () => {
  it('reads deb822 .sources, skipping security and other suites', () => {
    const sources = [
      { path: '/etc/apt/sources.list.d/other.sources', content: 'Types: deb\nURIs: https://deb.example.org/node\nSuites: nodistro\nComponents: main\n' },
      {
        path: '/etc/apt/sources.list.d/debian.sources',
        content:
          'Types: deb\n# comment\nURIs: http://mirror.test/debian/\nSuites: bookworm bookworm-updates\nComponents: main\n\n' +
          'Types: deb\nURIs: http://mirror.test/debian-security\nSuites: bookworm-security\nComponents: main\n',
      },
    ];
    expect(debianMirrorFrom(sources)).toBe('http://mirror.test/debian');
  });
  it('reads one-line sources.list with options, ignoring deb-src', () => {
    const list = 'deb-src http://src.test/debian bookworm main\ndeb [arch=amd64 signed-by=/k.gpg] http://one.test/debian bookworm main\n';
    expect(debianMirrorFrom([{ path: '/etc/apt/sources.list', content: list }])).toBe('http://one.test/debian');
    expect(debianMirrorFrom([{ path: '/etc/apt/sources.list', content: list }], 'trixie')).toBeUndefined();
  });
  it('fails clearly when apt has no bookworm repository', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'apt-'));
    expect(() => readDebianMirror(empty)).toThrow(`no Debian 'bookworm' repository found in ${empty}/sources.list`);
  });
});

const docker = new Docker();
describe.skipIf(!(await dockerAvailable()))('images (real Docker)', () => {
  it('the base image exists after ensureImages, has Java 17, and a second call does not rebuild', async () => {
    const first = await ensureImages([]);
    expect(first.base).toMatch(/^spark-flink-bench\/base:[0-9a-f]{12}$/);
    const t = Date.now();
    const messages: string[] = [];
    expect(await ensureImages([], { onProgress: (m) => messages.push(m) })).toEqual(first);
    expect(messages).toEqual([]);
    expect(Date.now() - t).toBeLessThan(2_000);
    const config = (await docker.getImage(first.base!).inspect()).Config;
    expect(config.Env).toContain('JAVA_HOME=/usr/lib/jvm/java-17');
  }, 300_000);

  it('a user-named base image must be present locally', async () => {
    await expect(ensureImages([], { baseImage: 'no-such-image-here:1' })).rejects.toThrow(
      "base image 'no-such-image-here:1' is not present locally and nothing can be pulled here",
    );
  });

  it('builds an engine image from a distribution home once, then reuses the tag', async () => {
    // A two-file stand-in home: this tests the build mechanics (context, Dockerfile, tag reuse), not Kafka.
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'dist-'));
    fs.mkdirSync(path.join(home, 'bin'));
    fs.writeFileSync(path.join(home, 'bin', 'hello.sh'), '#!/bin/sh\necho "hello from $KAFKA_HOME"\n', { mode: 0o755 });
    const lockHash = `test-${Date.now()}`;
    const { base } = await ensureImages([]);
    const progress: string[] = [];
    const tag = await ensureEngineImage(docker, { name: 'kafka', home, lockHash }, base!, (m) => progress.push(m));
    try {
      expect(progress[0]).toBe(`building ${tag} from ${home}`);
      const container = await docker.createContainer({ Image: tag, Cmd: ['hello.sh'], HostConfig: { AutoRemove: false } });
      await container.start();
      await container.wait();
      const output = (await container.logs({ stdout: true, stderr: true })).toString('utf8');
      await container.remove({ force: true });
      expect(output).toContain('hello from /opt/kafka');
      const again: string[] = [];
      expect(await ensureEngineImage(docker, { name: 'kafka', home, lockHash }, base!, (m) => again.push(m))).toBe(tag);
      expect(again).toEqual([]);
    } finally {
      await docker.getImage(tag).remove({ force: true });
    }
  }, 120_000);
});
