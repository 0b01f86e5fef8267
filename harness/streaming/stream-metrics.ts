// What the sampler watches beside one streaming measurement: the engine's usual scrapers
// (OS resources, shuffle/spill files, Spark event log + driver Prometheus / Flink REST incl.
// checkpoints) and the lag of the engine on its source topic over time, as `kafka-lag`.
// Flink commits its offsets to its Kafka consumer group on each checkpoint, so its lag is read
// from Kafka. Spark's Kafka source commits nothing to Kafka; its lag comes from the offsets
// in its own checkpoint (those of the newest committed micro-batch / epoch).
import { metricsFor, offsetsLagScraper, type Reading, type Scraper } from '../metrics/index.ts';
import type { StartedKafka } from '../engines/kafka/cluster.ts';
import type { RunningStream, StreamJob, TopicOffsets } from './stream-job.ts';
import type { StartedEngine } from './variants.ts';

export const LAG_SCRAPER = 'kafka-lag';

/** The consumer group Flink's source table uses (named so in engines/flink/streaming.ts). */
export const flinkConsumerGroup = (job: Pick<StreamJob, 'id'>) => `bench-${job.id}`;

export const SPARK_NO_OFFSETS_REASON =
  "Spark has not committed a micro-batch (or epoch) yet: its checkpoint holds no offsets/<n> with a matching commits/<n>; Spark's Kafka source commits no offsets to Kafka, so there is no consumer group to read instead";

/**
 * Scrapers for one streaming job. Create them BEFORE the job is submitted (the Flink REST
 * scraper and the event log reader count only jobs/logs that appear afterwards); the Spark lag
 * scraper reads the running job and the topic's end offsets through the given callbacks,
 * which are called only once the sampler runs.
 */
export function streamingScrapers(
  engine: StartedEngine,
  job: StreamJob,
  kafka: Pick<StartedKafka, 'bootstrap'>,
  runDir: string,
  live: { running: () => RunningStream | undefined; endOffsets: () => Promise<TopicOffsets> },
): Scraper[] {
  if (engine.kind === 'flink') {
    return metricsFor({ engine: 'flink', cluster: engine.cluster }, runDir, {
      kafkaLag: { bootstrap: kafka.bootstrap, groupId: flinkConsumerGroup(job), topics: job.sources.map((s) => s.topic), name: LAG_SCRAPER },
    });
  }
  // One reader per source topic, merged into one scraper (its series are per topic anyway).
  const perTopic = job.sources.map(({ topic }) =>
    offsetsLagScraper({
      name: LAG_SCRAPER,
      topic,
      partitions: job.partitions,
      source: "Spark's checkpoint: offsets/<n> of the newest commits/<n> (Spark's Kafka source commits no offsets to Kafka)",
      noOffsetsReason: SPARK_NO_OFFSETS_REASON,
      highWatermarks: async () => (await live.endOffsets())[topic] ?? {},
      consumed: async () => (await live.running()?.consumedOffsets())?.[topic] ?? null,
    }),
  );
  const sparkLag: Scraper =
    perTopic.length === 1
      ? perTopic[0]!
      : {
          name: LAG_SCRAPER,
          sample: async (signal) => Object.assign({}, ...(await Promise.all(perTopic.map((s) => s.sample!(signal))))) as Reading,
          finish: async (collected, signal) => ({ ...(await perTopic[0]!.finish?.(collected, signal)), topics: job.sources.map((s) => s.topic) }),
        };
  return [...metricsFor({ engine: 'spark', cluster: engine.cluster }, runDir), sparkLag];
}

/** Release scrapers that never ran (the job did not start). */
export async function closeScrapers(scrapers: readonly Scraper[]): Promise<void> {
  await Promise.allSettled(scrapers.map(async (s) => s.close?.()));
}
