// Reading results documents of every schema version this harness ever wrote: the ONE upgrade
// path from older versions to the current one, then validation. Files (ResultsStore.load) and
// published objects (publish/parse-documents.ts) both come through here.
import type { z } from 'zod';
import { summarizeMetrics } from '../metrics/summaries.ts';
import { metricsSectionSchema, type ScraperKind } from './metrics-section.ts';
import { missing } from './missing.ts';
import { OLD_SUBMISSION } from './submission.ts';
import { SCHEMA_VERSION, resultsDocumentSchema, type ResultsDocument } from './schema.ts';

type Loose = Record<string, unknown>;
const isRecord = (value: unknown): value is Loose => typeof value === 'object' && value !== null && !Array.isArray(value);

// v1 had one path per engine and did not record it: the engine's only old path (submission.ts).
const V1_SUBMISSION = OLD_SUBMISSION;

/** v1 scraper records carry no kind; v1 scrapers were named for what they were. */
export function scraperKindOfName(name: string): ScraperKind {
  if (name === 'os' || name.startsWith('os:')) return 'os';
  if (name === 'shuffle-files') return 'file-watch';
  if (name === 'spark-event-log') return 'spark-event-log';
  if (name === 'flink-rest') return 'flink-rest';
  if (name === 'spark-prometheus' || name.startsWith('flink-prometheus')) return 'prometheus';
  if (name.startsWith('kafka-lag')) return 'kafka-lag';
  return 'other';
}

/** The v2 section without what v2 computes at write time: a v1 section with kinds must parse as this. */
const rawMetricsSchema = metricsSectionSchema.omit({ figures: true, checkpoints: true, timeline: true });

function upgradeMetricsV1(metrics: Loose): unknown {
  const scrapers = isRecord(metrics.scrapers) ? metrics.scrapers : {};
  const withKinds = Object.fromEntries(Object.entries(scrapers).map(([name, record]) => [name, isRecord(record) ? { kind: scraperKindOfName(name), ...record } : record]));
  const raw = rawMetricsSchema.safeParse({ ...metrics, version: 2, scrapers: withKinds });
  // A malformed v1 section is left as it is: the validation that follows names its first bad field.
  return raw.success ? summarizeMetrics(raw.data) : metrics;
}

function upgradeStreamingV1(streaming: Loose): Loose {
  const search = streaming.rateSearch;
  if (!isRecord(search) || !Array.isArray(search.steps)) return streaming;
  const steps = search.steps.map((step) => (isRecord(step) && step.achievedRate === undefined ? { ...step, achievedRate: missing('not recorded: schema v1 did not keep the achieved rate of a step') } : step));
  return { ...streaming, rateSearch: { ...search, steps } };
}

function upgradeMeasurementV1(measurement: unknown): unknown {
  if (!isRecord(measurement)) return measurement;
  const out: Loose = { ...measurement };
  const submission = measurement.mode === 'batch' && typeof measurement.engine === 'string' ? V1_SUBMISSION[measurement.engine] : undefined;
  if (submission && out.submission === undefined) out.submission = submission;
  if (isRecord(measurement.metrics)) out.metrics = upgradeMetricsV1(measurement.metrics);
  if (isRecord(measurement.streaming)) out.streaming = upgradeStreamingV1(measurement.streaming);
  return out;
}

/** A parsed JSON document of any known version, brought to the current version (not yet validated). */
export function upgradeDocument(document: unknown): unknown {
  if (!isRecord(document)) return document;
  if (document.schemaVersion === 1) {
    const measurements = Array.isArray(document.measurements) ? document.measurements.map(upgradeMeasurementV1) : document.measurements;
    return { ...document, schemaVersion: 2, measurements, notes: [...(Array.isArray(document.notes) ? document.notes : []), 'upgraded from results schema v1 when read'] };
  }
  return document;
}

export type ParseOutcome = { ok: true; document: ResultsDocument } | { ok: false; problem: string };

/** Upgrade, then validate; the problem names the first bad field. */
export function parseAnyVersion(parsed: unknown, describeIssue: (error: z.ZodError) => string): ParseOutcome {
  const version = isRecord(parsed) ? parsed.schemaVersion : undefined;
  if (version !== 1 && version !== SCHEMA_VERSION) {
    return { ok: false, problem: `has schemaVersion ${JSON.stringify(version)}; this harness reads schemaVersion 1 and ${SCHEMA_VERSION}` };
  }
  const result = resultsDocumentSchema.safeParse(upgradeDocument(parsed));
  return result.success ? { ok: true, document: result.data } : { ok: false, problem: `is not a valid results document: ${describeIssue(result.error)}` };
}
