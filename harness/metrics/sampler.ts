// The sampler: runs beside one measurement, asks every scraper for a reading on a fixed
// schedule (tick k at start + k × interval, never drifting with slow scrapers), keeps the
// readings as compact time series and, on stop(), takes one last reading, lets each scraper
// add its after-the-fact details (event logs, job totals, derived figures) and returns the
// `metrics` section of the measurement.
//
// Scrapers are independent: one that throws or hangs is recorded with the reason and does not
// delay or stop the others; one that never answered is `missing`, never zeros.
import { createLogger } from '../log.ts';
import type { MetricsSection, ScraperRecord } from './metrics-section.ts';
import { METRICS_SECTION_VERSION } from './metrics-section.ts';

const log = createLogger('bench:metrics');

export const DEFAULT_METRICS_INTERVAL_MS = 1000;
const MAX_RECORDED_FAILURES = 10;

/** One reading: series name (with its unit, e.g. `cpu_seconds_total`) → value. */
export type Reading = Readonly<Record<string, number>>;

/** The series one scraper collected: a shared time axis (ms since start) and values per series. */
export interface CollectedSeries {
  readonly t: readonly number[];
  readonly series: Readonly<Record<string, readonly (number | null)[]>>;
}

export interface Scraper {
  /** Unique within a sampler, e.g. `os:spark-worker-1`, `flink-rest`. */
  readonly name: string;
  /**
   * Take one reading. Throw (with a message saying what and where) when it cannot be read.
   * Omitted by details-only scrapers (e.g. an event log read after the job).
   */
  sample?(signal: AbortSignal): Promise<Reading>;
  /** After the last sample: figures only available afterwards, or derived from the series. */
  finish?(collected: CollectedSeries, signal: AbortSignal): Promise<Record<string, unknown>>;
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

  collected(): CollectedSeries {
    return { t: this.t, series: Object.fromEntries(this.series) };
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

/**
 * CPU the harness spends while at least one scrape is in flight: the union of busy periods,
 * so overlapping scrapes are not counted twice. Other harness work in those periods is
 * included, so this is an upper bound of the sampler's own cost.
 */
class BusyCpuMeter {
  private active = 0;
  private startedAt: NodeJS.CpuUsage | undefined;
  totalMicros = 0;

  enter(): void {
    if (this.active++ === 0) this.startedAt = process.cpuUsage();
  }

  leave(): void {
    if (--this.active === 0 && this.startedAt) {
      const delta = process.cpuUsage(this.startedAt);
      this.totalMicros += delta.user + delta.system;
      this.startedAt = undefined;
    }
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
  const meter = new BusyCpuMeter();
  let stopped = false;
  let tick = 0;
  let timer: NodeJS.Timeout | undefined;

  const sampleOnce = (state: ScraperState): Promise<void> => {
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
  };

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
  onTick();
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
            failedSamples: state.failedSamples,
            skippedTicks: state.skippedTicks,
            failures: state.failures,
          };
          let details: Record<string, unknown> | undefined;
          let detailsMissingReason: string | undefined;
          if (state.scraper.finish) {
            meter.enter();
            try {
              details = await withTimeout(`finish of ${state.scraper.name}`, finishTimeoutMs, (signal) => state.scraper.finish!(state.collected(), signal));
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
          const extra = { ...(details ? { details } : {}), ...(detailsMissingReason ? { detailsMissingReason } : {}) };
          const ok = state.scraper.sample ? state.t.length > 0 : details !== undefined;
          scrapers[state.scraper.name] =
            ok
              ? { status: 'ok', t: state.t, series: Object.fromEntries(state.series), ...common, ...extra }
              : { status: 'missing', reason: state.lastFailure ?? detailsMissingReason ?? (state.emptyReadings > 0 ? `the scraper answered ${state.emptyReadings} time(s) but gave no values` : 'no sample was taken'), ...common, ...extra };
          if (!ok) log.warn(`metrics scraper ${state.scraper.name} gave nothing: ${state.lastFailure ?? detailsMissingReason ?? 'no values'}`);
        }),
      );
      const processCpu = process.cpuUsage(processCpuAtStart);
      const scrapeCpuMs = meter.totalMicros / 1000;
      return {
        version: METRICS_SECTION_VERSION,
        intervalMs,
        startedAt: startedAt.toISOString(),
        durationMs,
        scrapers: Object.fromEntries(names.map((n) => [n, scrapers[n]])),
        overhead: {
          processCpuMs: (processCpu.user + processCpu.system) / 1000,
          scrapeCpuMs,
          windowMs: durationMs,
          fractionOfOneCore: durationMs > 0 ? scrapeCpuMs / durationMs : 0,
          note: 'harness CPU (process.cpuUsage) while a scrape was in flight, incl. finish(); other harness work in those periods is included, so an upper bound; work done for us by the Docker daemon or the engines is not',
        },
      };
    },
  };
}
