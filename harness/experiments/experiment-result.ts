// The record of one experiment run (results/experiments/<experiment>-<stamp>.json): the claim
// as it was stated, the form, each arm's run id, and the verdicts with the numbers behind them.
// Written by `bench experiment run`, read by its report; the schema is the contract between them.
import { z } from 'zod';
import { SCALES } from '../workloads/workload-spec.ts';

export const EXPERIMENT_RESULT_VERSION = 1 as const;
const verdict = z.enum(['supported', 'contradicted', 'inconclusive']);

export const experimentResultSchema = z.strictObject({
  experimentResultVersion: z.literal(EXPERIMENT_RESULT_VERSION),
  experiment: z.string().min(1),
  claim: z.string().min(1),
  source: z.string().min(1),
  form: z.enum(['quick', 'full']),
  scale: z.enum(SCALES),
  repeat: z.int().min(1),
  metric: z.string().min(1),
  metricLabel: z.string().min(1),
  unit: z.string().min(1),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  rule: z.strictObject({ numerator: z.string(), denominator: z.string(), supported: z.tuple([z.number().nullable(), z.number().nullable()]) }),
  arms: z.array(
    z.strictObject({
      id: z.string().min(1),
      engine: z.string().min(1),
      submission: z.string().optional(),
      settings: z.record(z.string(), z.string()),
      runId: z.string().nullable().describe('The bench run of this arm (results/<runId>/); null when it did not start'),
      exitCode: z.int().nullable(),
    }),
  ),
  workloads: z.array(
    z.strictObject({
      workload: z.string().min(1),
      verdict,
      ratio: z.number().nullable(),
      spread: z.tuple([z.number(), z.number()]).nullable(),
      pTwoSided: z.number().nullable(),
      why: z.string().min(1),
      values: z.record(z.string(), z.union([z.array(z.number()), z.strictObject({ missing: z.string() })])).describe('Per arm id: the values judged, or why there are none'),
    }),
  ),
  verdict,
  why: z.string().min(1),
});
export type ExperimentResult = z.infer<typeof experimentResultSchema>;
