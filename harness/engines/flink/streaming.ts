// Flink streaming variant: SQL through the SQL Gateway in streaming mode, Kafka source and
// sink tables (the kafka / upsert-kafka SQL connector), checkpointing on with an interval
// parameter, state backend hashmap | rocksdb. Offsets are committed to the job's consumer
// group on each checkpoint, which is how the harness reads the engine's consumed offsets.
import type { RunningStream, StreamJob } from '../../streaming/stream-job.ts';
import { OffsetReader } from '../../streaming/kafka-offsets.ts';
import type { StartedFlinkCluster } from './cluster.ts';
import { flinkConsumerGroup } from './metrics.ts';
import { createLogger } from '../../log.ts';

const log = createLogger('bench:engine:flink');

export type FlinkDeliveryGuarantee = 'at-least-once' | 'exactly-once';

export interface FlinkStreamSettings {
  readonly checkpointIntervalMs: number;
  readonly stateBackend: 'hashmap' | 'rocksdb';
  readonly parallelism: number;
  readonly deliveryGuarantee: FlinkDeliveryGuarantee;
}

export const FLINK_GUARANTEES: Readonly<Record<FlinkDeliveryGuarantee, string>> = {
  'at-least-once':
    'at-least-once: Kafka sink with sink.delivery-guarantee at-least-once (after a restart from a checkpoint, output since that checkpoint is written again); state is exactly-once via checkpoints',
  'exactly-once':
    'exactly-once: transactional Kafka sink (sink.delivery-guarantee exactly-once), committed on each checkpoint; read with read_committed, output appears only after the checkpoint that follows it',
};

/**
 * The sink's delivery options. Exactly-once: transactions named after the job (unique per run),
 * a transaction timeout under the broker's 15 min maximum (Flink's producer default of 1 h is
 * refused by a default broker).
 */
export function flinkSinkDelivery(job: Pick<StreamJob, 'id'>, guarantee: FlinkDeliveryGuarantee): Record<string, string> {
  return guarantee === 'exactly-once'
    ? { 'sink.delivery-guarantee': 'exactly-once', 'sink.transactional-id-prefix': `bench-${job.id}`, 'properties.transaction.timeout.ms': '600000' }
    : { 'sink.delivery-guarantee': 'at-least-once' };
}

/** Job states from which a streaming job does not come back by itself. */
const FLINK_GIVEN_UP = ['FAILING', 'FAILED', 'CANCELLING', 'CANCELED', 'FINISHED', 'SUSPENDED'];

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;
const withClause = (options: Record<string, string>) => `WITH (${Object.entries(options).map(([k, v]) => `${quote(k)} = ${quote(v)}`).join(', ')})`;

/** Milliseconds as a Flink SQL interval literal (seconds with a fraction: '0.25' SECOND). */
export const secondsInterval = (ms: number) => `INTERVAL '${ms / 1000}' SECOND`;

/**
 * The DDL of the source tables (one per input) and the sink table for a job (exported for
 * tests and the record). With event time, each source gets `rt`, its generation time as a
 * rowtime attribute with a bounded-out-of-orderness watermark: what makes a BETWEEN on `rt`
 * an interval join whose state Flink drops as the watermark passes.
 */
export function flinkStreamDdl(job: StreamJob, groupId: string, guarantee: FlinkDeliveryGuarantee = 'at-least-once'): { sources: string[]; sink: string } {
  const eventTime = job.eventTime ? [`\`rt\` AS TO_TIMESTAMP_LTZ(\`ts\`, 3)`, `WATERMARK FOR \`rt\` AS \`rt\` - ${secondsInterval(job.eventTime.watermarkDelayMs)}`] : [];
  const sources = job.sources.map(
    (source) =>
      `CREATE TEMPORARY TABLE \`${source.name}\` (${[...source.columns.map((c) => `\`${c.name}\` ${c.type}`), ...eventTime].join(', ')}) ` +
      withClause({
        connector: 'kafka',
        topic: source.topic,
        'properties.bootstrap.servers': job.engineBootstrap,
        'properties.group.id': groupId,
        'scan.startup.mode': 'earliest-offset',
        format: 'json',
        'json.fail-on-missing-field': 'true',
      }),
  );
  const columns = Object.entries(job.output.columns).map(([name, type]) => `\`${name}\` ${type}`);
  const keys = job.output.key.map((k) => `\`${k}\``).join(', ');
  const sink =
    job.output.kind === 'upsert'
      ? `CREATE TEMPORARY TABLE bench_sink (${columns.join(', ')}, PRIMARY KEY (${keys}) NOT ENFORCED) ` +
        withClause({ connector: 'upsert-kafka', topic: job.sinkTopic, 'properties.bootstrap.servers': job.engineBootstrap, 'key.format': 'json', 'value.format': 'json', ...flinkSinkDelivery(job, guarantee) })
      : `CREATE TEMPORARY TABLE bench_sink (${columns.join(', ')}) ` +
        withClause({
          connector: 'kafka',
          topic: job.sinkTopic,
          'properties.bootstrap.servers': job.engineBootstrap,
          'key.format': 'json',
          'key.fields': job.output.key.join(';'),
          'value.format': 'json',
          ...flinkSinkDelivery(job, guarantee),
        });
  return { sources, sink };
}

