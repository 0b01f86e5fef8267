// A fault in a real streaming run (local runtime, tiny rate): the Flink TaskManager is killed
// and started again 12 s into stream-passthrough, on the at-least-once and the exactly-once
// variant. Both recover from their checkpoint and lose nothing; the exactly-once output (read
// committed) holds every record once; the duplicates the at-least-once variant wrote are
// counted the same by the harness and by an independent read of the output topic.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Kafka from 'node-rdkafka';
import { describe, expect, it } from 'vitest';
import { resourceBudget } from '../config/budget.ts';
import { openRuntime } from '../runtime/open-runtime.ts';
import { ResultsStore, newRunId } from '../results/store.ts';
import { exampleRun } from '../results/test-fixtures.ts';
import type { Measurement } from '../results/schema.ts';
import type { StreamingSection } from '../results/streaming-section.ts';
import { runStreaming } from '../streaming/run-streaming.ts';
import { parseFaults } from './fault-spec.ts';

const DURATION_MS = 30_000;

/** Per output topic: records and distinct keys, read committed from the start (independent of the harness's consumer). */
async function countOutputTopics(bootstrap: string): Promise<Map<string, { records: number; keys: number }>> {
  const consumer = new Kafka.KafkaConsumer({ 'metadata.broker.list': bootstrap, 'group.id': `fault-test-${Date.now()}`, 'enable.auto.commit': false, 'isolation.level': 'read_committed' }, { 'auto.offset.reset': 'earliest' });
  await new Promise<void>((resolve, reject) => consumer.connect({ timeout: 30_000 }, (error) => (error ? reject(error) : resolve())));
  try {
    const metadata = await new Promise<Kafka.Metadata>((resolve, reject) => consumer.getMetadata({ timeout: 10_000 }, (error, data) => (error ? reject(error) : resolve(data))));
    const topics = metadata.topics.map((t) => t.name).filter((name) => name.endsWith('-out'));
    const counts = new Map(topics.map((t) => [t, { records: 0, keys: new Set<string>() }]));
    consumer.subscribe(topics);
    let idleSince = Date.now();
    while (Date.now() - idleSince < 5000) {
      const batch = await new Promise<Kafka.Message[]>((resolve, reject) => consumer.consume(1000, (error, messages) => (error ? reject(error) : resolve(messages))));
      if (batch.length > 0) idleSince = Date.now();
      for (const m of batch) {
        const entry = counts.get(m.topic)!;
        entry.records++;
        entry.keys.add(m.key?.toString() ?? '');
      }
    }
    return new Map([...counts].map(([topic, c]) => [topic, { records: c.records, keys: c.keys.size }]));
  } finally {
    await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
  }
}

describe('a TaskManager restarted mid-stream (real Flink, Kafka)', () => {
  it('recovers on both guarantees; exactly-once writes every record once, at-least-once duplicates are counted exactly', { timeout: 900_000 }, async () => {
    const runId = newRunId();
    const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-fault-'));
    const opened = await openRuntime({ choice: 'local', runId, runDir, distributions: ['flink', 'kafka'] });
    let measurements: Measurement[] = [];
    let topicCounts = new Map<string, { records: number; keys: number }>();
    try {
      const store = ResultsStore.create(runId, { run: { ...exampleRun(), mode: 'streaming' }, resultsDir: path.join(runDir, 'results') });
      measurements = await runStreaming({
        store,
        opened,
        budget: resourceBudget({ workers: 1, cores: 2, memoryMiB: 2048 }),
        startTimeoutMs: 240_000,
        variants: ['flink', 'flink-exactly-once'],
        workloads: ['stream-passthrough'],
        rate: 500,
        durationMs: DURATION_MS,
        warmupMs: 5000,
        seed: 11,
        faults: parseFaults('restart:flink-taskmanager-1@12s', { workers: 1, horizonMs: DURATION_MS, horizonName: 'duration' }),
        beforeKafkaStops: async (kafka) => void (topicCounts = await countOutputTopics(kafka.bootstrap)),
      });
      expect(fs.readFileSync(store.file, 'utf8')).toContain('"fault"');
    } finally {
      await opened.close();
    }
    for (const m of measurements) console.log(`${m.engine}: ${m.status}${'reason' in m ? ` (${m.reason})` : ''} ${JSON.stringify((m.streaming as StreamingSection | undefined)?.fault?.recovery ?? {})}`);
    expect(measurements.map((m) => m.engine)).toEqual(['flink', 'flink-exactly-once']);
    for (const m of measurements) {
      expect(m.status, 'reason' in m ? m.reason : '').toBe('completed');
      const fault = m.streaming!.fault!;
      expect(fault.injected).toHaveLength(1);
      expect(fault.injected[0]).toMatchObject({ action: 'restart', service: 'flink-taskmanager-1', atMs: 12_000 });
      expect(fault.injected[0]!.error).toBeUndefined();
      // Done = the new TaskManager registered with the ResourceManager (its own log line, not the last run's): a JVM start, never instant.
      expect(fault.injected[0]!.doneAtMs! - fault.injected[0]!.injectedAtMs!).toBeGreaterThan(1000);
      // Flink noticed, output came back, and nothing was lost.
      expect(typeof fault.recovery.detectMs).toBe('number');
      expect(typeof fault.recovery.firstOutputAfterMs).toBe('number');
      expect(fault.delivery.lost).toBe(0);
      expect(fault.delivery.unexpected).toBe(0);
      expect(fault.guarantee.kept, fault.guarantee.why).toBe(true);
    }
    const [atLeastOnce, exactlyOnce] = measurements.map((m) => m.streaming!);
    expect(exactlyOnce!.fault!.guarantee.promised).toBe('exactly-once');
    expect(exactlyOnce!.fault!.delivery.duplicated).toBe(0);
    expect(atLeastOnce!.fault!.guarantee.promised).toBe('at-least-once');
    expect(typeof atLeastOnce!.fault!.delivery.duplicated).toBe('number');
    // The independent count: appends beyond the first per key in the at-least-once variant's output topic.
    const topicOf = (variant: string) => [...topicCounts].filter(([topic]) => new RegExp(`^stream-passthrough-${variant}-[a-z0-9]+-\\d+-out$`).test(topic)).map(([, counts]) => counts);
    expect(topicOf('flink')).toHaveLength(1);
    expect(topicOf('flink-exactly-once')).toHaveLength(1);
    expect(topicOf('flink')[0]!.records - topicOf('flink')[0]!.keys).toBe(atLeastOnce!.fault!.delivery.duplicated);
    expect(topicOf('flink-exactly-once')[0]!.records).toBe(topicOf('flink-exactly-once')[0]!.keys);
  });
});
