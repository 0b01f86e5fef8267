import { describe, expect, it } from 'vitest';
import type { StreamJob } from '../../streaming/stream-job.ts';
import { flinkStreamDdl } from './streaming.ts';

const job: StreamJob = {
  id: 'j',
  sources: [
    { name: 'orders', topic: 'j-orders', columns: [{ name: 'id', type: 'BIGINT' }, { name: 'ts', type: 'BIGINT' }] },
    { name: 'payments', topic: 'j-payments', columns: [{ name: 'id', type: 'BIGINT' }, { name: 'ts', type: 'BIGINT' }, { name: 'order_id', type: 'BIGINT' }] },
  ],
  sinkTopic: 'j-out',
  partitions: 2,
  engineBootstrap: 'kafka:9092',
  hostBootstrap: '127.0.0.1:9094',
  eventTime: { watermarkDelayMs: 2500 },
  sql: 'SELECT 1',
  output: { kind: 'append', key: ['id'], columns: { id: 'BIGINT', ts: 'BIGINT' } },
  stateDir: '/tmp/j',
  maxRuntimeMs: 1000,
};

describe('flinkStreamDdl', () => {
  it('one Kafka table per input; with event time a rowtime attribute rt and its watermark', () => {
    const { sources } = flinkStreamDdl(job, 'g');
    expect(sources).toHaveLength(2);
    expect(sources[1]).toBe(
      "CREATE TEMPORARY TABLE `payments` (`id` BIGINT, `ts` BIGINT, `order_id` BIGINT, `rt` AS TO_TIMESTAMP_LTZ(`ts`, 3), WATERMARK FOR `rt` AS `rt` - INTERVAL '2.5' SECOND) " +
        "WITH ('connector' = 'kafka', 'topic' = 'j-payments', 'properties.bootstrap.servers' = 'kafka:9092', 'properties.group.id' = 'g', 'scan.startup.mode' = 'earliest-offset', 'format' = 'json', 'json.fail-on-missing-field' = 'true')",
    );
    const { eventTime: _none, ...withoutEventTime } = job;
    expect(flinkStreamDdl(withoutEventTime, 'g').sources[0]).toMatch(/^CREATE TEMPORARY TABLE `orders` \(`id` BIGINT, `ts` BIGINT\) WITH/);
  });
});
