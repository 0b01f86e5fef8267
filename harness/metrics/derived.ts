// Figures derived from the OS series of one measurement (pure): CPU-seconds, average and peak
// cores, peak memory, bytes read/written — per service and summed over services — and
// throughput per core. A figure that the series cannot give, or whose series the scraper
// declared unmeasurable (CollectedSeries.missing, e.g. bytes written on cgroup v1), is Missing
// with the reason.
import { missing, type Missing } from '../results/schema.ts';
import type { CollectedSeries } from './sampler.ts';

export type Figure = number | Missing;

export interface ResourceFigures {
  readonly windowMs: Figure;
  readonly cpuSeconds: Figure;
  readonly averageCores: Figure;
  readonly peakCores: Figure;
  readonly peakMemoryBytes: Figure;
  readonly readBytes: Figure;
  readonly writeBytes: Figure;
  /** Network bytes (docker only; a local process shares the host's interfaces). */
  readonly networkReceivedBytes?: Figure;
  readonly networkSentBytes?: Figure;
  /** The cgroup's own high-water mark (docker, cgroup v1 max_usage; includes page cache). */
  readonly cgroupPeakMemoryBytes?: Figure;
}

interface Point {
  readonly t: number;
  readonly v: number;
}

function points(collected: CollectedSeries, key: string): Point[] {
  const values = collected.series[key];
  if (!values) return [];
  const out: Point[] = [];
  values.forEach((v, i) => {
    if (v !== null) out.push({ t: collected.t[i], v });
  });
  return out;
}

function increase(pts: Point[], what: string): Figure {
  if (pts.length < 2) return missing(`${what}: ${pts.length} sample(s), need 2 to measure an increase`);
  const delta = pts[pts.length - 1].v - pts[0].v;
  // A cumulative counter that went down was reset (a process restarted): not a usable figure.
  if (delta < 0) return missing(`${what}: the counter went down (${pts[0].v} → ${pts[pts.length - 1].v}); a process restarted`);
  return delta;
}

/** The increase of a cumulative series, or Missing with the scraper's reason when it cannot measure that series. */
function seriesIncrease(collected: CollectedSeries, key: string, what: string): Figure {
  const unmeasured = collected.missing?.[key];
  if (unmeasured) return missing(`${what}: ${unmeasured}`);
  return increase(points(collected, key), what);
}

function peak(pts: Point[], what: string): Figure {
  return pts.length ? Math.max(...pts.map((p) => p.v)) : missing(`${what}: no sample`);
}

/** Highest CPU rate between two consecutive samples, in cores. */
export function peakRate(pts: readonly Point[]): number | undefined {
  let best: number | undefined;
  for (let i = 1; i < pts.length; i++) {
    const dt = (pts[i].t - pts[i - 1].t) / 1000;
    if (dt <= 0) continue;
    const rate = (pts[i].v - pts[i - 1].v) / dt;
    if (best === undefined || rate > best) best = rate;
  }
  return best;
}

/** Per-service figures from series named `<service>/cpu_seconds_total`, `memory_bytes`, `read_bytes_total`, … */
export function serviceFigures(collected: CollectedSeries, service: string): ResourceFigures {
  const cpu = points(collected, `${service}/cpu_seconds_total`);
  const what = (s: string) => `${service} ${s}`;
  const cpuSeconds = seriesIncrease(collected, `${service}/cpu_seconds_total`, what('cpu_seconds_total'));
  const windowMs: Figure = cpu.length >= 2 ? cpu[cpu.length - 1].t - cpu[0].t : missing(what(`CPU window: ${cpu.length} sample(s)`));
  const averageCores: Figure =
    typeof cpuSeconds === 'number' && typeof windowMs === 'number' && windowMs > 0 ? cpuSeconds / (windowMs / 1000) : missing(what('average cores: no CPU increase over a window'));
  // Docker gives cores over its own read interval (cpu_cores); prefer it to rates from tick times.
  const cores = points(collected, `${service}/cpu_cores`);
  const rate = cores.length ? Math.max(...cores.map((p) => p.v)) : peakRate(cpu);
  const figures: ResourceFigures = {
    windowMs,
    cpuSeconds,
    averageCores,
    peakCores: rate !== undefined ? rate : missing(what('peak cores: fewer than 2 CPU samples')),
    peakMemoryBytes: peak(points(collected, `${service}/memory_bytes`), what('memory_bytes')),
    readBytes: seriesIncrease(collected, `${service}/read_bytes_total`, what('read_bytes_total')),
    writeBytes: seriesIncrease(collected, `${service}/write_bytes_total`, what('write_bytes_total')),
  };
  const optional: Partial<Record<keyof ResourceFigures, Figure>> = {};
  if (collected.series[`${service}/network_received_bytes_total`]) optional.networkReceivedBytes = seriesIncrease(collected, `${service}/network_received_bytes_total`, what('network_received_bytes_total'));
  if (collected.series[`${service}/network_sent_bytes_total`]) optional.networkSentBytes = seriesIncrease(collected, `${service}/network_sent_bytes_total`, what('network_sent_bytes_total'));
  if (collected.series[`${service}/memory_peak_bytes`]) optional.cgroupPeakMemoryBytes = peak(points(collected, `${service}/memory_peak_bytes`), what('memory_peak_bytes'));
  return { ...figures, ...optional };
}

