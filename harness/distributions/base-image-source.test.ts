import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BenchError } from '../errors.ts';
import { asRoot, chooseBaseImageSource, findDebootstrap } from './base-image-source.ts';

const runner = { uid: 1001, user: 'runner', debootstrap: '/usr/sbin/debootstrap' };

describe('chooseBaseImageSource', () => {
  it('root builds with debootstrap directly', () => {
    expect(chooseBaseImageSource({ uid: 0, user: 'root', debootstrap: '/usr/sbin/debootstrap' })).toEqual({
      kind: 'debootstrap',
      privilege: 'root',
      debootstrap: '/usr/sbin/debootstrap',
      description: 'built by debootstrap running as root (uid 0)',
    });
  });

  it('a non-root user with passwordless sudo builds through sudo -n', () => {
    expect(chooseBaseImageSource({ ...runner, sudo: { usable: true } })).toEqual({
      kind: 'debootstrap',
      privilege: 'sudo',
      debootstrap: '/usr/sbin/debootstrap',
      description: 'built by `sudo -n debootstrap`: this process runs as runner (uid 1001), sudo allowed it without a password',
    });
  });

  it('a user-named base image wins, whoever runs and whatever is installed', () => {
    const named = {
      kind: 'named',
      image: 'eclipse-temurin:17-jre',
      description: '--base-image eclipse-temurin:17-jre (named by the user, not built)',
    };
    expect(chooseBaseImageSource({ uid: 1001, user: 'runner', baseImage: 'eclipse-temurin:17-jre', sudo: { usable: false, reason: 'x' } })).toEqual(named);
    expect(chooseBaseImageSource({ uid: 0, user: 'root', baseImage: 'eclipse-temurin:17-jre', debootstrap: '/usr/sbin/debootstrap' })).toEqual(named);
  });

  it('neither root nor sudo: an error naming both ways out', () => {
    const none = () => chooseBaseImageSource({ ...runner, sudo: { usable: false, reason: 'sudo said: sudo: a password is required' } });
    expect(none).toThrow(BenchError);
    expect(none).toThrow(
      'cannot build the Docker base image: debootstrap needs root, this process runs as runner (uid 1001), and `sudo -n` cannot be used (sudo said: sudo: a password is required). ' +
        'Either allow runner passwordless sudo (a sudoers line such as `runner ALL=(root) NOPASSWD: ALL`, as hosted CI runners have), ' +
        'or pass --base-image IMAGE naming a local image with Java 17 (load it first with `docker load -i FILE`); --runtime local needs no image at all',
    );
    expect(() => chooseBaseImageSource({ ...runner, sudo: { usable: false, reason: 'sudo is not installed' } })).toThrow('`sudo -n` cannot be used (sudo is not installed)');
  });

  it('root or sudo, but no debootstrap: says how to install it, or to name an image', () => {
    expect(() => chooseBaseImageSource({ uid: 1001, user: 'runner', sudo: { usable: true } })).toThrow(
      'cannot build the Docker base image: debootstrap is not installed (not on PATH, /usr/sbin or /sbin). ' +
        'Install it (`sudo apt-get install debootstrap`), or pass --base-image IMAGE naming a local image with Java 17 (load it first with `docker load -i FILE`)',
    );
    expect(() => chooseBaseImageSource({ uid: 0, user: 'root' })).toThrow('Install it (`apt-get install debootstrap`), or pass --base-image IMAGE');
  });
});

describe('asRoot', () => {
  it('runs the command itself as root, through sudo -n otherwise', () => {
    expect(asRoot('root', 'tar', ['-C', '/r', '-cf', '-', '.'])).toEqual({ file: 'tar', args: ['-C', '/r', '-cf', '-', '.'] });
    expect(asRoot('sudo', 'tar', ['-C', '/r', '-cf', '-', '.'])).toEqual({ file: 'sudo', args: ['-n', '--', 'tar', '-C', '/r', '-cf', '-', '.'] });
  });
});

describe('findDebootstrap', () => {
  it('finds an executable debootstrap on PATH and ignores one that is not executable', () => {
    const notExecutable = fs.mkdtempSync(path.join(os.tmpdir(), 'deboot-'));
    const executable = fs.mkdtempSync(path.join(os.tmpdir(), 'deboot-'));
    fs.writeFileSync(path.join(notExecutable, 'debootstrap'), '#!/bin/sh\n', { mode: 0o644 });
    fs.writeFileSync(path.join(executable, 'debootstrap'), '#!/bin/sh\n', { mode: 0o755 });
    try {
      expect(findDebootstrap([notExecutable, executable].join(path.delimiter))).toBe(path.join(executable, 'debootstrap'));
    } finally {
      fs.rmSync(notExecutable, { recursive: true });
      fs.rmSync(executable, { recursive: true });
    }
  });
});
