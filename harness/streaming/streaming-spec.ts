// The `streaming:` section of workloads/<id>/workload.yaml, validated here (the workload
// schema keeps it as an open record). It says what the generated input events look like and
// how the output topic is read back: append (one row per result) or upsert (last value per key).
import path from 'node:path';
import { z } from 'zod';
import { EXIT_USAGE, ExitError } from '../cli/exit-error.ts';
import { displayPath, type Workload } from '../workloads/load.ts';

const identifier = z.string().regex(/^[a-z_][a-z0-9_]*$/, { error: (i) => `'${String(i.input)}' is not a lower-case SQL identifier` });

export const EventFieldSchema = z.discriminatedUnion('kind', [
  /** Uniform integer in [min, max] from a hash of (seed, record number, field name). */
  z.strictObject({ kind: z.literal('int'), min: z.int(), max: z.int() }),
  /** 'w<n>' with n uniform in [0, vocabulary) from the same hash. */
  z.strictObject({ kind: z.literal('word'), vocabulary: z.int().positive() }),
]);
export type EventField = z.infer<typeof EventFieldSchema>;

export const OUTPUT_COLUMN_TYPES = ['BIGINT', 'STRING', 'DOUBLE'] as const;

export const StreamingSpecSchema = z
  .strictObject({
    /** The input topic is read as view/table `events` with id BIGINT, ts BIGINT and these fields. */
    events: z.record(identifier, EventFieldSchema),
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
    for (const reserved of ['id', 'ts']) {
      if (reserved in spec.events) ctx.addIssue({ code: 'custom', path: ['events', reserved], message: `'${reserved}' is always present (record number / generation time); do not declare it` });
    }
    for (const [name, field] of Object.entries(spec.events)) {
      if (field.kind === 'int' && field.max < field.min) ctx.addIssue({ code: 'custom', path: ['events', name, 'max'], message: `max ${field.max} is below min ${field.min}` });
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
    throw new ExitError(`${file}: workload '${workload.id}' is not a streaming workload (needs 'streaming' in modes and a streaming: section)`, EXIT_USAGE);
  }
  const parsed = StreamingSpecSchema.safeParse(workload.spec.streaming);
  if (!parsed.success) {
    throw new ExitError(parsed.error.issues.map((i) => `${file}: streaming.${i.path.map(String).join('.')}: ${i.message}`).join('\n'), EXIT_USAGE);
  }
  return parsed.data;
}

/** Column list of the input events as SQL DDL (same text for Spark's from_json schema and Flink's table). */
export function eventColumns(spec: StreamingSpec): { name: string; type: 'BIGINT' | 'STRING' }[] {
  return [
    { name: 'id', type: 'BIGINT' },
    { name: 'ts', type: 'BIGINT' },
    ...Object.entries(spec.events).map(([name, field]) => ({ name, type: field.kind === 'int' ? ('BIGINT' as const) : ('STRING' as const) })),
  ];
}
