// The sampler: runs beside one measurement, asks every scraper for a reading on a fixed
// schedule (tick k at start + k × interval, never drifting with slow scrapers), keeps the
// readings as compact time series and, on stop(), takes one last reading, lets each scraper
// add its after-the-fact details (event logs, job totals, derived figures) and returns the
// `metrics` section of the measurement.
//
// Scrapers are independent: one that throws or hangs is recorded with the reason and does not
// delay or stop the others; one that never answered is `missing`, never zeros.
import { createLogger } from '../log.ts';
import type { MetricsSection, ScraperKind, ScraperRecord } from '../results/metrics-section.ts';
import { summarizeMetrics } from './summaries.ts';
import { METRICS_SECTION_VERSION } from '../results/metrics-section.ts';
import { InFlightCpuMeter, OwnCpuMeter } from './sampler-overhead.ts';

const log = createLogger('bench:metrics');

export const DEFAULT_METRICS_INTERVAL_MS = 1000;
const MAX_RECORDED_FAILURES = 10;

/** One reading: series name (with its unit, e.g. `cpu_seconds_total`) → value. */
export type Reading = Readonly<Record<string, number>>;

/** The series one scraper collected: a shared time axis (ms since start) and values per series. */
export interface CollectedSeries {
  readonly t: readonly number[];
  readonly series: Readonly<Record<string, readonly (number | null)[]>>;
  /** Series the scraper knows it cannot measure (name → reason), e.g. write bytes on cgroup v1. */
  readonly missing?: Readonly<Record<string, string>>;
}

export interface Scraper {
  /** Unique within a sampler, e.g. `os:spark-worker-1`, `flink-rest`. */
  readonly name: string;
  /** What it measures: the summaries of the section (figures, checkpoints, timeline) are chosen by kind. */
  readonly kind: ScraperKind;
  /**
   * Take one reading. Throw (with a message saying what and where) when it cannot be read.
   * Omitted by details-only scrapers (e.g. an event log read after the job).
   */
  sample?(signal: AbortSignal): Promise<Reading>;
  /** After the last sample: figures only available afterwards, or derived from the series. */
  finish?(collected: CollectedSeries, signal: AbortSignal): Promise<Record<string, unknown>>;
  /**
   * Series this scraper cannot measure here, name → reason (e.g. a counter the kernel does not
   * keep). Asked once, after the last sample; recorded as `missingSeries` and given to finish().
   */
  unmeasured?(): Readonly<Record<string, string>>;
  /** Release connections/clients; called once, last. */
  close?(): Promise<void> | void;
}

export interface SamplerOptions {
  readonly intervalMs?: number;
  readonly scrapers: readonly Scraper[];
  /** A sample slower than this counts as failed (default max(5000, 2 × interval) ms). */
  readonly sampleTimeoutMs?: number;
  /** Time allowed to each scraper's finish() (default 60000 ms). */
  readonly finishTimeoutMs?: number;
}

export interface RunningSampler {
  /** Stop sampling, take a final reading, gather details; resolves with the metrics section. */
  stop(): Promise<MetricsSection>;
}

class ScraperState {
  readonly t: number[] = [];
  readonly series = new Map<string, (number | null)[]>();
  failedSamples = 0;
  skippedTicks = 0;
  readonly failures: { t: number; reason: string }[] = [];
  lastFailure: string | undefined;
  inFlight: Promise<void> | undefined;

  constructor(readonly scraper: Scraper) {}

  emptyReadings = 0;

  record(t: number, reading: Reading): void {
    // Nothing new (e.g. docker publishes once a second): a gap, not a row of nulls.
    if (Object.keys(reading).length === 0) {
      this.emptyReadings += 1;
      return;
    }
    const index = this.t.length;
    this.t.push(t);
    for (const [name, value] of Object.entries(reading)) {
      // A non-finite value is not a reading; keep the gap rather than invent a number.
      if (!Number.isFinite(value)) continue;
      let values = this.series.get(name);
      if (!values) {
        values = new Array<number | null>(index).fill(null);
        this.series.set(name, values);
      }
      values.push(value);
    }
    for (const values of this.series.values()) if (values.length === index) values.push(null);
  }

  fail(t: number, reason: string): void {
    this.failedSamples += 1;
    this.lastFailure = reason;
    if (this.failures.length < MAX_RECORDED_FAILURES) this.failures.push({ t, reason });
  }

  missing: Readonly<Record<string, string>> = {};

  collected(): CollectedSeries {
    return { t: this.t, series: Object.fromEntries(this.series), ...(Object.keys(this.missing).length ? { missing: this.missing } : {}) };
  }
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error)) || 'unknown error';

