// Kafka, the streams' transport (not an engine under test): one combined KRaft node.
import type { ClusterDefinition } from '../clusters.ts';
import { KafkaCluster, type StartedKafka } from './cluster.ts';
import { smokeKafka } from './smoke.ts';

export const kafkaCluster: ClusterDefinition<StartedKafka> = {
  name: 'kafka',
  distributions: ['kafka'],
  start: (opened, options) => new KafkaCluster(opened.runtime, options.budget.parallelism).withStartTimeout(options.startTimeoutMs).start(),
  smoke: (kafka) => smokeKafka(kafka),
};
