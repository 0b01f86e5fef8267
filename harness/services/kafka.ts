// A single combined KRaft Kafka node (broker + controller). Two client listeners: INTERNAL,
// advertised under the service's name for the engines on the run network, and EXTERNAL,
// advertised as 127.0.0.1:<host port> for the harness on the host.
import crypto from 'node:crypto';
import path from 'node:path';
import type { ServiceContext, ServiceSpec } from '../runtime/runtime.ts';
import { Wait } from '../runtime/wait.ts';

export const KAFKA = 'kafka';
const KAFKA_HEAP_MIB = 1024;

export interface KafkaServiceOptions {
  readonly startTimeoutMs: number;
  /** Default partitions of auto-created topics (= parallelism). */
  readonly partitions: number;
}

/** Bootstrap address for services on the run network (engines). */
export function kafkaInternalBootstrap(ctx: ServiceContext): string {
  return `${ctx.hostOf(KAFKA)}:${ctx.port(KAFKA, 'internal', 9092).listen}`;
}

export function kafkaServerProperties(ctx: ServiceContext, options: KafkaServiceOptions): string {
  const internal = ctx.port(KAFKA, 'internal', 9092);
  const external = ctx.port(KAFKA, 'external', 9094, { userFacing: true });
  const controller = ctx.port(KAFKA, 'controller', 9093);
  const bind = ctx.bindAddress;
  const host = ctx.hostOf(KAFKA);
  const settings: Record<string, string | number> = {
    'process.roles': 'broker,controller',
    'node.id': 1,
    'controller.quorum.voters': `1@${host}:${controller.listen}`,
    listeners: `INTERNAL://${bind}:${internal.listen},EXTERNAL://${bind}:${external.listen},CONTROLLER://${bind}:${controller.listen}`,
    'advertised.listeners': `INTERNAL://${host}:${internal.listen},EXTERNAL://127.0.0.1:${external.host}`,
    'listener.security.protocol.map': 'INTERNAL:PLAINTEXT,EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'inter.broker.listener.name': 'INTERNAL',
    'controller.listener.names': 'CONTROLLER',
    'log.dirs': path.join(ctx.workDir(KAFKA), 'data'),
    'num.partitions': options.partitions,
    'offsets.topic.replication.factor': 1,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    'share.coordinator.state.topic.replication.factor': 1,
    'share.coordinator.state.topic.min.isr': 1,
    'group.initial.rebalance.delay.ms': 0,
    'auto.create.topics.enable': 'false',
  };
  return Object.entries(settings).map(([k, v]) => `${k}=${v}`).join('\n') + '\n';
}

/**
 * A random KRaft cluster id (16 bytes, base64url). One starting with '-' would be read by the
 * storage tool's argument parser as an option (1 start in 64 failed so): draw again, as Kafka's
 * own id generator does.
 */
export function newClusterId(random: () => Buffer = () => crypto.randomBytes(16)): string {
  for (;;) {
    const id = random().toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

export function kafkaSpec(ctx: ServiceContext, options: KafkaServiceOptions): ServiceSpec {
  const work = ctx.workDir(KAFKA);
  const properties = path.join(work, 'server.properties');
  const classpath = `${path.join(ctx.home('kafka'), 'libs')}/*`;
  const log4j = path.join(ctx.home('kafka'), 'config', 'log4j2.properties');
  const java = `java -Xmx${KAFKA_HEAP_MIB}m -Xms${KAFKA_HEAP_MIB}m -Dlog4j2.configurationFile=${log4j} -cp '${classpath}'`;
  // KRaft storage is formatted with a new cluster id at every start: each start is a fresh
  // broker (METHOD rule 9), and a second start in the same run must not find the old id.
  const clusterId = newClusterId();
  const dataDir = path.join(work, 'data');
  const script = [
    `rm -rf '${dataDir}'`,
    `${java} kafka.tools.StorageTool format --ignore-formatted -t ${clusterId} -c ${properties}`,
    `exec ${java} kafka.Kafka ${properties}`,
  ].join(' && ');
  return {
    name: KAFKA,
    distribution: 'kafka',
    command: ['bash', '-c', script],
    env: { KAFKA_HOME: ctx.home('kafka') },
    ports: [ctx.port(KAFKA, 'internal', 9092), ctx.port(KAFKA, 'external', 9094, { userFacing: true }), ctx.port(KAFKA, 'controller', 9093)],
    files: [{ path: properties, content: kafkaServerProperties(ctx, options) }],
    sharedDirs: [],
    resources: { cpus: 1, memoryMiB: KAFKA_HEAP_MIB + 512 },
    waitFor: Wait.forAll(
      Wait.forLogMessage(/Kafka Server started|\[KafkaRaftServer nodeId=1\] Kafka Server started/, { timeoutMs: options.startTimeoutMs }),
      Wait.forListeningPort('external', { timeoutMs: 10_000 }),
    ),
  };
}
