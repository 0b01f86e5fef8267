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

export const samplerOverheadSchema = z.strictObject({
  processCpuMs: z.number().min(0).describe('CPU time of the whole harness process during the window (user + system)'),
  scrapeCpuMs: z.number().min(0).describe('CPU time spent inside scrapers (sum of per-sample deltas; concurrent work may be included)'),
  windowMs: z.number().min(0),
  fractionOfOneCore: z.number().min(0).describe('scrapeCpuMs / windowMs'),
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

/** A number, or why it could not be obtained. */
export const figureSchema = z.union([z.number(), missingSchema]);
