import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { dockerAvailable } from '../runtime/docker-runtime.ts';
import {
  baseImageTag,
  debianMirrorFrom,
  debootstrapArgs,
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
  it("leaves the mirror to debootstrap when apt has no bookworm repository (an Ubuntu runner), and says so", () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'apt-'));
    expect(readDebianMirror(empty, 'bookworm', undefined)).toEqual({
      from: `debootstrap's default mirror for bookworm: no Debian 'bookworm' repository in ${empty}/sources.list or ${empty}/sources.list.d/*.{list,sources} (set BENCH_DEBIAN_MIRROR to choose one)`,
    });
    fs.rmSync(empty, { recursive: true });
  });
  it('BENCH_DEBIAN_MIRROR wins over apt; an empty value (an unset CI variable) does not', () => {
    const apt = fs.mkdtempSync(path.join(os.tmpdir(), 'apt-'));
    fs.writeFileSync(path.join(apt, 'sources.list'), 'deb http://one.test/debian bookworm main\n');
    expect(readDebianMirror(apt, 'bookworm', 'http://override.test/debian/')).toEqual({ mirror: 'http://override.test/debian', from: 'BENCH_DEBIAN_MIRROR' });
    expect(readDebianMirror(apt, 'bookworm', '')).toEqual({ mirror: 'http://one.test/debian', from: `apt's bookworm repository (${apt})` });
    fs.rmSync(apt, { recursive: true });
  });
});

describe('debootstrapArgs', () => {
  it('passes the mirror only when there is one', () => {
    expect(debootstrapArgs(['openjdk-17-jre-headless', 'tini'], '/r', 'http://m.test/debian')).toEqual([
      '--variant=minbase',
      '--include=openjdk-17-jre-headless,tini',
      'bookworm',
      '/r',
      'http://m.test/debian',
    ]);
    expect(debootstrapArgs(['tini'], '/r')).toEqual(['--variant=minbase', '--include=tini', 'bookworm', '/r']);
  });
});

const docker = new Docker();
// In CI Docker is installed by .ci/run: a missing engine there fails instead of skipping.
describe.skipIf(!(await dockerAvailable()) && !process.env.CI)('images (real Docker)', () => {
  it('the base image exists after ensureImages, has Java 17, and a second call does not rebuild', async () => {
    const first = (await ensureImages([])).tags;
    expect(first.base).toMatch(/^spark-flink-bench\/base:[0-9a-f]{12}$/);
    const messages: string[] = [];
    expect(await ensureImages([], { onProgress: (m) => messages.push(m) })).toEqual({
      tags: first,
      baseOrigin: 'already present in the Docker engine (not rebuilt by this run)',
    });
    expect(messages).toEqual([]);
    const config = (await docker.getImage(first.base!).inspect()).Config;
    expect(config.Env).toContain('JAVA_HOME=/usr/lib/jvm/java-17');
  }, 300_000);

  it('a user-named base image must be present locally', async () => {
    await expect(ensureImages([], { baseImage: 'no-such-image-here:1' })).rejects.toThrow(
      "base image 'no-such-image-here:1' is not present locally and nothing can be pulled here",
    );
  });

  it('a user-named base image that is present is used as it is, and said so', async () => {
    const { base } = (await ensureImages([])).tags;
    expect(await ensureImages([], { baseImage: base })).toEqual({ tags: { base }, baseOrigin: `--base-image ${base} (named by the user, not built)` });
  });

  it('builds an engine image from a distribution home once, then reuses the tag', async () => {
    // A two-file stand-in home: this tests the build mechanics (context, Dockerfile, tag reuse), not Kafka.
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'dist-'));
    fs.mkdirSync(path.join(home, 'bin'));
    fs.writeFileSync(path.join(home, 'bin', 'hello.sh'), '#!/bin/sh\necho "hello from $KAFKA_HOME"\n', { mode: 0o755 });
    const lockHash = `test-${Date.now()}`;
    const { base } = (await ensureImages([])).tags;
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
