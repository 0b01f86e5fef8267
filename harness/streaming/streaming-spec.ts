// The `streaming:` section of workloads/<id>/workload.yaml, validated here (the workload
// schema keeps it as an open record). It says what the generated input events look like and
// how the output topic is read back: append (one row per result) or upsert (last value per key).
import path from 'node:path';
import { z } from 'zod';
import { BenchError, UsageError } from '../errors.ts';
import { displayPath, type Workload } from '../workloads/load.ts';

const identifier = z.string().regex(/^[a-z_][a-z0-9_]*$/, { error: (i) => `'${String(i.input)}' is not a lower-case SQL identifier` });

export const EventFieldSchema = z.discriminatedUnion('kind', [
  /** Uniform integer in [min, max] from a hash of (seed, record number, field name). */
  z.strictObject({ kind: z.literal('int'), min: z.int(), max: z.int() }),
  /** 'w<n>' with n uniform in [0, vocabulary) from the same hash. */
  z.strictObject({ kind: z.literal('word'), vocabulary: z.int().positive() }),
  /**
   * The id of a record of another input, made between 0 and maxBack rounds earlier (one round =
   * one record of every input): a foreign key, e.g. the order a payment pays. Uniform from the
   * same hash over the ids that exist (never below 0).
   */
  z.strictObject({ kind: z.literal('ref'), input: identifier, maxBack: z.int().min(0) }),
]);
export type EventField = z.infer<typeof EventFieldSchema>;

export const OUTPUT_COLUMN_TYPES = ['BIGINT', 'STRING', 'DOUBLE'] as const;

const Fields = z.record(identifier, EventFieldSchema);

export const StreamingSpecSchema = z
  .strictObject({
    /** One input topic, read as view/table `events` with id BIGINT, ts BIGINT and these fields. */
    events: Fields.optional(),
    /**
     * Several input topics instead (joins): one view/table per name with id BIGINT, ts BIGINT and
     * its fields. The generator makes their records in turn (round r = record r of each input, in
     * this order); the rate is the total over all inputs.
     */
    inputs: z.record(identifier, Fields).optional(),
    /**
     * Event time: every input gets `rt`, its generation time as a timestamp (ms precision), with a
     * watermark this far behind the newest seen — what time-bounded joins need (Flink's interval
     * join needs a rowtime attribute; Spark's watermark lets it drop old join state).
     */
    eventTime: z.strictObject({ watermarkDelayMs: z.int().positive() }).optional(),
    output: z.strictObject({
      /** append: every output row is a new result; upsert: rows update the result for their key. */
      kind: z.enum(['append', 'upsert']),
      /** Columns identifying a result (the final state is the last row per key). */
      key: z.array(identifier).min(1),
      /** Output columns in order; must include `ts` (newest generation time behind the row). */
      columns: z.record(identifier, z.enum(OUTPUT_COLUMN_TYPES)),
    }),
    /**
     * The result depends on the generation times themselves (event-time windows, time-bounded
     * joins), not only on the records' content: the generator then keeps every record's `ts`
     * so the final-state oracle runs over the very times the engines saw.
     */
    timeDependent: z.boolean().optional(),
  })
  .superRefine((spec, ctx) => {
    if ((spec.events === undefined) === (spec.inputs === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['events'], message: 'declare exactly one of events: (one input topic) or inputs: (several, by name)' });
      return;
    }
    const inputs = spec.inputs ? Object.entries(spec.inputs).map(([name, fields]) => ({ name, fields, at: ['inputs', name] })) : [{ name: 'events', fields: spec.events!, at: ['events'] }];
    if (spec.inputs && inputs.length < 2) ctx.addIssue({ code: 'custom', path: ['inputs'], message: 'inputs: needs at least two inputs (one input is declared as events:)' });
    for (const { fields, at } of inputs) {
      for (const reserved of ['id', 'ts', 'rt']) {
        if (reserved in fields) ctx.addIssue({ code: 'custom', path: [...at, reserved], message: `'${reserved}' is always present (record number / generation time / event time); do not declare it` });
      }
      for (const [name, field] of Object.entries(fields)) {
        if (field.kind === 'int' && field.max < field.min) ctx.addIssue({ code: 'custom', path: [...at, name, 'max'], message: `max ${field.max} is below min ${field.min}` });
        if (field.kind === 'ref' && !inputs.some((i) => i.name === field.input)) {
          ctx.addIssue({ code: 'custom', path: [...at, name, 'input'], message: `'${field.input}' is not an input (inputs: ${inputs.map((i) => i.name).join(', ')})` });
        }
      }
    }
    const columns = Object.keys(spec.output.columns);
    if (spec.output.columns.ts !== 'BIGINT') ctx.addIssue({ code: 'custom', path: ['output', 'columns', 'ts'], message: "output needs a BIGINT 'ts' column (MAX of the inputs' generation times) so latency can be measured" });
    spec.output.key.forEach((key, i) => {
      if (!columns.includes(key)) ctx.addIssue({ code: 'custom', path: ['output', 'key', i], message: `'${key}' is not one of output.columns (${columns.join(', ')})` });
    });
  });
export type StreamingSpec = z.infer<typeof StreamingSpecSchema>;

/** The workload's streaming section, validated; errors name the file and field. */
export function streamingSpecOf(workload: Workload): StreamingSpec {
  const file = displayPath(path.join(workload.dir, 'workload.yaml'));
  if (!workload.spec.modes.includes('streaming') || !workload.spec.streaming) {
    throw new UsageError(`${file}: workload '${workload.id}' is not a streaming workload (needs 'streaming' in modes and a streaming: section)`);
  }
  const parsed = StreamingSpecSchema.safeParse(workload.spec.streaming);
  if (!parsed.success) {
    throw new UsageError(parsed.error.issues.map((i) => `${file}: streaming.${i.path.map(String).join('.')}: ${i.message}`).join('\n'));
  }
  return parsed.data;
}

export interface StreamInput {
  /** The view/table name the workload SQL reads (`events` for a single input). */
  readonly name: string;
  readonly fields: Readonly<Record<string, EventField>>;
}

/** The inputs in declaration order (the generator's round order). */
export function streamInputs(spec: StreamingSpec): StreamInput[] {
  if (spec.inputs) return Object.entries(spec.inputs).map(([name, fields]) => ({ name, fields }));
  return [{ name: 'events', fields: spec.events ?? {} }];
}

export type ColumnType = 'BIGINT' | 'STRING';

/** Column list of one input as SQL DDL types (same text for Spark's from_json schema and Flink's table); `rt` is added by the engines. */
export function inputColumns(input: StreamInput): { name: string; type: ColumnType }[] {
  return [
    { name: 'id', type: 'BIGINT' },
    { name: 'ts', type: 'BIGINT' },
    ...Object.entries(input.fields).map(([name, field]) => ({ name, type: field.kind === 'word' ? ('STRING' as const) : ('BIGINT' as const) })),
  ];
}
