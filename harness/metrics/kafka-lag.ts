// Consumer-group lag over time: for each partition of the engine's source topic(s), the high
// watermark minus the group's committed offset. The consumer used here only reads committed
// offsets and watermarks under the group's id; it never subscribes, so it never joins the
// group or moves its offsets. Engines commit when they choose (Flink on checkpoints), so lag
// is "behind the last commit"; a partition without a commit gives no value (a gap, not 0).
import Kafka from 'node-rdkafka';
import type { Reading, Scraper } from './sampler.ts';

/** Lag per partition from committed offsets and high watermarks; undefined where nothing is committed. */
export function partitionLag(highWatermark: number, committed: number | undefined): number | undefined {
  // librdkafka reports "no committed offset" as a negative logical offset (-1001).
  if (committed === undefined || committed < 0) return undefined;
  return Math.max(0, highWatermark - committed);
}

const call = <T>(what: string, run: (cb: (error: { message: string } | null | undefined, value: T) => void) => void): Promise<T> =>
  new Promise((resolve, reject) => run((error, value) => (error ? reject(new Error(`${what}: ${error.message}`)) : resolve(value))));

/**
 * Series: `<topic>/lag` (sum over partitions, only when every partition has a commit),
 * `<topic>/p<n>/lag`, `<topic>/committed_partitions`, `<topic>/end_offset_total` (sum of high
 * watermarks: records produced so far).
 */
export function kafkaLagScraper(options: { bootstrap: string; groupId: string; topics: readonly string[]; name?: string }): Scraper {
  const consumer = new Kafka.KafkaConsumer(
    { 'metadata.broker.list': options.bootstrap, 'group.id': options.groupId, 'enable.auto.commit': false, 'client.id': 'bench-lag' },
    {},
  );
  let connecting: Promise<void> | undefined;
  let partitions: Map<string, number[]> | undefined;
  const connect = () =>
    (connecting ??= call<unknown>(`connecting to Kafka at ${options.bootstrap}`, (cb) => consumer.connect({ timeout: 10_000 }, cb)).then(
      () => undefined,
      (error) => {
        connecting = undefined;
        throw error;
      },
    ));
  return {
    name: options.name ?? `kafka-lag:${options.groupId}`,
    async sample(): Promise<Reading> {
      await connect();
      if (!partitions) {
        const metadata = await call<Kafka.Metadata>('reading Kafka metadata', (cb) => consumer.getMetadata({ timeout: 10_000 }, cb));
        const found = new Map<string, number[]>();
        for (const topic of options.topics) {
          const meta = metadata.topics.find((t) => t.name === topic);
          if (!meta || meta.partitions.length === 0) throw new Error(`Kafka topic '${topic}' not found on ${options.bootstrap}`);
          found.set(topic, meta.partitions.map((p) => p.id).sort((a, b) => a - b));
        }
        partitions = found;
      }
      const toppars = [...partitions].flatMap(([topic, ids]) => ids.map((partition) => ({ topic, partition })));
      const committed = await call<Kafka.TopicPartitionOffset[]>(`reading committed offsets of group '${options.groupId}'`, (cb) => consumer.committed(toppars, 10_000, cb));
      const reading: Record<string, number> = {};
      for (const [topic, ids] of partitions) {
        let total = 0;
        let withCommit = 0;
        let ends = 0;
        for (const partition of ids) {
          const watermarks = await call<Kafka.WatermarkOffsets>(`watermarks of ${topic}/${partition}`, (cb) => consumer.queryWatermarkOffsets(topic, partition, 10_000, cb));
          ends += watermarks.highOffset;
          const offset = committed.find((c) => c.topic === topic && c.partition === partition)?.offset;
          const lag = partitionLag(watermarks.highOffset, offset);
          if (lag === undefined) continue;
          reading[`${topic}/p${partition}/lag`] = lag;
          total += lag;
          withCommit += 1;
        }
        reading[`${topic}/committed_partitions`] = withCommit;
        reading[`${topic}/end_offset_total`] = ends;
        if (withCommit === ids.length) reading[`${topic}/lag`] = total;
      }
      return reading;
    },
    close: () => new Promise<void>((resolve) => (consumer.isConnected() ? consumer.disconnect(() => resolve()) : resolve())),
  };
}
