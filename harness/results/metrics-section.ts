// The `metrics` section of a measurement (results schema: `metrics?`), as the sampler writes
// it. Compact: per scraper one time axis shared by its series (ms since the sampler started)
// and one value array per series (null where that series had no value in a sample). Series
// names carry their unit (`cpu_seconds_total`, `memory_bytes`). A scraper that never answered
// is `missing` with the reason, never a series of zeros (METHOD rule 12).
//
// Version 2 adds what the report needs, computed when the section is written
// (harness/metrics/summaries.ts), so readers read fields instead of rediscovering shapes:
// `figures` (resource totals), `checkpoints` (Flink's history merged with live samples) and
// `timeline` (CPU cores and memory summed over the engine's services). Scraper `details` stay
// as each scraper gathered them, for people; no reader depends on their shape.
import { z } from 'zod';
import { figureSchema, missingSchema } from './missing.ts';

export const METRICS_SECTION_VERSION = 2 as const;

/** What a scraper measures; the summaries are chosen by kind. */
export const SCRAPER_KINDS = ['os', 'file-watch', 'spark-event-log', 'flink-rest', 'prometheus', 'kafka-lag', 'other'] as const;
export type ScraperKind = (typeof SCRAPER_KINDS)[number];

const count = z.int().min(0);
const looseRecord = z.record(z.string(), z.unknown());

const sampleFailure = z.strictObject({
  t: z.number().min(0).describe('ms since the sampler started'),
  reason: z.string().min(1),
});

const scraperCommon = {
  kind: z.enum(SCRAPER_KINDS),
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

export { figureSchema };

/**
 * Resource totals of one measurement. A key is present when a scraper that provides it ran; its
 * value is a number or why it could not be read (the scraper's own reason).
 */
export const figureSetSchema = z
  .strictObject({
    cpuSeconds: figureSchema.optional().describe('CPU time of the engine services (OS: cgroup / procfs), core-seconds'),
    peakMemoryBytes: figureSchema.optional().describe('Peak of the memory summed over the engine services (OS)'),
    diskReadBytes: figureSchema.optional().describe('Bytes the engine services read from the storage layer (OS: procfs read_bytes; docker: blkio); absent in older results'),
    diskWriteBytes: figureSchema.optional().describe("Bytes the engine services sent to the storage layer (OS: procfs write_bytes, buffered writes included; docker on cgroup v1: missing, writeback is not charged to the container); absent in older results"),
    shuffleReadBytes: figureSchema.optional().describe("Shuffle bytes read (Spark's event log)"),
    shuffleWriteBytes: figureSchema.optional().describe("Shuffle bytes written (Spark's event log; Flink's vertex write-bytes)"),
    spilledBytes: figureSchema.optional().describe("Bytes spilled to disk (Spark's event log)"),
    filesCreated: figureSchema.optional().describe('Files created in the engines\' local/tmp dirs (shuffle and spill files; polled, a lower bound)'),
    fileBytesCreated: figureSchema.optional().describe('Bytes in those files (largest size seen at a poll; a lower bound)'),
  })
  .meta({ id: 'FigureSet' });
export type FigureSet = z.infer<typeof figureSetSchema>;
export type FigureKey = keyof FigureSet;

export const checkpointPointSchema = z.strictObject({
  job: z.string().min(1).describe("The job's series prefix (first 8 characters of its id)"),
  checkpointId: z.int().optional().describe("Flink's checkpoint id; absent for a sampled observation"),
  atMs: z.number().describe("Epoch ms: trigger time ('history') or when a live sample saw it ('sampled')"),
  status: z.string().min(1),
  durationMs: z.number().min(0),
  stateSizeBytes: z.number().min(0),
  checkpointedSizeBytes: z.number().min(0).optional(),
  source: z.enum(['history', 'sampled']).describe("'history': Flink's checkpoint history after the job; 'sampled': the latest completed checkpoint seen live, for those older than the history Flink keeps"),
});
export type CheckpointPoint = z.infer<typeof checkpointPointSchema>;

export const checkpointRecordSchema = z
  .strictObject({
    points: z.array(checkpointPointSchema),
    missing: z.array(z.strictObject({ job: z.string().optional(), reason: z.string().min(1) })).describe('Jobs (or the whole scraper) whose checkpoints could not be read, with why'),
  })
  .meta({ id: 'CheckpointRecord' });
export type CheckpointRecord = z.infer<typeof checkpointRecordSchema>;

export const timelineSchema = z
  .strictObject({
    t: z.array(z.number().min(0)).describe('ms since the sampler started'),
    cpuCores: z.array(z.number().nullable()).describe('CPU cores used, summed over the engine services (null where a service had no sample)'),
    memoryBytes: z.array(z.number().nullable()).describe('Memory summed over the engine services'),
  })
  .meta({ id: 'Timeline' });
export type Timeline = z.infer<typeof timelineSchema>;

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
    figures: figureSetSchema,
    checkpoints: checkpointRecordSchema.optional().describe('Present when a flink-rest scraper ran'),
    timeline: timelineSchema.optional().describe('Present when an OS scraper answered'),
  })
  .meta({ id: 'MetricsSection', description: 'Metrics sampled beside one measurement (harness/metrics)' });
export type MetricsSection = z.infer<typeof metricsSectionSchema>;

