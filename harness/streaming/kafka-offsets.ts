// Offsets read from Kafka by the harness: log-end offsets of the input topics, and offsets an
// engine committed for its consumer group (Flink commits on checkpoints). Used for the lag series.
import Kafka from 'node-rdkafka';
import type { TopicOffsets } from './stream-job.ts';

function connect(bootstrap: string, groupId: string): Promise<Kafka.KafkaConsumer> {
  const consumer = new Kafka.KafkaConsumer({ 'metadata.broker.list': bootstrap, 'group.id': groupId, 'enable.auto.commit': false }, {});
  return new Promise((resolve, reject) => consumer.connect({ timeout: 30_000 }, (error) => (error ? reject(error) : resolve(consumer))));
}

/** An offsets reader kept open for the run (connecting per sample would cost ~100 ms each). */
export class OffsetReader {
  private constructor(
    private readonly consumer: Kafka.KafkaConsumer,
    private readonly topics: readonly string[],
    private readonly partitions: number,
  ) {}

  static async open(bootstrap: string, topics: readonly string[], partitions: number, groupId = `bench-offsets-${process.pid}-${Date.now()}`): Promise<OffsetReader> {
    return new OffsetReader(await connect(bootstrap, groupId), topics, partitions);
  }

  async endOffsets(): Promise<TopicOffsets> {
    const out: TopicOffsets = {};
    for (const topic of this.topics) {
      const ends: Record<string, number> = {};
      for (let p = 0; p < this.partitions; p++) {
        ends[p] = await new Promise<number>((resolve, reject) =>
          this.consumer.queryWatermarkOffsets(topic, p, 10_000, (error, offsets) => (error ? reject(error) : resolve(offsets.highOffset))),
        );
      }
      out[topic] = ends;
    }
    return out;
  }

  /** Committed offsets of this reader's group id (pass the engine's group to `open`); partitions without a commit are absent, topics without any too. */
  async committedOffsets(): Promise<TopicOffsets> {
    const toppars = this.topics.flatMap((topic) => Array.from({ length: this.partitions }, (_, partition) => ({ topic, partition })));
    const committed = await new Promise<Kafka.TopicPartitionOffset[]>((resolve, reject) =>
      this.consumer.committed(toppars, 10_000, (error, result) => (error ? reject(error) : resolve(result))),
    );
    const out: TopicOffsets = {};
    for (const c of committed) if (typeof c.offset === 'number' && c.offset >= 0) (out[c.topic] ??= {})[c.partition] = c.offset;
    return out;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.consumer.disconnect(() => resolve()));
  }
}
