// Resources of the engine's services over a streaming measurement window, and throughput per
// core (Nexmark's figure). The sampler runs from job start to job stop; the figures here use
// only its OS samples that fall inside the window (warm-up and drain excluded).
import { deriveResourceFigures, throughputPerCore, type Figure, type ResourceFigures } from '../metrics/derived.ts';
import type { MetricsSection } from '../results/metrics-section.ts';
import { missing, type Missing } from '../results/schema.ts';

export interface WindowResources {
  readonly source: string;
  /** Engine services summed (CPU-seconds, average/peak cores, peak memory, bytes) over the samples inside the window. */
  readonly total: ResourceFigures | Missing;
  /** Input records per CPU-second of the engine's services: input rate × sampled span ÷ CPU-seconds over that span. */
  readonly inputRecordsPerCpuSecond: Figure;
}

/** `fromMs`/`toMs`: the measurement window (epoch ms); `inputRecordsPerSecond`: the input rate over it. */
export function windowResources(section: Pick<MetricsSection, 'startedAt' | 'scrapers'>, fromMs: number, toMs: number, inputRecordsPerSecond: number, osScraperName = 'os'): WindowResources {
  const source = `OS samples of scraper '${osScraperName}' between ${new Date(fromMs).toISOString()} and ${new Date(toMs).toISOString()}`;
  const gone = (reason: string): WindowResources => ({ source, total: missing(reason), inputRecordsPerCpuSecond: missing(`throughput per core: ${reason}`) });
  const record = section.scrapers[osScraperName];
  if (!record) return gone(`no '${osScraperName}' scraper in the metrics section`);
  if (record.status !== 'ok') return gone(`the '${osScraperName}' scraper gave nothing: ${record.reason}`);
  const perService = (record.details as { perService?: Record<string, unknown> } | undefined)?.perService;
  if (!perService) return gone(`the '${osScraperName}' scraper recorded no services${record.detailsMissingReason ? ` (${record.detailsMissingReason})` : ''}`);
  const services = Object.keys(perService).filter((s) => s !== 'total');
  const startedAtMs = Date.parse(section.startedAt);
  const inside = record.t.map((t, i) => ({ t, i })).filter(({ t }) => startedAtMs + t >= fromMs && startedAtMs + t <= toMs);
  const sliced = {
    t: inside.map(({ t }) => t),
    series: Object.fromEntries(Object.entries(record.series).map(([name, values]) => [name, inside.map(({ i }) => values[i] ?? null)])),
    // Series the scraper could not measure keep their reason (e.g. bytes written on cgroup v1).
    ...(record.missingSeries ? { missing: record.missingSeries } : {}),
  };
  const total = deriveResourceFigures(sliced, services).total!;
  const spanMs = total.windowMs;
  const inputRecordsPerCpuSecond =
    typeof spanMs === 'number' ? throughputPerCore((inputRecordsPerSecond * spanMs) / 1000, total.cpuSeconds) : missing(`throughput per core: ${spanMs.reason}`);
  return { source, total, inputRecordsPerCpuSecond };
}
