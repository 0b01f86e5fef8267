// Harness-side Kafka client (node-rdkafka: librdkafka, native speed): topics, producing and
// consuming. Used by the smoke check and, later, the stream generator and latency consumer.
import Kafka from 'node-rdkafka';
import { createLogger } from '../../log.ts';

const log = createLogger('bench:kafka');

export interface TopicSpec {
  readonly name: string;
  readonly partitions: number;
  /** Topic-level configs, e.g. { 'message.timestamp.type': 'LogAppendTime' } */
  readonly config?: Readonly<Record<string, string>>;
}

export async function createTopics(bootstrap: string, topics: readonly TopicSpec[]): Promise<void> {
  const admin = Kafka.AdminClient.create({ 'client.id': 'bench-admin', 'metadata.broker.list': bootstrap });
  try {
    for (const topic of topics) {
      await new Promise<void>((resolve, reject) =>
        admin.createTopic(
          { topic: topic.name, num_partitions: topic.partitions, replication_factor: 1, config: { ...topic.config } },
          30_000,
          (error) => (error ? reject(new Error(`creating Kafka topic '${topic.name}' on ${bootstrap}: ${error.message}`)) : resolve()),
        ),
      );
      log.debug(`created topic ${topic.name} (${topic.partitions} partitions)`);
    }
  } finally {
    admin.disconnect();
  }
}

export interface ProducedRecord {
  readonly key: string | null;
  readonly value: string;
}

/** Produce records and wait until every one is acknowledged (idempotence implies acks=all). */
export async function produceAll(bootstrap: string, topic: string, records: Iterable<ProducedRecord>): Promise<number> {
  const producer = new Kafka.HighLevelProducer({
    'metadata.broker.list': bootstrap,
    'client.id': 'bench-producer',
    'linger.ms': 5,
    'enable.idempotence': true,
  });
  await new Promise<void>((resolve, reject) => {
    producer.once('ready', () => resolve());
    producer.once('event.error', reject);
    producer.connect({ timeout: 30_000 }, (error) => error && reject(error));
  });
  try {
    const pending: Promise<void>[] = [];
    for (const record of records) {
      pending.push(
        new Promise<void>((resolve, reject) =>
          producer.produce(topic, null, Buffer.from(record.value), record.key, Date.now(), (error) => (error ? reject(error) : resolve())),
        ),
      );
    }
    await Promise.all(pending);
    return pending.length;
  } finally {
    await new Promise<void>((resolve) => producer.disconnect(() => resolve()));
  }
}

export interface ConsumedRecord {
  readonly key: string | null;
  readonly value: string;
  readonly partition: number;
  readonly offset: number;
  /** Broker timestamp (ms): log-append time on topics configured for it. */
  readonly timestamp: number;
}

/** Read a topic from the beginning until `count` records arrived or `timeoutMs` passed. */
export async function consumeFromStart(bootstrap: string, topic: string, count: number, timeoutMs: number): Promise<ConsumedRecord[]> {
  const consumer = new Kafka.KafkaConsumer(
    { 'metadata.broker.list': bootstrap, 'group.id': `bench-check-${process.pid}-${Date.now()}`, 'enable.auto.commit': false },
    { 'auto.offset.reset': 'earliest' },
  );
  await new Promise<void>((resolve, reject) => consumer.connect({ timeout: 30_000 }, (error) => (error ? reject(error) : resolve())));
  const records: ConsumedRecord[] = [];
  const deadline = Date.now() + timeoutMs;
  try {
    consumer.subscribe([topic]);
    while (records.length < count && Date.now() < deadline) {
      const batch = await new Promise<Kafka.Message[]>((resolve, reject) => consumer.consume(500, (error, messages) => (error ? reject(error) : resolve(messages))));
      for (const m of batch) {
        records.push({ key: m.key?.toString() ?? null, value: m.value?.toString() ?? '', partition: m.partition, offset: m.offset, timestamp: m.timestamp ?? -1 });
      }
    }
    return records;
  } finally {
    await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
  }
}
