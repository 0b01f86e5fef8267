// The `metrics` section of a measurement (results schema: `metrics?`), as the sampler writes
// it. Compact: per scraper one time axis shared by its series (ms since the sampler started)
// and one value array per series (null where that series had no value in a sample). Series
// names carry their unit (`cpu_seconds_total`, `memory_bytes`). A scraper that never answered
// is `missing` with the reason, never a series of zeros (METHOD rule 12).
import { z } from 'zod';
import { missingSchema } from '../results/schema.ts';

export const METRICS_SECTION_VERSION = 1 as const;

const count = z.int().min(0);
const looseRecord = z.record(z.string(), z.unknown());

const sampleFailure = z.strictObject({
  t: z.number().min(0).describe('ms since the sampler started'),
  reason: z.string().min(1),
});

const scraperCommon = {
  failedSamples: count.describe('Samples that threw or timed out (not in the series)'),
  skippedTicks: count.describe('Ticks skipped because the previous sample was still running'),
  /** The first few failures, so a flaky endpoint is visible without bloating the file. */
  failures: z.array(sampleFailure).max(10),
  details: looseRecord.optional().describe('What the scraper gathered after the measurement (derived figures, engine totals)'),
  detailsMissingReason: z.string().min(1).optional().describe('Set when gathering the details failed'),
  cpuMs: z.number().min(0).optional().describe("CPU ms of this scraper's own callbacks (samples and finish), as counted for the overhead"),
  missingSeries: z.record(z.string(), z.string().min(1)).optional().describe('Series this scraper cannot measure here, name → reason (e.g. bytes written on cgroup v1)'),
};

export const scraperRecordSchema = z.discriminatedUnion('status', [
  z.strictObject({
    status: z.literal('ok'),
    t: z.array(z.number().min(0)),
    series: z.record(z.string(), z.array(z.number().nullable())),
    ...scraperCommon,
  }),
  z.strictObject({
    status: z.literal('missing'),
    reason: z.string().min(1).describe('Why no sample could be taken (the last error)'),
    ...scraperCommon,
  }),
]);
export type ScraperRecord = z.infer<typeof scraperRecordSchema>;

/** A number, or why it could not be obtained. */
export const figureSchema = z.union([z.number(), missingSchema]);

export const samplerOverheadSchema = z.strictObject({
  processCpuMs: z.number().min(0).describe('CPU time of the whole harness process during the window (user + system)'),
  scrapeCpuMs: z.number().min(0).describe("CPU time of the callbacks that descend from the sampler's scope (async_hooks): the sampler's own cost"),
  windowMs: z.number().min(0),
  fractionOfOneCore: z.number().min(0).describe('scrapeCpuMs / windowMs'),
  callbacksCounted: count.optional().describe('Callbacks counted in scrapeCpuMs'),
  inFlightCpuMs: z.number().min(0).optional().describe('All harness CPU while at least one scrape was in flight: includes other harness work meanwhile, misses sampler callbacks between scrapes (for comparison)'),
  inFlightFractionOfOneCore: z.number().min(0).optional().describe('inFlightCpuMs / windowMs'),
  inFlightMs: z.number().min(0).optional().describe('Wall time with at least one scrape in flight'),
  note: z.string(),
});

export const metricsSectionSchema = z
  .strictObject({
    version: z.literal(METRICS_SECTION_VERSION),
    intervalMs: z.number().positive(),
    startedAt: z.iso.datetime(),
    durationMs: z.number().min(0),
    scrapers: z.record(z.string(), scraperRecordSchema),
    overhead: samplerOverheadSchema,
  })
  .meta({ id: 'MetricsSection', description: 'Metrics sampled beside one measurement (harness/metrics)' });
export type MetricsSection = z.infer<typeof metricsSectionSchema>;

