// Offsets read from Kafka by the harness: log-end offsets of the input topic, and offsets an
// engine committed for its consumer group (Flink commits on checkpoints). Used for the lag series.
import Kafka from 'node-rdkafka';

function connect(bootstrap: string, groupId: string): Promise<Kafka.KafkaConsumer> {
  const consumer = new Kafka.KafkaConsumer({ 'metadata.broker.list': bootstrap, 'group.id': groupId, 'enable.auto.commit': false }, {});
  return new Promise((resolve, reject) => consumer.connect({ timeout: 30_000 }, (error) => (error ? reject(error) : resolve(consumer))));
}

/** An offsets reader kept open for the run (connecting per sample would cost ~100 ms each). */
export class OffsetReader {
  private constructor(
    private readonly consumer: Kafka.KafkaConsumer,
    private readonly topic: string,
    private readonly partitions: number,
  ) {}

  static async open(bootstrap: string, topic: string, partitions: number, groupId = `bench-offsets-${process.pid}-${Date.now()}`): Promise<OffsetReader> {
    return new OffsetReader(await connect(bootstrap, groupId), topic, partitions);
  }

  async endOffsets(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (let p = 0; p < this.partitions; p++) {
      out[p] = await new Promise<number>((resolve, reject) =>
        this.consumer.queryWatermarkOffsets(this.topic, p, 10_000, (error, offsets) => (error ? reject(error) : resolve(offsets.highOffset))),
      );
    }
    return out;
  }

  /** Committed offsets of this reader's group id (pass the engine's group to `open`); partitions without a commit are absent. */
  async committedOffsets(): Promise<Record<string, number>> {
    const toppars = Array.from({ length: this.partitions }, (_, partition) => ({ topic: this.topic, partition }));
    const committed = await new Promise<Kafka.TopicPartitionOffset[]>((resolve, reject) =>
      this.consumer.committed(toppars, 10_000, (error, result) => (error ? reject(error) : resolve(result))),
    );
    const out: Record<string, number> = {};
    for (const c of committed) if (typeof c.offset === 'number' && c.offset >= 0) out[c.partition] = c.offset;
    return out;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.consumer.disconnect(() => resolve()));
  }
}
