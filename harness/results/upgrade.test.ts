// Reading schema v1 documents: the committed real v1 run and v1 sections as the v1 writers
// wrote them (scraper records without a kind, no figures; rate steps without the achieved rate).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../paths.ts';
import { flinkRestRecord, metricsSection, streamingSection } from '../report/test-fixtures.ts';
import { resultsDocumentSchema } from './schema.ts';
import { describeFirstIssue } from './store.ts';
import { exampleDocument } from './test-fixtures.ts';
import { parseAnyVersion, scraperKindOfName, upgradeDocument } from './upgrade.ts';

const REAL_V1 = path.join(REPO_ROOT, 'harness/report/testdata/real-batch-20261122-034422-57ab.json');

/** A v2 metrics section written back as v1 wrote it: no kinds, no computed fields. */
function asV1Metrics(section: ReturnType<typeof metricsSection>): unknown {
  const { figures: _f, checkpoints: _c, timeline: _t, ...raw } = section;
  return { ...raw, version: 1, scrapers: Object.fromEntries(Object.entries(raw.scrapers).map(([name, { kind: _kind, ...record }]) => [name, record])) };
}

describe('upgrading schema v1 documents', () => {
  it('reads the committed real v1 run: version 2, the submission path each engine had in v1, a note', () => {
    const outcome = parseAnyVersion(JSON.parse(fs.readFileSync(REAL_V1, 'utf8')), describeFirstIssue);
    expect(outcome.ok ? 'ok' : outcome.problem).toBe('ok');
    if (!outcome.ok) return;
    expect(outcome.document.schemaVersion).toBe(2);
    expect(outcome.document.measurements.map((m) => [m.engine, m.submission])).toEqual([
      ...['multijoin', 'topn', 'wordcount'].map(() => ['spark', { path: 'spark-submit', family: 'job' }]),
      ...['multijoin', 'topn', 'wordcount'].map(() => ['flink', { path: 'flink-gateway', family: 'session' }]),
      ...['multijoin', 'topn', 'wordcount'].map(() => ['duckdb', { path: 'duckdb-in-process', family: 'in-process' }]),
    ]);
    expect(outcome.document.notes).toContain('upgraded from results schema v1 when read');
  });

  it('computes the v2 figures, checkpoints and timeline from v1 scraper records', () => {
    const v2 = metricsSection({ cpuSeconds: 7.5, peakMemoryBytes: 2 ** 30, shuffleWriteBytes: 4096, filesCreated: 3, flinkRest: flinkRestRecord(), osSeries: { t: [0, 1000], series: { 'tm/cpu_seconds_total': [1, 2], 'tm/memory_bytes': [5, 6] } } });
    const v1 = structuredClone(exampleDocument()) as unknown as { schemaVersion: number; measurements: Record<string, unknown>[] };
    v1.schemaVersion = 1;
    v1.measurements[0]!.metrics = asV1Metrics(v2);
    const upgraded = resultsDocumentSchema.parse(upgradeDocument(v1));
    const metrics = upgraded.measurements[0]!.metrics!;
    expect(metrics.version).toBe(2);
    expect(Object.fromEntries(Object.entries(metrics.scrapers).map(([n, r]) => [n, r.kind]))).toEqual({ os: 'os', 'spark-event-log': 'spark-event-log', 'shuffle-files': 'file-watch', 'flink-rest': 'flink-rest' });
    // The same summaries as at write time.
    expect(metrics.figures).toEqual(v2.figures);
    expect(metrics.checkpoints).toEqual(v2.checkpoints);
    expect(metrics.timeline).toEqual({ t: [0, 1000], cpuCores: [null, 1], memoryBytes: [5, 6] });
  });

  it('marks the achieved rate of v1 rate-search steps as not recorded, never invents it', () => {
    const section = streamingSection(1000, 80);
    const v1Streaming = { ...section, rateSearch: { ...section.rateSearch!, steps: section.rateSearch!.steps.map(({ achievedRate: _a, ...step }) => step) } };
    const v1 = structuredClone(exampleDocument()) as unknown as { schemaVersion: number; measurements: Record<string, unknown>[] };
    v1.schemaVersion = 1;
    v1.measurements[0] = { ...v1.measurements[0], mode: 'streaming', streaming: v1Streaming };
    const upgraded = resultsDocumentSchema.parse(upgradeDocument(v1));
    expect(upgraded.measurements[0]!.streaming!.rateSearch!.steps.map((s) => s.achievedRate)).toEqual([0, 1, 2].map(() => ({ missing: true, reason: 'not recorded: schema v1 did not keep the achieved rate of a step' })));
  });

  it('names the scraper kinds of v1 names', () => {
    expect(['os', 'shuffle-files', 'spark-event-log', 'flink-rest', 'spark-prometheus', 'flink-prometheus:flink-taskmanager-1', 'kafka-lag', 'custom'].map(scraperKindOfName)).toEqual([
      'os', 'file-watch', 'spark-event-log', 'flink-rest', 'prometheus', 'prometheus', 'kafka-lag', 'other',
    ]);
  });

  it('refuses versions it does not know', () => {
    expect(parseAnyVersion({ schemaVersion: 7 }, describeFirstIssue)).toEqual({ ok: false, problem: 'has schemaVersion 7; this harness reads schemaVersion 1 and 2' });
  });
});
