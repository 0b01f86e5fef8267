// A value that could not be obtained, with why — written instead of a number, never as 0
// (METHOD rule 12). A leaf: every section schema and every writer uses it.
import { z } from 'zod';

export const missingSchema = z
  .strictObject({
    missing: z.literal(true),
    reason: z.string().min(1),
  })
  .meta({ id: 'Missing', description: 'A value that could not be obtained, and why (never recorded as 0).' });
export type Missing = z.infer<typeof missingSchema>;

export function missing(reason: string): Missing {
  return { missing: true, reason };
}

export function isMissing(value: unknown): value is Missing {
  return typeof value === 'object' && value !== null && (value as { missing?: unknown }).missing === true;
}

/** A number, or why it could not be obtained. */
export const figureSchema = z.union([z.number(), missingSchema]);
export type Figure = z.infer<typeof figureSchema>;