async function withTimeout<T>(what: string, timeoutMs: number, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new Error(`${what} took longer than ${timeoutMs} ms`);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  try {
    return await Promise.race([run(controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function startSampler(options: SamplerOptions): RunningSampler {
  const intervalMs = options.intervalMs ?? DEFAULT_METRICS_INTERVAL_MS;
  if (!(intervalMs > 0)) throw new Error(`metrics interval must be > 0 ms, got ${intervalMs}`);
  const names = options.scrapers.map((s) => s.name);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate) throw new Error(`two metrics scrapers are named '${duplicate}'; scraper names must be unique`);
  const sampleTimeoutMs = options.sampleTimeoutMs ?? Math.max(5000, 2 * intervalMs);
  const finishTimeoutMs = options.finishTimeoutMs ?? 60_000;

  const states = options.scrapers.map((s) => new ScraperState(s));
  const sampled = states.filter((s) => s.scraper.sample !== undefined);
  const startedAt = new Date();
  const t0 = performance.now();
  const processCpuAtStart = process.cpuUsage();
  // Own CPU: callbacks descending from the sampler's scope. In-flight CPU (the former figure) is
  // kept for comparison: it includes whatever else the harness did while a scrape waited.
  const own = new OwnCpuMeter().start();
  const meter = new InFlightCpuMeter();
  let stopped = false;
  let tick = 0;
  let timer: NodeJS.Timeout | undefined;

  const sampleOnce = (state: ScraperState): Promise<void> =>
    own.run(() => {
      const t = Math.round(performance.now() - t0);
      meter.enter();
      const run = withTimeout(`sample of ${state.scraper.name}`, sampleTimeoutMs, (signal) => state.scraper.sample!(signal))
        .then(
          (reading) => state.record(t, reading),
          (error) => state.fail(t, errorText(error)),
        )
        .finally(() => {
          meter.leave();
          state.inFlight = undefined;
        });
      state.inFlight = run;
      return run;
    }, state.scraper.name);

  const onTick = () => {
    if (stopped) return;
    for (const state of sampled) {
      if (state.inFlight) state.skippedTicks += 1;
      else void sampleOnce(state);
    }
    tick += 1;
    // Fixed schedule: the next tick is due at t0 + tick × interval, however long this one took.
    const due = t0 + tick * intervalMs;
    timer = setTimeout(onTick, Math.max(0, due - performance.now()));
  };
  own.run(onTick);
  log.debug(`sampler started: ${states.length} scraper(s) every ${intervalMs} ms`);

  return {
    async stop(): Promise<MetricsSection> {
      if (stopped) throw new Error('sampler already stopped');
      stopped = true;
      clearTimeout(timer);
      // The closing reading marks the end of the window (a short job may fit in one interval).
      await Promise.all(sampled.map(async (state) => {
        await state.inFlight;
        await sampleOnce(state);
      }));
      const durationMs = Math.round(performance.now() - t0);
      const scrapers: Record<string, ScraperRecord> = {};
      await Promise.all(
        states.map(async (state) => {
          const common = {
            kind: state.scraper.kind,
            failedSamples: state.failedSamples,
            skippedTicks: state.skippedTicks,
            failures: state.failures,
          };
          try {
            state.missing = state.scraper.unmeasured?.() ?? {};
          } catch (error) {
            log.warn(`metrics scraper ${state.scraper.name}: listing unmeasured series: ${errorText(error)}`);
          }
          let details: Record<string, unknown> | undefined;
          let detailsMissingReason: string | undefined;
          if (state.scraper.finish) {
            meter.enter();
            try {
              details = await own.run(() => withTimeout(`finish of ${state.scraper.name}`, finishTimeoutMs, (signal) => state.scraper.finish!(state.collected(), signal)), state.scraper.name);
            } catch (error) {
              detailsMissingReason = errorText(error);
            } finally {
              meter.leave();
            }
          }
          try {
            await state.scraper.close?.();
          } catch (error) {
            log.warn(`closing metrics scraper ${state.scraper.name}: ${errorText(error)}`);
          }
          const extra = {
            cpuMs: own.cpuMsOf(state.scraper.name),
            ...(details ? { details } : {}),
            ...(detailsMissingReason ? { detailsMissingReason } : {}),
            ...(Object.keys(state.missing).length ? { missingSeries: state.missing } : {}),
          };
          const ok = state.scraper.sample ? state.t.length > 0 : details !== undefined;
          scrapers[state.scraper.name] =
            ok
              ? { status: 'ok', t: state.t, series: Object.fromEntries(state.series), ...common, ...extra }
              : { status: 'missing', reason: state.lastFailure ?? detailsMissingReason ?? (state.emptyReadings > 0 ? `the scraper answered ${state.emptyReadings} time(s) but gave no values` : 'no sample was taken'), ...common, ...extra };
          if (!ok) log.warn(`metrics scraper ${state.scraper.name} gave nothing: ${state.lastFailure ?? detailsMissingReason ?? 'no values'}`);
        }),
      );
      const processCpu = process.cpuUsage(processCpuAtStart);
      const ownCpuMs = own.stop();
      const windowMs = Math.round(performance.now() - t0);
      return summarizeMetrics({
        version: METRICS_SECTION_VERSION,
        intervalMs,
        startedAt: startedAt.toISOString(),
        durationMs,
        scrapers: Object.fromEntries(names.map((n) => [n, scrapers[n]])),
        overhead: {
          processCpuMs: (processCpu.user + processCpu.system) / 1000,
          scrapeCpuMs: ownCpuMs,
          windowMs,
          fractionOfOneCore: windowMs > 0 ? ownCpuMs / windowMs : 0,
          callbacksCounted: own.callbacks,
          inFlightCpuMs: meter.cpuMs,
          inFlightFractionOfOneCore: windowMs > 0 ? meter.cpuMs / windowMs : 0,
          inFlightMs: Math.round(meter.wallMs),
          note: "scrapeCpuMs: CPU (process.cpuUsage) of the callbacks that descend from the sampler (async_hooks: scrapers' JS, JSON parsing, HTTP socket handling, Docker stats stream), from start to the end of finish(); not counted: native threads working for a scraper outside its callbacks (librdkafka's broker threads of the Kafka lag consumer), the Docker daemon, the engines. inFlightCpuMs: all harness CPU while a scrape was in flight, which includes other harness work meanwhile (a streaming generator, the output consumer) and misses the sampler's callbacks between scrapes; kept for comparison.",
        },
      });
    },
  };
}
