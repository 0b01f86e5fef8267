// Kafka: a single combined KRaft node, builder → StartedKafka.
import type { Runtime, StartedService } from '../../runtime/runtime.ts';
import { kafkaInternalBootstrap, kafkaSpec } from '../../services/kafka.ts';
import { startInStages, stopAll } from '../start-services.ts';
import { createLogger } from '../../log.ts';

const log = createLogger('bench:kafka');

export class KafkaCluster {
  private startTimeoutMs = 120_000;

  constructor(
    private readonly runtime: Runtime,
    private readonly partitions: number,
  ) {}

  withStartTimeout(ms: number): this {
    this.startTimeoutMs = ms;
    return this;
  }

  async start(): Promise<StartedKafka> {
    const ctx = this.runtime.context;
    const started = Date.now();
    const [broker] = await startInStages(this.runtime, [[kafkaSpec(ctx, { startTimeoutMs: this.startTimeoutMs, partitions: this.partitions })]]);
    log.info(`Kafka up in ${Date.now() - started} ms`);
    return new StartedKafka(broker!, kafkaInternalBootstrap(ctx));
  }
}

export class StartedKafka implements AsyncDisposable {
  constructor(
    readonly broker: StartedService,
    /** Bootstrap servers for the engines (on the run network). */
    readonly internalBootstrap: string,
  ) {}

  /** Bootstrap servers for the harness on the host. */
  get bootstrap(): string {
    const { host, port } = this.broker.endpoint('external');
    return `${host}:${port}`;
  }

  urls(): Record<string, string> {
    return { 'Kafka bootstrap (host)': this.bootstrap, 'Kafka bootstrap (engines)': this.internalBootstrap };
  }

  async stop(): Promise<void> {
    await stopAll([this.broker]);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}
