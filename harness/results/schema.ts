// The results document: one JSON file per run (results/<run-id>/results.json). The report
// reads nothing else, so everything needed to judge and reproduce a run is in here.
// Objects are strict: a misspelt field from a harness bug is rejected, not silently dropped.
// Schema version 2: the `metrics` and `streaming` sections are typed (their schemas beside this
// file), every measurement says which submission path it went through, and a measurement cut
// by Ctrl-C is `interrupted`. Version 1 documents are read through upgrade.ts.
import { z } from 'zod';
import type { Statistics } from '../stats/summary.ts';
import { figureSetSchema, metricsSectionSchema } from './metrics-section.ts';
import { missingSchema } from './missing.ts';
import { batchFaultSchema, streamingSectionSchema } from './streaming-section.ts';

export { missing, isMissing, missingSchema, type Missing, type Figure } from './missing.ts';

export const SCHEMA_VERSION = 2 as const;

const isoDateTime = z.iso.datetime().describe('UTC timestamp, ISO 8601 (e.g. 2026-11-22T03:15:00.000Z)');
const milliseconds = z.number().min(0);
const count = z.int().min(0);
const mode = z.enum(['batch', 'streaming']);
/** A run's mode: `all` = a batch part and a streaming part in one document (each measurement says which). */
const runMode = z.enum(['batch', 'streaming', 'all']);
const scale = z.union([z.number().positive(), z.string().min(1)]).describe('Data scale factor as given to the generator');
const settingValue = z.union([z.string(), z.number(), z.boolean()]);
const jsonValue = z.json().meta({ id: 'JsonValue' });

export const statisticsSchema = z
  .strictObject({
    samples: z.int().min(1).describe('Number of measured repetitions (warm-ups excluded)'),
    min: z.number(),
    max: z.number(),
    mean: z.number(),
    median: z.number().describe('Linear interpolation between closest ranks (numpy default, R type 7)'),
    sd: z.number().min(0).nullable().describe('Sample standard deviation (n - 1); null for one sample'),
    ci95: z
      .strictObject({ low: z.number(), high: z.number() })
      .nullable()
      .describe("95 % CI of the mean, Student's t (df 1..30 tabled, normal above); null for one sample"),
    relativeSpread: z.number().positive().nullable().describe('max / min; null when min ≤ 0'),
  })
  .meta({ id: 'Statistics', description: 'Summary of one timed metric over the measured repetitions (ms).' });

const timedStatisticsSchema = z.strictObject({
  wallMs: statisticsSchema.describe('Harness-side time from submission to completion'),
  engineMs: z.union([statisticsSchema, missingSchema]).describe("The engine's own reported run time"),
});

export const repetitionSchema = z
  .strictObject({
    index: count.describe('0-based index among the measured repetitions'),
    startedAt: isoDateTime,
    wallMs: milliseconds,
    engineMs: milliseconds.nullable(),
    engineMsMissingReason: z.string().min(1).optional().describe('Required when engineMs is null'),
    outputDir: z.string().min(1).optional(),
    engineId: z.string().min(1).optional().describe("The engine's id of this execution (Spark application id, Flink job id)"),
    clientStartMs: milliseconds.optional().describe("The submission client's own start-up before its first statement (a JDBC client's JVM, driver and connection), kept out of wallMs; absent when the path's client has none"),
    figures: figureSetSchema.optional().describe("This repetition's resource figures (the measurement's metrics section keeps only the last repetition's series); absent with --no-metrics"),
  })
  .superRefine((repetition, ctx) => {
    if (repetition.engineMs === null && repetition.engineMsMissingReason === undefined) {
      ctx.addIssue({ code: 'custom', path: ['engineMsMissingReason'], message: 'engineMs is null: say why in engineMsMissingReason' });
    }
    if (repetition.engineMs !== null && repetition.engineMsMissingReason !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['engineMsMissingReason'], message: 'engineMs has a value: drop engineMsMissingReason' });
    }
  });
export type Repetition = z.infer<typeof repetitionSchema>;

export const SUBMISSION_FAMILIES = ['session', 'job', 'client', 'in-process'] as const;

