// The record of one experiment run (results/experiments/<experiment>-<stamp>.json): the claim
// as it was stated, the form, each arm's run id, and the verdicts with the numbers behind them.
// Written by `bench experiment run`, read by its report; the schema is the contract between them.
import { z } from 'zod';

// 2: streaming experiments — the form as words (formText) instead of scale/repeat, every run of an arm.
export const EXPERIMENT_RESULT_VERSION = 2 as const;
const verdict = z.enum(['supported', 'contradicted', 'inconclusive']);

export const experimentResultSchema = z.strictObject({
  experimentResultVersion: z.literal(EXPERIMENT_RESULT_VERSION),
  experiment: z.string().min(1),
  claim: z.string().min(1),
  source: z.string().min(1),
  form: z.enum(['quick', 'full']),
  mode: z.enum(['batch', 'streaming']),
  formText: z.string().min(1).describe('The form as run, e.g. "scale small × 4 repetitions" or "1000 rec/s for 30s after a 10s warm-up, 3 runs per arm"'),
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
      options: z.record(z.string(), z.string()).optional().describe('Streaming arms: the bench run options it set'),
      runs: z.array(
        z.strictObject({
          runId: z.string().nullable().describe('A bench run of this arm (results/<runId>/); null when it did not start'),
          exitCode: z.int().nullable(),
        }),
      ),
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
