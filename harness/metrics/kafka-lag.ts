// Consumer-group lag over time: for each partition of the engine's source topic(s), the high
// watermark minus the group's committed offset. The consumer used here only reads committed
// offsets and watermarks under the group's id; it never subscribes, so it never joins the
// group or moves its offsets. Engines commit when they choose (Flink on checkpoints), so lag
// is "behind the last commit"; a partition without a commit gives no value (a gap, not 0).
// Engines that commit nothing to Kafka (Spark keeps its offsets in its checkpoint) are
// sampled with offsetsLagScraper from offsets the engine reports, under the same series names.
import Kafka from 'node-rdkafka';
import type { Reading, Scraper } from './sampler.ts';

/** Lag per partition from committed offsets and high watermarks; undefined where nothing is committed. */
export function partitionLag(highWatermark: number, committed: number | undefined): number | undefined {
  // librdkafka reports "no committed offset" as a negative logical offset (-1001).
  if (committed === undefined || committed < 0) return undefined;
  return Math.max(0, highWatermark - committed);
}

/**
 * One topic's lag reading: `<topic>/lag` (sum over partitions, only when every partition has a
 * consumed offset), `<topic>/p<n>/lag`, `<topic>/committed_partitions`, `<topic>/end_offset_total`
 * (sum of high watermarks: records produced so far).
 */
export function topicLagReading(topic: string, partitions: readonly number[], highWatermarks: Readonly<Record<number, number>>, consumed: Readonly<Record<number, number | undefined>>): Record<string, number> {
  const reading: Record<string, number> = {};
  let total = 0;
  let withCommit = 0;
  let ends = 0;
  for (const partition of partitions) {
    const high = highWatermarks[partition];
    if (high === undefined) throw new Error(`no high watermark for ${topic}/${partition}`);
    ends += high;
    const lag = partitionLag(high, consumed[partition]);
    if (lag === undefined) continue;
    reading[`${topic}/p${partition}/lag`] = lag;
    total += lag;
    withCommit += 1;
  }
  reading[`${topic}/committed_partitions`] = withCommit;
  reading[`${topic}/end_offset_total`] = ends;
  if (withCommit === partitions.length) reading[`${topic}/lag`] = total;
  return reading;
}

const call = <T>(what: string, run: (cb: (error: { message: string } | null | undefined, value: T) => void) => void): Promise<T> =>
  new Promise((resolve, reject) => run((error, value) => (error ? reject(new Error(`${what}: ${error.message}`)) : resolve(value))));

/** Lag of a Kafka consumer group, series as in topicLagReading. */
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
    kind: 'kafka-lag',
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
        const highs: Record<number, number> = {};
        for (const partition of ids) {
          highs[partition] = (await call<Kafka.WatermarkOffsets>(`watermarks of ${topic}/${partition}`, (cb) => consumer.queryWatermarkOffsets(topic, partition, 10_000, cb))).highOffset;
        }
        const offsets = Object.fromEntries(committed.filter((c) => c.topic === topic).map((c) => [c.partition, c.offset]));
        Object.assign(reading, topicLagReading(topic, ids, highs, offsets));
      }
      return reading;
    },
    finish: async () => ({ source: `offsets committed to Kafka by consumer group '${options.groupId}'`, groupId: options.groupId, topics: options.topics }),
    close: () => new Promise<void>((resolve) => (consumer.isConnected() ? consumer.disconnect(() => resolve()) : resolve())),
  };
}

/**
 * Lag of one topic from offsets the engine itself reports (e.g. Spark's checkpoint), for
 * engines that commit nothing to Kafka. `consumed` returns null while the engine has reported
 * nothing; such a sample fails with `noOffsetsReason`, so a series never starts with made-up zeros.
 */
export function offsetsLagScraper(options: {
  name: string;
  topic: string;
  partitions: number;
  /** Where the consumed offsets come from, in words (recorded in details). */
  source: string;
  noOffsetsReason: string;
  highWatermarks: () => Promise<Readonly<Record<number, number>>>;
  consumed: () => Promise<Readonly<Record<number, number>> | null>;
}): Scraper {
  const ids = Array.from({ length: options.partitions }, (_, i) => i);
  return {
    name: options.name,
    kind: 'kafka-lag',
    async sample(): Promise<Reading> {
      const consumed = await options.consumed();
      if (!consumed || Object.keys(consumed).length === 0) throw new Error(options.noOffsetsReason);
      return topicLagReading(options.topic, ids, await options.highWatermarks(), consumed);
    },
    finish: async () => ({ source: options.source, topics: [options.topic] }),
  };
}