export const submissionSchema = z
  .strictObject({
    path: z.string().min(1).describe('How the query reached the engine, e.g. spark-submit, spark-connect, flink-gateway, flink-application'),
    family: z.enum(SUBMISSION_FAMILIES).describe('session: warm, one long-lived application/session serves warm-ups and repetitions; job: cold, a fresh application (its workers included) per execution; client: a cold client per execution on a warm cluster whose workers stay up; in-process: the DuckDB baseline'),
  })
  .meta({ id: 'Submission' });

const identity = {
  workload: z.string().min(1),
  engine: z.string().min(1).describe('Engine or variant id, e.g. spark, flink, duckdb, spark-microbatch'),
  mode,
  scale,
  params: z.record(z.string(), jsonValue).describe('Workload parameters after substitution'),
  submission: submissionSchema.optional().describe('Batch: the submission path (compare and rank only within a family)'),
};

const measurementCommon = {
  ...identity,
  startedAt: isoDateTime.optional(),
  finishedAt: isoDateTime.optional(),
  metrics: metricsSectionSchema.optional().describe('Resource and engine metrics (harness/metrics)'),
  streaming: streamingSectionSchema.optional().describe('Streaming results: latency, throughput, lag, sustainable rate (harness/streaming)'),
  fault: batchFaultSchema.optional().describe('Batch: the faults injected into this measurement\'s one execution (--fault); params.faults names them'),
};

/** Who a measurement is about: what the runner knows before it measures. */
export const measurementIdentitySchema = z.strictObject(identity);
export type MeasurementIdentity = z.infer<typeof measurementIdentitySchema>;

export const completedMeasurementSchema = z
  .strictObject({
    ...measurementCommon,
    status: z.literal('completed'),
    statistics: timedStatisticsSchema,
    repetitions: z.array(repetitionSchema).min(1),
    warmups: count,
    answer: z.strictObject({
      checksum: z.string().min(1),
      rows: count,
      verified: z.literal(true),
    }),
  })
  .superRefine((measurement, ctx) => {
    const measured = measurement.repetitions.length;
    if (measurement.statistics.wallMs.samples !== measured) {
      ctx.addIssue({
        code: 'custom',
        path: ['statistics', 'wallMs', 'samples'],
        message: `is ${measurement.statistics.wallMs.samples} but there are ${measured} repetitions`,
      });
    }
  });

export const invalidMeasurementSchema = z.strictObject({
  ...measurementCommon,
  status: z.literal('invalid'),
  reason: z.string().min(1),
  statistics: timedStatisticsSchema.optional(),
  repetitions: z.array(repetitionSchema).optional(),
  warmups: count.optional(),
  answer: z.strictObject({ checksum: z.string().min(1), rows: count, verified: z.literal(false) }).optional(),
  diff: z
    .looseObject({
      summary: z.string().min(1),
      expectedRows: count.optional(),
      actualRows: count.optional(),
      // Row counts as compareAnswers (answer.ts) reports them; firstDifferences etc. pass through.
      missing: count.optional(),
      extra: count.optional(),
      different: count.optional(),
    })
    .optional()
    .describe('How the answer differs from the reference, when the answer was wrong'),
});

export const failedMeasurementSchema = z.strictObject({
  ...measurementCommon,
  status: z.literal('failed'),
  reason: z.string().min(1),
  logExcerpt: z.string().optional(),
});

export const unsupportedMeasurementSchema = z.strictObject({
  ...measurementCommon,
  status: z.literal('unsupported'),
  reason: z.string().min(1).describe("The engine's own words where possible"),
});

export const timedOutMeasurementSchema = z.strictObject({
  ...measurementCommon,
  status: z.literal('timed-out'),
  timeoutMs: z.number().positive(),
  reason: z.string().min(1),
});

export const interruptedMeasurementSchema = z.strictObject({
  ...measurementCommon,
  status: z.literal('interrupted'),
  reason: z.string().min(1).describe('Cut by Ctrl-C / SIGTERM: no figure'),
});

export const measurementSchema = z
  .discriminatedUnion('status', [
    completedMeasurementSchema,
    invalidMeasurementSchema,
    failedMeasurementSchema,
    unsupportedMeasurementSchema,
    timedOutMeasurementSchema,
    interruptedMeasurementSchema,
  ])
  .meta({ id: 'Measurement', description: 'One workload on one engine variant at one scale.' });
