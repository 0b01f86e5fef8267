// The rate-controlled generator (METHOD rules 1 and 14): produces record k at its scheduled send
// time (computed from the start, never slowed by the engine), each carrying its INTENDED send
// time (the schedule's, floored to the ms) as `ts`, so latency measured from it includes any
// time the record waited for the generator (coordinated omission). How late each record was
// actually handed to the client is its own histogram (lateness), and the hand-over time per
// intended ms is kept so the output consumer can also show latency from hand-over beside it.
// librdkafka (node-rdkafka) does the sending at native speed; the loop only builds records and
// hands them over. It measures how far it falls behind the schedule: beyond the bound the run
// is invalid ("generator fell behind"), because the engine then saw a lower rate than asked.
import { setImmediate as yieldToEventLoop, setTimeout as sleep } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';
import Kafka from 'node-rdkafka';
import { createLogger } from '../../log.ts';
import { LatencyRecorder, type LatencySummary } from '../../stats/latency.ts';
import type { EventFactory } from './events.ts';
import type { SendSchedule } from './schedule.ts';

const log = createLogger('bench:generator');

/** Records built per turn of the loop before delivery reports get a chance to run. */
const BURST = 4096;

export interface GeneratorOptions {
  readonly bootstrap: string;
  /** One topic per input of the EventFactory, in its order (record k goes to topics[events.inputOf(k)]). */
  readonly topics: readonly string[];
  readonly schedule: SendSchedule;
  /** Records whose send time is ≤ this are produced. */
  readonly durationMs: number;
  readonly events: EventFactory;
  /** Falling further behind than this makes the run invalid. */
  readonly behindBoundMs: number;
  readonly signal?: AbortSignal;
  /** Filled while generating: earliest hand-over time per intended ms (for latency from hand-over). */
  readonly handOvers?: HandOverLog;
  /** Called once the client is connected and the schedule's time zero is set (before the first record). */
  readonly onStart?: (startedAtMs: number) => void;
}

/**
 * Record k's intended send time as carried in `ts`: on the ms grid of the start, floored like
 * Date.now(), so intended ≤ handed and an output appended after the hand-over never shows a
 * negative latency. The oracle's side recomputes it from the start time the same way.
 */
export function intendedSendMs(startedAtMs: number, schedule: SendSchedule, k: number): number {
  return Math.floor(startedAtMs + schedule.sendTimeMs(k));
}

/**
 * Intended send time (epoch ms, as carried in `ts`) → the earliest time (epoch ms) a record
 * intended at that ms was handed to the client. Records share an intended ms above 1,000 rec/s
 * and may fall into different bursts; the latest hand-over would make the latency of the earlier
 * record's output negative (seen: down to −55 ms at 2,000 rec/s), the earliest only overstates
 * the later record's latency from hand-over by the gap between the bursts.
 */
export class HandOverLog {
  private readonly byIntendedMs = new Map<number, number>();

  note(intendedMs: number, handedMs: number): void {
    const seen = this.byIntendedMs.get(intendedMs);
    if (seen === undefined || handedMs < seen) this.byIntendedMs.set(intendedMs, handedMs);
  }

  handedAt(intendedMs: number): number | undefined {
    return this.byIntendedMs.get(intendedMs);
  }
}

export interface GeneratorReport {
  /** Records the schedule asked for. */
  readonly scheduled: number;
  /** Records Kafka acknowledged. */
  readonly acknowledged: number;
  readonly deliveryErrors: number;
  readonly firstDeliveryError?: string;
  /** Wall-clock start (ms since epoch): the schedule's time zero. */
  readonly startedAtMs: number;
  /** When the last record was handed to the client, and when the last one was acknowledged. */
  readonly lastProducedAtMs: number;
  readonly lastAcknowledgedAtMs: number;
  /** The most any record was handed over after its send time (ms). */
  readonly maxBehindMs: number;
  /** Per second of the run: the most the generator was behind in that second. */
  readonly behindSeries: readonly { readonly tMs: number; readonly behindMs: number }[];
  readonly behindBoundMs: number;
  readonly fellBehind: boolean;
  /** Acknowledged records / (last ack − start), records per second. */
  readonly achievedRate: number;
  /** Per record: hand-over time − intended send time (ms); null when nothing was sent. */
  readonly lateness: LatencySummary | null;
}

export function defaultBehindBoundMs(durationMs: number): number {
  return Math.max(1000, durationMs * 0.01);
}

function isQueueFull(error: unknown): boolean {
  return (error as { code?: number })?.code === Kafka.CODES.ERRORS.ERR__QUEUE_FULL;
}

