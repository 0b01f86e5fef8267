// The generator against a real Kafka (local runtime): content and timestamps as scheduled at
// a low rate, falling behind detected when asked for far more than it can produce, and the same
// in its own process (how runs use it), with hand-overs streamed back and its load reported.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resourceBudget } from '../../config/budget.ts';
import { startCluster } from '../../engines/clusters.ts';
import { consumeFromStart, createTopics } from '../../engines/kafka/client.ts';
import type { StartedKafka } from '../../engines/kafka/cluster.ts';
import { newRunId } from '../../results/store.ts';
import { openRuntime, type OpenedRuntime } from '../../runtime/open-runtime.ts';
import type { StreamingSpec } from '../../streaming/streaming-spec.ts';
import { streamingInvalidReasons } from '../../streaming/stream-step.ts';
import { EventFactory } from './events.ts';
import { HandOverLog, runGenerator } from './generator.ts';
import { runGeneratorProcess } from './generator-process.ts';
import { SendSchedule } from './schedule.ts';

const spec: StreamingSpec = {
  events: { word: { kind: 'word', vocabulary: 50 }, amount: { kind: 'int', min: 1, max: 100 } },
  output: { kind: 'append', key: ['id'], columns: { id: 'BIGINT', ts: 'BIGINT' } },
};