const sumFigures = (figures: Figure[], what: string): Figure => {
  const gone = figures.find((f): f is Missing => typeof f !== 'number');
  return gone ? missing(`${what}: ${gone.reason}`) : figures.reduce<number>((a, b) => a + (b as number), 0);
};

/**
 * Figures per service plus `total` over all of them. Total CPU-seconds and bytes are sums;
 * total average cores = total CPU-seconds / the longest window; total peak cores is the peak of
 * the summed CPU series (services sampled together share the time axis); total peak memory is
 * the peak of the summed memory series. A missing service makes the total missing.
 */
export function deriveResourceFigures(collected: CollectedSeries, services: readonly string[]): Record<string, ResourceFigures> {
  const per: Record<string, ResourceFigures> = Object.fromEntries(services.map((s) => [s, serviceFigures(collected, s)]));
  const summed = (suffix: string): Point[] => {
    const out: Point[] = [];
    collected.t.forEach((t, i) => {
      const values = services.map((s) => collected.series[`${s}/${suffix}`]?.[i] ?? null);
      if (values.every((v): v is number => v !== null)) out.push({ t, v: values.reduce((a, b) => a + b, 0) });
    });
    return out;
  };
  const cpuSeconds = sumFigures(services.map((s) => per[s].cpuSeconds), 'total CPU-seconds');
  const windows = services.map((s) => per[s].windowMs).filter((w): w is number => typeof w === 'number');
  const windowMs: Figure = windows.length ? Math.max(...windows) : missing('no service had 2 CPU samples');
  const summedCores = summed('cpu_cores');
  const totalRate = summedCores.length ? Math.max(...summedCores.map((p) => p.v)) : peakRate(summed('cpu_seconds_total'));
  const summedMemory = summed('memory_bytes');
  per.total = {
    windowMs,
    cpuSeconds,
    averageCores: typeof cpuSeconds === 'number' && typeof windowMs === 'number' && windowMs > 0 ? cpuSeconds / (windowMs / 1000) : missing('total average cores: no total CPU-seconds'),
    peakCores: totalRate !== undefined ? totalRate : missing('total peak cores: fewer than 2 samples where every service answered'),
    peakMemoryBytes: summedMemory.length ? Math.max(...summedMemory.map((p) => p.v)) : missing('total peak memory: no sample where every service answered'),
    readBytes: sumFigures(services.map((s) => per[s].readBytes), 'total bytes read'),
    writeBytes: sumFigures(services.map((s) => per[s].writeBytes), 'total bytes written'),
  };
  return per;
}

/** Records processed per CPU-second (Nexmark's "throughput per core"). */
export function throughputPerCore(records: number, cpuSeconds: Figure): Figure {
  if (typeof cpuSeconds !== 'number') return missing(`throughput per core: ${cpuSeconds.reason}`);
  if (cpuSeconds <= 0) return missing(`throughput per core: CPU-seconds is ${cpuSeconds}`);
  return records / cpuSeconds;
}