export async function runGenerator(options: GeneratorOptions): Promise<GeneratorReport> {
  const { schedule, events, topics } = options;
  if (topics.length !== events.inputNames.length) throw new Error(`generator: ${topics.length} topic(s) for ${events.inputNames.length} input(s) (${events.inputNames.join(', ')})`);
  const topic = topics.join(', ');
  const scheduled = schedule.recordsDueBy(options.durationMs);
  const producer = new Kafka.Producer({
    'metadata.broker.list': options.bootstrap,
    'client.id': 'bench-generator',
    // No duplicates on the input: the expected final state counts every record exactly once.
    'enable.idempotence': true,
    'linger.ms': 5,
    'batch.num.messages': 10_000,
    'queue.buffering.max.messages': 1_000_000,
    'queue.buffering.max.kbytes': 1_048_576,
    dr_cb: true,
  });
  await new Promise<void>((resolve, reject) => {
    producer.once('event.error', reject);
    producer.connect({ timeout: 30_000 }, (error) => (error ? reject(new Error(`generator: connecting to Kafka at ${options.bootstrap}: ${error.message}`)) : resolve()));
  });

  let acknowledged = 0;
  let deliveryErrors = 0;
  let firstDeliveryError: string | undefined;
  let lastAcknowledgedAtMs = 0;
  producer.on('delivery-report', (error) => {
    if (error) {
      deliveryErrors++;
      firstDeliveryError ??= error.message;
    } else {
      acknowledged++;
      lastAcknowledgedAtMs = Date.now();
    }
  });

  const behindSeries: { tMs: number; behindMs: number }[] = [];
  let maxBehindMs = 0;
  const noteBehind = (elapsedMs: number, behindMs: number) => {
    maxBehindMs = Math.max(maxBehindMs, behindMs);
    const second = Math.floor(elapsedMs / 1000);
    while (behindSeries.length <= second) behindSeries.push({ tMs: behindSeries.length * 1000, behindMs: 0 });
    behindSeries[second]!.behindMs = Math.max(behindSeries[second]!.behindMs, behindMs);
  };

  log.info(`generating ${scheduled} records into ${topic} (${schedule.profile.kind}, rate now ${schedule.rateAt(0)} rec/s) for ${options.durationMs} ms`);
  const startedAtMs = Date.now();
  const startMono = performance.now();
  options.onStart?.(startedAtMs);
  const lateness = new LatencyRecorder();
  let next = 0;
  try {
    while (next < scheduled) {
      if (options.signal?.aborted) throw new Error('generator aborted');
      const elapsed = performance.now() - startMono;
      const due = Math.min(scheduled, schedule.recordsDueBy(elapsed));
      if (next >= due) {
        // Sleep, never spin, until the next record is due: a setImmediate loop would burn a whole
        // core the engines need (2 cores here) at any rate above ~500 rec/s. A timer wakes ≥ 1 ms
        // later, so a record may be handed over up to ~1 ms past its time: that is in lateness,
        // and in latency, which starts from the intended time.
        const wait = schedule.sendTimeMs(next) - elapsed;
        await sleep(Math.max(1, Math.floor(wait) - 1));
        continue;
      }
      noteBehind(elapsed, Math.max(0, elapsed - schedule.sendTimeMs(next)));
      const end = Math.min(due, next + BURST);
      for (; next < end; next++) {
        const intendedMs = intendedSendMs(startedAtMs, schedule, next);
        const handedMs = Math.floor(startedAtMs + (performance.now() - startMono));
        try {
          producer.produce(topics[events.inputOf(next)]!, null, Buffer.from(events.json(next, intendedMs)), null, intendedMs);
          lateness.record(handedMs, intendedMs);
          options.handOvers?.note(intendedMs, handedMs);
        } catch (error) {
          if (!isQueueFull(error)) throw error;
          break; // the client's queue is full: let it drain; the schedule shows how far behind this puts us
        }
      }
      producer.poll();
      await yieldToEventLoop();
    }
    const lastProducedAtMs = Date.now();
    await new Promise<void>((resolve, reject) => producer.flush(120_000, (error) => (error ? reject(new Error(`generator: flushing to Kafka: ${error.message}`)) : resolve())));
    // Delivery reports of the flushed records arrive on the next polls.
    const reportsDeadline = Date.now() + 120_000;
    while (acknowledged + deliveryErrors < scheduled && Date.now() < reportsDeadline) {
      producer.poll();
      await sleep(5);
    }
    const behindBoundMs = options.behindBoundMs;
    const achievedRate = acknowledged / Math.max(0.001, (lastAcknowledgedAtMs - startedAtMs) / 1000);
    log.info(`generated ${acknowledged}/${scheduled} records, max ${maxBehindMs.toFixed(0)} ms behind schedule, ${achievedRate.toFixed(0)} rec/s achieved`);
    return {
      scheduled,
      acknowledged,
      deliveryErrors,
      firstDeliveryError,
      startedAtMs,
      lastProducedAtMs,
      lastAcknowledgedAtMs,
      maxBehindMs,
      behindSeries,
      behindBoundMs,
      fellBehind: maxBehindMs > behindBoundMs,
      achievedRate,
      lateness: lateness.summary(),
    };
  } finally {
    await new Promise<void>((resolve) => producer.disconnect(() => resolve()));
  }
}