export async function startFlinkStream(cluster: StartedFlinkCluster, job: StreamJob, settings: FlinkStreamSettings): Promise<RunningStream> {
  const groupId = flinkConsumerGroup(job);
  const sessionSettings = {
    'execution.runtime-mode': 'streaming',
    'execution.checkpointing.interval': `${settings.checkpointIntervalMs}ms`,
    'state.backend.type': settings.stateBackend,
    'parallelism.default': String(settings.parallelism),
    'pipeline.name': `bench-stream:${job.id}`,
  };
  const session = await cluster.gateway.openSession(sessionSettings);
  const { sources, sink } = flinkStreamDdl(job, groupId, settings.deliveryGuarantee);
  let jobId: string | undefined;
  try {
    for (const source of sources) await cluster.gateway.execute(session, source);
    await cluster.gateway.execute(session, sink);
    const insert = await cluster.gateway.execute(session, `INSERT INTO bench_sink ${job.sql}`, { timeoutMs: 120_000 });
    jobId = insert.jobId ?? (insert.rows[0]?.[0] as string | undefined);
    if (!jobId) throw new Error(`Flink accepted the INSERT for ${job.id} but returned no job id`);
  } finally {
    await cluster.gateway.closeSession(session);
  }
  const id = jobId;
  // Wait until the job runs (or fails at once).
  const deadline = Date.now() + 120_000;
  for (;;) {
    const status = await cluster.rest.job(id);
    if (status.state === 'RUNNING') break;
    if (['FAILED', 'CANCELED', 'FINISHED'].includes(status.state) || Date.now() > deadline) {
      throw new Error(`Flink job ${id} for ${job.id} is ${status.state}: ${await cluster.rest.exceptions(id)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  log.info(`Flink streaming job ${id} running for ${job.id}`);
  const topics = job.sources.map((s) => s.topic);
  const offsets = await OffsetReader.open(job.hostBootstrap, topics, job.partitions, groupId);
  let stopped = false;
  return {
    guarantee: FLINK_GUARANTEES[settings.deliveryGuarantee],
    settings: {
      ...sessionSettings,
      ...flinkSinkDelivery(job, settings.deliveryGuarantee),
      'scan.startup.mode': 'earliest-offset',
      ...(job.eventTime ? { watermark: `rt - ${secondsInterval(job.eventTime.watermarkDelayMs)}` } : {}),
      jobId: id,
    },
    async consumedOffsets() {
      const committed = await offsets.committedOffsets();
      return topics.every((topic) => committed[topic]) ? committed : null;
    },
    async failure() {
      // RESTARTING, CREATED, INITIALIZING: the restart strategy is recovering it (after a fault).
      const status = await cluster.rest.job(id);
      return FLINK_GIVEN_UP.includes(status.state) ? `Flink job ${id} is ${status.state}: ${await cluster.rest.exceptions(id)}` : null;
    },
    async trouble() {
      // A region failover restarts tasks while the job itself stays RUNNING: the vertices tell.
      const status = await cluster.rest.job(id);
      const notRunning = (status.vertices ?? []).filter((v) => v.status !== 'RUNNING').map((v) => v.status);
      if (status.state !== 'RUNNING') return `Flink job ${id} is ${status.state}`;
      return notRunning.length > 0 ? `Flink job ${id}: tasks ${[...new Set(notRunning)].join(', ')}` : null;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await offsets.close();
      await cluster.rest.cancel(id);
      await cluster.rest.waitForJob(id, 60_000);
    },
  };
}