export type Measurement = z.infer<typeof measurementSchema>;
export type MeasurementStatus = Measurement['status'];
export type CompletedMeasurement = Extract<Measurement, { status: 'completed' }>;
export type InvalidMeasurement = Extract<Measurement, { status: 'invalid' }>;

export const provenanceSchema = z
  .strictObject({
    harness: z.strictObject({ version: z.string().min(1).describe('package.json version') }),
    git: z.union([
      z.strictObject({ commit: z.string().regex(/^[0-9a-f]{40}$/), dirty: z.boolean() }),
      missingSchema,
    ]),
    host: z.strictObject({
      os: z.string().min(1).describe('Distribution name (os-release PRETTY_NAME) or platform'),
      arch: z.string().min(1),
      kernel: z.string().min(1),
      cpuModel: z.union([z.string().min(1), missingSchema]),
      cores: z.int().positive().describe('Logical CPUs seen by the OS'),
      memoryMiB: z.int().positive(),
    }),
    node: z.strictObject({ version: z.string().min(1) }),
    java: z.union([z.strictObject({ version: z.string().min(1), description: z.string().min(1) }), missingSchema]),
    runtime: z.strictObject({
      kind: z.enum(['docker', 'local']),
      details: z.record(z.string(), jsonValue).describe('e.g. Docker server version, cgroup version, network'),
      images: z.record(z.string(), z.string()).describe('image tag → image id'),
    }),
    distributions: z.array(
      z.strictObject({
        name: z.string().min(1),
        version: z.string().min(1),
        components: z.array(z.strictObject({ name: z.string().min(1), version: z.string().min(1) })),
        artifacts: z.array(
          z.strictObject({ file: z.string().min(1), algorithm: z.string().min(1), checksum: z.string().min(1) }),
        ),
      }),
    ),
    engineSettings: z
      .record(z.string(), z.record(z.string(), settingValue))
      .describe('Per engine: every setting that differs from the engine default, key → value'),
    seed: z.union([z.int(), z.string().min(1)]),
    scale,
    profile: z.string().min(1),
  })
  .meta({ id: 'Provenance', description: 'Everything needed to reproduce the run.' });
export type Provenance = z.infer<typeof provenanceSchema>;
export type HostProvenance = Provenance['host'];
export type GitProvenance = Provenance['git'];

export const runStatusSchema = z.enum(['running', 'completed', 'failed', 'interrupted']);
export type RunStatus = z.infer<typeof runStatusSchema>;

export const RUN_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export const resultsDocumentSchema = z
  .strictObject({
    schemaVersion: z.literal(SCHEMA_VERSION),
    runId: z.string().regex(RUN_ID_PATTERN).describe('Also the directory name under results/'),
    startedAt: isoDateTime,
    finishedAt: isoDateTime.optional(),
    status: runStatusSchema,
    command: z.array(z.string()).describe('argv of the bench command'),
    profile: z.string().min(1),
    mode: runMode,
    config: z.record(z.string(), jsonValue).describe('Effective configuration: flags merged over profile values'),
    budget: z
      .strictObject({
        cores: z.number().positive(),
        memoryMiB: z.int().positive(),
        parallelism: z.int().positive(),
        workers: z.int().positive(),
      })
      .describe('Resources given to each engine alike'),
    provenance: provenanceSchema,
    measurements: z.array(measurementSchema),
    notes: z.array(z.string()).optional(),
  })
  .meta({ title: 'spark-flink-bench results', description: 'One benchmark run (schemaVersion 2).' });
export type ResultsDocument = z.infer<typeof resultsDocumentSchema>;

/** The JSON Schema committed as results.schema.json (regenerate: npx tsx harness/results/write-json-schema.ts). */
export function resultsJsonSchemaText(): string {
  return `${JSON.stringify(z.toJSONSchema(resultsDocumentSchema), null, 2)}\n`;
}

// Keep the stats module's record and the schema in lockstep: either drifting fails to compile.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const statisticsMatch: Same<z.infer<typeof statisticsSchema>, Statistics> = true;
void statisticsMatch;
