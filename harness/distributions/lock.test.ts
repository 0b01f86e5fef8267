import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.ts';
import { canonicalJson, chooseLockedVersion, defaultEntry, describeLockedVersions, LOCK_FILE, loadLock, lockHashOf, parseLock, parseLockedVersion } from './lock.ts';
import { RECIPES } from './recipes.ts';

const realText = fs.readFileSync(LOCK_FILE, 'utf8');
const mutate = (change: (lock: any) => void): string => {
  const lock = JSON.parse(realText);
  change(lock);
  return JSON.stringify(lock);
};

describe('distributions lock', () => {
  it('parses the committed lock: the versions the recipes name, every artifact pinned with sha256 and size', () => {
    const lock = loadLock();
    expect(lock.distributions.spark.default).toBe('4.2.0');
    expect(lock.distributions.flink.default).toBe('2.3.0');
    expect(lock.distributions.spark.versions.map((v) => v.version)).toEqual(['4.2.0', '4.1.1']);
    expect(lock.distributions.flink.versions.map((v) => v.version)).toEqual(['2.3.0', '2.2.1']);
    expect(lock.distributions.kafka.versions.map((v) => v.version)).toEqual(['4.1.2']);
    for (const name of ['spark', 'flink', 'kafka'] as const) {
      expect(lock.distributions[name].default, name).toBe(RECIPES[name].default);
      expect(lock.distributions[name].versions.map((v) => v.version), name).toEqual(RECIPES[name].versions.map((r) => r.version));
      for (const entry of lock.distributions[name].versions) {
        expect(entry.notes, `${name} ${entry.version} notes`).toEqual(RECIPES[name].versions.find((r) => r.version === entry.version)!.notes);
        for (const artifact of entry.artifacts) {
          expect(artifact.sha256).toMatch(/^[0-9a-f]{64}$/);
          expect(artifact.size).toBeGreaterThan(0);
        }
      }
    }
    // Each Spark version brings its own Kafka connector; the versions its pom declares.
    expect(defaultEntry(lock, 'spark').components).toEqual({ spark: '4.2.0', 'spark-sql-kafka': '4.2.0', 'spark-token-provider-kafka': '4.2.0', 'kafka-clients': '3.9.2', 'commons-pool2': '2.13.1' });
  });

  it('chooses a version: the flag, else the environment variable, else the default; a version not locked names the choices', () => {
    const lock = loadLock();
    expect(chooseLockedVersion(lock, 'spark', undefined, {})).toMatchObject({ entry: { version: '4.2.0' }, source: 'default' });
    expect(chooseLockedVersion(lock, 'spark', undefined, { BENCH_SPARK_VERSION: '4.1.1' })).toMatchObject({ entry: { version: '4.1.1' }, source: 'environment' });
    expect(chooseLockedVersion(lock, 'spark', '4.2.0', { BENCH_SPARK_VERSION: '4.1.1' })).toMatchObject({ entry: { version: '4.2.0' }, source: 'flag' });
    expect(describeLockedVersions(lock.distributions.spark)).toBe('4.2.0 (default), 4.1.1');
    expect(() => parseLockedVersion('4.3.0', 'spark')).toThrow(UsageError);
    expect(() => parseLockedVersion('4.3.0', 'spark')).toThrow(`--spark-version: '4.3.0' is not a locked spark version; locked: 4.2.0 (default), 4.1.1 (${LOCK_FILE})`);
    expect(() => chooseLockedVersion(lock, 'flink', undefined, { BENCH_FLINK_VERSION: '1.20' })).toThrow(
      `BENCH_FLINK_VERSION: '1.20' is not a locked flink version; locked: ${describeLockedVersions(lock.distributions.flink)} (${LOCK_FILE})`,
    );
    expect(parseLockedVersion(' 4.1.1 ', 'spark')).toBe('4.1.1');
  });

  it('rejects text that is not JSON, naming the file', () => {
    expect(() => parseLock('{ "lockVersion": 2,', '/x/bad.lock.json')).toThrow(/^\/x\/bad\.lock\.json is not valid JSON .*update-lock\.ts/s);
  });

  it('names the field path of a malformed artifact', () => {
    const text = mutate((lock) => {
      lock.distributions.spark.versions[0].artifacts[1].sha256 = 'abc';
      delete lock.distributions.kafka.versions[0].artifacts[0].size;
    });
    let message = '';
    try {
      parseLock(text, 'the.lock.json');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('the.lock.json is not a valid distributions lock:');
    expect(message).toContain('distributions.spark.versions[0].artifacts[1].sha256: must be 64 lowercase hex digits');
    expect(message).toMatch(/distributions\.kafka\.versions\[0\]\.artifacts\[0\]\.size: /);
  });

  it('rejects a missing distribution, unknown keys, unsafe paths, the old one-version format', () => {
    expect(() => parseLock(mutate((lock) => delete lock.distributions.flink), 'l.json')).toThrow(/distributions\.flink: /);
    expect(() => parseLock(mutate((lock) => (lock.distributions.kafka.extra = 1)), 'l.json')).toThrow(/distributions\.kafka: /);
    expect(() => parseLock(mutate((lock) => (lock.distributions.kafka.versions[0].artifacts[0].into = '../outside')), 'l.json')).toThrow(
      /distributions\.kafka\.versions\[0\]\.artifacts\[0\]\.into: must be a relative path without "\.\."/,
    );
    expect(() => parseLock(mutate((lock) => (lock.lockVersion = 1)), 'l.json')).toThrow(/lockVersion: /);
  });

  it('rejects a default that is not locked, a version locked twice', () => {
    expect(() => parseLock(mutate((lock) => (lock.distributions.spark.default = '4.0.0')), 'l.json')).toThrow(
      "l.json: distributions.spark.default is '4.0.0', which is not one of its versions (4.2.0, 4.1.1)",
    );
    expect(() => parseLock(mutate((lock) => lock.distributions.flink.versions.push(lock.distributions.flink.versions[1])), 'l.json')).toThrow(
      "l.json: distributions.flink.versions[2]: version '2.2.1' appears twice",
    );
  });

  it('rejects a Maven file name that does not match its coordinates, and duplicate ids', () => {
    const renamed = mutate((lock) => (lock.distributions.kafka.versions[0].artifacts[0].file = 'other.jar'));
    expect(() => parseLock(renamed, 'l.json')).toThrow(/l\.json: distributions\.kafka\.versions\[0\]\.artifacts\[0\]: file 'other\.jar' does not match its coordinates/);
    const duplicated = mutate((lock) => lock.distributions.kafka.versions[0].artifacts.push(lock.distributions.kafka.versions[0].artifacts[0]));
    expect(() => parseLock(duplicated, 'l.json')).toThrow(/id '.*' appears twice/);
  });

  it('hashes a distribution independently of key order and notes, and changes with any pin', () => {
    const entry = defaultEntry(parseLock(realText), 'kafka');
    const reordered = JSON.parse(canonicalJson(entry));
    expect(lockHashOf('kafka', reordered)).toBe(lockHashOf('kafka', entry));
    expect(lockHashOf('kafka', { ...entry, notes: ['reworded'] })).toBe(lockHashOf('kafka', entry));
    const changed = structuredClone(entry);
    changed.artifacts[0]!.sha256 = '0'.repeat(64);
    expect(lockHashOf('kafka', changed)).not.toBe(lockHashOf('kafka', entry));
    expect(lockHashOf('kafka', entry, { assembly: 2 })).not.toBe(lockHashOf('kafka', entry, { assembly: 1 }));
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: undefined }] })).toBe('{"a":[{"d":2}],"b":1}');
  });
});
