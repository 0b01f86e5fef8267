import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resultsDocumentSchema, resultsJsonSchemaText } from './schema.ts';
import { describeFirstIssue } from './store.ts';
import { exampleDocument } from './test-fixtures.ts';
import { metricsSection, streamingSection } from '../report/test-fixtures.ts';

function firstIssue(document: unknown): string | undefined {
  const result = resultsDocumentSchema.safeParse(document);
  return result.success ? undefined : describeFirstIssue(result.error);
}

// A document is plain JSON; tests edit it like a file would be edited.
function edited(edit: (document: any) => void): unknown {
  const document = structuredClone(exampleDocument());
  edit(document);
  return document;
}

describe('resultsDocumentSchema', () => {
  it('accepts a document with every measurement status', () => {
    expect(firstIssue(exampleDocument())).toBeUndefined();
  });

  it('accepts typed metrics and streaming sections as the writers write them', () => {
    const document = edited((d) => {
      d.measurements[0].metrics = metricsSection({ cpuSeconds: 12.5, peakMemoryBytes: { missing: true, reason: 'cgroup v1 has no peak' } });
      d.measurements[0].streaming = streamingSection(1000, 120);
    });
    expect(firstIssue(document)).toBeUndefined();
  });

  it('rejects sections of any other shape, naming the field (v1 accepted anything there)', () => {
    expect(firstIssue(edited((d) => (d.measurements[0].metrics = { cpuSeconds: 12.5 })))).toBe('measurements[0].metrics.version: Invalid input: expected 2 (and 7 more issues)');
    expect(firstIssue(edited((d) => (d.measurements[0].streaming = { ...streamingSection(1000, 120), latencyMs: { p99: 120 } })))).toMatch(/^measurements\[0\]\.streaming\.latencyMs/);
    expect(firstIssue(edited((d) => (d.measurements[0].streaming = { ...streamingSection(1000, 120), extra: 1 })))).toBe('measurements[0].streaming: Unrecognized key: "extra"');
    expect(firstIssue(edited((d) => (d.measurements[0].metrics = { ...metricsSection({ cpuSeconds: 1, peakMemoryBytes: 1 }), figures: { cpuSeconds: '12' } })))).toMatch(/^measurements\[0\]\.metrics\.figures\.cpuSeconds/);
  });

  it('rejects a missing top-level field', () => {
    expect(firstIssue(edited((d) => delete d.runId))).toBe('runId: Invalid input: expected string, received undefined');
  });

  it('rejects another schema version', () => {
    expect(firstIssue(edited((d) => (d.schemaVersion = 1)))).toBe('schemaVersion: Invalid input: expected 2');
  });

  it('rejects a completed measurement without statistics', () => {
    expect(firstIssue(edited((d) => delete d.measurements[0].statistics))).toBe(
      'measurements[0].statistics: Invalid input: expected object, received undefined',
    );
  });

  it('rejects a completed measurement whose answer is not verified', () => {
    expect(firstIssue(edited((d) => (d.measurements[0].answer.verified = false)))).toBe(
      'measurements[0].answer.verified: Invalid input: expected true',
    );
  });

  it('rejects the payload of another status', () => {
    // A failed measurement carrying a timeout belongs to `timed-out`.
    expect(firstIssue(edited((d) => (d.measurements[4].timeoutMs = 1000)))).toBe(
      'measurements[4]: Unrecognized key: "timeoutMs"',
    );
    expect(firstIssue(edited((d) => delete d.measurements[5].timeoutMs))).toBe(
      'measurements[5].timeoutMs: Invalid input: expected number, received undefined',
    );
  });

  it('rejects an unknown status', () => {
    expect(firstIssue(edited((d) => (d.measurements[6].status = 'skipped')))).toBe(
      "measurements[6].status: Invalid discriminator value. Expected 'completed' | 'invalid' | 'failed' | 'unsupported' | 'timed-out' | 'interrupted'",
    );
  });

  it('rejects a misspelt field instead of dropping it', () => {
    expect(firstIssue(edited((d) => (d.measurements[0].wallms = 3)))).toBe('measurements[0]: Unrecognized key: "wallms"');
  });

  it('requires a reason where an engine timing is missing', () => {
    expect(firstIssue(edited((d) => delete d.measurements[1].repetitions[0].engineMsMissingReason))).toBe(
      'measurements[1].repetitions[0].engineMsMissingReason: engineMs is null: say why in engineMsMissingReason',
    );
    expect(firstIssue(edited((d) => (d.measurements[1].statistics.engineMs = { missing: true, reason: '' })))).toBe(
      'measurements[1].statistics.engineMs.reason: Too small: expected string to have >=1 characters',
    );
  });

  it('requires statistics over exactly the recorded repetitions', () => {
    expect(firstIssue(edited((d) => d.measurements[0].repetitions.pop()))).toBe(
      'measurements[0].statistics.wallMs.samples: is 3 but there are 2 repetitions',
    );
  });

  it('rejects timestamps that are not ISO UTC', () => {
    expect(firstIssue(edited((d) => (d.startedAt = '22/11/2026 03:15')))).toBe('startedAt: Invalid ISO datetime');
  });
});

describe('results.schema.json', () => {
  it('is up to date with the zod schema (regenerate: npx tsx harness/results/write-json-schema.ts)', () => {
    const committed = readFileSync(new URL('./results.schema.json', import.meta.url), 'utf8');
    expect(committed).toBe(resultsJsonSchemaText());
  });

  it('names the shared definitions', () => {
    const schema = JSON.parse(resultsJsonSchemaText());
    expect(Object.keys(schema.$defs)).toEqual(expect.arrayContaining(['Missing', 'Statistics', 'Measurement', 'Provenance']));
    expect(schema.properties.schemaVersion).toEqual({ type: 'number', const: 2 });
    expect(Object.keys(schema.$defs)).toEqual(expect.arrayContaining(['MetricsSection', 'StreamingSection', 'FigureSet', 'Submission']));
  });
});
