// Kafka's smoke check: 1,000 records produced and consumed back.
import crypto from 'node:crypto';
import type { SmokeOutcome } from '../smoke.ts';
import type { StartedKafka } from './cluster.ts';
import { consumeFromStart, createTopics, produceAll } from './client.ts';

export async function smokeKafka(kafka: StartedKafka, count = 1000, timeoutMs = 60_000): Promise<SmokeOutcome> {
  const started = Date.now();
  const topic = `smoke-${crypto.randomBytes(4).toString('hex')}`;
  await createTopics(kafka.bootstrap, [{ name: topic, partitions: 2 }]);
  const sent = Array.from({ length: count }, (_, i) => ({ key: `k${i}`, value: `record-${i}` }));
  await produceAll(kafka.bootstrap, topic, sent);
  const received = await consumeFromStart(kafka.bootstrap, topic, count, timeoutMs);
  const ms = Date.now() - started;
  const want = new Set(sent.map((r) => `${r.key}=${r.value}`));
  const got = new Set(received.map((r) => `${r.key}=${r.value}`));
  const missing = [...want].filter((r) => !got.has(r));
  const extra = received.length - got.size + [...got].filter((r) => !want.has(r)).length;
  return missing.length === 0 && extra === 0
    ? { ok: true, ms, detail: `produced and consumed ${count} records on ${topic}` }
    : { ok: false, ms, detail: `on ${topic}: ${missing.length} of ${count} records missing, ${extra} extra or duplicated` };
}
