// Reads the output topic while the job runs: event-time latency of every row (log-append time
// − carried intended send time `ts`), beside it the latency from the moment that input was
// actually handed to the Kafka client (what older results measured), output rate per second, and the final state (last row per
// key). Runs in the harness process; the generator has its own (generator-process.ts), so this
// loop's load is the consumer's, the lag sampler's and the scrapers', recorded as the harness's.
import Kafka from 'node-rdkafka';
import type { HandOverLog } from '../generators/stream/generator.ts';
import { LatencyRecorder } from '../stats/latency.ts';
import { FinalState } from './final-state.ts';
import type { StreamingSpec } from './streaming-spec.ts';

export interface OutputWindow {
  /** The generator's hand-over times: when given, latency from hand-over is recorded too. */
  readonly handOvers?: HandOverLog;
}

/**
 * Latencies kept per second of intended send time, so the measured window can be chosen after
 * the run (steady state starts when the start-up backlog has drained, METHOD rule 16).
 */
export class LatencyBySecond {
  private readonly seconds = new Map<number, LatencyRecorder>();

  record(appendMs: number, sentMs: number): void {
    const second = Math.floor(sentMs / 1000) * 1000;
    let recorder = this.seconds.get(second);
    if (!recorder) this.seconds.set(second, (recorder = new LatencyRecorder()));
    recorder.record(appendMs, sentMs);
  }

  /** Rows whose send second lies in [fromMs, toMs) (bounds on whole seconds). */
  between(fromMs: number, toMs = Infinity): LatencyRecorder {
    return LatencyRecorder.merged([...this.seconds].filter(([second]) => second >= fromMs && second < toMs).map(([, recorder]) => recorder));
  }
}

/** Rows waiting for their hand-over time before the waiting ones are looked up again. */
const RESOLVE_EVERY = 10_000;

export class OutputConsumer {
  /** Log-append time − the intended send time carried in the row. */
  readonly latency = new LatencyBySecond();
  /** Log-append time − when the input behind the row was handed to the client. */
  readonly handOverLatency = new LatencyBySecond();
  /** Log-append time of the first output row; 0 before any. */
  firstAppendMs = 0;
  readonly finalState: FinalState;
  /** Output rows per wall-clock second (by log-append time). */
  readonly perSecond = new Map<number, number>();
  total = 0;
  malformed = 0;
  firstMalformed: string | undefined;
  /** Wall time of the last row received (ms). */
  lastReceivedAtMs = 0;
  /** Largest log-append time seen: a tombstone or a row appended later than all others. */
  lastAppendMs = 0;
  /** [append time, intended send time] of rows whose hand-over was not known yet when they arrived. */
  private unresolvedHandOvers: [number, number][] = [];
  private resolveAt = RESOLVE_EVERY;

  private constructor(
    private readonly consumer: Kafka.KafkaConsumer,
    spec: StreamingSpec,
    private readonly window: OutputWindow,
  ) {
    this.finalState = new FinalState(spec.output);
  }

  static async start(bootstrap: string, topic: string, spec: StreamingSpec, window: OutputWindow): Promise<OutputConsumer> {
    const consumer = new Kafka.KafkaConsumer(
      { 'metadata.broker.list': bootstrap, 'group.id': `bench-output-${topic}-${Date.now()}`, 'enable.auto.commit': false, 'fetch.wait.max.ms': 10, 'isolation.level': 'read_committed' },
      { 'auto.offset.reset': 'earliest' },
    );
    await new Promise<void>((resolve, reject) => consumer.connect({ timeout: 30_000 }, (error) => (error ? reject(new Error(`output consumer: connecting to ${bootstrap}: ${error.message}`)) : resolve())));
    const reader = new OutputConsumer(consumer, spec, window);
    consumer.on('data', (message) => reader.onMessage(message));
    consumer.subscribe([topic]);
    consumer.consume();
    return reader;
  }

  private onMessage(message: Kafka.Message): void {
    this.lastReceivedAtMs = Date.now();
    const appendMs = message.timestamp ?? -1;
    const key = message.key ? message.key.toString() : null;
    if (!message.value) {
      this.finalState.apply(key, null);
      return;
    }
    let row: Record<string, unknown>;
    try {
      row = JSON.parse(message.value.toString()) as Record<string, unknown>;
    } catch {
      this.malformed++;
      this.firstMalformed ??= message.value.toString().slice(0, 200);
      return;
    }
    this.total++;
    this.lastAppendMs = Math.max(this.lastAppendMs, appendMs);
    const second = Math.floor(appendMs / 1000) * 1000;
    this.perSecond.set(second, (this.perSecond.get(second) ?? 0) + 1);
    const generated = Number(row.ts);
    if (this.firstAppendMs === 0 || appendMs < this.firstAppendMs) this.firstAppendMs = appendMs;
    if (Number.isFinite(generated)) {
      this.latency.record(appendMs, generated);
      const handed = this.window.handOvers?.handedAt(generated);
      if (handed !== undefined) this.handOverLatency.record(appendMs, handed);
      // The generator's process reports hand-overs every ~50 ms: a fast row can arrive first.
      else if (this.window.handOvers && this.unresolvedHandOvers.push([appendMs, generated]) >= this.resolveAt) {
        this.resolveHandOvers();
        // Rows still waiting are the last ~50 ms; the threshold grows with them, so a generator that never reports costs O(n), not O(n²).
        this.resolveAt = Math.max(RESOLVE_EVERY, 2 * this.unresolvedHandOvers.length);
      }
    } else {
      this.malformed++;
      this.firstMalformed ??= `no numeric ts in ${message.value.toString().slice(0, 200)}`;
    }
    this.finalState.apply(key, row);
  }

  /** Output rows appended in [fromMs, toMs) per second. */
  rateBetween(fromMs: number, toMs: number): number {
    let n = 0;
    for (const [second, count] of this.perSecond) if (second >= fromMs && second < toMs) n += count;
    return n / Math.max(0.001, (toMs - fromMs) / 1000);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.consumer.disconnect(() => resolve()));
    this.resolveHandOvers();
  }

  /** Rows that arrived before their input's hand-over time was known: recorded now (none stay unknown once the generator reported). */
  resolveHandOvers(): void {
    const still: [number, number][] = [];
    for (const [appendMs, generated] of this.unresolvedHandOvers) {
      const handed = this.window.handOvers?.handedAt(generated);
      if (handed !== undefined) this.handOverLatency.record(appendMs, handed);
      else still.push([appendMs, generated]);
    }
    this.unresolvedHandOvers = still;
  }
}
