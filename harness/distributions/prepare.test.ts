// A real prepare of the smallest distribution (Kafka, ~45 MB through Maven) in a temp cache.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultEntry, loadLock } from './lock.ts';
import { distRoot, isPrepared, prepareDistributions } from './prepare.ts';

let cache: string;
const previous = process.env.BENCH_CACHE_DIR;
beforeAll(() => {
  cache = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-prepare-'));
  process.env.BENCH_CACHE_DIR = cache;
});
afterAll(() => {
  if (previous === undefined) delete process.env.BENCH_CACHE_DIR;
  else process.env.BENCH_CACHE_DIR = previous;
  fs.rmSync(cache, { recursive: true, force: true });
});

describe('prepareDistributions (real download)', () => {
  it('fetches, verifies and assembles Kafka into a home that runs; a second call reuses it', async () => {
    const version = defaultEntry(loadLock(), 'kafka').version;
    expect(isPrepared('kafka')).toBe(false);
    const messages: string[] = [];
    const { kafka } = await prepareDistributions(['kafka'], { onProgress: (m) => messages.push(m) });
    expect(kafka!.version).toBe(version);
    expect(kafka!.home).toBe(path.join(cache, 'dist', `kafka-${version}-${kafka!.lockHash.slice(0, 8)}`));
    expect(kafka!.components.kafka).toBe(version);
    expect(messages.some((m) => /^downloading \d+ artifact\(s\), [\d.]+ MiB$/.test(m))).toBe(true);
    expect(isPrepared('kafka')).toBe(true);

    const run = await execa('java', ['-cp', `${kafka!.home}/libs/*`, 'kafka.Kafka', '--version'], { reject: false });
    expect(run.exitCode).toBe(0);
    expect(run.stdout.trim()).toBe(version);
    // The storage and admin tools live where the services expect them.
    const tools = {
      'kafka.tools.StorageTool': /usage: kafka-storage .*\{info,format,/s,
      'org.apache.kafka.tools.TopicCommand': /create, delete, describe, or change a topic/,
      'org.apache.kafka.tools.ProducerPerformance': /usage: producer-performance .*--topic TOPIC/s,
    };
    for (const [tool, expected] of Object.entries(tools)) {
      const help = await execa('java', ['-cp', `${kafka!.home}/libs/*`, tool, '--help'], { reject: false, all: true });
      expect(help.all, tool).toMatch(expected);
    }

    const started = Date.now();
    const again = await prepareDistributions(['kafka']);
    expect(again.kafka!.home).toBe(kafka!.home);
    expect(Date.now() - started).toBeLessThan(1000);
  }, 180_000);

  it('redoes a home whose assembly was interrupted (no completion marker)', async () => {
    const { kafka } = await prepareDistributions(['kafka']);
    fs.rmSync(path.join(kafka!.home, '.bench-prepared.json'));
    fs.rmSync(path.join(kafka!.home, 'libs'), { recursive: true });
    expect(isPrepared('kafka')).toBe(false);
    const redone = await prepareDistributions(['kafka']);
    expect(isPrepared('kafka')).toBe(true);
    expect(fs.readdirSync(path.join(redone.kafka!.home, 'libs')).length).toBe(defaultEntry(loadLock(), 'kafka').artifacts.length);
    expect(fs.readdirSync(distRoot()).filter((name) => name.startsWith('.tmp-'))).toEqual([]);
  }, 120_000);

  it('rejects an unknown distribution name', async () => {
    await expect(prepareDistributions(['storm' as 'kafka'])).rejects.toThrow("unknown distribution 'storm'; known: spark, flink, kafka");
  });
});
