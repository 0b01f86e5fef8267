import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { canonicalJson, LOCK_FILE, loadLock, lockHashOf, parseLock } from './lock.ts';

const realText = fs.readFileSync(LOCK_FILE, 'utf8');
const mutate = (change: (lock: any) => void): string => {
  const lock = JSON.parse(realText);
  change(lock);
  return JSON.stringify(lock);
};

describe('distributions lock', () => {
  it('parses the committed lock: every artifact pinned with sha256 and size', () => {
    const lock = loadLock();
    expect(lock.distributions.spark.version).toBe('4.1.1');
    expect(lock.distributions.flink.version).toBe('2.2.1');
    expect(lock.distributions.kafka.version).toMatch(/^4\.1\.\d+$/);
    for (const entry of Object.values(lock.distributions)) {
      for (const artifact of entry.artifacts) {
        expect(artifact.sha256).toMatch(/^[0-9a-f]{64}$/);
        expect(artifact.size).toBeGreaterThan(0);
      }
    }
  });

  it('rejects text that is not JSON, naming the file', () => {
    expect(() => parseLock('{ "lockVersion": 1,', '/x/bad.lock.json')).toThrow(/^\/x\/bad\.lock\.json is not valid JSON .*update-lock\.ts/s);
  });

  it('names the field path of a malformed artifact', () => {
    const text = mutate((lock) => {
      lock.distributions.spark.artifacts[1].sha256 = 'abc';
      delete lock.distributions.kafka.artifacts[0].size;
    });
    let message = '';
    try {
      parseLock(text, 'the.lock.json');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('the.lock.json is not a valid distributions lock:');
    expect(message).toContain('distributions.spark.artifacts[1].sha256: must be 64 lowercase hex digits');
    expect(message).toMatch(/distributions\.kafka\.artifacts\[0\]\.size: /);
  });

  it('rejects a missing distribution, unknown keys, unsafe paths', () => {
    expect(() => parseLock(mutate((lock) => delete lock.distributions.flink), 'l.json')).toThrow(/distributions\.flink: /);
    expect(() => parseLock(mutate((lock) => (lock.distributions.kafka.extra = 1)), 'l.json')).toThrow(/distributions\.kafka: /);
    expect(() => parseLock(mutate((lock) => (lock.distributions.kafka.artifacts[0].into = '../outside')), 'l.json')).toThrow(
      /distributions\.kafka\.artifacts\[0\]\.into: must be a relative path without "\.\."/,
    );
  });

  it('rejects a Maven file name that does not match its coordinates, and duplicate ids', () => {
    const renamed = mutate((lock) => (lock.distributions.kafka.artifacts[0].file = 'other.jar'));
    expect(() => parseLock(renamed, 'l.json')).toThrow(/l\.json: distributions\.kafka\.artifacts\[0\]: file 'other\.jar' does not match its coordinates/);
    const duplicated = mutate((lock) => lock.distributions.kafka.artifacts.push(lock.distributions.kafka.artifacts[0]));
    expect(() => parseLock(duplicated, 'l.json')).toThrow(/id '.*' appears twice/);
  });

  it('hashes a distribution independently of key order, and changes with any pin', () => {
    const lock = parseLock(realText);
    const entry = lock.distributions.kafka;
    const reordered = JSON.parse(canonicalJson(entry));
    expect(lockHashOf('kafka', reordered)).toBe(lockHashOf('kafka', entry));
    const changed = structuredClone(entry);
    changed.artifacts[0]!.sha256 = '0'.repeat(64);
    expect(lockHashOf('kafka', changed)).not.toBe(lockHashOf('kafka', entry));
    expect(lockHashOf('kafka', entry, { assembly: 2 })).not.toBe(lockHashOf('kafka', entry, { assembly: 1 }));
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: undefined }] })).toBe('{"a":[{"d":2}],"b":1}');
  });
});
