// The schema of workloads/<id>/workload.yaml. A workload is data: adding a directory with
// workload.yaml + query.sql (and <engine>.sql only where a dialect truly differs) is enough
// for it to be generated, run and checked — no TypeScript change.
//
// Mode-specific sections: `batch` is validated here; `streaming` is accepted as an open
// object so the streaming workloads can define (and validate) their own section later.
import { z } from 'zod';

export const COLUMN_TYPES = ['BIGINT', 'INT', 'DOUBLE', 'STRING', 'DATE'] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];

export const SCALES = ['tiny', 'small', 'medium', 'large'] as const;
export type Scale = (typeof SCALES)[number];

/** The SQL dialects a workload may give its own `<dialect>.sql` for (the engines' `dialect`, harness/engines/). */
export const DIALECTS = ['spark', 'flink', 'duckdb'] as const;
export type Dialect = (typeof DIALECTS)[number];

export const MODES = ['batch', 'streaming'] as const;
export type Mode = (typeof MODES)[number];

const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: (issue) => `'${String(issue.input)}' is not one of ${values.join(', ')}` });

/** Names usable as SQL identifiers in all three engines without quoting. */
const identifier = z
  .string()
  .regex(/^[a-z_][a-z0-9_]*$/, { error: (issue) => `'${String(issue.input)}' is not a lower-case SQL identifier ([a-z_][a-z0-9_]*)` });

const rowCount = z.number().int().positive();

export const ColumnSpecSchema = z.strictObject({
  type: oneOf(COLUMN_TYPES),
  /**
   * DuckDB SQL over the row number `i` (BIGINT, 0-based) and `${SEED}`, `${ROWS_<DATASET>}`
   * and the workload's params. Derive values from hash(i, ${SEED}, '<salt>'), never random():
   * the same seed and scale must give byte-identical files.
   */
  expr: z.string().min(1),
  description: z.string().optional(),
});
export type ColumnSpec = z.infer<typeof ColumnSpecSchema>;

export const DatasetSpecSchema = z.strictObject({
  description: z.string().optional(),
  rows: z.strictObject({ tiny: rowCount, small: rowCount, medium: rowCount, large: rowCount }),
  columns: z.record(identifier, ColumnSpecSchema).refine((c) => Object.keys(c).length > 0, 'a dataset needs at least one column'),
});
export type DatasetSpec = z.infer<typeof DatasetSpecSchema>;

export const AnswerSpecSchema = z.strictObject({
  /** True when the query's ORDER BY is part of the answer (row order is compared). */
  ordered: z.boolean(),
  /** Columns that identify a row; unordered answers are matched on them. */
  keyColumns: z.array(identifier).optional(),
  /** Relative tolerance for floating-point columns; 0 = exact. */
  tolerance: z.number().min(0).max(0.1).default(0),
  /** The result's columns in order with their types: checked against the oracle, used for sink DDL. */
  columns: z.record(identifier, oneOf(COLUMN_TYPES)),
});
export type AnswerSpec = z.infer<typeof AnswerSpecSchema>;

const paramValue = z.union([z.string(), z.number()]);
const paramName = z.string().regex(/^[A-Z][A-Z0-9_]*$/, { error: (issue) => `parameter name '${String(issue.input)}' must be UPPER_SNAKE_CASE` });

export const WorkloadSpecSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z][a-z0-9-]*$/, { error: (issue) => `'${String(issue.input)}' is not a kebab-case id` }),
    title: z.string().min(1),
    description: z.string().min(1),
    /** What the workload probes (which claim about the engines), for the report. */
    probes: z.string().optional(),
    modes: z.array(oneOf(MODES)).min(1),
    params: z.record(paramName, paramValue).default({}),
    datasets: z.record(identifier, DatasetSpecSchema).optional(),
    answer: AnswerSpecSchema.optional(),
    batch: z.strictObject({ timeoutSeconds: z.number().positive().optional() }).optional(),
    streaming: z.record(z.string(), z.unknown()).optional(),
  })
  .superRefine((spec, ctx) => {
    if (!spec.modes.includes('batch')) return;
    if (!spec.datasets || Object.keys(spec.datasets).length === 0) {
      ctx.addIssue({ code: 'custom', path: ['datasets'], message: "a workload with mode 'batch' needs at least one dataset" });
    }
    if (!spec.answer) {
      ctx.addIssue({ code: 'custom', path: ['answer'], message: "a workload with mode 'batch' needs an answer section" });
      return;
    }
    const resultColumns = Object.keys(spec.answer.columns);
    if (resultColumns.length === 0) ctx.addIssue({ code: 'custom', path: ['answer', 'columns'], message: 'list the result columns' });
    for (const [index, key] of (spec.answer.keyColumns ?? []).entries()) {
      if (!resultColumns.includes(key)) {
        ctx.addIssue({ code: 'custom', path: ['answer', 'keyColumns', index], message: `'${key}' is not one of answer.columns (${resultColumns.join(', ')})` });
      }
    }
  });
export type WorkloadSpec = z.infer<typeof WorkloadSpecSchema>;

/** Variable name under which a dataset's row count (at the chosen scale) is visible: orders → ROWS_ORDERS. */
export function rowsVariable(dataset: string): string {
  return `ROWS_${dataset.toUpperCase()}`;
}