describe('stream generator into Kafka', () => {
  let opened: OpenedRuntime;
  let kafka: StartedKafka;

  beforeAll(async () => {
    const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-generator-'));
    opened = await openRuntime({ choice: 'local', runId: newRunId(), runDir, distributions: ['kafka'] });
    kafka = await startCluster('kafka', opened, { budget: resourceBudget({ workers: 1, cores: 2, memoryMiB: 2048 }), startTimeoutMs: 180_000 });
  }, 600_000);

  afterAll(async () => {
    await kafka?.stop();
    await opened?.close();
  });

  it('produces the scheduled records with deterministic content and their generation time', async () => {
    await createTopics(kafka.bootstrap, [{ name: 'gen-ok', partitions: 2 }]);
    const events = new EventFactory(spec, 3);
    const report = await runGenerator({ bootstrap: kafka.bootstrap, topics: ['gen-ok'], schedule: new SendSchedule({ kind: 'constant', rate: 500 }), durationMs: 2000, events, behindBoundMs: 1000 });
    expect(report.scheduled).toBe(1001);
    expect(report.acknowledged).toBe(1001);
    expect(report.deliveryErrors).toBe(0);
    expect(report.fellBehind).toBe(false);
    // One lateness value per record, none negative (a record is never handed over before it is due).
    expect(report.lateness?.count).toBe(1001);
    expect(report.lateness?.negative.count).toBe(0);
    expect(report.lateness!.maxMs).toBeLessThanOrEqual(report.maxBehindMs + 1);
    // Paced, not bursted: the last record cannot be handed over before its send time (2 s).
    expect(report.lastProducedAtMs - report.startedAtMs).toBeGreaterThanOrEqual(1990);
    const records = await consumeFromStart(kafka.bootstrap, 'gen-ok', 1001, 60_000);
    expect(records).toHaveLength(1001);
    for (const r of records) {
      const value = JSON.parse(r.value) as Record<string, number | string>;
      const { ts, ...rest } = value;
      expect(rest).toEqual(events.values(value.id as number));
      expect(ts).toBeGreaterThanOrEqual(report.startedAtMs);
      expect(ts).toBeLessThanOrEqual(report.lastProducedAtMs);
      // record k carries its intended send time (k · 2 ms after the start, METHOD rule 14)
      expect(ts).toBe(report.startedAtMs + (value.id as number) * 2);
    }
  }, 120_000);

  it('takes turns over several inputs, one topic each, with foreign keys into earlier rounds', async () => {
    const joinSpec: StreamingSpec = {
      inputs: { orders: { customer: { kind: 'int', min: 1, max: 9 } }, payments: { order_id: { kind: 'ref', input: 'orders', maxBack: 5 }, amount: { kind: 'int', min: 1, max: 100 } } },
      output: { kind: 'append', key: ['payment_id'], columns: { payment_id: 'BIGINT', ts: 'BIGINT' } },
    };
    await createTopics(kafka.bootstrap, [
      { name: 'gen-orders', partitions: 2 },
      { name: 'gen-payments', partitions: 2 },
    ]);
    const events = new EventFactory(joinSpec, 3);
    const report = await runGenerator({ bootstrap: kafka.bootstrap, topics: ['gen-orders', 'gen-payments'], schedule: new SendSchedule({ kind: 'constant', rate: 400 }), durationMs: 1000, events, behindBoundMs: 1000 });
    expect(report.acknowledged).toBe(401);
    const orders = (await consumeFromStart(kafka.bootstrap, 'gen-orders', 201, 60_000)).map((r) => JSON.parse(r.value) as Record<string, number>);
    const payments = (await consumeFromStart(kafka.bootstrap, 'gen-payments', 200, 60_000)).map((r) => JSON.parse(r.value) as Record<string, number>);
    expect(orders.map((o) => o.id).sort((a, b) => a - b)).toEqual(Array.from({ length: 201 }, (_, i) => i));
    expect(payments.map((p) => p.id).sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    for (const o of orders) expect(Object.keys(o).sort()).toEqual(['customer', 'id', 'ts']);
    for (const p of payments) {
      const { ts: _ts, ...rest } = p;
      expect(rest).toEqual(events.values(p.id! * 2 + 1));
      expect(p.order_id).toBeGreaterThanOrEqual(Math.max(0, p.id! - 5));
      expect(p.order_id).toBeLessThanOrEqual(p.id!);
    }
  }, 120_000);

  it('detects falling behind when asked for far more than it can produce, and that makes the run invalid', async () => {
    await createTopics(kafka.bootstrap, [{ name: 'gen-fast', partitions: 2 }]);
    const report = await runGenerator({
      bootstrap: kafka.bootstrap,
      topics: ['gen-fast'],
      schedule: new SendSchedule({ kind: 'constant', rate: 3_000_000 }),
      durationMs: 1000,
      events: new EventFactory(spec, 3),
      behindBoundMs: 1000,
    });
    expect(report.acknowledged).toBe(report.scheduled);
    expect(report.maxBehindMs).toBeGreaterThan(1000);
    expect(report.fellBehind).toBe(true);
    const reasons = streamingInvalidReasons({ generator: report, latency: null, malformedRows: 0, comparison: { equal: true, rows: 1 }, drained: true });
    expect(reasons[0]).toMatch(/^generator fell behind: \d+ ms behind its schedule \(bound 1000 ms\)$/);
  }, 180_000);

  it('in its own process: the same records, every hand-over streamed back, its load reported, the process gone after', async () => {
    await createTopics(kafka.bootstrap, [{ name: 'gen-child', partitions: 2 }]);
    const handOvers = new HandOverLog();
    const { report, load } = await runGeneratorProcess({ bootstrap: kafka.bootstrap, topics: ['gen-child'], profile: { kind: 'constant', rate: 500 }, durationMs: 2000, spec, seed: 3, behindBoundMs: 1000, handOvers });
    expect(report.scheduled).toBe(1001);
    expect(report.acknowledged).toBe(1001);
    expect(report.lateness?.count).toBe(1001);
    expect(load.wallMs).toBeGreaterThanOrEqual(2000);
    expect(load.cpuCores).toBeGreaterThan(0);
    expect(load.eventLoopBusy).toBeGreaterThan(0);
    expect(load.eventLoopBusy).toBeLessThanOrEqual(1);
    const events = new EventFactory(spec, 3);
    const records = await consumeFromStart(kafka.bootstrap, 'gen-child', 1001, 60_000);
    expect(records).toHaveLength(1001);
    for (const r of records) {
      const { ts, ...rest } = JSON.parse(r.value) as Record<string, number | string>;
      expect(rest).toEqual(events.values(rest.id as number));
      expect(ts).toBe(report.startedAtMs + (rest.id as number) * 2);
      const handed = handOvers.handedAt(ts as number);
      expect(handed, `hand-over of record ${rest.id}`).toBeDefined();
      expect(handed!).toBeGreaterThanOrEqual(ts as number);
    }
    const generatorChildren = () =>
      fs.readdirSync('/proc').filter((pid) => /^\d+$/.test(pid) && (() => {
        try {
          return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('generator-child.ts');
        } catch {
          return false;
        }
      })());
    for (let i = 0; i < 50 && generatorChildren().length > 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(generatorChildren()).toEqual([]);
    // Aborted mid-run: rejects saying so, and the process ends.
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 1000);
    await expect(runGeneratorProcess({ bootstrap: kafka.bootstrap, topics: ['gen-child'], profile: { kind: 'constant', rate: 100 }, durationMs: 30_000, spec, seed: 3, behindBoundMs: 1000 }, { signal: controller.signal })).rejects.toThrow('generator aborted');
    for (let i = 0; i < 50 && generatorChildren().length > 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(generatorChildren()).toEqual([]);
  }, 120_000);
});

